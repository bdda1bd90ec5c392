"""The service entry point: follow-ups in a conversation, streamed answers, modes (on each vector store)."""

from __future__ import annotations

import pytest

import rag
from rag.models import Answer
from rag.question import has_subject, is_follow_up

EARLIER = [{"role": "user", "content": "2022年助企纾困十条里稳岗返还比例提高到多少？"}]


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        ("那2030年的目标呢？", EARLIER, True),
        ("它的牵头单位是谁", EARLIER, True),
        ("还有哪些减税措施", EARLIER, True),
        ("那2030年的目标呢？", None, False),  # nothing earlier to lean on
        ("青海建设世界级盐湖产业基地行动方案提出的2025年总产值目标是多少？", EARLIER, False),
    ],
)
def test_is_follow_up(question: str, history: list[dict[str, str]] | None, expected: bool) -> None:
    assert is_follow_up(question, history) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [("那2030年的呢？", False), ("那2030年的目标呢？", False), ("那房租减免呢？", True), ("它的牵头单位是谁", True)],
)
def test_has_subject(question: str, expected: bool) -> None:
    assert has_subject(question) is expected


def _lead_quote(answer: rag.Answer) -> str:
    """The answer's first quote: its first line, after the direct opening when there is one."""
    lines = answer.text.split("\n")
    return lines[1] if answer.short_answer and len(lines) > 1 else lines[0]


def test_follow_up_borrows_the_earlier_subject(any_service: rag.Gongbao) -> None:
    """「那2030年的呢？」 after a question on the 2025 总产值 target asks for the 2030 总产值 target."""
    earlier = [{"role": "user", "content": "青海建设世界级盐湖产业基地行动方案提出到2025年盐湖产业总产值达到多少？"}]
    alone = any_service.ask("那2030年的呢？")
    follow_up = any_service.ask("那2030年的呢？", history=earlier)
    # the 总产值 row answers (its indicator now named by the opening, not by the quote under it)
    assert "总产值" in (follow_up.short_answer or "") + _lead_quote(follow_up) and "2030 年：700" in follow_up.text
    assert follow_up.short_answer is not None and "700" in follow_up.short_answer  # the follow-up's year, not 2025
    assert "2030 年：700" not in _lead_quote(alone) and "700" not in (alone.short_answer or "")


def test_follow_up_pointing_back_stays_on_the_earlier_clause(any_service: rag.Gongbao) -> None:
    answer = any_service.ask("它的牵头单位是谁？", history=EARLIER)
    assert answer.answerable and "稳岗返还" in _lead_quote(answer)
    assert {c.doc_number for c in answer.citations} == {"青政办〔2022〕30号"}
    assert any_service.conversation_documents(EARLIER)  # the notice and the measures it issued


def test_stream_pieces_make_up_the_answer(any_service: rag.Gongbao) -> None:
    *pieces, answer = any_service.stream("盐湖产业基地行动方案中锂产业2030年产值目标是多少亿元？")
    assert isinstance(answer, Answer) and len(pieces) >= 1
    assert "".join(str(p) for p in pieces) == answer.text


def test_modes(any_service: rag.Gongbao) -> None:
    with pytest.raises(ValueError, match="choose one of extractive, llm"):
        any_service.ask("盐湖", mode="poetry")
    with pytest.raises(ValueError, match="GONGBAO_LLM_BASE_URL"):
        any_service.ask("盐湖", mode="llm")
