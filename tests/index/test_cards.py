"""Document cards (index.cards): one per document, stating what the gazette prints about it."""

from __future__ import annotations

from index.cards import CARD_SECTION, card_id, card_lines, document_card
from index.models import Corpus, Document, Gazette, SourceSpan
from index.validity import references_of


def test_every_document_has_one_card_first_among_its_chunks(corpus: Corpus) -> None:
    for g in corpus.gazettes:
        for doc in g.documents:
            mine = [c for c in g.chunks if c.doc_id == doc.doc_id]
            assert [c.chunk_id for c in mine if c.kind == "card"] == [card_id(doc.doc_id)]
            assert mine[0].kind == "card" and mine[0].section == [CARD_SECTION]


def test_a_card_states_the_number_issuer_date_and_issue_as_printed(corpus: Corpus) -> None:
    docs = {d.doc_id: d for d in corpus.documents}
    cards = {c.doc_id: c for c in corpus.chunks if c.kind == "card"}
    notice = next(d for d in docs.values() if d.doc_number == "青政办〔2022〕30号" and not d.parent_id)
    text = cards[notice.doc_id].text.splitlines()
    assert text[0] == f"文件：《{notice.title}》"
    assert "文号：青政办〔2022〕30号。" in text and "发文机关：青海省人民政府办公厅。" in text
    assert "成文日期：2022年5月15日。" in text and "刊登：青海省人民政府公报2022年第9期（总第525期）。" in text


def test_an_attachments_card_names_the_notice_that_issued_it(corpus: Corpus) -> None:
    cards = {c.doc_id: c for c in corpus.chunks if c.kind == "card"}
    attachments = [d for d in corpus.documents if d.parent_id]
    assert attachments
    for doc in attachments:
        number = f"（{doc.doc_number}）" if doc.doc_number else ""
        assert f"印发通知：《{doc.parent_title}》{number}。" in cards[doc.doc_id].text.splitlines()


def test_a_chronicle_card_states_no_number_or_date(corpus: Corpus) -> None:
    cards = {c.doc_id: c for c in corpus.chunks if c.kind == "card"}
    chronicle = next(d for d in corpus.documents if d.doc_type == "大事记")
    text = cards[chronicle.doc_id].text
    assert "文号：" not in text and "成文日期：" not in text and "刊登：" in text


def test_clause_ids_do_not_depend_on_cards(corpus: Corpus) -> None:
    ids = [c.chunk_id for c in corpus.chunks if c.kind != "card"]
    assert len(ids) == len(set(ids)) and not any(i.endswith("-card") for i in ids)
    # ids as they were before cards existed (citations stored by users keep resolving)
    by_id = {c.chunk_id: c.section for c in corpus.chunks}
    assert by_id["2023-20-8faab5-84a56008"] == ["五、增加产业经营收入"]
    assert by_id["2023-20-8faab5-f52fc99f"] == ["六、发挥联农带农效应"]


def test_a_card_makes_no_reference_of_its_own(corpus: Corpus) -> None:
    """A card names the notice that issued its plan; that is the header restated, not a citation by the plan."""
    attachment = next(d for d in corpus.documents if d.parent_id)
    outgoing, incoming = references_of(corpus, card_id(attachment.doc_id))
    assert outgoing == [] and incoming == []


# ---------- round 11 mutation probe: rules the real corpus has no example of (invented documents) ----------


def _document(**fields: object) -> Document:
    span = SourceSpan(file="special.txt", line_start=40, line_end=90)
    return Document(doc_id="d1", gazette_key="g", title="青海省冰川保护办法", doc_type="办法", source=span, **fields)


def test_a_special_issue_card_states_where_it_was_printed() -> None:
    gazette = Gazette(key="2024-特刊", year=2024, special=True, source_file="special.txt", sha256="0" * 64)
    assert card_lines(_document(), gazette)["gazette"] == "刊登：青海省人民政府公报2024年特刊。"
    upload = Gazette(key="u", source_file="notice.docx", sha256="0" * 64)  # a notice uploaded alone: no issue
    assert "gazette" not in card_lines(_document(), upload)


def test_a_cards_source_span_covers_the_header_lines() -> None:
    """The card cites the lines it restates (title, 文号, signature): from the first to the last of them."""
    gazette = Gazette(key="g", year=2024, number=3, source_file="special.txt", sha256="0" * 64)
    card = document_card(_document(header_lines=[41, 43, 88]), gazette)
    assert (card.source.line_start, card.source.line_end) == (41, 88)
    bare = document_card(_document(), gazette)  # no header line recorded: the document's first line
    assert (bare.source.line_start, bare.source.line_end) == (40, 40)
