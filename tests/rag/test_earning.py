"""Every clause cited after the first earns its citation (issue 12, citation precision): `rag.earning.earning`.

Hand-built clauses with invented wording; no index. Each case is checked against the rule switched off
(`earn_gain=0`), so a test fails if the rule stops deciding it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rag import compose as compose_module
from rag import earning as earning_module
from rag.answer import extractive_answer
from rag.config import AnswerConfig
from rag.direct import Direct
from rag.earning import QuotesCheck, _still_answering, adding_quotes, earned_quotes, earning
from rag.evidence import Clause, read_clauses
from rag.question import Question
from rag.refusal import unquoted_reason
from rag.units import Picked
from tests.helpers import make_hit

ON = AnswerConfig()
OFF = AnswerConfig(earn_gain=0.0)
FIGURE_Q = "到2030年全省乡镇污水处理厂覆盖率要达到多少？"


def _cited(question: str, clauses: list[Clause], cfg: AnswerConfig = ON) -> list[int]:
    """The clauses (hit indexes) still cited once `earning` has judged the quotes: each clause's text quoted whole."""
    chosen = [Picked(i, c.text, 1.0) for i, c in enumerate(clauses)]
    return sorted({p.hit_index for p in earning(Question.read(question), chosen, clauses, cfg)})


def test_a_sentence_restating_the_subject_without_a_value_earns_no_citation() -> None:
    clauses = read_clauses(
        [
            make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=1),
            make_hit("加快推进乡镇污水处理厂建设，完善配套管网。", ["二、重点任务"], rank=2, line=3),
        ]
    )
    assert _cited(FIGURE_Q, clauses) == [0]
    assert _cited(FIGURE_Q, clauses, OFF) == [0, 1]


def test_a_further_value_of_the_same_document_still_earns() -> None:
    clauses = read_clauses(
        [
            make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=1),
            make_hit("到2030年，县城污水处理厂覆盖率达到95%。", ["一、发展目标"], rank=2, line=3),
        ]
    )
    # a value the lead does not state may be the rest of the answer (another level, a second year): it is kept
    assert _cited(FIGURE_Q, clauses) == [0, 1]


def test_another_documents_restatement_earns_no_citation() -> None:
    clauses = read_clauses(
        [
            make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=1),
            make_hit(
                "确保乡镇污水处理厂覆盖率达到100%。；牵头单位：各市州政府",
                ["重点工程"],
                doc_title="青海省另一行动台账",
                doc_number="青政办〔2022〕9号",
                kind="table_row",
                rank=2,
            ),
        ]
    )
    assert _cited(FIGURE_Q, clauses) == [0]
    assert _cited(FIGURE_Q, clauses, OFF) == [0, 1]


def test_a_comparison_keeps_each_documents_first_clause() -> None:
    question = "测试实施方案和另一行动台账的乡镇污水处理厂覆盖率目标一致吗？"
    clauses = read_clauses(
        [
            make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=1),
            make_hit(
                "乡镇污水处理厂覆盖率达到85%。",
                ["重点工程"],
                doc_title="青海省另一行动台账",
                doc_number="青政办〔2022〕9号",
                rank=2,
            ),
        ]
    )
    # the same value in the other document answers that side; it states nothing new, yet it is cited
    assert _cited(question, clauses) == [0, 1]
    assert _cited(FIGURE_Q, clauses) == [0]  # asked of one document, the restatement goes


def test_new_distinguishing_words_earn_a_citation() -> None:
    clauses = read_clauses(
        [
            make_hit("到2030年，覆盖率达到85%。", ["一、发展目标"], rank=1),
            make_hit("全省乡镇污水处理厂建设纳入重点工程。", ["二、重点任务"], rank=2, line=3),
        ]
    )
    # the lead states the figure without saying of what; the clause naming the plants asked about is kept
    assert _cited(FIGURE_Q, clauses) == [0, 1]
    assert _cited(FIGURE_Q, clauses, AnswerConfig(earn_gain=0.9)) == [0]


def test_a_clause_answering_a_part_earns_a_citation() -> None:
    clauses = read_clauses(
        [
            make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=1),
            make_hit("乡镇污水处理厂运营要做到稳定达标排放，定期公开运行数据。", ["三、运营管理"], rank=2, line=3),
        ]
    )
    question = "到2030年乡镇污水处理厂覆盖率要达到多少？运营有什么要求？"
    # the second clause answers the part the lead leaves open (how the plants are run) with no figure, whatever
    # words it adds
    assert _cited(question, clauses) == [0, 1]
    assert _cited(question, clauses, AnswerConfig(earn_gain=10.0)) == [0, 1]


def test_a_clause_whose_drop_would_leave_the_answer_unanswered_stays() -> None:
    question = Question.read(FIGURE_Q)
    clauses = read_clauses(
        [
            make_hit("加快推进全省乡镇污水处理厂建设。", ["一、发展目标"], rank=1),
            make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=2, line=3),
        ]
    )
    chosen = [Picked(i, c.text, 1.0) for i, c in enumerate(clauses)]
    lead_only = chosen[:1]  # as if the second clause had not earned its citation
    assert unquoted_reason(question, clauses, [(0, clauses[0].text)]) is not None  # the lead states no figure
    assert _still_answering(question, clauses, chosen, lead_only, ON) == chosen
    # quotes that answer as they are earned stay earned
    assert _still_answering(question, clauses, chosen, chosen[1:], ON) == chosen[1:]


_RESTATED = [
    make_hit("到2030年，全省乡镇污水处理厂覆盖率达到85%。", ["一、发展目标"], rank=1),
    make_hit("加快推进乡镇污水处理厂建设，完善配套管网。", ["二、重点任务"], rank=2, line=3),
]  # the figure asked, then a clause restating the subject without it


def _checks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, str], ...]]:
    """The quotes `unquoted_reason` is asked about from now on (through `rag.earning`), in order."""
    asked: list[tuple[tuple[int, str], ...]] = []

    def counted(q: Question, c: list[Clause], quoted: tuple[tuple[int, str], ...], cfg: AnswerConfig) -> str | None:
        asked.append(quoted)
        return unquoted_reason(q, c, quoted, cfg)

    monkeypatch.setattr(earning_module, "unquoted_reason", counted)
    return asked


def test_the_quotes_kept_are_checked_once_by_trimming_and_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    question = Question.read(FIGURE_Q)
    clauses = read_clauses(_RESTATED)
    asked = _checks(monkeypatch)
    check = QuotesCheck(question, clauses, ON)
    chosen = [Picked(i, c.text, 1.0) for i, c in enumerate(clauses)]
    kept = earned_quotes(question, clauses, chosen, ON, check=check)
    assert kept == chosen[:1]  # the restatement is trimmed: the figure's clause still answers
    assert check.of(kept, None) is None  # the answer's own check of what it ends with
    assert asked == [((0, clauses[0].text),)]  # ... was the one trimming made


def test_an_answer_checks_each_set_of_its_quotes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _checks(monkeypatch)

    def trimming(*args: Any, **kwargs: Any) -> list[Picked]:
        """`earned_quotes`, checking the quotes it keeps as it does when it trims a citation."""
        kept = earned_quotes(*args, **kwargs)
        check = kwargs.get("check", args[6] if len(args) > 6 else None)
        direct = kwargs.get("direct", args[5] if len(args) > 5 else None)
        assert check is not None
        check.of(kept, direct)
        return kept

    monkeypatch.setattr(compose_module, "earned_quotes", trimming)
    assert extractive_answer(FIGURE_Q, _RESTATED).answerable
    assert asked and len(asked) == len(set(asked))  # the answer's check of its quotes was the one composing made


def test_a_check_made_for_other_clauses_is_not_reused() -> None:
    question = Question.read(FIGURE_Q)
    clauses = read_clauses(_RESTATED)
    mine = QuotesCheck(question, clauses, ON)
    assert mine.fits(question, read_clauses(_RESTATED), ON)  # the same clauses read again
    assert not mine.fits(question, clauses[:1], ON)  # its reasons would answer for quotes of clauses it never read
    assert not mine.fits(question, clauses, dataclasses.replace(ON, depth=ON.depth + 1))
    assert not mine.fits(Question.read(FIGURE_Q), clauses, ON)  # a question read again may be of another form


DRILL_Q = "各县每年至少开展几次森林防火演练？"
DRILL = "各县每年至少开展2次森林防火演练。"


def _adding(question: str, texts: list[str], cfg: AnswerConfig = ON) -> list[str]:
    """The quotes `adding_quotes` keeps of each text quoted whole (one clause each) under an opening of the first."""
    clauses = read_clauses([make_hit(t, ["三、保障措施"], rank=i + 1, line=i + 1) for i, t in enumerate(texts)])
    direct = Direct(0, texts[0], texts[0].rstrip("。"), 1.0)
    chosen = [Picked(i, t, 1.0 - i / 10) for i, t in enumerate(texts)]
    return [p.quote for p in adding_quotes(Question.read(question), clauses, direct, chosen, cfg)]


def test_a_quote_restating_the_openings_figure_in_other_words_goes() -> None:
    restating = "各县每年开展森林防火演练不少于2次。"
    assert _adding(DRILL_Q, [DRILL, restating]) == [DRILL]
    assert _adding(DRILL_Q, [DRILL, restating], dataclasses.replace(ON, adding_only=False)) == [DRILL, restating]


def test_a_quote_stating_a_figure_not_stated_yet_stays() -> None:
    further = "各县每年开展森林防火演练不少于2次，其中实战演练不少于1次。"
    assert _adding(DRILL_Q, [DRILL, further]) == [DRILL, further]


def test_a_quote_holding_question_words_no_earlier_quote_holds_stays() -> None:
    question = "各县每年至少开展几次森林防火实战演练？"
    further = "其中实战演练2次。"  # the same figure, of what the question names and the opening's quote does not
    assert _adding(question, [DRILL, further]) == [DRILL, further]
