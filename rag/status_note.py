"""Status notes: an answer resting on a clause of a document that is no longer (or not yet) in force says so.

Called once from the answering path (`rag.service`) on the finished answer. For every cited document that is
expired, repealed or not yet in force on the request's date, the answer text gains one short line saying so
(「注意：青政办〔2022〕30号已失效[2]」; 「…有效期至2022年12月31日，截至…已失效」 for a request giving the day),
with a citation of the clause that sets the status (a new [n], or the existing one when it quotes that sentence
already) quoting the sentence that sets it: the expiry, the repealing sentence or the effective date. The line names
the document by its 文号 (its title when it has none; the citation shows the title) and leaves the sentence to the
citation: the note is a trailer to the answer, and quoting the title and the sentence in it made it longer than most
answers. The new citations are marked `status_note`: they support the note, not the answer's content.
"""

from __future__ import annotations

from datetime import date

from index.models import Corpus, Document
from index.text import norm
from index.validity import Validity, facts_of, sentences, validity_of
from rag.config import DEFAULT, AnswerConfig
from rag.models import Answer, Citation, Hit
from rag.status import document_of_chunk, validity_at

NOTED = frozenset({"expired", "repealed", "not_yet_in_force"})


def cn_date(day: date) -> str:
    """2022-12-31 → 2022年12月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_name(doc: Document) -> str:
    """《title》（文号）, or 《title》 for a document without 文号."""
    return f"《{doc.title}》" + (f"（{doc.doc_number}）" if doc.doc_number else "")


def short_name(doc: Document) -> str:
    """The 文号 alone, or 《title》 for a document without one: how a status note names a document."""
    return doc.doc_number or f"《{doc.title}》"


def _source(corpus: Corpus, v: Validity) -> tuple[str, str] | None:
    """(chunk_id, verbatim sentence) of the statement behind a status: the expiry, the repeal or the start."""
    facts = facts_of(corpus)
    holder = facts.documents.get(v.inherited_from or v.doc_id)
    if v.status == "repealed":
        repeal = next((r for r in facts.repeals_of(v.doc_id) if r.doc_id == v.repealed_by), None)
        return (repeal.chunk_id, repeal.quote) if repeal else None
    if holder is None:
        return None
    if v.status == "expired":
        expiry = next((x for x in holder.expiry if x.until in (None, v.expires_on)), None)
        expiry = expiry or (holder.expiry[0] if holder.expiry else None)
        return (expiry.chunk_id, expiry.quote) if expiry else None
    effective = next((e for e in holder.effective if e.on == v.effective_from), None)
    return (effective.chunk_id, effective.quote) if effective else None


def status_line(corpus: Corpus, doc: Document, v: Validity, n: int, dated: bool = True, since: bool = True) -> str:
    """The note for one document, citing [n] (the clause that sets its status, whose citation quotes the sentence);
    `dated`: it says on which day the status holds (「截至…」), for an answer asked as of a given day; `since`: an
    expired or repealed document's note says since when (a dated note always does: the day asked is read against it).
    """
    day = f"截至{cn_date(v.as_of)}" if dated else ""
    if v.status == "expired" and v.expires_on:
        what = f"有效期至{cn_date(v.expires_on)}，{day}已失效" if since or dated else "已失效"
    elif v.status == "repealed":
        repealer = next((d for d in corpus.documents if d.doc_id == v.repealed_by), None)
        by = f"被{short_name(repealer)}" if repealer else ""
        when = f"自{cn_date(v.repealed_on)}起" if v.repealed_on and (since or dated) else ""
        what = f"已{when}{by}废止"
    elif v.effective_from:
        what = f"自{cn_date(v.effective_from)}起施行，{day}尚未施行"
    else:  # pragma: no cover - NOTED statuses always carry their date
        what = f"{day}不在有效期内"
    return f"注意：{short_name(doc)}{what}[{n}]"


def with_status_notes(corpus: Corpus, answer: Answer, as_of: date | None = None, cfg: AnswerConfig = DEFAULT) -> Answer:
    """The answer with a status note for each cited document not in force on `as_of` (default today)."""
    if not answer.answerable or not answer.citations:
        return answer
    citations = list(answer.citations)
    by_chunk = {c.chunk_id: c for c in citations}
    lines: list[str] = []
    seen: set[str] = set()
    for cited in answer.citations:
        doc = document_of_chunk(corpus, cited.chunk_id)
        if doc is None or doc.doc_id in seen:
            continue
        seen.add(doc.doc_id)
        v = validity_at(corpus, cited.chunk_id, as_of)
        if v is None or v.status not in NOTED:
            continue
        source = _source(corpus, v)
        if source is None:
            continue
        chunk_id, quote = source
        cited_clause = by_chunk.get(chunk_id)
        # The clause may be cited already for another of its sentences: the note's date must still be quoted, so
        # it gets a citation of its own unless that quote holds the status sentence.
        if cited_clause is None or norm(quote) not in norm(cited_clause.quote):
            cited_clause = _citation(corpus, len(citations) + 1, chunk_id, quote, v)
            by_chunk[chunk_id] = cited_clause
            citations.append(cited_clause)
        lines.append(  # today needs no date
            status_line(corpus, doc, v, cited_clause.n, dated=as_of is not None, since=cfg.note_since)
        )
    if not lines:
        return answer
    return answer.model_copy(update={"text": answer.text + "\n" + "\n".join(lines), "citations": citations})


def _citation(corpus: Corpus, n: int, chunk_id: str, quote: str, v: Validity) -> Citation:
    chunk = corpus.chunk(chunk_id)
    doc = document_of_chunk(corpus, chunk_id)
    if chunk is None or doc is None:
        raise KeyError(f"no chunk {chunk_id!r} in the corpus")
    verbatim = next((raw for raw, _ in sentences(chunk.text) if raw == quote), quote)
    cited = Citation.from_hit(n, Hit.of(chunk, doc, n, 1.0), verbatim)
    own = validity_of(corpus, doc.doc_id, v.as_of)
    return cited.model_copy(
        update={
            "status_note": True,
            "status": own.status if own else None,
            "effective_from": own.effective_from if own else None,
            "expires_on": own.expires_on if own else None,
            "repealed_by": own.repealed_by if own else None,
        }
    )
