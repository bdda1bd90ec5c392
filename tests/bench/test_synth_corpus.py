"""bench.synth_corpus: each copy of a gazette is a distinct issue whose 文号 name its own documents."""

from __future__ import annotations

from bench.synth_corpus import copy_text

COVER = "青海省人民政府公报\n2022年5月30日第9期\n"
BODY = "青海省人民政府办公厅关于印发测试措施的通知\n青政办〔2022〕30号\n依据《测试办法》（青政〔2021〕 7 号）制定。\n"


def test_copy_zero_is_the_original() -> None:
    assert copy_text(COVER + BODY, 0) == COVER + BODY


def test_a_copy_is_another_issue_and_its_doc_numbers_name_its_own_documents() -> None:
    copied = copy_text(COVER + BODY, 2)
    assert "第209期" in copied
    # every 文号 (its serial) is shifted the same way, so references inside the copy still point within it
    assert "青政办〔2022〕2030号" in copied and "青政〔2021〕 2007 号" in copied
    assert "青政办〔2022〕30号" not in copied
