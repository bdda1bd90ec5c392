"""Validity questions answered from the data: 「…还有效吗」「…什么时候施行」「…有效期到什么时候」「…废止了哪个文件」.

The document is named by 文号 or by title (even abbreviated: `index.lookup` resolves it); the answer states what
`index.validity` read from the gazette text, quoting and citing the sentence that says so. What the text does not
state stays unknown: the answer says the text does not state it (answerable=false), never a guess.
"""

from __future__ import annotations

import time
from datetime import date

from index.lookup import Reference, find_clauses, title_score
from index.models import Corpus, Document
from index.text import norm
from index.validity import Validity, facts_of, sentences, validity_of
from rag.lexicon import VALIDITY_PHRASE, VALIDITY_SUBJECT_LEAD, VALIDITY_SUBJECT_TRAIL
from rag.models import Answer, Citation, Hit
from rag.question import Question
from rag.status_note import cn_date, doc_name

NOT_STATED = "现有公报中未找到"
# A name the citation lookup does not resolve (「反拐实施细则」 shares too few bigrams with the full title) is taken
# for the best-matching title when it holds this share of the name's bigrams and no other title does as well.
LOOSE_TITLE_SCORE = 0.5


def named_documents(corpus: Corpus, question: Question) -> list[Document]:
    """The documents a validity question names: every document of its 文号 (a notice and the plans it issued),
    else the document its title words match best (a version word and the year it dates them by left out:
    「2020年新版…预案」), with its notice and the notice's other plans."""
    docs = corpus.documents
    if question.doc_number:
        return [d for d in docs if d.doc_number == question.doc_number]
    subject = VALIDITY_SUBJECT_TRAIL.sub("", VALIDITY_PHRASE.sub("", question.normalised))
    subject = VALIDITY_SUBJECT_LEAD.sub("", subject)
    if len(subject) < 2:
        return []
    found = find_clauses(corpus, Reference(None, subject, None))
    named = found.document if found is not None else _loosely_named(corpus, subject)
    if named is None:
        return []
    root = named.parent_id or named.doc_id
    family = [d for d in docs if d.doc_id != named.doc_id and (d.doc_id == root or d.parent_id == root)]
    return [named, *family]


def _loosely_named(corpus: Corpus, subject: str) -> Document | None:
    """The one document whose title matches the name best, when it matches well enough and no document of another
    family does as well (a notice and the plan it issued tie on the plan's title: the plan is meant)."""
    scored = sorted(((title_score(subject, d.title), d) for d in corpus.documents), key=lambda x: -x[0])
    if not scored or scored[0][0] < LOOSE_TITLE_SCORE:
        return None
    tied = [d for score, d in scored if score == scored[0][0]]
    if len({d.parent_id or d.doc_id for d in tied}) > 1:
        return None
    return next((d for d in tied if d.parent_id), tied[0])


class _Composer:
    """Lines of the answer, each citing the clause its quote comes from (one [n] per clause)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.docs = {d.doc_id: d for d in corpus.documents}
        self.citations: list[Citation] = []
        self.lines: list[str] = []

    def cite(self, chunk_id: str, quote: str) -> str:
        """「“quote”[n]」 for a sentence of a clause (the clause cited once, its quotes joined)."""
        chunk = self.corpus.chunk(chunk_id)
        if chunk is None:
            raise KeyError(f"no chunk {chunk_id!r} in the corpus")
        verbatim = next((raw for raw, _ in sentences(chunk.text) if raw == quote), quote)
        for c in self.citations:
            if c.chunk_id == chunk_id:
                if verbatim not in c.quote:
                    c.quote += "\n" + verbatim
                return f"“{verbatim}”[{c.n}]"
        n = len(self.citations) + 1
        hit = Hit.of(chunk, self.docs[chunk.doc_id], n, 1.0)
        self.citations.append(Citation.from_hit(n, hit, verbatim))
        return f"“{verbatim}”[{n}]"


def _stating(corpus: Corpus, docs: list[Document], as_of: date) -> list[tuple[Document, Validity]]:
    """The named documents whose text (or notice's) states when they start or end, or that are repealed; the first
    named document alone when none does."""
    out = []
    for d in docs:
        v = validity_of(corpus, d.doc_id, as_of)
        if v is not None and (v.status != "unknown" or v.effective_from or v.expires_on):
            out.append((d, v))
    return out


def _effective_quote(corpus: Corpus, v: Validity) -> tuple[str, str, str] | None:
    """(chunk_id, sentence, basis words) of the statement that sets the effective date."""
    facts = facts_of(corpus).documents.get(v.inherited_from or v.doc_id)
    e = next((e for e in facts.effective if e.on == v.effective_from), None) if facts else None
    if e is None:
        return None
    if e.on is None:
        basis = f"自{e.basis}之日起"
    elif e.basis == "date":
        basis = f"自{cn_date(e.on)}起"
    else:
        basis = f"自{e.basis}之日（{cn_date(e.on)}）起"
    return e.chunk_id, e.quote, basis


def _expiry_quote(corpus: Corpus, v: Validity) -> tuple[str, str] | None:
    facts = facts_of(corpus).documents.get(v.inherited_from or v.doc_id)
    x = next((x for x in facts.expiry if x.until in (None, v.expires_on)), None) if facts else None
    return (x.chunk_id, x.quote) if x else None


def _repeal_quote(corpus: Corpus, v: Validity) -> tuple[str, str] | None:
    r = next((r for r in facts_of(corpus).repeals_of(v.doc_id) if r.doc_id == v.repealed_by), None)
    return (r.chunk_id, r.quote) if r else None


def _in_force_line(w: _Composer, doc: Document, v: Validity) -> str:
    day = cn_date(v.as_of)
    name = doc_name(doc)
    if v.status == "repealed":
        repealer = w.docs.get(v.repealed_by or "")
        source = _repeal_quote(w.corpus, v)
        when = f"自{cn_date(v.repealed_on)}起" if v.repealed_on else ""
        by = f"被{doc_name(repealer)}" if repealer else ""
        quote = f"：{w.cite(*source)}" if source else ""
        return f"截至{day}，{name}已失效，{when}{by}废止{quote}"
    if v.status == "expired" and v.expires_on:
        source = _expiry_quote(w.corpus, v)
        quote = f"：{w.cite(*source)}" if source else ""
        return f"截至{day}，{name}已失效，有效期至{cn_date(v.expires_on)}{quote}"
    eff = _effective_quote(w.corpus, v)
    # 「有效期至…」 without a stated start counts from the signing date (index.validity): say so, not a blank
    signed = f"{cn_date(doc.signed)}印发" if doc.signed else "印发"
    started = f"{eff[2]}施行（{w.cite(eff[0], eff[1])}）" if eff else signed
    if v.status == "not_yet_in_force":
        return f"截至{day}，{name}尚未施行，{started}。"
    if v.expires_on:
        source = _expiry_quote(w.corpus, v)
        until = f"，有效期至{cn_date(v.expires_on)}" + (f"（{w.cite(*source)}）" if source else "")
    else:
        until = "，文中没有规定有效期"
    return f"截至{day}，{name}仍然有效：{started}{until}，现有公报中也没有废止它的文件。"


def _refusal(text: str, started: float) -> Answer:
    return Answer(text=text, answerable=False, mode="validity", latency_ms=(time.perf_counter() - started) * 1000)


def _answer(w: _Composer, started: float) -> Answer:
    text = "\n".join(w.lines)
    return Answer(
        text=text,
        short_answer=w.lines[0],
        answerable=True,
        citations=w.citations,
        mode="validity",
        latency_ms=(time.perf_counter() - started) * 1000,
    )


def _outside_corpus(corpus: Corpus, question: Question, started: float) -> Answer | None:
    """A 文号 the corpus does not hold, which a corpus document repeals: say so, citing the repeal."""
    number = question.doc_number
    if not number or question.asks_validity == "repeals":
        return None
    w = _Composer(corpus)
    for f in facts_of(corpus).documents.values():
        for r in f.repeals:
            if r.doc_number and norm(r.doc_number) == norm(number):
                repealer = w.docs[r.doc_id]
                when = f"自{cn_date(r.on)}起" if r.on else ""
                w.lines.append(
                    f"现有公报未收录{number}，但{doc_name(repealer)}写明{when}将其废止：{w.cite(r.chunk_id, r.quote)}"
                )
    return _answer(w, started) if w.lines else None


def validity_answer(
    corpus: Corpus, question: Question, as_of: date | None = None, started: float | None = None
) -> Answer | None:
    """The answer to a validity question about a named document, or None when the question is not one (or names
    no document of the corpus, nor a 文号 a corpus document repeals): then it is answered like any other."""
    started = started or time.perf_counter()
    ask = question.asks_validity
    if ask is None:
        return None
    docs = named_documents(corpus, question)
    if not docs:
        return _outside_corpus(corpus, question, started)
    day = as_of or date.today()
    w = _Composer(corpus)
    first = docs[0]
    if ask == "repeals":
        facts = facts_of(corpus).documents
        for d in docs:
            for r in facts[d.doc_id].repeals:
                held = "" if r.targets else "（该文件不在现有公报中）"
                cited = "《" + r.title + "》" if r.title else ""
                number = f"（{r.doc_number}）" if r.doc_number else ""
                w.lines.append(f"{doc_name(d)}废止了{cited}{number}{held}：{w.cite(r.chunk_id, r.quote)}")
        if not w.lines:
            return _refusal(f"{NOT_STATED}{doc_name(first)}废止其他文件的规定：文本没有写明它废止了哪个文件。", started)
        return _answer(w, started)
    stating = _stating(corpus, docs, day)
    if ask == "in_force":
        if not stating:
            return _refusal(
                f"{NOT_STATED}{doc_name(first)}的施行日期、有效期或废止的规定：文本没有写明，无法据公报判断它现在是否有效。",
                started,
            )
        w.lines += [_in_force_line(w, d, v) for d, v in stating]
        return _answer(w, started)
    if ask == "effective":
        for d, v in stating:
            eff = _effective_quote(corpus, v)
            if eff:
                w.lines.append(f"{doc_name(d)}{eff[2]}施行：{w.cite(eff[0], eff[1])}")
        if not w.lines:
            return _refusal(f"{NOT_STATED}{doc_name(first)}的施行日期：文本没有写明它自何时起施行。", started)
        return _answer(w, started)
    for d, v in stating:  # expiry
        source = _expiry_quote(corpus, v)
        if v.expires_on and source:
            ended = f"截至{cn_date(day)}已失效" if day > v.expires_on else f"截至{cn_date(day)}仍在有效期内"
            w.lines.append(f"{doc_name(d)}有效期至{cn_date(v.expires_on)}，{ended}：{w.cite(*source)}")
    if not w.lines:
        return _refusal(f"{NOT_STATED}{doc_name(first)}的有效期：文本没有规定它的有效期。", started)
    return _answer(w, started)
