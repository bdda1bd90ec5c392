"""The evaluation runner: metric definitions, and a small end-to-end run in process and over HTTP."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import rag
from eval.report import write
from eval.runner import GOLD_DIR as GOLD_ROOT
from eval.runner import fact_recall, is_held_out, key_facts, load_items, run_eval


def test_key_facts_prefer_numbers() -> None:
    assert key_facts("从60%提高至90%") == ["60%", "90%"]
    assert key_facts("省人力资源社会保障厅牵头，省财政厅配合") == ["省人力资源社会保障厅牵头", "省财政厅配合"]


def test_fact_recall() -> None:
    assert fact_recall("从60%提高至90%", "返还比例从60%提高至90%[1]") == 1.0
    assert fact_recall("从60%提高至90%", "提高至90%[1]") == 0.5


def _small_gold(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    items = load_items(GOLD_ROOT / "dev")
    picked = [i for i in items if i["type"] == "fact"][:4] + [i for i in items if i["type"] == "unanswerable"][:2]
    (tmp_path / "small.jsonl").write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in picked) + "\n", encoding="utf-8"
    )
    return tmp_path


def test_run_in_process_writes_every_metric(service: rag.Gongbao, tmp_path: Path) -> None:
    data = run_eval(gold_dir=_small_gold(tmp_path / "gold"), baselines=True, service=service)
    assert set(data["retrieval"]) == {"gongbao", "BM25 (jieba)", "LangChain default"}
    for metrics in data["retrieval"].values():
        assert set(metrics) >= {"hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10", "all_evidence@10"}
        assert all(0.0 <= v <= 1.0 for v in metrics.values())
    # Every system answers every question (baselines: the extractive composer over their own hits).
    assert list(data["answers_by_system"]) == ["gongbao", "BM25 (jieba)", "LangChain default"]
    assert data["answers"] == data["answers_by_system"]["gongbao"]
    for answers in data["answers_by_system"].values():
        assert set(answers) >= {"key_fact_recall", "citation_precision", "refusal_accuracy", "false_refusal_rate"}
        assert all(0.0 <= answers[m] <= 1.0 for m in ("key_fact_recall", "citation_precision", "refusal_accuracy"))
        assert answers["latency_p95_ms"] >= answers["latency_p50_ms"] > 0
    assert set(data["by_type"]) == {"fact", "unanswerable"}
    paths = write(data, tmp_path / "reports")
    assert [p.name for p in paths] == ["eval.md", "eval.json", "eval.png"]
    md = paths[0].read_text(encoding="utf-8")
    assert "## Retrieval" in md and paths[2].stat().st_size > 1000
    answers_table = md.split("## Answers", 1)[1].split("\n\n")[1]
    assert [line.split(" | ")[0] for line in answers_table.splitlines()[2:]] == [
        "| gongbao",
        "| BM25 (jieba)",
        "| LangChain default",
    ]
    shutil.rmtree(tmp_path / "gold")


def test_run_over_http(base_url: str, tmp_path: Path) -> None:
    data = run_eval(url=base_url, gold_dir=_small_gold(tmp_path), baselines=False)
    assert set(data["retrieval"]) == {"gongbao"} and data["target"] == base_url
    assert set(data["answers_by_system"]) == {"gongbao"}  # baselines only run in process
    assert 0.0 <= data["answers"]["key_fact_recall"] <= 1.0


def test_a_held_out_split_is_reported_as_aggregates_only(service: rag.Gongbao, tmp_path: Path) -> None:
    assert is_held_out(GOLD_ROOT / "test") and is_held_out(GOLD_ROOT / "dev" / ".." / "test")
    assert not is_held_out(GOLD_ROOT / "dev") and not is_held_out(tmp_path)
    # `gongbao eval --gold eval/gold/test` must not print the test split's items either.
    data = run_eval(gold_dir=GOLD_ROOT / "test", baselines=False, service=service)
    assert "worst" not in data and data["items"] > 150
    md = write(data, tmp_path)[0].read_text(encoding="utf-8")
    assert "| id |" not in md
    questions = [i["question"] for i in load_items(GOLD_ROOT / "test")]
    assert not any(q in md for q in questions)
