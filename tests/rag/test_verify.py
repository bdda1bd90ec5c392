"""rag.verify on real clauses of the bundled corpus: sentence splitting, markers, figures, citation checks."""

from __future__ import annotations

import pytest

from index.models import Corpus
from rag.evidence import SentenceSplitter, sentences, split_sentences
from rag.lexicon import chinese_number
from rag.models import Hit
from rag.verify import (
    canonical_markers,
    citations_in,
    has_content,
    is_refusal,
    numbers_in,
    supporting_quote,
    verify_sentence,
)

DOC_NUMBER = "青政办〔2022〕30号"  # 青海省助企纾困和支持市场主体发展十条措施


def _clause(corpus: Corpus, heading: str) -> Hit:
    """A clause of the 助企纾困十条 as a retrieval hit."""
    docs = {d.doc_id: d for d in corpus.documents if d.doc_number == DOC_NUMBER and "十条措施" in d.title}
    for rank, chunk in enumerate(corpus.chunks, start=1):
        if chunk.doc_id in docs and any(heading in s for s in chunk.section):
            return Hit.of(chunk, docs[chunk.doc_id], rank, 1.0)
    raise LookupError(heading)


@pytest.fixture(scope="module")
def hits(corpus: Corpus) -> list[Hit]:
    """[1] 援企稳岗 (60% → 90%), [2] 降费让利 (80%, 2023年4月30日)."""
    return [_clause(corpus, "援企稳岗"), _clause(corpus, "降费让利")]


def _sentence_with(hit: Hit, figure: str) -> str:
    """The clause's own sentence carrying a figure."""
    return next(s for s in sentences(hit.text) if figure in s)


# Splitting


def test_split_keeps_trailing_markers_with_their_sentence() -> None:
    text = "比例提高至90%。[1] 期限一年！［2］还有吗？[1][2]\n没有标点的一行\n最后一句；"
    assert split_sentences(text) == [
        "比例提高至90%。[1]",
        " 期限一年！［2］",
        "还有吗？[1][2]\n",
        "没有标点的一行\n",
        "最后一句；",
    ]
    assert "".join(split_sentences(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "比例提高至90%。[1]期限1年。[2]",
        "第一句。\n\n- 第二句，含“引号”。”[12]\n第三句[3]",
        "没有句末标点[1]",
        "a。[1,2]b",
    ],
)
def test_streaming_char_by_char_gives_the_same_sentences(text: str) -> None:
    splitter = SentenceSplitter()
    streamed = [s for ch in text for s in splitter.feed(ch)] + splitter.flush()
    assert "".join(streamed) == text
    assert [s for s in streamed if s.strip()] == split_sentences(text)


def test_a_sentence_waits_for_its_marker() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("比例提高至90%。") == []  # a marker may follow
    assert splitter.feed("[") == []
    assert splitter.feed("1]") == []
    assert splitter.feed("延续") == ["比例提高至90%。[1]"]
    assert splitter.flush() == ["延续"]


# Markers and figures


def test_citations_and_canonical_markers() -> None:
    assert citations_in("甲[1]乙［3］丙[1,2]丁【4】") == [1, 3, 2, 4]
    assert citations_in("没有引用") == []
    assert canonical_markers("比例为90%。［1，2］") == "比例为90%。[1][2]"
    assert not has_content(" [1]\n") and not has_content("**") and has_content("是。[1]")


def test_numbers_normalised() -> None:
    assert numbers_in("比例从６０％提高至 90 %。[1]") == {"60%", "90%"}
    assert numbers_in("资金1,000万元，增长3.50倍，期限08个月") == {"1000", "3.5", "8"}
    assert numbers_in("1. 延续三年，共十条，二〇二二年") == {"3", "10", "2022"}  # the list enumerator is layout


def test_numbers_ignore_markers_ordinals_and_one() -> None:
    assert numbers_in("推进一体化，进一步落实第三条和第十条。[12]") == set()
    assert numbers_in("三四年内完成") == set()  # 「三四」 is "three or four", not a figure
    assert chinese_number("一百零五") == 105 and chinese_number("二十") == 20 and chinese_number("两") == 2


# Verification against real clauses


def test_verbatim_sentence_with_citation_passes(hits: list[Hit]) -> None:
    sentence = _sentence_with(hits[0], "90%")
    assert verify_sentence(f"{sentence}[1]", hits) is None
    assert verify_sentence("稳岗返还比例由６０％提高到９０％。[1]", hits) is None  # full-width figures match
    assert verify_sentence("阶段性降费政策执行至2023年4月30日。[2]", hits) is None


def test_sentence_without_citation_fails(hits: list[Hit]) -> None:
    reason = verify_sentence(_sentence_with(hits[0], "90%"), hits)
    assert reason is not None and "[n]" in reason


def test_citation_beyond_the_hits_fails(hits: list[Hit]) -> None:
    reason = verify_sentence(f"{_sentence_with(hits[0], '90%')}[9]", hits)
    assert reason is not None and "[9]" in reason


def test_figure_not_in_the_cited_clause_fails(hits: list[Hit]) -> None:
    invented = verify_sentence("稳岗返还比例提高至95%。[1]", hits)
    assert invented is not None and "95%" in invented
    wrong_clause = verify_sentence(f"{_sentence_with(hits[0], '90%')}[2]", hits)  # true figure, wrong clause
    assert wrong_clause is not None and "90%" in wrong_clause and "[2]" in wrong_clause
    assert verify_sentence(f"{_sentence_with(hits[0], '90%')}[1][2]", hits) is None  # one of the cited holds it


def test_percentage_must_stay_a_percentage(hits: list[Hit]) -> None:
    # 「1年」 is in clause [1]; 「1%」 is not.
    assert verify_sentence("参保不满1年的失业困难农民工纳入临时救助范围。[1]", hits) is None
    assert verify_sentence("参保不满1%的失业困难农民工纳入临时救助范围。[1]", hits) is not None


def test_title_and_doc_number_figures_count(hits: list[Hit]) -> None:
    assert verify_sentence("《助企纾困十条》（青政办〔2022〕30号）提出援企稳岗。[1]", hits) is None


def test_refusal() -> None:
    assert is_refusal("现有公报中未找到能回答这个问题的条款。")
    assert is_refusal("现有公报中未找到2024年的目标。", "2024年的目标是多少？")
    assert not is_refusal("现有公报中未找到，但比例为95%。", "比例是多少？")  # a refusal may not smuggle a figure
    assert not is_refusal("稳岗返还比例提高至90%。[1]")


def test_supporting_quote_is_verbatim(hits: list[Hit]) -> None:
    first, second = _sentence_with(hits[0], "90%"), _sentence_with(hits[0], "1年")
    quote = supporting_quote(hits[0].text, ["稳岗返还比例提高至90%。[1]"])
    assert quote == first
    span = supporting_quote(hits[0].text, [f"{first}[1]", f"{second}[1]"])
    assert span in hits[0].text and first in span and second in span
    assert supporting_quote(hits[0].text, ["完全无关的话。[1]"]) == hits[0].text
