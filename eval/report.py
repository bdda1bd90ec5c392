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
ANSWER_COLUMNS = [
    "key_fact_recall",
    "key_fact_recall_answered",
    "citation_precision",
    "refusal_accuracy",
    "false_refusal_rate",
    "opening_holds_figure",
    "length_ratio_p50",
    "length_ratio_p90",
    "answer_chars_p50",
    "latency_p50_ms",
    "latency_p95_ms",
]
SPLIT_COLUMNS = [
    "hit_rate@1",
    "hit_rate@5",
    "key_fact_recall",
    "citation_precision",
    "refusal_accuracy",
    "false_refusal_rate",
    "opening_holds_figure",
    "length_ratio_p50",
    "latency_p95_ms",
]
RETRIEVAL_CHART = ["hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10"]
ANSWER_CHART = ["key_fact_recall", "citation_precision", "refusal_accuracy", "false_refusal_rate"]


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _table(rows: dict[str, dict[str, Any]], columns: list[str], first: str) -> list[str]:
    out = [f"| {first} | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in rows.items():
        out.append(f"| {name} | " + " | ".join(_fmt(row.get(c, "")) for c in columns) + " |")
    return out


def _baseline_note(data: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """How the baselines' answers were made (nothing when only gongbao was measured, as with `--url`)."""
    if len(answers) < 2:
        return []
    return [
        "gongbao answers through its own `ask`. A baseline's answer is what its user gets without an LLM: the same "
        f"extractive composer (`rag.answer.extractive_answer`) over that baseline's top {data.get('answer_k', 8)} "
        "hits; its latency is its search plus composing. LangChain-default hits are 500-character pieces of the raw "
        "files: their title is the file name, with no 文号 or heading path to cite.",
        "",
    ]


def render(data: dict[str, Any]) -> str:
    """The report as markdown: one split, or every split side by side and then each in full."""
    if "splits" not in data:
        return _render_split(data, "# Evaluation report", f"`eval/gold/` ({data['items']} items)")
    splits: dict[str, dict[str, Any]] = data["splits"]
    rows = {
        f"{name} ({split['items']} items)": {**split["retrieval"]["gongbao"], **split["answers"]}
        for name, split in splits.items()
    }
    if data.get("gap"):
        rows["gap (dev − test)"] = data["gap"]
    sliced = {name: split["validity"] for name, split in splits.items() if split.get("validity")}
    out = [
        "# Evaluation report",
        "",
        f"Command: `{COMMAND}` — target: {data['target']}. Machine: {platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}, {data.get('cpus', '?')} CPUs.",
        "",
        "Settings are tuned on **dev** (`eval/gold/dev/`) only. **test** (`eval/gold/test/`) was written from the "
        "corpus and the item format alone, by someone who read neither the answering code nor dev, and is frozen; "
        "the gap row says how much of the dev score does not carry over to questions nobody tuned for.",
        "",
        "## gongbao on each split",
        "",
        *_table(rows, SPLIT_COLUMNS, "split"),
        "",
        "Opening sentence: share of the questions whose gold answer holds a figure where the answer's first "
        "sentence states one of the gold figures (refusals count as misses). Length ratio: answer characters "
        "(without [n] markers) over gold answer characters, over answered items.",
        "",
        *_validity_summary(sliced),
    ]
    for name, split in splits.items():
        body = _render_split(
            {**split, "cpus": data.get("cpus")}, f"# Split: {name}", f"`eval/gold/{name}/` ({split['items']} items)"
        )
        out += ["#" + line if line.startswith("#") else line for line in body.splitlines()]
        out.append("")
    return "\n".join(out) + "\n"


VALIDITY_COLUMNS = [
    "n",
    "accuracy",
    "n_stated",
    "accuracy_stated",
    "n_not_stated",
    "accuracy_not_stated",
    "answered_from_validity_data",
    "latency_p50_ms",
]
VALIDITY_NOTE = (
    "Validity questions (`type` validity: 「…还有效吗」「…什么时候施行」「…有效期到什么时候」「…废止了哪个文件」) "
    "are a slice of their own, **not included** in the split's totals above (which stay comparable with "
    "earlier runs). An item is right when the answer holds every key fact of the gold answer (dates, 文号 "
    "numbers) and cites a clause holding the evidence sentence; an item the text does not answer "
    "(`answerable: false`) is right when the answer says the text does not state it. Answers are given as of "
    "the day the eval runs."
)


def _validity_summary(sliced: dict[str, dict[str, Any]]) -> list[str]:
    if not sliced:
        return []
    return ["## Validity questions (own slice)", "", *_table(sliced, VALIDITY_COLUMNS, "split"), "", VALIDITY_NOTE, ""]


def _validity_section(data: dict[str, Any]) -> list[str]:
    """The validity slice of one split: its accuracy and, for dev, each item."""
    v = data.get("validity")
    if not v:
        return []
    table = _table({"gongbao": v}, VALIDITY_COLUMNS, "system")
    out = ["", "## Validity questions (own slice, not in the totals)", "", *table]
    if v.get("items"):
        out += ["", "| id | right | mode | question | gold | answer |", "|---|---|---|---|---|---|"]
        for r in v["items"]:
            cells = [r["id"], "✓" if r["correct"] else "✗", r["mode"], r["question"], r["gold"], r["answer"][:160]]
            out.append("| " + " | ".join(str(c).replace("|", "／").replace("\n", " ") for c in cells) + " |")
    return out


def _render_split(data: dict[str, Any], title: str, source: str) -> str:
    """One gold folder's report."""
    retrieval_cols = ["hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10", "all_evidence@10"]
    # Older eval.json files (and `--url` runs of them) have only gongbao's flat `answers`.
    answers = data.get("answers_by_system") or {"gongbao": data["answers"]}
    answer_cols = [c for c in ANSWER_COLUMNS if any(c in row for row in answers.values())]
    out = [
        title,
        "",
        f"Command: `{COMMAND}` — target: {data['target']}; gold items: {source}.",
        f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}, "
        f"{data.get('cpus', '?')} CPUs. Chart: `eval.png` next to this file.",
        "",
        "## Retrieval (answerable items)",
        "",
        *_table(data["retrieval"], retrieval_cols, "system"),
        "",
        "## Answers (extractive mode)",
        "",
        *_table(answers, answer_cols, "system"),
        "",
        *_baseline_note(data, answers),
        "Key-fact recall: share of the gold answer's numbers (or, without numbers, key phrases) present in the "
        "answer, over all answerable items (refusals count 0); `_answered` over the items it answered. Citation "
        "precision: share of cited chunks that hold an evidence string or, in the gold document (same 文号), a key "
        "fact (a clause cited only by a status note — 「注意：…已失效」, `status_note` — is not counted). "
        "Refusal accuracy: share of unanswerable items refused; false-refusal rate: share of answerable items "
        "refused.",
        "",
        "## By question type (gongbao)",
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
        "## By gazette (gongbao)",
        "",
        *_table(data["by_gazette"], ["n", "hit_rate@1", "hit_rate@5", "key_fact_recall", "false_refusal_rate"], "file"),
        *_validity_section(data),
    ]
    if "worst" not in data:  # a held-out split: aggregates only
        return "\n".join(out) + "\n"
    out += [
        "",
        "## The 20 worst items (gongbao)",
        "",
        "| id | type | question | gold | answer | top retrieved |",
        "|---|---|---|---|---|---|",
    ]
    for w in data["worst"]:
        cells = [w["id"], w["type"], w["question"], w["gold"], w["answer"], " / ".join(w["retrieved"])]
        out.append("| " + " | ".join(str(c).replace("|", "／").replace("\n", " ") for c in cells) + " |")
    return "\n".join(out) + "\n"


def chart(data: dict[str, Any], path: Path) -> None:
    """Bar charts per system: retrieval metrics, and (where measured) answer metrics (of the test split, when
    there are splits: the numbers nobody tuned for)."""
    if "splits" in data:
        data = data["splits"].get("test") or next(iter(data["splits"].values()))
    answers = data.get("answers_by_system") or {"gongbao": data["answers"]}
    panels = [
        ("Retrieval on the gold set", data["retrieval"], RETRIEVAL_CHART),
        ("Extractive answers (false refusals: lower is better)", answers, ANSWER_CHART),
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(8 * len(panels), 4.5), squeeze=False)
    for ax, (title, rows, metrics) in zip(axes[0], panels, strict=True):
        systems = list(rows)
        width = 0.8 / max(1, len(systems))
        for n, system in enumerate(systems):
            values = [rows[system].get(m, 0.0) for m in metrics]
            ax.bar([i + n * width for i in range(len(metrics))], values, width, label=system)
        ax.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(metrics))], metrics, fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_title(title)
        ax.legend(fontsize=8)
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
