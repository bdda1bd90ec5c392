"""Validity (issue #15): effective dates, expiry, repeals and references, on the real corpus and on made-up gazettes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.models import Corpus
from index.validity import extract, facts_of, references_of, status, validities, validity_of
from tests.helpers import banfa_corpus, corpus_of, made_up_gazette, made_up_notice

AS_OF = date(2026, 1, 1)

# Every document of the five bundled gazettes, as of 2026-01-01, checked by reading the text. The files were
# searched for every 施行/实施/执行/生效/试行, 有效期, 废止/失效/停止执行/不再执行 and 之日起; the comment on each row
# says where the text states the status (file:line), or that it states none (→ unknown, never guessed).
# (doc_id, status, effective_from, expires_on)  # where the text says so
HAND_CHECKED: list[tuple[str, str, str | None, str | None]] = [
    # ---- 000 (2021年第23期) ----
    ("2021-23-86479d", "unknown", None, None),  # 青政〔2021〕54号 notice: no statement (000:62-73)
    ("2021-23-783c7c", "unknown", None, None),  # 盐湖行动方案(2021—2035年): a period, no effective/expiry statement
    ("2021-23-19b30b", "unknown", None, None),  # 青政办〔2021〕84号 notice: 「现印发给你们」 only (000:357)
    ("2021-23-adea90", "in_force", "2021-11-19", None),  # 000:441 「第三十一条 本细则自印发之日起施行」; signed 000:361
    ("2021-23-ee81b7", "unknown", None, None),  # 反拐实施方案(2021—2023年): no statement; the 细则's is not its own
    ("2021-23-72c796", "unknown", None, None),  # 青政办〔2021〕90号 notice: no statement
    ("2021-23-97d943", "unknown", None, None),  # 公立医院实施方案: no statement
    ("2021-23-333b21", "unknown", None, None),  # 政策清单: no statement
    ("2021-23-d51208", "unknown", None, None),  # 保障措施清单: no statement
    ("2021-23-2a83cf", "unknown", None, None),  # 评价指标（试行）: 「试行」 in the title, no date stated
    ("2021-23-d08a26", "unknown", None, None),  # 成立教材委员会的通知: no statement
    ("2021-23-f99fcb", "in_force", "2021-12-11", None),  # 000:1054 「本意见自公布之日起施行」; signed 000:1058
    (
        "2021-23-50546f",
        "in_force",
        "2021-12-13",
        None,
    ),  # 000:1076 「《通用目录》自公布之日起施行」; repeals 青政〔2015〕54号
    ("2021-23-a764e3", "unknown", None, None),  # 零碳产业园区领导小组的通知: no statement
    ("2021-23-50f442", "unknown", None, None),  # 任免通知: no statement
    # ---- 001 (2022年第9期) ----
    ("2022-09-156a25", "unknown", None, None),  # 青政办〔2022〕30号 notice: 「现印发给你们」 only (001:50)
    (
        "2022-09-5435ac",
        "expired",
        "2022-05-15",
        "2022-12-31",
    ),  # 001:94 「本措施自印发之日起施行,有效期至2022年12月31日」
    ("2022-09-eb0000", "unknown", None, None),  # 政策咨询联络方式 (attached to the notice, which states nothing)
    ("2022-09-058a57", "unknown", None, None),  # 政务公开工作台账 notice: no statement
    ("2022-09-ebe3ef", "unknown", None, None),  # 台账: 001:193 「依据规章公布、修改、废止情况」 is not a repeal
    ("2022-09-b801c6", "unknown", None, None),  # 综合医改 notice: no statement
    ("2022-09-582dba", "unknown", None, None),  # 综合医改重点工作任务: no statement
    ("2022-09-78e349", "unknown", None, None),  # 三明医改台账: no statement
    ("2022-09-2d861f", "unknown", None, None),  # 重大行政决策事项目录 notice: no statement
    ("2022-09-e6d22a", "unknown", None, None),  # 决策事项目录: no statement
    # ---- 002 (2023年第20期) ----
    ("2023-20-8faab5", "unknown", None, None),  # 强农惠农政策的通知: no statement
    ("2023-20-32e28a", "unknown", None, None),  # 青政办〔2023〕75号 notice: no statement
    ("2023-20-c8117c", "unknown", None, None),  # 医疗卫生服务体系实施方案: no statement
    ("2023-20-c48477", "unknown", None, None),  # 青政办〔2023〕76号 notice: no statement
    ("2023-20-fd5bbb", "unknown", None, None),  # 乡村医疗卫生实施方案: no statement
    ("2023-20-649b79", "unknown", None, None),  # 002:385 repeals 青政办函〔2020〕177号 but states no effective date
    ("2023-20-5532d4", "unknown", None, None),  # 任免通知: no statement
    ("2023-20-2a1602", "unknown", None, None),  # 大事记: 002:429 「审议并原则通过《…（暂行）》」 is about others
    # ---- 003 (2022年特刊) ----
    ("2022-sp-38fcc0", "unknown", None, None),  # 市场监管规划 notice: no statement
    ("2022-sp-5f4695", "unknown", None, None),  # 「十四五」市场监管现代化规划: a period, no statement
    ("2022-sp-520ccc", "unknown", None, None),  # 科技创新规划 notice: no statement
    ("2022-sp-cfadac", "unknown", None, None),  # 科技创新规划: no statement
    ("2022-sp-316ab5", "unknown", None, None),  # 老龄事业规划 notice: no statement
    ("2022-sp-085ea6", "unknown", None, None),  # 老龄事业规划: no statement
    ("2022-sp-5acb74", "unknown", None, None),  # 生态经济规划 notice: no statement
    ("2022-sp-f99754", "unknown", None, None),  # 生态经济发展规划(2021—2025年): a period, no statement
    ("2022-sp-24f2c2", "unknown", None, None),  # 医疗卫生服务体系规划 notice: no statement
    ("2022-sp-f4d26b", "unknown", None, None),  # 医疗卫生服务体系规划: no statement
    # ---- 004 (2020年第16期) ----
    ("2020-16-cb1048", "unknown", None, None),  # 青政〔2020〕60号 notice: no statement
    ("2020-16-57a48c", "unknown", None, None),  # 高原美丽城镇实施方案: no statement
    ("2020-16-e1f9b2", "unknown", None, None),  # 提升行动: no statement
    ("2020-16-ff0949", "unknown", None, None),  # 重大工程: no statement
    ("2020-16-830f41", "unknown", None, None),  # 试点工作方案: no statement
    ("2020-16-962a75", "unknown", None, None),  # 试点城镇及试点类型: no statement
    ("2020-16-af52d7", "in_force", "2020-08-13", None),  # 004:685 「本《实施意见》自印发之日起施行」; signed 004:689
    ("2020-16-5a44ac", "unknown", None, None),  # 妇女儿童规划编制 notice: no statement
    ("2020-16-531c6f", "unknown", None, None),  # 编制工作方案: no statement
    ("2020-16-ce82f0", "unknown", None, None),  # 妇女规划任务分解表: no statement
    ("2020-16-863c92", "unknown", None, None),  # 儿童规划任务分解表: no statement
    ("2020-16-2ae173", "unknown", None, None),  # 青政办〔2020〕64号 notice: 「现印发给你们」 only (004:895)
    ("2020-16-b9c2f7", "in_force", "2020-08-23", None),  # 004:965 「第十八条 本办法自印发之日起执行」; signed 004:899
    ("2020-16-7411ea", "unknown", None, None),  # 综合医改 notice: no statement
    ("2020-16-63e670", "unknown", None, None),  # 2020年下半年综合医改重点工作任务: no statement
    ("2020-16-2d584a", "unknown", None, None),  # 青政办函〔2020〕138号 notice: no statement (004:1057)
    ("2020-16-a7a041", "in_force", "2020-08-18", None),  # 004:1475 「本预案自发布之日起实施」; signed 004:1061
    ("2020-16-4018f2", "unknown", None, None),  # 流程图 (attached to the notice, which states nothing)
    ("2020-16-946bbb", "unknown", None, None),  # 免职通知: no statement
    ("2020-16-71347e", "unknown", None, None),  # 任免通知: no statement
    ("2020-16-afa15e", "unknown", None, None),  # 大事记: no statement
]


def test_hand_checked_table_covers_every_document(corpus: Corpus) -> None:
    assert [row[0] for row in HAND_CHECKED] == [d.doc_id for d in corpus.documents]


@pytest.mark.parametrize(("doc_id", "expected", "effective", "expires"), HAND_CHECKED)
def test_status_as_of_2026_matches_hand_checked_table(
    corpus: Corpus, doc_id: str, expected: str, effective: str | None, expires: str | None
) -> None:
    v = validity_of(corpus, doc_id, AS_OF)
    assert v is not None
    assert (v.status, v.effective_from, v.expires_on) == (
        expected,
        date.fromisoformat(effective) if effective else None,
        date.fromisoformat(expires) if expires else None,
    )
    assert v.repealed_by is None  # no document of the corpus repeals another one of the corpus
    if expected == "unknown":
        assert v.source_chunk_ids == []
    else:  # the status is cited: each source chunk belongs to the document and holds the statement
        chunks = {c.chunk_id: c for c in corpus.chunks}
        assert v.source_chunk_ids
        for cid in v.source_chunk_ids:
            assert chunks[cid].doc_id == doc_id
            assert "起施行" in chunks[cid].text or "起实施" in chunks[cid].text or "起执行" in chunks[cid].text


def test_the_measures_expire_after_their_last_valid_day(corpus: Corpus) -> None:
    doc = "2022-09-5435ac"
    assert validity_of(corpus, doc, date(2022, 5, 14)).status == "not_yet_in_force"
    assert validity_of(corpus, doc, date(2022, 5, 15)).status == "in_force"
    assert validity_of(corpus, doc, date(2022, 12, 31)).status == "in_force"
    assert validity_of(corpus, doc, date(2023, 1, 1)).status == "expired"
    assert validity_of(corpus, "no-such-doc", AS_OF) is None


# (repealing doc_id, 文号 cited, title cited, words of the source clause)
REPEALS = [
    (
        "2021-23-50546f",
        "青政〔2015〕54号",
        "青海省人民政府关于公布省政府工作部门单位权力清单责任清单的决定",
        "即行废止",
    ),
    ("2023-20-649b79", "青政办函〔2020〕177号", "关于同意建立青海省荒漠化防治工作联席会议制度的复函", "同时废止"),
    ("2020-16-a7a041", "青政办〔2015〕198号", "青海省人民政府办公厅关于印发青海省重污染天气应急预案的通知", "同时废止"),
]


def test_each_repeal_is_extracted_with_its_source_clause(corpus: Corpus) -> None:
    facts = facts_of(corpus)
    got = [r for f in facts.documents.values() for r in f.repeals]
    assert sorted((r.doc_id, r.doc_number, r.title) for r in got) == sorted(x[:3] for x in REPEALS)
    chunks = {c.chunk_id: c for c in corpus.chunks}
    for doc_id, number, _title, words in REPEALS:
        r = next(r for r in got if r.doc_number == number)
        assert chunks[r.chunk_id].doc_id == doc_id
        assert words in chunks[r.chunk_id].text and words in r.quote
        # None of them is in the corpus. 198号's title is word for word the 2020 notice's own title
        # (青政办函〔2020〕138号): the 文号 decides, so the 2020 notice is not repealed by its own plan.
        assert r.targets == []
    assert next(r for r in got if r.doc_number == "青政办函〔2020〕177号").on == date(2023, 10, 25)


# (doc_id, last valid day, words of the source clause)
EXPIRIES = [("2022-09-5435ac", date(2022, 12, 31), "有效期至2022年12月31日")]


def test_each_expiry_is_extracted_with_its_source_clause(corpus: Corpus) -> None:
    facts = facts_of(corpus)
    got = [x for f in facts.documents.values() for x in f.expiry]
    assert [(x.doc_id, x.until) for x in got] == [e[:2] for e in EXPIRIES]
    chunks = {c.chunk_id: c for c in corpus.chunks}
    for x, (doc_id, _, words) in zip(got, EXPIRIES, strict=True):
        assert chunks[x.chunk_id].doc_id == doc_id and words in chunks[x.chunk_id].text
    # Clause-level terms (「执行期限至2024年底」 in the same measures) are not the document's expiry.
    assert all("执行期限" not in x.quote for x in got)


def test_effective_statements_name_their_basis(corpus: Corpus) -> None:
    facts = facts_of(corpus)
    got = sorted((e.doc_id, e.basis) for f in facts.documents.values() for e in f.effective)
    assert got == [
        ("2020-16-a7a041", "发布"),
        ("2020-16-af52d7", "印发"),
        ("2020-16-b9c2f7", "印发"),
        ("2021-23-50546f", "公布"),
        ("2021-23-adea90", "印发"),
        ("2021-23-f99fcb", "公布"),
        ("2022-09-5435ac", "印发"),
    ]


def test_clause_references_in_the_real_banfa_and_xize(corpus: Corpus) -> None:
    """The 办法 (青政办〔2020〕64号) and the 细则 (青政办〔2021〕84号) cite none of their own articles by number.

    Their articles open with their own label (「第十八条 本办法…」), which is not a reference, and 「本办法」
    alone names the whole document. So no clause reference is found there — and none anywhere else either
    (「青海第二条特高压直流输电工程」 in a 规划 is not one: a 规划 has no articles).
    """
    facts = facts_of(corpus)
    banfa = [d for d in corpus.documents if d.doc_type in {"办法", "细则"}]
    assert {d.doc_id for d in banfa} == {"2020-16-b9c2f7", "2021-23-adea90"}
    assert all(facts.documents[d.doc_id].clause_refs == [] for d in banfa)
    assert [r for f in facts.documents.values() for r in f.clause_refs] == []


def test_document_references_resolve_by_title_and_alias(corpus: Corpus) -> None:
    facts = facts_of(corpus)
    # The 2022 医改 tasks cite the 2021 公立医院 plan by its title: a link across issues.
    refs = facts.documents["2022-09-582dba"].doc_refs
    assert any(r.targets == ["2021-23-97d943"] for r in refs)
    assert any(r.doc_id == "2022-09-582dba" for r in facts.cited_by("2021-23-97d943"))
    # 「…（国办发〔2021〕13号）（以下简称《行动计划》）」: later 《行动计划》 is the same outside document.
    xize = facts.documents["2021-23-adea90"].doc_refs
    alias = [r for r in xize if r.text == "《行动计划》"]
    assert alias and all("中国反对拐卖人口行动计划" in (r.title or "") and r.targets == [] for r in alias)
    # A 文号 the corpus does not hold links nowhere.
    assert all(r.targets == [] for r in xize if r.doc_number == "国办发〔2021〕13号")


def test_references_of_a_chunk(corpus: Corpus) -> None:
    chunk = next(c for c in corpus.chunks if c.doc_id == "2022-09-582dba" and "公立医院高质量发展实施方案" in c.text)
    outgoing, incoming = references_of(corpus, chunk.chunk_id)
    assert any("2021-23-97d943" in r.targets for r in outgoing)
    assert incoming == []
    assert references_of(corpus, "no-such-chunk") == ([], [])


# ---------- made-up gazettes: the rules where the corpus has no example ----------


def test_stated_date_years_of_validity_and_a_repeal_inside_the_corpus() -> None:
    corpus = banfa_corpus()
    by_title = {d.title: d for d in corpus.documents}
    banfa, old = by_title["测试资金管理办法"], by_title["青海省人民政府办公厅关于印发旧资金管理办法的通知"]
    v = status(corpus, banfa, AS_OF)
    assert (v.status, v.effective_from, v.expires_on) == ("in_force", date(2024, 4, 1), date(2027, 3, 31))
    assert status(corpus, banfa, date(2024, 3, 31)).status == "not_yet_in_force"
    assert status(corpus, banfa, date(2027, 4, 1)).status == "expired"
    # The old notice was in force until the new 办法 took effect, then repealed by it.
    assert status(corpus, old, date(2024, 3, 31)).status == "in_force"
    gone = status(corpus, old, AS_OF)
    assert (gone.status, gone.repealed_by, gone.repealed_on) == ("repealed", banfa.doc_id, date(2024, 4, 1))
    assert any("同时废止" in c.text for c in corpus.chunks if c.chunk_id in gone.source_chunk_ids)
    # The notice that issued the 办法 states nothing itself: unknown, not inherited upwards.
    notice = by_title["青海省人民政府办公厅关于印发测试资金管理办法的通知"]
    assert status(corpus, notice, AS_OF).status == "unknown"


def test_clause_references_resolve_in_a_banfa() -> None:
    corpus = banfa_corpus()
    banfa = next(d for d in corpus.documents if d.title == "测试资金管理办法")
    chunks = {c.chunk_id: c for c in corpus.chunks}
    refs = facts_of(corpus).documents[banfa.doc_id].clause_refs
    resolved = {(r.text, r.label): [chunks[t].section[-1] for t in r.targets] for r in refs}
    assert resolved == {
        ("本办法第一条", "第一条"): ["第一条"],  # 第二条 「依照本办法第一条」
        ("前款", "前款"): ["第二条"],  # 第二条's second paragraph: its first is in the same clause
        ("第二条", "第二条"): ["第二条"],  # 第三条 「违反第二条规定的」
        ("本章", "第二章"): ["第四条"],  # 第三条 「依照本章」: the rest of 第二章
    }
    first = next(c for c in corpus.chunks if c.section[-1:] == ["第一条"] and c.doc_id == banfa.doc_id)
    _, incoming = references_of(corpus, first.chunk_id)
    assert [r.text for r in incoming] == ["本办法第一条"]


def test_an_attachment_inherits_its_notices_statement() -> None:
    plan = "测试工作方案\n\n一、总体要求\n\n（一）目标。做好测试工作。\n"
    text = made_up_gazette(
        4,
        "2024年5月30日",
        made_up_notice(
            "青海省人民政府办公厅关于印发测试工作方案的通知",
            "青政办〔2024〕9号",
            "现将《测试工作方案》印发给你们。本通知自印发之日起施行，有效期至2025年6月30日。",
            "2024年5月6日",
            plan,
        ),
    )
    corpus = corpus_of(text)
    notice, attached = corpus.documents
    v = validity_of(corpus, attached.doc_id, AS_OF)
    assert v is not None and v.inherited_from == notice.doc_id
    assert (v.status, v.effective_from, v.expires_on) == ("expired", date(2024, 5, 6), date(2025, 6, 30))


# ---------- properties ----------

# Body text with no statement words at all: Chinese characters that spell none of 施行/废止/有效期/之日起.
_PLAIN = st.text(alphabet="资金项目管理单位部门工作推进建设服务农牧区", min_size=4, max_size=40)
_NUMBER = st.builds(
    lambda prefix, year, seq: f"{prefix}〔{year}〕{seq}号",
    st.sampled_from(["青政", "青政办", "青政办函"]),
    st.integers(2015, 2024),
    st.integers(1, 300),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=_NUMBER, words=_PLAIN, other=_NUMBER, verb=st.sampled_from(["同时废止", "即行废止", "予以废止"]))
def test_a_document_never_repeals_itself(number: str, words: str, other: str, verb: str) -> None:
    """Citing its own 文号 or its own title as repealed (as 青政办〔2015〕198号's namesake does) repeals nothing."""
    title = f"青海省人民政府办公厅关于印发{words}办法的通知"
    body = f"现将《{words}办法》印发给你们。《{title}》（{number}）{verb}。《{title}》{verb}。（{other}）{verb}。"
    corpus = corpus_of(made_up_gazette(1, "2024年1月30日", made_up_notice(title, number, body, "2024年1月2日")))
    facts = extract(corpus)
    for doc in corpus.documents:
        family = {d.doc_id for d in corpus.documents if d.doc_number == doc.doc_number}
        for r in facts.documents[doc.doc_id].repeals:
            assert not family & set(r.targets)
        assert status(corpus, doc, AS_OF).status != "repealed"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=_NUMBER,
    words=_PLAIN,
    clauses=st.lists(_PLAIN, min_size=1, max_size=5),
    as_of=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
)
def test_unknown_stays_unknown_without_a_statement(number: str, words: str, clauses: list[str], as_of: date) -> None:
    body = "\n\n".join(f"{'一二三四五'[k]}、{c}。" for k, c in enumerate(clauses))
    corpus = corpus_of(
        made_up_gazette(
            2, "2024年2月28日", made_up_notice(f"青海省人民政府办公厅关于{words}的通知", number, body, "2024年2月1日")
        )
    )
    assert corpus.documents
    for v in validities(corpus, as_of).values():
        assert (v.status, v.effective_from, v.expires_on, v.repealed_by, v.source_chunk_ids) == (
            "unknown",
            None,
            None,
            None,
            [],
        )


def test_an_expiry_alone_and_a_dated_repeal() -> None:
    """「第五条 本规定有效期至…」 with no effective statement: in force from signing through the last day.
    「《…》（文号）自…起废止」: the old document stays in force until that day."""
    old = made_up_gazette(
        6,
        "2018年6月30日",
        made_up_notice("青海省人民政府关于旧规定的通知", "青政〔2018〕9号", "一、做好工作。", "2018年6月1日"),
    )
    rules = (
        "测试规定\n\n第一条 做好测试工作。\n\n第二条 本规定有效期至2030年12月31日。\n\n"
        "第三条 《青海省人民政府关于旧规定的通知》（青政〔2018〕9号）自2025年1月1日起废止。\n"
    )
    new = made_up_gazette(
        7,
        "2024年7月30日",
        made_up_notice(
            "青海省人民政府关于印发测试规定的通知",
            "青政〔2024〕8号",
            "现将《测试规定》印发给你们。",
            "2024年7月1日",
            rules,
        ),
    )
    corpus = corpus_of(old, new)
    by_title = {d.title: d for d in corpus.documents}
    v = status(corpus, by_title["测试规定"], AS_OF)
    assert (v.status, v.effective_from, v.expires_on) == ("in_force", None, date(2030, 12, 31))
    assert status(corpus, by_title["测试规定"], date(2031, 1, 1)).status == "expired"
    old_doc = by_title["青海省人民政府关于旧规定的通知"]
    assert status(corpus, old_doc, date(2024, 12, 31)).status == "unknown"  # it states nothing of itself
    gone = status(corpus, old_doc, AS_OF)
    assert (gone.status, gone.repealed_on, gone.repealed_by) == (
        "repealed",
        date(2025, 1, 1),
        by_title["测试规定"].doc_id,
    )


def test_a_bare_number_keeps_only_its_prefix() -> None:
    from index.validity import _number

    assert _number("按照青政办〔2015〕205号文件执行") == "青政办〔2015〕205号"
    assert _number("(青政办函〔2020〕177号)") == "青政办函〔2020〕177号"
    assert _number("自然资办函〔2021〕1469号") == "自然资办函〔2021〕1469号"
    # words the 文号 pattern reads as issuer (经, 转发, 落实 are no particles): read off, not kept in the number cited
    assert _number("经青政办〔2015〕205号同意") == "青政办〔2015〕205号"
    assert _number("转发青政〔2019〕12号文件") == "青政〔2019〕12号"
    assert _number("落实青政办函〔2020〕177号要求") == "青政办函〔2020〕177号"


def test_validity_by_number_gives_the_notice_and_what_it_issued(corpus: Corpus) -> None:
    from index.validity import validity_by_number

    got = [(v.doc_id, v.status) for v in validity_by_number(corpus, "青政办〔2022〕30号", AS_OF)]
    assert got == [("2022-09-156a25", "unknown"), ("2022-09-5435ac", "expired"), ("2022-09-eb0000", "unknown")]
    assert validity_by_number(corpus, "青政办〔2019〕1号", AS_OF) == []


# ---------- round 11 mutation probe: rules no test above pinned ----------


def test_a_repeal_signed_the_same_day_as_its_target_still_repeals_it() -> None:
    """「A document never repeals one issued after it」 is about later documents: one signed the same day (a revised
    rule issued with the repeal of the old one) is repealed."""
    old = made_up_gazette(
        8,
        "2024年3月30日",
        made_up_notice(
            "青海省人民政府关于旧草场管护办法的通知", "青政〔2024〕3号", "一、做好管护工作。", "2024年3月5日"
        ),
    )
    new = made_up_gazette(
        9,
        "2024年3月31日",
        made_up_notice(
            "青海省人民政府关于新草场管护办法的通知",
            "青政〔2024〕4号",
            "一、做好管护工作。\n\n二、本通知自印发之日起施行，《青海省人民政府关于旧草场管护办法的通知》（青政〔2024〕3号）同时废止。",
            "2024年3月5日",
        ),
    )
    corpus = corpus_of(old, new)
    by_title = {d.title: d for d in corpus.documents}
    gone = status(corpus, by_title["青海省人民政府关于旧草场管护办法的通知"], AS_OF)
    assert (gone.status, gone.repealed_by) == ("repealed", by_title["青海省人民政府关于新草场管护办法的通知"].doc_id)


def test_an_attachment_with_its_own_term_does_not_take_its_notices() -> None:
    """An attached plan stating only its own 有效期 keeps it: it inherits its notice's statements only when it states
    nothing of its own (its own last day, not the notice's, decides whether it has expired)."""
    plan = (
        "测试牧区工作方案\n\n一、总体要求\n\n（一）目标。做好牧区工作。\n\n（二）期限。本方案有效期至2030年12月31日。\n"
    )
    text = made_up_gazette(
        5,
        "2024年6月30日",
        made_up_notice(
            "青海省人民政府办公厅关于印发测试牧区工作方案的通知",
            "青政办〔2024〕11号",
            "现将《测试牧区工作方案》印发给你们。本通知自印发之日起施行，有效期至2025年6月30日。",
            "2024年6月6日",
            plan,
        ),
    )
    corpus = corpus_of(text)
    notice, attached = corpus.documents
    assert status(corpus, notice, AS_OF).status == "expired"
    v = validity_of(corpus, attached.doc_id, AS_OF)
    assert v is not None and v.inherited_from is None
    assert (v.status, v.expires_on) == ("in_force", date(2030, 12, 31))


def test_the_earliest_repeal_in_effect_is_the_one_reported() -> None:
    """Two documents repeal the same one from different days: it was repealed by the first to take effect."""
    old = made_up_gazette(
        10,
        "2023年2月28日",
        made_up_notice(
            "青海省人民政府关于旧冷链物流办法的通知", "青政〔2023〕5号", "一、做好冷链工作。", "2023年2月1日"
        ),
    )
    later = made_up_notice(
        "青海省人民政府关于冷链物流调整的通知",
        "青政〔2024〕21号",
        "一、《青海省人民政府关于旧冷链物流办法的通知》（青政〔2023〕5号）自2025年1月1日起废止。",
        "2024年6月3日",
    )
    sooner = made_up_notice(
        "青海省人民政府关于冷链物流清理的通知",
        "青政〔2024〕22号",
        "一、《青海省人民政府关于旧冷链物流办法的通知》（青政〔2023〕5号）自2024年9月1日起废止。",
        "2024年6月4日",
    )
    corpus = corpus_of(old, made_up_gazette(11, "2024年6月30日", later, sooner))
    by_title = {d.title: d for d in corpus.documents}
    gone = status(corpus, by_title["青海省人民政府关于旧冷链物流办法的通知"], AS_OF)
    assert (gone.status, gone.repealed_on, gone.repealed_by) == (
        "repealed",
        date(2024, 9, 1),
        by_title["青海省人民政府关于冷链物流清理的通知"].doc_id,
    )


def test_a_document_cited_after_the_repeal_verb_is_not_repealed() -> None:
    """「原有规定同时废止，按照《…》（文号）执行」: the repeal names nothing before its verb; the document cited after
    it is the one to follow, not one repealed."""
    rules = made_up_gazette(
        12,
        "2023年3月30日",
        made_up_notice(
            "青海省人民政府关于牦牛养殖补助办法的通知", "青政〔2023〕7号", "一、做好补助工作。", "2023年3月2日"
        ),
    )
    body = (
        "一、本通知自印发之日起施行，原有规定同时废止，"
        "补助标准按照《青海省人民政府关于牦牛养殖补助办法的通知》（青政〔2023〕7号）执行。"
    )
    new = made_up_gazette(
        13,
        "2024年4月30日",
        made_up_notice("青海省人民政府关于牦牛养殖保险的通知", "青政〔2024〕9号", body, "2024年4月2日"),
    )
    corpus = corpus_of(rules, new)
    by_title = {d.title: d for d in corpus.documents}
    assert status(corpus, by_title["青海省人民政府关于牦牛养殖补助办法的通知"], AS_OF).status != "repealed"


def test_the_earliest_stated_last_day_binds_and_year_end_is_31_december() -> None:
    """Two terms stated (「有效期3年」 and 「有效期至2025年底」): the document ends with the earlier, and 「年底」 is
    31 December."""
    body = "一、本通知自印发之日起施行，有效期3年。\n\n二、本通知有效期至2025年底。"
    corpus = corpus_of(
        made_up_gazette(
            14,
            "2024年5月30日",
            made_up_notice("青海省人民政府关于光伏治沙试点的通知", "青政〔2024〕15号", body, "2024年5月6日"),
        )
    )
    (doc,) = corpus.documents
    v = status(corpus, doc, date(2025, 12, 31))
    assert (v.status, v.effective_from, v.expires_on) == ("in_force", date(2024, 5, 6), date(2025, 12, 31))
    assert status(corpus, doc, date(2026, 1, 1)).status == "expired"


def test_a_clauses_own_label_is_no_reference_to_itself() -> None:
    """「第二条 规定以外的支出…」: the label printed at the clause's start, before 「规定」, cites nothing."""
    rules = "测试草原补助办法\n\n第一条 为做好草原补助工作，制定本办法。\n\n第二条 规定以外的支出不得列支。\n"
    corpus = corpus_of(
        made_up_gazette(
            15,
            "2024年8月30日",
            made_up_notice(
                "青海省人民政府关于印发测试草原补助办法的通知",
                "青政〔2024〕17号",
                "现将《测试草原补助办法》印发给你们。",
                "2024年8月1日",
                rules,
            ),
        )
    )
    second = next(c for c in corpus.chunks if c.section[-1:] == ["第二条"])
    outgoing, _ = references_of(corpus, second.chunk_id)
    assert outgoing == []
