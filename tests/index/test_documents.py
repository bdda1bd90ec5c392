"""Documents per gazette, compared exactly with a hand-checked list (titles, 文号, types)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.models import Corpus

EXPECTED = json.loads((Path(__file__).parent / "data" / "expected_documents.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("source_file", sorted(EXPECTED))
def test_documents_match_hand_checked_list(corpus: Corpus, source_file: str) -> None:
    parsed = next(g for g in corpus.gazettes if g.gazette.source_file == source_file)
    got = [[d.title, d.doc_number, d.doc_type] for d in parsed.documents]
    assert got == EXPECTED[source_file]["documents"]
    assert parsed.gazette.label == EXPECTED[source_file]["issue"]


def test_gazette_metadata(corpus: Corpus) -> None:
    by_file = {g.gazette.source_file: g.gazette for g in corpus.gazettes}
    g = by_file["000_54ba3c4bbfdf3a95.txt"]
    assert (g.year, g.number, g.total_number, str(g.published)) == (2021, 23, 515, "2021-12-31")
    special = by_file["003_d804c7837e2669c0.txt"]
    assert special.special and special.number is None and special.year == 2022
    assert str(special.published) == "2022-07-29"
    assert all(len(g.sha256) == 64 for g in by_file.values())


def test_attached_plan_inherits_notice_number_and_keeps_both_titles(corpus: Corpus) -> None:
    plan = next(d for d in corpus.documents if d.title.startswith("青海建设世界级盐湖产业基地行动方案"))
    notice = next(d for d in corpus.documents if d.doc_id == plan.parent_id)
    assert plan.doc_number == notice.doc_number == "青政〔2021〕54号"
    assert plan.parent_title == notice.title and "关于印发" in notice.title
    assert plan.issuer == "青海省人民政府 工业和信息化部"
    assert str(plan.signed) == "2021-11-22"


def test_notice_metadata(corpus: Corpus) -> None:
    doc = next(d for d in corpus.documents if d.doc_number == "青政办〔2020〕67号" and not d.parent_id)
    assert doc.addressees == "各市、自治州人民政府，省政府各委、办、厅、局"
    assert doc.issuer == "青海省人民政府办公厅"
    assert str(doc.signed) == "2020-08-31"


def test_front_matter_is_skipped(corpus: Corpus) -> None:
    texts = " ".join(c.text for c in corpus.chunks)
    for masthead in ("编辑委员会", "国内统一连续出版物号", "责任编辑：马曦娟", "QINGHAISHENG"):
        assert masthead not in texts
    # The chronicle's own closing line is content, not masthead, and is kept.
    assert "（责任编辑、辑录：赵晴）" in texts


def test_a_roster_table_has_no_header_row() -> None:
    from index.clauses import chunk_document
    from index.lines import split_lines

    lines = split_lines("召 集 人：\t张三\t省长\n副召集人：\t李四\t副省长\n\t王五\t秘书长\n赵 六\t厅长\n")
    rows = [c.text for c in chunk_document(lines)]
    assert rows == ["召集人：张三；省长", "副召集人：李四；副省长", "副召集人：王五；秘书长", "副召集人：赵六；厅长"]


def test_a_roster_in_lines_keeps_one_entry_per_line() -> None:
    # Each label starts an entry although the entry before it ends without punctuation; the names under a label
    # stay with it, and a sentence broken across lines is still mended.
    from index.clauses import chunk_document
    from index.lines import split_lines

    text = "二、组成人员\n主任：张三 副省长\n副主任：李四 省政府副秘书长\n王五 省财政厅厅长\n"
    text += "- 成 员：赵六 省教育厅副厅长\n"
    text += "三、工作要求\n各成员单位要按照职责分工，认真\n落实各项任务。\n"
    chunks = [c.text for c in chunk_document(split_lines(text))]
    assert "主任：张三 副省长\n副主任：李四 省政府副秘书长 王五 省财政厅厅长\n成 员：赵六 省教育厅副厅长" in chunks
    assert "各成员单位要按照职责分工，认真落实各项任务。" in chunks


def test_an_annex_list_stays_one_paragraph() -> None:
    """「附件：1.…」 followed by 「2.…」 lines is one list of annexes, not an annex heading over numbered items."""
    from index.clauses import chunk_document
    from index.lines import split_lines

    text = "一、总体要求\n\n附件：1.青海省冰川保护办法\n2.青海省草原保护办法\n\n二、工作措施\n\n做好保护工作。"
    chunks = chunk_document(split_lines(text))
    assert [c.text for c in chunks if c.text.startswith("附件")] == ["附件：1.青海省冰川保护办法2.青海省草原保护办法"]
    assert not any(s.startswith("2.") for c in chunks for s in c.section)


def test_a_row_of_one_cell_labels_the_rows_below_it() -> None:
    """In a table of three or more columns, a row whose one cell spans the table (「一、草原保护」) is a group label:
    the rows below it carry it, and it is no row of its own."""
    from index.clauses import chunk_document
    from index.lines import split_lines

    text = "序号\t任务\t责任单位\n一、草原保护\t\t\n1\t落实禁牧补助\t省林草局\n2\t开展草原监测\t省农牧厅\n"
    rows = [c.text for c in chunk_document(split_lines(text))]
    assert rows == [
        "一、草原保护\n序号：1；任务：落实禁牧补助；责任单位：省林草局",
        "一、草原保护\n序号：2；任务：开展草原监测；责任单位：省农牧厅",
    ]
