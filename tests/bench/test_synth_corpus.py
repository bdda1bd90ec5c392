"""bench.synth_corpus: each copy of a gazette is a distinct issue that parses into the original's documents and
clauses, under 文号 and titles of its own (review8 PF2: the copies of a benchmark corpus must take the paths the
issues of a real corpus take)."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.synth_corpus import copy_text, copy_title
from index.models import ParsedGazette
from index.parser import corpus_files, parse_text
from index.text import DOC_NUMBER
from rag.settings import PROJECT_ROOT

COVER = "青海省人民政府公报\n2022年5月30日第9期\n"
BODY = "青海省人民政府办公厅关于印发测试措施的通知\n青政办〔2022〕30号\n依据《测试办法》（青政〔2021〕 7 号）制定。\n"


def test_copy_zero_is_the_original() -> None:
    assert copy_text(COVER + BODY, 0) == COVER + BODY


def test_a_copy_is_another_issue_and_its_doc_numbers_name_its_own_documents() -> None:
    copied = copy_text(COVER + BODY, 2, copies=20)
    assert "第209期" in copied
    # every 文号 serial is shifted the same way (500 a copy at 20 copies), so references inside the copy still point
    # within it, and stays within the four digits the parser reads
    assert "青政办〔2022〕1030号" in copied and "青政〔2021〕 1007 号" in copied
    assert "青政办〔2022〕30号" not in copied
    last = copy_text(COVER + BODY, 19, copies=20)
    assert "青政办〔2022〕9530号" in last


def test_a_copied_title_keeps_its_structure_and_is_the_same_wherever_it_is_printed() -> None:
    plan = "高原美丽城镇示范省建设实施方案"
    notice = f"青海省人民政府关于印发{plan}的通知"
    copied = copy_title(notice, 3)
    assert copied != notice and copied.startswith("青") and "关于印发" in copied and copied.endswith("的通知")
    assert copy_title(plan, 3) in copied  # the plan's title inside its notice's is spelt as the plan's own
    assert sorted(copy_title(plan, 3)) == sorted(plan)  # the same characters, so the same vocabulary
    assert copy_title(plan, 3) != copy_title(plan, 4)


def _sizes(parsed: ParsedGazette) -> list[int]:
    """Each document's chunk count, in document order."""
    count = Counter(c.doc_id for c in parsed.chunks)
    return [count[d.doc_id] for d in parsed.documents]


@pytest.mark.parametrize("path", corpus_files(PROJECT_ROOT / "corpus"), ids=lambda p: p.name[:3])
def test_every_copy_parses_into_the_originals_documents_and_chunks_under_names_of_its_own(path) -> None:
    # the last copy of 20 matters: a shift that pushed a 文号 serial past four digits (「〔2021〕10122号」) merged each
    # document of copies 10-19 into the one before it (20 copies served 32,580 chunks instead of 34,900)
    text = path.read_text(encoding="utf-8-sig")
    original = parse_text(text, path.name)
    for copy in (1, 5, 10, 19):  # all 19 took 2 min; the 20x build checks every copy (bench.scale: 34,900 chunks)
        parsed = parse_text(copy_text(text, copy, copies=20), path.name)
        assert parsed.gazette.key != original.gazette.key
        assert _sizes(parsed) == _sizes(original)
        assert [c.kind for c in parsed.chunks] == [c.kind for c in original.chunks]
        shape = [(d.parent_id is None, d.doc_number is None) for d in parsed.documents]
        assert shape == [(d.parent_id is None, d.doc_number is None) for d in original.documents]
        numbers = {d.doc_number for d in parsed.documents if d.doc_number}
        assert not numbers & {d.doc_number for d in original.documents}
        assert all(DOC_NUMBER.fullmatch(n) for n in numbers)
        # every title is the copy's own but those every issue of a real gazette repeats too: its chronicle
        # (「省政府2023年10月份大事记」) and a short appointment notice (「青海省人民政府免职通知」)
        same = [d.doc_type for d in parsed.documents if d.title in {o.title for o in original.documents}]
        assert set(same) <= {"大事记", "任免"}
