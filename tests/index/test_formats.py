"""Published formats (index/formats): a PDF, a .docx and a web page of a bundled gazette parse like its .txt.

The fixtures are rendered from corpus/001_….txt by tests/fixtures/make_published.py (once a session). The
differences from the .txt parse that are allowed are listed with each test, with the reason.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from index.formats import FormatError, ReadOptions, read_published
from index.formats.ocr import tesseract_available
from index.formats.sniff import sniff
from index.models import Chunk, ParsedGazette
from index.parser import parse_corpus, parse_file, parse_text
from index.text import norm
from tests.conftest import CORPUS_DIR
from tests.fixtures.make_published import GAZETTE, SCAN_PAGE, Rendered

NOTICE = "青政办〔2022〕30号"


@pytest.fixture(scope="module")
def txt() -> ParsedGazette:
    return parse_file(GAZETTE)


def _parse(path: Path, options: ReadOptions | None = None) -> ParsedGazette:
    _, text = read_published(path.read_bytes(), path.name, options)
    return parse_text(text, path.name)


def _docs(parsed: ParsedGazette) -> list[tuple[str, str | None, str | None]]:
    return [(d.title, d.doc_number, d.parent_title) for d in parsed.documents]


def _clauses(chunks: list[Chunk]) -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(c.section), c.text) for c in chunks]


def _squeezed(chunks: list[Chunk]) -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(c.section), re.sub(r"\s+", "", c.text)) for c in chunks]


# ---------- sniffing: the bytes decide, not the name ----------


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (_zip(["[Content_Types].xml", "word/document.xml"]), "docx"),
        (_zip(["xl/workbook.xml"]), "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "doc"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"  <html lang='zh'>", "html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("# 青海省人民政府公报\n青政办〔2022〕30号".encode(), "text"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported", "binary"),  # a picture renamed to .pdf
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported", ".docx"),  # legacy Word
        (_zip(["xl/workbook.xml"]), "unsupported", "ZIP"),
        (b"%PDF-1.4\n1 0 obj <<>> garbage", "unreadable", "PDF"),  # damaged
        (b"\x00\x01\x02binary", "not_text", "binary"),
    ],
)
def test_refused_files_say_why(data: bytes, code: str, words: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_published(data, "公报.pdf")
    assert caught.value.code == code and words in str(caught.value) and "公报.pdf" in str(caught.value)


# ---------- PDF ----------


def test_pdf_gives_the_txt_documents_and_clauses(published: Rendered, txt: ParsedGazette) -> None:
    """Same issue, documents, heading paths and clause texts as the .txt.

    Allowed difference: whitespace inside a clause. Where the printed line wrapped at a space (「4 所」, 「青海省
    DRG/DIP」), the space is not printed, so the PDF text has none (and cannot know it was there). Everything else
    (the characters, their order, the heading paths) must be identical.
    """
    pdf = _parse(published.pdf)
    assert pdf.gazette.key == txt.gazette.key == "2022-09" and pdf.gazette.total_number == 525
    assert _docs(pdf) == _docs(txt)
    assert _squeezed(pdf.chunks) == _squeezed(txt.chunks)
    identical = sum(a == b for a, b in zip(_clauses(pdf.chunks), _clauses(txt.chunks), strict=True))
    assert identical / len(txt.chunks) >= 0.85, f"{identical}/{len(txt.chunks)} clause texts identical"


def test_pdf_running_headers_and_page_numbers_are_dropped(published: Rendered) -> None:
    _, text = read_published(published.pdf.read_bytes(), published.pdf.name)
    lines = [ln.strip() for ln in text.split("\n")]
    assert not [ln for ln in lines if re.fullmatch(r"—\s*\d+\s*—", ln)]  # 「— 12 —」 footers
    assert "2022年第9期" not in lines  # the even pages' running header
    assert lines.count("青海省人民政府公报") <= 1  # the odd pages' header; the cover's own title may stay
    assert not any("青海省人民政府公报" in ln and len(ln) > 9 for ln in lines)  # never glued into a sentence


def test_pdf_fixture_breaks_sentences_and_tables_across_pages(published: Rendered) -> None:
    """The fixture is as hard as a printed issue: pages end mid-sentence and inside tables."""
    import pdfplumber

    with pdfplumber.open(published.pdf) as pdf:
        pages = [(p.extract_text_lines(), p.find_tables(), float(p.height)) for p in pdf.pages]
    tables = sum(len(t) for _, t, _ in pages)
    assert tables >= 2
    mid_sentence = [
        k
        for k, (lines, t, _) in enumerate(pages)
        if not t and len(lines) > 3 and lines[-2]["text"][-1] not in "。；：）"
    ]  # the last line is the footer; the one above it ends the page's text
    assert mid_sentence, "no page break inside a sentence"
    split_tables = [
        k
        for k in range(len(pages) - 1)
        if pages[k][1]
        and pages[k + 1][1]
        and pages[k][1][-1].bbox[3] > pages[k][2] * 0.75
        and pages[k + 1][1][0].bbox[1] < pages[k + 1][2] * 0.2
    ]
    assert split_tables, "no table continued on the next page"


def test_scan_is_refused_without_ocr(published: Rendered) -> None:
    with pytest.raises(FormatError) as caught:
        read_published(published.scan.read_bytes(), "scan.pdf")
    assert caught.value.code == "no_text"
    assert "scan.pdf" in str(caught.value) and "GONGBAO_OCR=tesseract" in str(caught.value)


@pytest.mark.skipif(not tesseract_available(), reason="tesseract with chi_sim is not installed (make test installs it)")
def test_ocr_reads_a_scanned_page(published: Rendered) -> None:
    """Character accuracy of tesseract on a 200-dpi page against the page's own text layer."""
    from tests.fixtures.formats_report import char_accuracy, page_text

    _, text = read_published(published.scan.read_bytes(), "scan.pdf", ReadOptions(ocr="tesseract"))
    accuracy = char_accuracy(text, page_text(published.pdf, SCAN_PAGE))
    assert accuracy >= 0.85, accuracy


def test_limits_refuse_with_too_large(published: Rendered) -> None:
    for path in (published.pdf, published.docx, published.html, GAZETTE):
        with pytest.raises(FormatError) as caught:
            read_published(path.read_bytes(), path.name, ReadOptions(max_chars=2_000))
        assert caught.value.code == "too_large" and "GONGBAO_MAX_EXTRACTED_CHARS" in str(caught.value)
    with pytest.raises(FormatError) as caught:
        read_published(published.pdf.read_bytes(), "big.pdf", ReadOptions(max_pages=10))
    assert caught.value.code == "too_large" and "43 pages" in str(caught.value)


# ---------- Word ----------


def test_docx_gives_the_txt_documents_and_clauses(published: Rendered, txt: ParsedGazette) -> None:
    """Identical: headings come back as Heading styles and bold runs, tables as Word tables; the page header
    and footer of the document are not part of its text."""
    docx = _parse(published.docx)
    assert docx.gazette.key == "2022-09"
    assert _docs(docx) == _docs(txt)
    assert _clauses(docx.chunks) == _clauses(txt.chunks)


# ---------- web page ----------


def test_html_page_gives_the_notice_and_its_attachments(published: Rendered, txt: ParsedGazette) -> None:
    """A 政府信息公开 page of one notice: the same documents and clauses as that notice in the .txt issue.

    Allowed differences: the page is one document, not an issue, so its gazette key comes from the file name;
    the attachment link listed under the body (「相关附件：助企纾困政策咨询联络方式（/zwgk/P020220531.pdf）」) is
    text of the last document, which has one more clause: that line; and a page is printed in no issue, so the
    documents' cards have no 「刊登」 line.
    """
    page = _parse(published.html)
    family = [d for d in txt.documents if d.doc_number == NOTICE]
    assert page.gazette.key == "notice" and page.gazette.label == "notice.html"
    assert _docs(page) == [(d.title, d.doc_number, d.parent_title) for d in family]
    expected = _clauses([c for c in txt.chunks if c.doc_id in {d.doc_id for d in family} and c.kind != "card"])
    got = _clauses([c for c in page.chunks if c.kind != "card"])
    assert got[:-1] == expected
    cards = [c.text for c in page.chunks if c.kind == "card"]
    issue_cards = [c.text for c in txt.chunks if c.kind == "card" and c.doc_id in {d.doc_id for d in family}]
    assert [t + "\n刊登：青海省人民政府公报2022年第9期（总第525期）。" for t in cards] == issue_cards
    assert got[-1][1] == "相关附件：助企纾困政策咨询联络方式.pdf（/zwgk/P020220531.pdf）"
    _, text = read_published(published.html.read_bytes(), published.html.name)
    for furniture in ("首页", "当前位置", "统计代码", "分享到", "网站标识码", "索 引 号"):
        assert furniture not in text


def test_single_document_without_number_gets_its_title_from_the_page() -> None:
    page = """<html><head><meta charset="gbk"><title>青海省促进民营经济发展的若干措施_青海省人民政府</title></head>
    <body><div class="nav">首页</div><div id="zoom"><p>为促进民营经济发展，制定如下措施。</p>
    <p>一、放宽市场准入。全面落实市场准入负面清单制度。</p><p>二、加大金融支持。扩大信贷投放。</p></div></body></html>"""
    _, text = read_published(page.encode("gbk"), "page.html")
    parsed = parse_text(text, "page.html")
    assert [d.title for d in parsed.documents] == ["青海省促进民营经济发展的若干措施"]
    assert [c.section for c in parsed.chunks][-2:] == [["一、放宽市场准入"], ["二、加大金融支持"]]


# ---------- the corpus folder ----------


def test_corpus_folder_reads_published_files_and_names_bad_ones(published: Rendered, tmp_path: Path) -> None:
    shutil.copy(published.pdf, tmp_path / "2022-09.pdf")
    shutil.copy(published.docx, tmp_path / "2022-09-word.docx")
    shutil.copy(published.scan, tmp_path / "scan.pdf")
    shutil.copy(CORPUS_DIR / "002_80a544ba8699e234.txt", tmp_path / "other.txt")
    corpus = parse_corpus(tmp_path)
    # the PDF and the Word file of one issue are one issue: read once (corpus order), the repeat named
    assert sorted(g.gazette.source_file for g in corpus.gazettes) == ["2022-09-word.docx", "other.txt"]
    assert [(p.file, "text layer" in p.message, "repeats issue" in p.message) for p in corpus.problems] == [
        ("scan.pdf", True, False),
        ("2022-09.pdf", False, True),
    ]
    with_ocr = parse_corpus(tmp_path, [tmp_path / "2022-09.pdf"], ReadOptions(max_pages=3))
    assert with_ocr.problems[0].file == "2022-09.pdf" and "page limit" in with_ocr.problems[0].message
    assert all(norm(d.title) for d in corpus.documents)
