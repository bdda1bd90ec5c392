"""The LLM answer mode against a fake OpenAI-compatible endpoint (real uvicorn, real LangChain client, real index).

Each fake behaviour is run through `LLMAnswerer.stream` and through the service (`ask(..., mode="llm")`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from datetime import date

import pytest
from langchain_openai import ChatOpenAI

import rag
from rag.answer import extractive_answer
from rag.evidence import split_sentences
from rag.llm import LLMAnswerer, build_messages
from rag.models import Answer, Hit
from rag.service import ANSWER_K
from rag.settings import Settings
from rag.verify import citations_in, numbers_in, strip_markers
from tests.conftest import LLM_TIMEOUT, SLOW_SECONDS, FakeLLM
from tests.fake_openai import answer_for, unused_port_url

QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"
IN_FORCE = date(2022, 6, 1)  # the measures QUESTION is answered from were in force (有效期至2022年12月31日)
EXPIRED = date(2026, 1, 1)


def _settings(service: rag.Gongbao, base_url: str, model: str) -> Settings:
    update = {"llm_base_url": f"{base_url}/v1", "llm_model": model, "llm_timeout": LLM_TIMEOUT}
    return service.settings.model_copy(update=update)


def _llm_service(service: rag.Gongbao, fake: FakeLLM, model: str) -> rag.Gongbao:
    return dataclasses.replace(service, settings=_settings(service, fake.url, model))


def _run(
    service: rag.Gongbao, base_url: str, model: str, question: str = QUESTION
) -> tuple[list[str], Answer, list[Hit], Answer]:
    """Stream an answer through LLMAnswerer directly: (pieces, final answer, hits, the extractive fallback)."""
    started = time.perf_counter()
    hits = service.search(question, k=ANSWER_K)
    fallback = extractive_answer(question, hits, started)
    events = list(LLMAnswerer(_settings(service, base_url, model)).stream(question, hits, None, fallback, started))
    *pieces, answer = events
    assert isinstance(answer, Answer) and all(isinstance(p, str) for p in pieces)
    assert "".join(str(p) for p in pieces) == answer.text
    return [str(p) for p in pieces], answer, hits, fallback


def _assert_verified(service: rag.Gongbao, answer: Answer, hits: Sequence[Hit]) -> None:
    """Every [n] in the text has a citation of hit n whose quote is verbatim in that clause and holds the figures."""
    by_n = {c.n: c for c in answer.citations}
    assert set(citations_in(answer.text)) == set(by_n)
    for sentence in split_sentences(answer.text):
        cited = citations_in(sentence)
        assert cited, sentence
        quoted = "".join(by_n[n].quote for n in cited)
        assert numbers_in(sentence) <= numbers_in(quoted), sentence
    for n, citation in by_n.items():
        assert citation.chunk_id == hits[n - 1].chunk_id
        chunk = service.chunk(citation.chunk_id)
        assert chunk is not None and citation.quote in chunk.text


def _assert_fallback(answer: Answer, fallback: Answer, *note_parts: str) -> None:
    assert answer.mode == "extractive"
    assert answer.text == fallback.text and answer.citations == fallback.citations
    assert answer.notes and "摘录式" in answer.notes[-1]
    for part in note_parts:
        assert any(part in note for note in answer.notes), (part, answer.notes)


def _invented(hits: Sequence[Hit]) -> set[str]:
    """The figures the fake invents for this prompt: in its `invent-number` reply but in none of the clauses."""
    reply = answer_for("invent-number", build_messages(QUESTION, hits)[-1].text)
    return numbers_in(reply) - numbers_in("\n".join(h.text for h in hits))


# Through LLMAnswerer.stream


def test_good_answer_is_cited_and_verbatim(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    pieces, answer, hits, _ = _run(service, fake_llm.url, "good")
    assert answer.mode == "llm" and answer.answerable and not answer.notes
    assert pieces and citations_in(answer.text) == [1]
    _assert_verified(service, answer, hits)
    # The fake quoted the first figure-bearing sentence of clause [1]; the citation quotes exactly that sentence.
    assert strip_markers(answer.text) == answer.citations[0].quote
    assert "90%" in answer.text  # the clause the question is about


def test_prompt_carries_numbered_clauses_and_question(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    _, _, hits, _ = _run(service, fake_llm.url, "good")
    request = fake_llm.requests[-1]
    assert request["stream"] is True and request["model"] == "good"
    prompt = request["messages"][-1]["content"]
    assert QUESTION in prompt and "[1]" in request["messages"][0]["content"]  # the rule to cite
    for n, hit in enumerate(hits, start=1):
        block = prompt.split(f"[{n}] 文档：", 1)[1]
        assert block.startswith(f"《{hit.doc_title}》") and f"文号：{hit.doc_number}" in block
        assert hit.text in block and (not hit.section or hit.section[-1] in block)


def test_invented_number_falls_back(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    pieces, answer, hits, fallback = _run(service, fake_llm.url, "invent-number")
    invented = _invented(hits)
    assert invented  # the fake did invent a figure …
    assert not any(figure in "".join(pieces) for figure in invented)  # … and the user never saw it
    _assert_fallback(answer, fallback, *invented)


def test_mixed_keeps_the_good_sentence_only(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    pieces, answer, hits, _ = _run(service, fake_llm.url, "mixed")
    assert answer.mode == "llm" and answer.answerable
    assert pieces and not any(figure in "".join(pieces) for figure in _invented(hits))
    assert len(split_sentences(answer.text)) == 1 and "90%" in answer.text
    _assert_verified(service, answer, hits)
    assert len(answer.notes) == 1 and "已删除" in answer.notes[0] and "不在所引条款[1]" in answer.notes[0]


def test_wrong_citations_are_removed(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    _, answer, hits, fallback = _run(service, fake_llm.url, "wrong-citation")
    _assert_fallback(answer, fallback, f"[{len(hits) + 1}]", "不存在", "不在所引条款")


def test_sentence_without_citation_is_removed(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    _, answer, _, fallback = _run(service, fake_llm.url, "no-citation")
    _assert_fallback(answer, fallback, "没有标注引用")


def test_refusal(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    pieces, answer, hits, _ = _run(service, fake_llm.url, "refuse")
    assert pieces  # the refusal is streamed like any answer
    assert answer.mode == "llm" and not answer.answerable
    assert answer.text.startswith("现有公报中未找到") and not answer.citations and not citations_in(answer.text)
    assert answer.see_also and {c.chunk_id for c in answer.see_also} <= {h.chunk_id for h in hits}


@pytest.mark.parametrize(("model", "note"), [("fail", "HTTP 500"), ("malformed", "无法解析"), ("slow", "超时")])
def test_endpoint_problems_fall_back(service: rag.Gongbao, fake_llm: FakeLLM, model: str, note: str) -> None:
    started = time.perf_counter()
    _, answer, _, fallback = _run(service, fake_llm.url, model)
    assert time.perf_counter() - started < SLOW_SECONDS  # the timeout, not the endpoint, decides
    _assert_fallback(answer, fallback, note)


def test_connection_refused_falls_back(service: rag.Gongbao) -> None:
    _, answer, _, fallback = _run(service, unused_port_url(), "good")
    _assert_fallback(answer, fallback, "无法连接")


def test_stall_after_a_verified_sentence_keeps_it(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    started = time.perf_counter()
    pieces, answer, hits, _ = _run(service, fake_llm.url, "stall")
    assert time.perf_counter() - started < SLOW_SECONDS
    assert answer.mode == "llm" and answer.answerable and pieces
    _assert_verified(service, answer, hits)
    assert any("超时" in note and "中断" in note for note in answer.notes)


def test_streaming_yields_each_verified_sentence(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    pieces, answer, hits, _ = _run(service, fake_llm.url, "thorough")
    assert len(pieces) >= 3 and "".join(pieces) == answer.text
    for piece in pieces:  # one whole, cited sentence per piece (a line break may lead it)
        assert split_sentences(piece) == [piece.lstrip("\n")] and citations_in(piece)
    assert set(citations_in(answer.text)) == {1, 2}
    _assert_verified(service, answer, hits)


# Through the service


@pytest.mark.parametrize(
    ("model", "mode", "answerable"),
    [
        ("good", "llm", True),
        ("mixed", "llm", True),
        ("invent-number", "extractive", True),
        ("wrong-citation", "extractive", True),
        ("no-citation", "extractive", True),
        ("refuse", "llm", False),
        ("fail", "extractive", True),
        ("slow", "extractive", True),
    ],
)
def test_service_llm_mode(service: rag.Gongbao, fake_llm: FakeLLM, model: str, mode: str, answerable: bool) -> None:
    """Verification of the model's text, on a day the measures were in force (no status note: see the next test)."""
    llm_service = _llm_service(service, fake_llm, model)
    answer = llm_service.ask(QUESTION, mode="llm", as_of=IN_FORCE)
    assert answer.mode == mode and answer.answerable is answerable
    if mode == "llm" and answerable:
        _assert_verified(service, answer, service.search(QUESTION, k=ANSWER_K))
    else:
        assert not citations_in(answer.text) or mode == "extractive"
    assert (mode == "extractive") == bool(answer.notes and "摘录式" in answer.notes[-1])
    pieces = list(llm_service.stream(QUESTION, mode="llm", as_of=IN_FORCE))
    assert "".join(str(p) for p in pieces[:-1]) == answer.text


def test_service_llm_mode_streams_the_status_note_after_the_verified_text(
    service: rag.Gongbao, fake_llm: FakeLLM
) -> None:
    """The measures expired on 2022-12-31: after the model's verified sentences comes the status note (composed from
    the validity statements, not by the model), streamed as a last piece, citing the sentence that sets the expiry."""
    llm_service = _llm_service(service, fake_llm, "good")
    verified = llm_service.ask(QUESTION, mode="llm", as_of=IN_FORCE)
    pieces = list(llm_service.stream(QUESTION, mode="llm", as_of=EXPIRED))
    answer = pieces[-1]
    assert isinstance(answer, Answer) and answer.mode == "llm"
    assert "".join(str(p) for p in pieces[:-1]) == answer.text
    note = [c for c in answer.citations if c.status_note]
    assert len(note) == 1 and "有效期至2022年12月31日" in note[0].quote
    assert (
        answer.text
        == verified.text + f"\n注意：青政办〔2022〕30号有效期至2022年12月31日，截至2026年1月1日已失效[{note[0].n}]"
    )
    assert str(pieces[-2]).startswith("\n注意：")


def test_service_passes_history_to_the_model(service: rag.Gongbao, fake_llm: FakeLLM) -> None:
    history = [
        {"role": "user", "content": "助企纾困十条有哪些措施？"},
        {"role": "assistant", "content": "一、援企稳岗。[1]"},
    ]
    _llm_service(service, fake_llm, "good").ask("稳岗返还比例呢？", history=history, mode="llm")
    sent = fake_llm.requests[-1]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[1]["content"] == history[0]["content"]
    assert sent[2]["content"] == "一、援企稳岗。"  # old [n] numbered other clauses


def test_fake_endpoint_answers_without_streaming_too(fake_llm: FakeLLM) -> None:
    """The fake speaks both protocols: a plain completion equals the streamed one."""
    prompt = (
        "以下是检索到的公报条款：\n\n[1] 文档：《甲》\n文号：无\n位置：正文\n内容：第一句。比例为90%。\n\n问题：比例？"
    )
    chat = ChatOpenAI(base_url=f"{fake_llm.url}/v1", api_key="x", model="good", max_retries=0)
    plain = chat.invoke(prompt).text
    streamed = "".join(chunk.text for chunk in chat.stream(prompt))
    assert plain == streamed == "比例为90%。[1]"
