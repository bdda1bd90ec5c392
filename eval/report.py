"""Write the evaluation report: reports/eval.md, reports/eval.json and reports/eval.png."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COMMAND = "HF_HUB_OFFLINE=1 .venv/bin/gongbao eval"


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _table(rows: dict[str, dict[str, Any]], columns: list[str], first: str) -> list[str]:
    out = [f"| {first} | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in rows.items():
        out.append(f"| {name} | " + " | ".join(_fmt(row.get(c, "")) for c in columns) + " |")
    return out


def render(data: dict[str, Any]) -> str:
    """The report as markdown."""
    retrieval_cols = ["hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10", "all_evidence@10"]
    answer_cols = list(data["answers"])
    out = [
        "# Evaluation report",
        "",
        f"Command: `{COMMAND}` — target: {data['target']}; {data['items']} gold items (`eval/gold/`).",
        f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}, "
        f"{data.get('cpus', '?')} CPUs. Chart: `reports/eval.png`.",
        "",
        "## Retrieval (answerable items)",
        "",
        *_table(data["retrieval"], retrieval_cols, "system"),
        "",
        "## Answers (gongbao, extractive mode)",
        "",
        *_table({"gongbao": data["answers"]}, answer_cols, "system"),
        "",
        "Key-fact recall: share of the gold answer's numbers (or, without numbers, key phrases) present in the "
        "answer, over all answerable items (refusals count 0); `_answered` over the items it answered. Citation "
        "precision: share of cited clauses that hold an evidence string or, in the gold document, a key fact.",
        "",
        "## By question type",
        "",
        *_table(
            data["by_type"],
            [
                "n",
                "hit_rate@1",
                "hit_rate@5",
                "key_fact_recall",
                "citation_precision",
                "refusal_accuracy",
                "false_refusal_rate",
            ],
            "type",
        ),
        "",
        "## By gazette",
        "",
        *_table(data["by_gazette"], ["n", "hit_rate@1", "hit_rate@5", "key_fact_recall", "false_refusal_rate"], "file"),
        "",
        "## The 20 worst items",
        "",
        "| id | type | question | gold | answer | top retrieved |",
        "|---|---|---|---|---|---|",
    ]
    for w in data["worst"]:
        cells = [w["id"], w["type"], w["question"], w["gold"], w["answer"], " / ".join(w["retrieved"])]
        out.append("| " + " | ".join(str(c).replace("|", "／").replace("\n", " ") for c in cells) + " |")
    return "\n".join(out) + "\n"


def chart(data: dict[str, Any], path: Path) -> None:
    """Bar chart of the retrieval metrics per system."""
    metrics = ["hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10"]
    systems = list(data["retrieval"])
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(1, len(systems))
    for n, system in enumerate(systems):
        values = [data["retrieval"][system][m] for m in metrics]
        ax.bar([i + n * width for i in range(len(metrics))], values, width, label=system)
    ax.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(metrics))], metrics)
    ax.set_ylim(0, 1)
    ax.set_title("Retrieval on the gold set")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(data: dict[str, Any], reports: Path) -> list[Path]:
    """Write eval.md, eval.json and eval.png under `reports`."""
    reports.mkdir(parents=True, exist_ok=True)
    md, js, png = reports / "eval.md", reports / "eval.json", reports / "eval.png"
    md.write_text(render(data), encoding="utf-8")
    js.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    chart(data, png)
    return [md, js, png]
