"""Is it still in force? Effective dates, expiry, repeals and cross-references, read from the gazette text.

The gazettes say in plain words when a document takes effect and ends (「本措施自印发之日起施行,有效期至2022年
12月31日」), which earlier documents it repeals (「《…》（青政办〔2015〕198号）同时废止」, 「…即行废止」) and
which documents and clauses it points at (「按照《…》（国办发〔2021〕13号）要求」, 「依照本办法第八条」,
「前款」). This module turns that text into data, each fact kept with the chunk it was read from so that it
can be cited. Pure functions over a parsed `Corpus`; nothing here knows about search or answers.

Public entry points:

- `facts_of(corpus)` → `ValidityFacts`: every statement and reference of every document (computed once per
  corpus object and cached).
- `validity_of(corpus, doc_id, as_of=None)` → `Validity`: a document's status on a date (default today);
  `status(corpus, doc, as_of)` is the same for a `Document` in hand; `validity_by_number(corpus, 文号, as_of)`
  gives the notice and its attachments together; `validities(corpus, as_of)` every document's.
- `references_of(corpus, chunk_id)` → (outgoing, incoming) references of one clause.

Rules (nothing is guessed):

- A statement belongs to the document whose text holds it. When its subject names another document of the
  same 文号 by title (a notice: 「《X》自印发之日起施行」), it belongs to that document.
- An attached plan with no statement of its own inherits its notice's (the notice is what issued it).
  A notice does not inherit from its attachments: 「本细则自印发之日起施行」 says nothing of the other plan
  the same notice issued.
- 「自印发/发布/公布之日起施行」 takes effect on the document's signing date; 「自2022年1月1日起施行」 on the
  stated date. 「有效期至2022年12月31日」 is valid through that day; 「有效期3年」 through the day before the
  third anniversary of the effective date.
- A repeal names its target by 文号 and/or 《title》. When a 文号 is given, it alone decides which corpus
  documents are meant (the notice and everything it issued); a title alone must match a title exactly.
  A document never repeals itself or its own 文号, nor a document issued after it.
- Status on a date: `repealed` once a corpus document that repeals it is in effect; else `expired` after the
  last valid day; else `in_force` from the effective date (`not_yet_in_force` before it) when the text states
  one; else `unknown`. `in_force` means the text says it took effect and nothing in the corpus ends it — a
  repeal published outside the corpus cannot be seen.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import cn2an
from pydantic import BaseModel, Field, PrivateAttr

from index.doc_numbers import doc_numbers
from index.models import Chunk, Corpus, Document
from index.per_corpus import PerCorpus
from index.text import CN_NUMERALS, DOC_NUMBER, SENTENCE, chinese_number, norm

# ---------- the Chinese patterns (matched on `norm`-alised sentences: NFKC, no spaces, （）→() ) ----------

_DATE = r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?P<d>\d{1,2})日|(?P<end>底|末))"
# Words a document calls itself by: 「本办法」「本细则」「本《实施意见》」.
SELF_WORDS = (
    "实施意见",
    "实施细则",
    "实施方案",
    "办法",
    "细则",
    "规定",
    "条例",
    "意见",
    "措施",
    "方案",
    "预案",
    "规划",
    "通知",
    "决定",
    "规则",
    "制度",
    "目录",
    "清单",
)
_SELF = "|".join(SELF_WORDS)
# The subject of a statement about a document: 「本措施」, 「本《实施意见》」, 「《通用目录》」.
_SUBJECT = rf"(?P<subject>本《[^》]{{1,30}}》|本(?:{_SELF})|《[^《》]{{1,80}}》)"
EFFECTIVE_VERBS = "施行|实施|执行|生效|试行"
Basis = Literal["印发", "发布", "公布", "date"]
ISSUE_WORDS: dict[str, Basis] = {
    "印发": "印发",
    "发布": "发布",
    "公布": "公布",
    "颁布": "公布",
    "下发": "印发",
    "发文": "印发",
}
_EFFECTIVE = re.compile(
    rf"(?:{_SUBJECT}|^)自(?:(?P<basis>{'|'.join(ISSUE_WORDS)})之日|{_DATE})起(?:{EFFECTIVE_VERBS})(?=$|[,。;:]|有效期)"
)
_EXPIRY_DATE = re.compile(rf"有效期(?:至|到|截至|截止到|截止至)(?:{_DATE})")
_EXPIRY_YEARS = re.compile(rf"有效期(?:为)?(?P<n>\d{{1,2}}|[{CN_NUMERALS}]{{1,3}})年")
_EXPIRY_SUBJECT = re.compile(rf"^(?:{_SUBJECT}(?:的)?)?有效期")
REPEAL_VERBS = "同时废止|即行废止|予以废止|一并废止|废止|同时停止执行|停止执行|不再执行|同时失效"
# The verb ends its clause (「…同时废止。」), so that 「依据规章公布、修改、废止情况」 is not a repeal.
_REPEAL = re.compile(rf"(?P<verb>{REPEAL_VERBS})(?=$|[。;,])")
_REPEAL_FROM = re.compile(rf"自{_DATE}起(?:{REPEAL_VERBS})")
# A cited document: 《title》 optionally followed by (文号), then optionally (以下简称《alias》).
_TITLED = re.compile(
    r"《(?P<title>[^《》]+(?:《[^《》]*》[^《》]*)*)》"
    r"(?:\((?P<num>[^()]*?〔\d{4}〕\d{1,4}号)\))?"
    r"(?:\(以下简称《?(?P<alias>[^()《》]{1,20})》?\))?"
)
# A clause of the same document: 「本办法第八条」「依照第八条」「第三章」, then relative 「前款」「本章」.
_CLAUSE_REF = re.compile(
    rf"(?P<self>本(?:{_SELF}))?(?P<label>第(?P<n>[{CN_NUMERALS}\d]{{1,5}})(?P<unit>条|章|节))(?:第(?P<k>[{CN_NUMERALS}\d]{{1,3}})款)?"
)
REFERENCE_VERBS = ("依照", "按照", "依据", "根据", "违反", "适用", "参照", "执行", "符合", "见", "照", "经")
_RELATIVE_REF = re.compile(rf"(?P<label>前款|上款|前[{CN_NUMERALS}]款|本章|本节)")
# A clause's own label at the start of its text (「第十八条 」, 「四、」, 「(三)」), not part of a statement's subject.
_LEAD_LABEL = re.compile(
    rf"^(?:第[{CN_NUMERALS}\d]+条|[{CN_NUMERALS}]{{1,3}}、|\([{CN_NUMERALS}\d]{{1,3}}\)|\d{{1,2}}[.、])"
)

ValidityStatus = Literal["in_force", "not_yet_in_force", "expired", "repealed", "unknown"]


# ---------- the extracted facts ----------


class Effective(BaseModel):
    """「…自印发之日起施行」: when a document takes effect, and the clause that says so."""

    doc_id: str = Field(description="The document the statement is about.")
    chunk_id: str = Field(description="The clause the statement was read from.")
    quote: str
    basis: Basis = Field(description="Issue event named, or a stated date.")
    on: date | None = Field(None, description="The effective date, when known (signing date or stated date).")


class Expiry(BaseModel):
    """「有效期至2022年12月31日」 or 「有效期3年」: the last valid day, and the clause that says so."""

    doc_id: str
    chunk_id: str
    quote: str
    until: date | None = Field(None, description="Last valid day (inclusive), when it can be computed.")
    years: int | None = Field(None, description="For 「有效期X年」: X.")


class Repeal(BaseModel):
    """「《title》（文号）同时废止」: a document this one repeals, whether or not the corpus holds it."""

    doc_id: str = Field(description="The repealing document.")
    chunk_id: str
    quote: str
    doc_number: str | None = Field(None, description="文号 of the repealed document, as cited.")
    title: str | None = Field(None, description="Title of the repealed document, as cited.")
    targets: list[str] = Field(default_factory=list, description="Corpus doc_ids repealed (empty: not in corpus).")
    on: date | None = Field(None, description="When the repeal takes effect: a stated date, else the repealer's.")


class DocReference(BaseModel):
    """A reference to another document by 文号 and/or 《title》."""

    doc_id: str = Field(description="The referring document.")
    chunk_id: str
    text: str = Field(description="The reference as written (normalised).")
    doc_number: str | None = None
    title: str | None = None
    targets: list[str] = Field(default_factory=list, description="Corpus doc_ids referred to (empty: not in corpus).")


class ClauseReference(BaseModel):
    """A reference to a clause of the same document: 「本办法第八条」, 「前款」, 「第三章」."""

    doc_id: str
    chunk_id: str
    text: str = Field(description="The reference as written (normalised), e.g. 本办法第八条.")
    label: str = Field(description="The clause path looked up, e.g. 第八条, 第三章, or 前款.")
    targets: list[str] = Field(default_factory=list, description="chunk_ids referred to (empty: not found).")


class DocumentFacts(BaseModel):
    """Everything this module reads from one document's own text."""

    doc_id: str
    effective: list[Effective] = Field(default_factory=list)
    expiry: list[Expiry] = Field(default_factory=list)
    repeals: list[Repeal] = Field(default_factory=list)
    doc_refs: list[DocReference] = Field(default_factory=list)
    clause_refs: list[ClauseReference] = Field(default_factory=list)


class Validity(BaseModel):
    """A document's status on a date, with the clauses that establish it."""

    doc_id: str
    as_of: date
    status: ValidityStatus
    effective_from: date | None = None
    expires_on: date | None = Field(None, description="Last valid day, inclusive.")
    repealed_by: str | None = Field(None, description="doc_id of the corpus document that repealed it.")
    repealed_on: date | None = None
    source_chunk_ids: list[str] = Field(
        default_factory=list, description="Clauses that set the effective date, expiry or repeal."
    )
    inherited_from: str | None = Field(
        None, description="doc_id of the notice whose statement an attachment without its own inherits."
    )


class ValidityFacts(BaseModel):
    """All documents' facts, keyed by doc_id (statements assigned to the document they are about)."""

    documents: dict[str, DocumentFacts] = Field(default_factory=dict)
    _repealed: dict[str, list[Repeal]] | None = PrivateAttr(None)

    def repeals_of(self, doc_id: str) -> list[Repeal]:
        """Repeal statements in the corpus whose targets include `doc_id`."""
        if self._repealed is None:
            self._repealed = defaultdict(list)
            for f in self.documents.values():
                for r in f.repeals:
                    for target in r.targets:
                        self._repealed[target].append(r)
        return list(self._repealed.get(doc_id, []))

    def incoming(self, chunk_id: str) -> list[ClauseReference]:
        """Clause references in other chunks that point at this chunk."""
        return [
            r
            for f in self.documents.values()
            for r in f.clause_refs
            if chunk_id in r.targets and r.chunk_id != chunk_id
        ]

    def cited_by(self, doc_id: str) -> list[DocReference]:
        """References in other documents that name this document (by 文号 or title)."""
        return [r for f in self.documents.values() for r in f.doc_refs if doc_id in r.targets]


# ---------- helpers ----------


def _to_int(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() else chinese_number(numeral)


def _date(m: re.Match[str]) -> date | None:
    try:
        if m.group("end"):
            return date(int(m.group("y")), 12, 31)
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except (ValueError, TypeError):
        return None


def _add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


# Words that run into a 文号 cited without brackets (「按照青政办〔2015〕205号」): not part of its prefix.
_NUMBER_LEAD = re.compile(r"^.*(?:按照|根据|依据|依照|参照|印发|转发|执行|落实|贯彻|文件|和|及|与|的|见|经)")


def _number(text: str) -> str | None:
    """The first 文号 in `text`, canonical (青政办〔2015〕205号), without words run into its prefix."""
    m = DOC_NUMBER.search(text)
    if not m:
        return None
    prefix = _NUMBER_LEAD.sub("", m.group("prefix")) or m.group("prefix")
    return f"{prefix}〔{m.group('year')}〕{m.group('seq')}号"


def _title_key(title: str) -> str:
    return norm(title).replace("《", "").replace("》", "")


def sentences(text: str) -> list[tuple[str, str]]:
    """(sentence as printed, normalised) pairs of a chunk's text."""
    out = []
    for m in SENTENCE.finditer(text):
        raw = m.group(0).strip()
        if raw:
            out.append((raw, norm(raw)))
    return out


class _Corpus:
    """Lookups the extraction needs, built once."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.docs = {d.doc_id: d for d in corpus.documents}
        self.by_number = doc_numbers(corpus)
        self.by_title: dict[str, list[Document]] = defaultdict(list)
        self.chunks: dict[str, list[Chunk]] = defaultdict(list)
        for d in corpus.documents:
            self.by_title[_title_key(d.title)].append(d)
        for c in corpus.chunks:
            if c.kind != "card":  # a card restates the header (the issuing notice's title): no statement of its own
                self.chunks[c.doc_id].append(c)

    def family(self, doc: Document) -> set[str]:
        """The document, its notice and the notice's other attachments (one 文号, or one parent)."""
        root = doc.parent_id or doc.doc_id
        ids = {d.doc_id for d in self.docs.values() if d.doc_id == root or d.parent_id == root}
        if doc.doc_number:
            ids |= {d.doc_id for d in self.by_number.get(doc.doc_number)}
        return ids | {doc.doc_id}

    def resolve(self, number: str | None, title: str | None, whole_family: bool = False) -> list[str]:
        """Corpus documents a citation names. A 文号 decides alone; a title alone must match exactly."""
        if number:
            same = self.by_number.get(number)
            if not same:
                return []
            if not whole_family and title:
                exact = [d.doc_id for d in same if _title_key(d.title) == _title_key(title)]
                if exact:
                    return exact
            return [d.doc_id for d in same]
        if title:
            named = [d.doc_id for d in self.by_title.get(_title_key(title), [])]
            if whole_family:  # a notice repealed by title takes the plans it issued with it
                named += [d.doc_id for d in self.docs.values() if d.parent_id in named and d.doc_id not in named]
            return named
        return []


def _effective_date(doc: Document, basis: str, stated: date | None) -> date | None:
    return stated if basis == "date" else doc.signed


def _subject_doc(c: _Corpus, doc: Document, subject: str | None, aliases: dict[str, str]) -> Document:
    """The document a statement is about: a same-文号 document its 《subject》 names, else the holder."""
    if subject and subject.lstrip("本").startswith("《"):
        inner = subject.lstrip("本").strip("《》")
        title = aliases.get(inner, inner)
        family = c.family(doc)
        for target in c.resolve(None, title):
            if target in family:
                return c.docs[target]
    return doc


# ---------- extraction ----------


def _doc_ref(c: _Corpus, chunk: Chunk, found: str, number: str | None, title: str | None) -> DocReference:
    """A reference `chunk` makes to another document, with the corpus documents it names (never its own)."""
    return DocReference(
        doc_id=chunk.doc_id,
        chunk_id=chunk.chunk_id,
        text=found,
        doc_number=number,
        title=title,
        targets=[t for t in c.resolve(number, title) if t != chunk.doc_id],
    )


def _clause_targets(c: _Corpus, doc: Document, chunk: Chunk, label: str) -> list[str]:
    from index.lookup import clauses_of  # lookup imports nothing from here; kept local to stay a leaf module

    hits = clauses_of(c.corpus, [doc], label)
    return [h.chunk_id for h in hits if h.chunk_id != chunk.chunk_id]


def _has_articles(chunks: list[Chunk]) -> bool:
    return any(re.match(rf"^第[{CN_NUMERALS}\d]+条", s) for ch in chunks for s in ch.section)


def _clause_refs(c: _Corpus, doc: Document, chunk: Chunk, text: str, articles: bool) -> list[ClauseReference]:
    out: list[ClauseReference] = []
    for m in _CLAUSE_REF.finditer(text):
        label = m.group("label")
        n = _to_int(m.group("n"))
        if n is None:
            continue
        cn_label = f"第{cn2an.an2cn(str(n))}{m.group('unit')}"
        before = text[max(0, m.start() - 2) : m.start()]
        cited = bool(m.group("self")) or any(before.endswith(v) for v in REFERENCE_VERBS)
        if m.start() == 0 and any(norm(s).startswith(norm(label)) for s in chunk.section[-1:]):
            continue  # the clause's own label printed at its start
        if not cited and not (articles and m.group("unit") == "条" and text[m.end() : m.end() + 2] in {"规定", "所列"}):
            continue
        if not articles and not m.group("self"):
            continue
        targets = _clause_targets(c, doc, chunk, cn_label)
        out.append(
            ClauseReference(
                doc_id=doc.doc_id, chunk_id=chunk.chunk_id, text=m.group(0), label=cn_label, targets=targets
            )
        )
    for m in _RELATIVE_REF.finditer(text):
        word = m.group("label")
        if word in {"本章", "本节"}:
            unit = word[1]
            head = next((s for s in chunk.section if re.match(rf"^第[{CN_NUMERALS}\d]+{unit}", s)), None)
            if head is None:
                continue
            label = re.match(rf"^第[{CN_NUMERALS}\d]+{unit}", head).group(0)  # type: ignore[union-attr]
            targets = _clause_targets(c, doc, chunk, label)
        else:  # 前款: an earlier paragraph of the same clause (this chunk, or an earlier part of it)
            label = word
            same = [x for x in c.chunks[doc.doc_id] if x.section == chunk.section and x.part <= chunk.part]
            targets = [x.chunk_id for x in same]
        out.append(ClauseReference(doc_id=doc.doc_id, chunk_id=chunk.chunk_id, text=word, label=label, targets=targets))
    return out


def _document_facts(c: _Corpus, doc: Document, facts: dict[str, DocumentFacts]) -> None:
    """Read one document's chunks; statements go to the document they are about (usually `doc`)."""
    chunks = c.chunks[doc.doc_id]
    articles = _has_articles(chunks)
    aliases: dict[str, str] = {}
    mine = facts[doc.doc_id]
    family = c.family(doc)
    for chunk in chunks:
        for raw, text in sentences(chunk.text):
            refs: list[DocReference] = []
            for m in _TITLED.finditer(text):
                title, num, alias = m.group("title"), m.group("num"), m.group("alias")
                if alias:
                    aliases[alias] = title
                refs.append(_doc_ref(c, chunk, m.group(0), _number(num) if num else None, aliases.get(title, title)))
            titled_numbers = {r.doc_number for r in refs if r.doc_number}
            for m in DOC_NUMBER.finditer(text):
                number = _number(m.group(0))
                if number and number not in titled_numbers:
                    refs.append(_doc_ref(c, chunk, m.group(0), number, None))
            mine.doc_refs += refs
            mine.clause_refs += _clause_refs(c, doc, chunk, text, articles)

            body = _LEAD_LABEL.sub("", text)
            eff = _EFFECTIVE.search(body)
            if eff:
                about = _subject_doc(c, doc, eff.group("subject"), aliases)
                basis: Basis = ISSUE_WORDS.get(eff.group("basis") or "", "date")
                stated = _date(eff) if basis == "date" else None
                facts[about.doc_id].effective.append(
                    Effective(
                        doc_id=about.doc_id,
                        chunk_id=chunk.chunk_id,
                        quote=raw,
                        basis=basis,
                        on=_effective_date(about, basis, stated),
                    )
                )
            expiry_subject = _EXPIRY_SUBJECT.search(body)
            if eff or expiry_subject:
                subject = (eff.group("subject") if eff else None) or (
                    expiry_subject.group("subject") if expiry_subject else None
                )
                about = _subject_doc(c, doc, subject, aliases)
                ed, ey = _EXPIRY_DATE.search(body), _EXPIRY_YEARS.search(body)
                if ed:
                    facts[about.doc_id].expiry.append(
                        Expiry(doc_id=about.doc_id, chunk_id=chunk.chunk_id, quote=raw, until=_date(ed))
                    )
                elif ey:
                    years = _to_int(ey.group("n"))
                    facts[about.doc_id].expiry.append(
                        Expiry(doc_id=about.doc_id, chunk_id=chunk.chunk_id, quote=raw, years=years)
                    )

            verb = _REPEAL.search(text)
            if verb:
                stated_from = _REPEAL_FROM.search(text)
                cited = [r for r in refs if text.find(r.text) < verb.start()]
                for ref in cited:  # a repeal names what it repeals; 「原有规定同时废止」 names nothing citable
                    number, title = ref.doc_number, ref.title
                    targets = [
                        t
                        for t in c.resolve(number, title, whole_family=True)
                        if t not in family and _issued_before(c.docs[t], doc)
                    ]
                    mine.repeals.append(
                        Repeal(
                            doc_id=doc.doc_id,
                            chunk_id=chunk.chunk_id,
                            quote=raw,
                            doc_number=number,
                            title=title,
                            targets=targets,
                            on=_date(stated_from) if stated_from else None,
                        )
                    )


def _issued_before(target: Document, repealer: Document) -> bool:
    """A repealed document was issued before its repealer (unknown dates do not exclude it)."""
    return target.signed is None or repealer.signed is None or target.signed <= repealer.signed


def extract(corpus: Corpus) -> ValidityFacts:
    """Read every document's effective dates, expiry, repeals and references (uncached; see `facts_of`)."""
    c = _Corpus(corpus)
    facts = {d.doc_id: DocumentFacts(doc_id=d.doc_id) for d in corpus.documents}
    for doc in corpus.documents:
        _document_facts(c, doc, facts)
    for f in facts.values():  # a repeal without a stated date takes effect with its document
        own = facts[f.doc_id].effective
        signed = c.docs[f.doc_id].signed
        for r in f.repeals:
            if r.on is None:
                r.on = next((e.on for e in own if e.on), None) or signed
    return ValidityFacts(documents=facts)


# The name under which a build stores `extract`'s result with the corpus (index.corpus_store), versioned by the
# rules' source: facts stored by other rules are not used (they are read from the text again).
_RULES = b"".join((Path(__file__).parent / name).read_bytes() for name in ("validity.py", "text.py"))
FACTS_BLOB = f"validity_facts-{hashlib.sha1(_RULES).hexdigest()[:16]}"


def _facts(corpus: Corpus) -> ValidityFacts:
    stored = corpus.stored(FACTS_BLOB)
    return ValidityFacts.model_validate_json(stored) if stored is not None else extract(corpus)


facts_of = PerCorpus(_facts)
"""`extract(corpus)`, computed once per corpus object (a new corpus after an upload is read afresh); a stored corpus
reads the facts its build extracted (a whole-corpus pass, not made again at each restart)."""


# ---------- status ----------


def _evaluate(facts: ValidityFacts, doc: Document, parent: Document | None, as_of: date) -> Validity:
    own = facts.documents.get(doc.doc_id, DocumentFacts(doc_id=doc.doc_id))
    effective, expiry, inherited = own.effective, own.expiry, None
    if parent is not None and not effective and not expiry:
        up = facts.documents.get(parent.doc_id)
        if up and (up.effective or up.expiry):
            effective, expiry, inherited = up.effective, up.expiry, parent.doc_id
    sources = [e.chunk_id for e in effective] + [x.chunk_id for x in expiry]
    effective_from = min((e.on for e in effective if e.on), default=None)
    expires_on = None
    for x in expiry:
        until = x.until
        if until is None and x.years and effective_from:
            until = _add_years(effective_from, x.years) - timedelta(days=1)
        if until is not None:
            expires_on = until if expires_on is None else min(expires_on, until)
    result = Validity(
        doc_id=doc.doc_id,
        as_of=as_of,
        status="unknown",
        effective_from=effective_from,
        expires_on=expires_on,
        source_chunk_ids=list(dict.fromkeys(sources)),
        inherited_from=inherited,
    )
    repeals = sorted(
        (r for r in facts.repeals_of(doc.doc_id) if r.on is not None and r.on <= as_of),
        key=lambda r: r.on or as_of,
    )
    if repeals:
        first = repeals[0]
        result.status, result.repealed_by, result.repealed_on = "repealed", first.doc_id, first.on
        result.source_chunk_ids.append(first.chunk_id)
    elif expires_on is not None and as_of > expires_on:
        result.status = "expired"
    elif effective_from is not None:
        result.status = "in_force" if as_of >= effective_from else "not_yet_in_force"
    elif expires_on is not None and doc.signed is not None and doc.signed <= as_of:
        result.status = "in_force"  # 「有效期至…」 with no start stated: valid from issue through the last day
    return result


def status(corpus: Corpus, doc: Document, as_of: date | None = None) -> Validity:
    """The status of `doc` (a document of `corpus`) on `as_of` (default: today)."""
    facts = facts_of(corpus)
    parent = corpus.document(doc.parent_id) if doc.parent_id else None
    return _evaluate(facts, doc, parent, as_of or date.today())


def validity_of(corpus: Corpus, doc_id: str, as_of: date | None = None) -> Validity | None:
    """The status of document `doc_id` on `as_of` (default: today); None for an unknown doc_id.

    For the answering code: 「…还有效吗」 → `validity_of(corpus, doc.doc_id, as_of)`; cite
    `source_chunk_ids` (the clauses that set the dates or the repeal) and, for `repealed`, `repealed_by`.
    """
    doc = corpus.document(doc_id)
    return status(corpus, doc, as_of) if doc else None


def validity_by_number(corpus: Corpus, doc_number: str, as_of: date | None = None) -> list[Validity]:
    """The status of every document sharing a 文号 (a notice and the plans it issued), in corpus order.

    For 「青政办〔2022〕30号还有效吗」: the notice itself may state nothing (`unknown`) while the measures it issued
    state their own term (`expired`); answer from the documents that state something, citing their clauses.
    """
    all_of = validities(corpus, as_of)
    return [all_of[d.doc_id] for d in corpus.documents if d.doc_number == doc_number]


def validities(corpus: Corpus, as_of: date | None = None) -> dict[str, Validity]:
    """Every document's status on `as_of` (default: today), keyed by doc_id."""
    facts = facts_of(corpus)
    by_id = {d.doc_id: d for d in corpus.documents}
    day = as_of or date.today()
    return {
        d.doc_id: _evaluate(facts, d, by_id.get(d.parent_id) if d.parent_id else None, day) for d in corpus.documents
    }


def references_of(corpus: Corpus, chunk_id: str) -> tuple[list[ClauseReference | DocReference], list[ClauseReference]]:
    """(outgoing, incoming) references of one chunk: the clauses and documents it cites, and the clauses citing it.

    References to the chunk's whole document (by 文号 or title) are `facts_of(corpus).cited_by(doc_id)`.
    """
    facts = facts_of(corpus)
    chunk = corpus.chunk(chunk_id)
    if chunk is None:
        return [], []
    f = facts.documents.get(chunk.doc_id)
    outgoing: list[ClauseReference | DocReference] = []
    if f is not None:
        outgoing = [r for r in f.clause_refs if r.chunk_id == chunk_id]
        outgoing += [r for r in f.doc_refs if r.chunk_id == chunk_id]
    return outgoing, facts.incoming(chunk_id)
