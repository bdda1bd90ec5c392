"""Validity in search and answers (issue #15): statuses on hits and citations, status notes, validity questions,
`in_force_only`, related clauses. On the real corpus (its one expired document, 助企纾困十条, 有效期至2022年12月31日)
and, for what the corpus has no example of (a repeal inside the corpus, 「依照本办法第一条」), on made-up gazettes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

import rag
from index.models import Corpus
from index.store import build_index, load_index
from rag.config import DEFAULT
from rag.models import Answer, Citation, Hit
from rag.question import Question, validity_ask
from rag.retriever import Retriever
from rag.settings import Settings
from rag.status import in_force_documents, related_of, stamp, validity_at
from rag.status_note import with_status_notes
from rag.validity_answer import validity_answer
from tests.conftest import use_embedder
from tests.helpers import banfa_corpus

QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"
MEASURES = "2022-09-5435ac"  # 青海省助企纾困和支持市场主体发展十条措施: 有效期至2022年12月31日
XIZE = "2021-23-adea90"  # 反拐实施细则: 「本细则自印发之日起施行」, signed 2021-11-19
TODAY_LIKE = date(2026, 1, 1)
WHILE_IN_FORCE = date(2022, 6, 1)


# ---------- statuses on hits, in_force_only ----------


def test_search_hits_carry_their_documents_status_on_the_day(service: rag.Gongbao) -> None:
    hits = service.search("稳岗返还比例", k=5, as_of=TODAY_LIKE)
    measures = [h for h in hits if h.doc_id == MEASURES]
    assert measures, [h.doc_id for h in hits]
    assert all(
        (h.status, h.effective_from, h.expires_on) == ("expired", date(2022, 5, 15), date(2022, 12, 31))
        for h in measures
    )
    assert all(h.status is not None for h in hits)  # every hit is stamped (unknown included)
    then = service.search("稳岗返还比例", k=5, as_of=WHILE_IN_FORCE)
    assert {h.status for h in then if h.doc_id == MEASURES} == {"in_force"}
    before = service.search("稳岗返还比例", k=5, as_of=date(2022, 5, 1))
    assert {h.status for h in before if h.doc_id == MEASURES} == {"not_yet_in_force"}


def test_a_hit_is_stamped_from_the_document_it_names(service: rag.Gongbao, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hit carries its doc_id: stamping it looks no chunk up in the store, and gives its document's standing."""
    hits = service.retriever.search("稳岗返还比例", k=5)
    expected = [validity_at(service.corpus, h.chunk_id, TODAY_LIKE) for h in hits]

    def by_chunk(*args: object) -> None:
        raise AssertionError("a hit's document looked up by its chunk")

    monkeypatch.setattr(type(service.corpus), "document_of_chunk", by_chunk)
    stamped = stamp(service.corpus, hits, TODAY_LIKE)
    assert [(s.status, s.expires_on) for s in stamped] == [(v.status, v.expires_on) for v in expected if v]
    assert any(s.status == "expired" for s in stamped) and len(stamped) == 5


def test_in_force_only_leaves_out_documents_no_longer_in_force(service: rag.Gongbao) -> None:
    assert MEASURES not in in_force_documents(service.corpus, TODAY_LIKE)
    assert MEASURES in in_force_documents(service.corpus, WHILE_IN_FORCE)
    assert "2022-09-156a25" in in_force_documents(service.corpus, TODAY_LIKE)  # its notice: unknown stays
    gone = service.search("稳岗返还比例", k=10, as_of=TODAY_LIKE, in_force_only=True)
    assert gone and all(h.doc_id != MEASURES for h in gone)
    kept = service.search("稳岗返还比例", k=10, as_of=WHILE_IN_FORCE, in_force_only=True)
    assert any(h.doc_id == MEASURES for h in kept)
    answer = service.ask(QUESTION, as_of=TODAY_LIKE, in_force_only=True)
    assert all(c.status not in {"expired", "repealed", "not_yet_in_force"} for c in answer.citations)
    assert "60%提高至90%" not in answer.text


# ---------- status notes ----------


def test_an_answer_resting_on_an_expired_document_says_so_citing_the_expiry(service: rag.Gongbao) -> None:
    answer = service.ask(QUESTION, as_of=TODAY_LIKE)
    assert "90%" in answer.text
    note = [c for c in answer.citations if c.status_note]
    assert len(note) == 1 and "有效期至2022年12月31日" in note[0].quote
    assert note[0].section == ["十、优化服务"]
    # the note names the document by its 文号 and leaves the sentence to its citation
    note_line = f"注意：青政办〔2022〕30号有效期至2022年12月31日，截至2026年1月1日已失效[{note[0].n}]"
    assert answer.text.endswith("\n" + note_line)
    # asked without a day (today): the note neither dates the status nor says since when (its citation quotes that)
    today = service.ask(QUESTION)
    assert re.fullmatch(r"注意：青政办〔2022〕30号已失效\[\d+\]", today.text.split("\n")[-1])
    assert all(c.status == "expired" and c.expires_on == date(2022, 12, 31) for c in answer.citations)
    # On a day it was in force, no note and no extra citation.
    then = service.ask(QUESTION, as_of=WHILE_IN_FORCE)
    assert "已失效" not in then.text and not any(c.status_note for c in then.citations)
    assert {c.status for c in then.citations} == {"in_force"}
    # Before it took effect: 尚未施行, citing the sentence that says when it starts.
    before = service.ask(QUESTION, as_of=date(2022, 5, 1))
    assert "自2022年5月15日起施行，截至2022年5月1日尚未施行" in before.text


def test_a_note_asked_of_no_day_leaves_since_when_to_its_citation() -> None:
    """Today's note says that the document was repealed and by which; the day it was is in the quote of the note's
    citation (「…同时废止」), not said again in the answer's text. A request giving the day keeps it (above)."""
    corpus = banfa_corpus()
    old = next(d for d in corpus.documents if d.title == "青海省人民政府办公厅关于印发旧资金管理办法的通知")
    chunk = next(c for c in corpus.chunks if c.doc_id == old.doc_id)
    cited = Citation.from_hit(1, Hit.of(chunk, old, 1, 1.0), chunk.text[:10])
    answer = Answer(text=f"{chunk.text[:10]}[1]", answerable=True, citations=[cited])
    noted = with_status_notes(corpus, answer)
    assert noted.text.endswith(f"\n注意：{old.doc_number}已被青政办〔2024〕5号废止[2]")
    assert "同时废止" in noted.citations[-1].quote and noted.citations[-1].status_note
    since = with_status_notes(corpus, answer, cfg=replace(DEFAULT, note_since=True))
    assert since.text.endswith(f"\n注意：{old.doc_number}已自2024年4月1日起被青政办〔2024〕5号废止[2]")


def test_a_citation_lookup_of_an_expired_document_carries_the_note(service: rag.Gongbao) -> None:
    answer = service.ask("青政办〔2022〕30号十条措施第一条", as_of=TODAY_LIKE)
    assert answer.mode == "lookup"
    assert "已失效" in answer.text and any(c.status_note for c in answer.citations)


def test_a_repeal_inside_the_corpus_is_noted_citing_the_repealing_clause() -> None:
    corpus = banfa_corpus()
    by_title = {d.title: d for d in corpus.documents}
    old = by_title["青海省人民政府办公厅关于印发旧资金管理办法的通知"]
    chunk = next(c for c in corpus.chunks if c.doc_id == old.doc_id)
    cited = Citation.from_hit(1, Hit.of(chunk, old, 1, 1.0), chunk.text[:10])
    answer = Answer(text=f"{chunk.text[:10]}[1]", answerable=True, citations=[cited])
    noted = with_status_notes(corpus, answer, TODAY_LIKE)
    repeal = noted.citations[-1]
    assert repeal.n == 2 and repeal.status_note and "同时废止" in repeal.quote
    assert noted.text.endswith(f"注意：{old.doc_number}已自2024年4月1日起被青政办〔2024〕5号废止[2]")
    # Before the repeal took effect: nothing to say. A refusal is never noted.
    assert with_status_notes(corpus, answer, date(2024, 3, 1)) == answer
    refused = answer.model_copy(update={"answerable": False})
    assert with_status_notes(corpus, refused, TODAY_LIKE) == refused
    # The repealing clause cited already for its other sentence: the note still gets the repeal quoted.
    new = by_title["测试资金管理办法"]
    clause = next(c for c in corpus.chunks if c.doc_id == new.doc_id and "同时废止" in c.text)
    start = Citation.from_hit(2, Hit.of(clause, new, 2, 1.0), "本办法自2024年4月1日起施行，有效期3年。")
    both = Answer(text=f"{chunk.text[:10]}[1]\n有效期3年[2]", answerable=True, citations=[cited, start])
    noted = with_status_notes(corpus, both, TODAY_LIKE)
    assert [(c.n, c.chunk_id, c.status_note) for c in noted.citations[1:]] == [
        (2, clause.chunk_id, False),
        (3, clause.chunk_id, True),
    ]
    assert "同时废止" in noted.citations[2].quote and noted.text.endswith("废止[3]")
    stamped = stamp(corpus, [cited], TODAY_LIKE)[0]
    assert (stamped.status, stamped.repealed_by) == ("repealed", by_title["测试资金管理办法"].doc_id)


# ---------- validity questions ----------


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("青政办〔2022〕30号还有效吗？", "in_force"),
        ("反拐实施细则是否有效", "in_force"),
        ("青政办〔2015〕198号已经废止了吗？", "in_force"),
        ("反拐实施细则什么时候起施行？", "effective"),
        ("十条措施有效期到什么时候？", "expiry"),
        ("重污染天气应急预案废止了哪个文件？", "repeals"),
        ("建立荒漠化防治协调机制后，哪个原有文件同时废止？", "repeals"),
        # as a reader asks it: 作废 / 废除 / 废了, the old document named before or after the asking word
        ("示例管理办法出台后，以前哪个文件作废了？", "repeals"),
        ("新预案印发以后，旧预案哪个文废了？", "repeals"),
        ("这份通知公布后哪些老规定被废除了", "repeals"),
        ("哪些废弃物要分类处理？", None),
        ("2022年助企纾困十条里稳岗返还比例提高到多少？", None),
        ("被废止的2015年版重污染天气应急预案规定的红色预警标准是什么？", None),
        ("反拐行动计划的实施情况什么时候做终期评估？", None),
    ],
)
def test_validity_question_forms(question: str, ask: str | None) -> None:
    assert validity_ask(question) == ask
    assert Question.read(question).asks_validity == ask


def test_validity_questions_are_answered_from_the_statements(service: rag.Gongbao) -> None:
    expired = service.ask("青政办〔2022〕30号还有效吗？", as_of=TODAY_LIKE)
    assert (expired.mode, expired.answerable) == ("validity", True)
    assert "已失效，有效期至2022年12月31日" in expired.text
    assert [c.doc_number for c in expired.citations] == ["青政办〔2022〕30号"]
    assert "有效期至2022年12月31日" in expired.citations[0].quote
    # The same on a day it was in force: the date decides.
    assert "仍然有效" in service.ask("助企纾困十条还有效吗", as_of=WHILE_IN_FORCE).text

    started = service.ask("反拐实施细则什么时候施行？")
    assert started.answerable and "自印发之日（2021年11月19日）起施行" in started.text
    assert "本细则自印发之日起施行" in started.citations[0].quote

    in_force = service.ask("青海省贯彻落实反对拐卖人口行动计划实施细则还有效吗？", as_of=TODAY_LIKE)
    assert "仍然有效" in in_force.text and "文中没有规定有效期" in in_force.text

    until = service.ask("十条措施有效期到什么时候？", as_of=TODAY_LIKE)
    assert until.short_answer and "2022年12月31日" in until.short_answer

    repeals = service.ask("《青海省37个部门权责清单通用目录》公布后废止了哪个文件？")
    assert "青政〔2015〕54号" in repeals.text and "即行废止" in repeals.citations[0].quote
    assert "（该文件不在现有公报中）" in repeals.text

    # asked in a reader's words, the document dated by its version (「2021年新版」 is no word of its title)
    colloquial = service.ask("2021年新版重污染天气应急预案印发以后，哪个老文件作废了？")
    assert (colloquial.mode, colloquial.answerable) == ("validity", True)
    assert "青政办〔2015〕198号" in colloquial.text and "同时废止" in colloquial.citations[0].quote

    outside = service.ask("青政办〔2015〕198号还有效吗？")
    assert outside.answerable and "现有公报未收录青政办〔2015〕198号" in outside.text
    assert outside.citations[0].doc_number == "青政办函〔2020〕138号"


def test_what_the_text_does_not_state_stays_unknown(service: rag.Gongbao) -> None:
    """The 盐湖 action plan names a period (2021—2035年) but states no effective date or term: never guessed."""
    questions = ("盐湖产业基地行动方案还有效吗？", "盐湖产业基地行动方案什么时候施行？", "青政〔2021〕54号有效期多久")
    for question in questions:
        answer = service.ask(question, as_of=TODAY_LIKE)
        assert (answer.mode, answer.answerable, answer.citations) == ("validity", False, []), answer.text
        assert "文本没有" in answer.text
        assert "2035" not in answer.text.replace("2021—2035", "")  # the title's period is no expiry
    no_expiry = service.ask("反拐实施细则有效期到什么时候", as_of=TODAY_LIKE)
    assert not no_expiry.answerable and "没有规定它的有效期" in no_expiry.text
    no_repeal = service.ask("反拐实施细则废止了哪个文件", as_of=TODAY_LIKE)
    assert not no_repeal.answerable and "没有写明它废止了哪个文件" in no_repeal.text


def test_a_question_naming_no_document_is_not_a_validity_answer(service: rag.Gongbao) -> None:
    question = Question.read("这个文件还有效吗？")
    assert question.asks_validity == "in_force"
    assert validity_answer(service.corpus, question, TODAY_LIKE) is None


# ---------- related clauses ----------


@pytest.fixture(scope="module")
def banfa_service(tmp_path_factory: pytest.TempPathFactory) -> rag.Gongbao:
    """A service over the made-up 办法 whose 第二条 says 「依照本办法第一条的规定执行」."""
    corpus: Corpus = banfa_corpus()
    folder = tmp_path_factory.mktemp("banfa")
    index_dir = folder / "index"
    manifest = build_index(corpus, use_embedder(), index_dir, progress=False)
    store = load_index(index_dir, use_embedder(), corpus=corpus)
    settings = Settings(corpus_dir=folder / "corpus", index_dir=index_dir)
    return rag.Gongbao(corpus=corpus, settings=settings, retriever=Retriever(store, use_embedder()), manifest=manifest)


def test_a_clause_citing_another_brings_it_into_the_context(banfa_service: rag.Gongbao) -> None:
    corpus = banfa_service.corpus
    first = next(c for c in corpus.chunks if c.section[-1:] == ["第一条"])
    second = next(c for c in corpus.chunks if c.section[-1:] == ["第二条"] and "本办法第一条" in c.text)
    assert related_of(corpus, second.chunk_id) == [first.chunk_id]
    assert related_of(corpus, first.chunk_id) == []
    hits = banfa_service.search("资金按月拨付", k=1)
    assert [h.chunk_id for h in hits] == [second.chunk_id] and hits[0].related == [first.chunk_id]
    context = banfa_service.with_related(hits, 1)
    assert [h.chunk_id for h in context] == [second.chunk_id, first.chunk_id]
    answer = banfa_service.ask("资金按月拨付吗", k=1)
    cited = next(c for c in answer.citations if c.chunk_id == second.chunk_id)
    assert cited.related == [first.chunk_id]


def test_every_document_whose_family_states_nothing_is_answered_unknown(corpus: Corpus) -> None:
    """For each document of the real corpus whose notice and plans state nothing, 「《title》还有效吗」 and
    「…什么时候施行」 are answered 「未找到…没有写明」 without a citation or a date the title does not hold."""
    from index.validity import validities

    status = validities(corpus, TODAY_LIKE)
    families: dict[str, list[str]] = {}
    for d in corpus.documents:
        families.setdefault(d.parent_id or d.doc_id, []).append(d.doc_id)
    silent = [
        d for d in corpus.documents if all(status[x].status == "unknown" for x in families[d.parent_id or d.doc_id])
    ]
    assert len(silent) >= 40
    checked = 0
    for doc in silent:
        for ask in ("还有效吗？", "什么时候施行？"):
            answer = validity_answer(corpus, Question.read(f"《{doc.title}》{ask}"), TODAY_LIKE)
            if answer is None:  # a title the lookup resolves to another document is not this test's concern
                continue
            checked += 1
            assert not answer.answerable and answer.citations == [] and "没有写明" in answer.text, doc.title
            # the names of the documents so titled (two issues print a 「职务任免通知」 each) hold the only digits
            names = "".join(d.title + (d.doc_number or "") for d in corpus.documents if d.title == doc.title)
            digits = set(re.findall(r"\d+", answer.text)) - set(re.findall(r"\d+", names))
            assert not digits, (doc.title, answer.text)
    assert checked >= len(silent)  # every one was resolved and answered


def test_a_term_without_a_stated_start_is_answered_from_the_signing_date() -> None:
    from tests.helpers import corpus_of, made_up_gazette, made_up_notice

    text = made_up_gazette(
        6,
        "2024年6月30日",
        made_up_notice(
            "青海省人民政府办公厅关于测试事项的通知",
            "青政办〔2024〕11号",
            "本通知有效期至2030年12月31日。",
            "2024年6月3日",
        ),
    )
    corpus = corpus_of(text)
    answer = validity_answer(corpus, Question.read("青政办〔2024〕11号还有效吗？"), TODAY_LIKE)
    assert answer is not None and answer.answerable
    assert "仍然有效：2024年6月3日印发，有效期至2030年12月31日（“本通知有效期至2030年12月31日。”[1]）" in answer.text
    later = validity_answer(corpus, Question.read("青政办〔2024〕11号还有效吗？"), date(2031, 1, 1))
    assert later is not None and "已失效，有效期至2030年12月31日" in later.text
