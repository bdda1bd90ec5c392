"""Answer metrics on hand-made examples: values computed by hand, so a wrong formula fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import rag
from eval.report import render
from eval.runner import GOLD_DIR as GOLD_ROOT
from eval.runner import (
    GONGBAO,
    ItemResult,
    answer_chars,
    answer_metrics,
    citation_precision,
    gold_doc_numbers,
    load_items,
    opening_sentence,
    run_splits,
    validity_correct,
)


def _item(answer: str, type_: str = "fact", **extra: Any) -> dict[str, Any]:
    return {"id": "x", "type": type_, "answer": answer, "evidence": ["证据原文"], "doc_number": None, **extra}


def _result(item: dict[str, Any], text: str, answerable: bool = True) -> ItemResult:
    from eval.runner import score_answer  # the scoring the runner applies to every answer

    answer = {"text": text, "answerable": answerable, "citations": []}
    return ItemResult(item, answers={GONGBAO: score_answer(item, answer, 1.0, lambda _: "")})


def test_opening_sentence_and_length_ignore_markers() -> None:
    text = "稳岗返还比例提高至90%[1]。其余内容[2]。"
    assert opening_sentence(text) == "稳岗返还比例提高至90%。"
    assert opening_sentence("没有句号的回答[1]") == "没有句号的回答"
    assert answer_chars("比例 90%[1]。\n") == len("比例90%。")


def test_length_ratio_and_opening_figure_by_hand() -> None:
    results = [
        _result(_item("提高至90%"), "比例提高至90%[1]。依据原文如下。"),  # figure opens: yes; 17 chars / 6 chars
        _result(_item("为30日"), "按规定办理[1]。期限为30日[1]。"),  # figure only in the second sentence: no
        _result(_item("省财政厅"), "省财政厅牵头[1]。"),  # no figure asked for: not counted for the opening
        _result(_item("为50%"), "现有公报中未找到。", answerable=False),  # refused: counts as a miss
    ]
    m = answer_metrics(results)
    assert m["opening_holds_figure"] == pytest.approx(1 / 3)
    ratios = sorted([len("比例提高至90%。依据原文如下。") / 6, len("按规定办理。期限为30日。") / 4, 7 / 4])
    assert m["length_ratio_p50"] == pytest.approx(ratios[1])
    assert m["length_ratio_p90"] == pytest.approx(ratios[2])
    assert m["false_refusal_rate"] == pytest.approx(1 / 4)


def test_citation_precision_credits_every_document_of_a_comparison() -> None:
    item = _item(
        "前者为90%，后者为60%",
        type_="multi_doc",
        doc_number="青政办〔2022〕30号",
        documents=[
            {"doc_title": "甲", "doc_number": "青政办〔2022〕30号"},
            {"doc_title": "乙", "doc_number": "青政〔2020〕1号"},
        ],
    )
    assert gold_doc_numbers(item) == {"青政办〔2022〕30号", "青政〔2020〕1号"}
    texts = {"a": "返还比例为90%", "b": "标准为60%", "c": "无关的60%"}
    citations = [
        {"chunk_id": "a", "doc_number": "青政办〔2022〕30号"},
        {"chunk_id": "b", "doc_number": "青政〔2020〕1号"},
        {"chunk_id": "c", "doc_number": "青政〔2019〕9号"},
    ]
    assert citation_precision(item, citations, texts.__getitem__) == pytest.approx(2 / 3)
    assert citation_precision(item, [], texts.__getitem__) == 0.0


def test_splits_run_side_by_side_with_their_gap(service: rag.Gongbao, tmp_path: Path) -> None:
    for split in ("dev", "test"):
        items = load_items(GOLD_ROOT / split)
        picked = [i for i in items if i["type"] == "fact"][:3] + [i for i in items if i["type"] == "unanswerable"][:1]
        (tmp_path / split).mkdir()
        lines = [json.dumps(i, ensure_ascii=False) for i in picked]
        (tmp_path / split / "small.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = run_splits(gold_root=tmp_path, baselines=False, service=service)
    assert list(data["splits"]) == ["dev", "test"] and all(s["items"] == 4 for s in data["splits"].values())
    dev, test = (data["splits"][s]["answers"]["key_fact_recall"] for s in ("dev", "test"))
    assert data["gap"]["key_fact_recall"] == pytest.approx(dev - test)
    md = render(data)
    assert "gap (dev − test)" in md and "# Split: dev" in md and "# Split: test" in md
    # per-item rows only for dev: the held-out split's items appear nowhere in the report
    assert "worst" in data["splits"]["dev"] and "worst" not in data["splits"]["test"]
    assert md.count("The 20 worst items") == 1 and md.index("The 20 worst items") < md.index("# Split: test")


def test_validity_correct_by_hand() -> None:
    stated = {"answer": "有效期至2022年12月31日。", "evidence": ["有效期至2022年12月31日"]}
    texts = {"c1": "本措施自印发之日起施行,有效期至2022年12月31日。", "c2": "其他条款。"}
    right = {"answerable": True, "text": "有效期至2022年12月31日[1]", "citations": [{"chunk_id": "c1"}]}
    assert validity_correct(stated, right, texts.__getitem__)
    wrong_date = {**right, "text": "有效期至2023年12月31日[1]"}
    assert not validity_correct(stated, wrong_date, texts.__getitem__)
    wrong_clause = {**right, "citations": [{"chunk_id": "c2"}]}
    assert not validity_correct(stated, wrong_clause, texts.__getitem__)
    assert not validity_correct(stated, {**right, "answerable": False}, texts.__getitem__)
    not_stated = {"answer": "现有公报中未找到：文本没有写明。", "evidence": [], "answerable": False}
    assert validity_correct(not_stated, {"answerable": False, "text": "未找到", "citations": []}, texts.__getitem__)
    assert not validity_correct(not_stated, right, texts.__getitem__)  # a guess is wrong


def test_validity_questions_are_a_slice_outside_the_totals(service: rag.Gongbao, tmp_path: Path) -> None:
    items = load_items(GOLD_ROOT / "dev")
    validity = [i for i in items if i["type"] == "validity"]
    assert len(validity) >= 15
    unstated = [v for v in validity if "answerable" in v][:1]
    picked = [i for i in items if i["type"] == "fact"][:2] + validity[:3] + unstated
    (tmp_path / "dev").mkdir()
    lines = [json.dumps(i, ensure_ascii=False) for i in picked]
    (tmp_path / "dev" / "small.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = run_splits(gold_root=tmp_path, splits=("dev",), baselines=False, service=service)
    dev = data["splits"]["dev"]
    assert dev["items"] == 2 and set(dev["by_type"]) == {"fact"}  # the totals hold the other items only
    sliced = dev["validity"]
    assert (sliced["n"], sliced["n_stated"], sliced["n_not_stated"]) == (4, 3, 1)
    assert [r["id"] for r in sliced["items"]] == [i["id"] for i in picked[2:]]
    assert sliced["accuracy"] == pytest.approx(sum(r["correct"] for r in sliced["items"]) / 4)
    md = render(data)
    assert "## Validity questions (own slice)" in md and "not included" in md
    assert all(r["id"] in md for r in sliced["items"])


def test_citation_precision_leaves_out_status_note_citations() -> None:
    item = _item("比例提高至90%", doc_number="青政办〔2022〕30号")
    texts = {"a": "证据原文", "note": "本措施自印发之日起施行,有效期至2022年12月31日。"}
    answer = {"chunk_id": "a", "doc_number": "青政办〔2022〕30号"}
    note = {"chunk_id": "note", "doc_number": "青政办〔2022〕30号", "status_note": True}
    assert citation_precision(item, [answer, note], texts.__getitem__) == 1.0
    assert citation_precision(item, [answer, {**note, "status_note": False}], texts.__getitem__) == 0.5
