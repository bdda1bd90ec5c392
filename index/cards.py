"""Document cards: one chunk per document holding what the gazette says *about* it, not in it.

A question about a document's metadata (「这份方案的文号是什么」, 「什么时候印发的」,
「由哪个部门印发」, 「刊登在哪一期」, 「由哪个通知印发」) has no clause to cite: the 文号, the signature and
the issue line are header lines, consumed as metadata. The card states them as lines of text, so the
retrieval, answering and citation path that serves clauses serves them too:

    文件：《关于进一步改革完善医疗卫生服务体系的实施方案》
    文号：青政办〔2023〕75号。
    发文机关：青海省人民政府办公厅。
    成文日期：2023年10月25日。
    印发通知：《青海省人民政府办公厅关于印发…的通知》（青政办〔2023〕75号）。
    刊登：青海省人民政府公报2023年第20期（总第560期）。

Each line is a sentence of its own (the composer quotes lines); each field's label is in `CARD_LABELS`. The card's id
is the document's id plus 「-card」, so clause ids do not move when cards are added.
"""

from __future__ import annotations

from index.models import Chunk, Document, Gazette, SourceSpan

CARD_SECTION = "文件信息"
CARD_SUFFIX = "-card"
# field → the label its card line starts with (rag reads a card's fields back by these labels)
CARD_LABELS = {
    "title": "文件",
    "doc_number": "文号",
    "issuer": "发文机关",
    "signed": "成文日期",
    "parent": "印发通知",
    "gazette": "刊登",
}


def card_id(doc_id: str) -> str:
    """The card chunk's id of a document: stable, and never equal to a clause id (those are doc_id-<hash>)."""
    return f"{doc_id}{CARD_SUFFIX}"


def card_lines(doc: Document, gazette: Gazette) -> dict[str, str]:
    """The card's lines by field, only those the gazette states (a chronicle has no 文号 and no signature)."""
    lines = {"title": f"{CARD_LABELS['title']}：《{doc.title}》"}
    if doc.doc_number:
        lines["doc_number"] = f"{CARD_LABELS['doc_number']}：{doc.doc_number}。"
    if doc.issuer:
        lines["issuer"] = f"{CARD_LABELS['issuer']}：{doc.issuer}。"
    if doc.signed:
        s = doc.signed
        lines["signed"] = f"{CARD_LABELS['signed']}：{s.year}年{s.month}月{s.day}日。"
    if doc.parent_title:  # an attachment's 文号 is its notice's
        number = f"（{doc.doc_number}）" if doc.doc_number else ""
        lines["parent"] = f"{CARD_LABELS['parent']}：《{doc.parent_title}》{number}。"
    if gazette.number is not None or gazette.special:
        lines["gazette"] = f"{CARD_LABELS['gazette']}：{gazette.title}{gazette.label}。"
    return lines


def document_card(doc: Document, gazette: Gazette) -> Chunk:
    """The card chunk of one document; its source span is the document's header lines (title, 文号, signature)."""
    span = doc.header_lines or [doc.source.line_start]
    return Chunk(
        chunk_id=card_id(doc.doc_id),
        doc_id=doc.doc_id,
        kind="card",
        section=[CARD_SECTION],
        text="\n".join(card_lines(doc, gazette).values()),
        source=SourceSpan(file=doc.source.file, line_start=min(span), line_end=max(span)),
    )
