"""Nothing lost: every body line of every gazette is in a chunk (prose in exactly one clause)."""

from __future__ import annotations

import re

from index.clauses import _squeeze
from index.lines import split_lines
from index.models import Corpus, ParsedGazette
from index.text import norm
from tests.conftest import CORPUS_DIR


def _cells_in_order(cells: list[str], text: str) -> bool:
    pos = 0
    for cell in cells:
        found = text.find(cell, pos)
        if found < 0:
            return False
        pos = found + len(cell)
    return True


def _body_lines(parsed: ParsedGazette):  # type: ignore[no-untyped-def]
    text = (CORPUS_DIR / parsed.gazette.source_file).read_text(encoding="utf-8")
    consumed = set(parsed.skipped_lines) | {n for d in parsed.documents for n in d.header_lines}
    return [ln for ln in split_lines(text) if not ln.blank and ln.no not in consumed]


def test_every_body_line_is_in_a_chunk(corpus: Corpus) -> None:
    for parsed in corpus.gazettes:
        chunks = parsed.chunks
        labels = {norm(s).rstrip("。") for c in chunks for s in c.section}
        missing = []
        for line in _body_lines(parsed):
            covering = [c for c in chunks if c.source.line_start <= line.no <= c.source.line_end]
            if line.is_table_row:
                cells = [norm(_squeeze(c)) for c in line.cells or () if norm(c)]
                ok = any(_cells_in_order(cells, norm(c.text)) for c in covering if c.kind == "table_row")
                # A header row lives on as the column names of the rows below it (a column left empty in
                # every row, such as 备注, has no value to name, hence "most" rather than "all").
                below = norm(
                    "".join(c.text for c in chunks if c.kind == "table_row" and 0 < c.source.line_end - line.no < 80)
                )
                ok = ok or sum(f"{cell}:" in below for cell in cells) >= 0.6 * len(cells)
            else:
                joined = norm("".join(c.text for c in covering))
                ok = norm(line.text) in joined or norm(line.text).rstrip("。") in labels
            if not ok:
                missing.append(f"{parsed.gazette.source_file}:{line.no} {line.text[:40]}")
        assert not missing, missing[:20]


def test_prose_line_belongs_to_exactly_one_clause(corpus: Corpus) -> None:
    for parsed in corpus.gazettes:
        for line in _body_lines(parsed):
            if line.is_table_row:
                continue
            clauses = {
                (c.doc_id, tuple(c.section))
                for c in parsed.chunks
                if c.kind == "clause" and c.source.line_start <= line.no <= c.source.line_end
            }
            assert len(clauses) <= 1, (parsed.gazette.source_file, line.no, clauses)


def test_no_chunk_crosses_a_document_boundary(corpus: Corpus) -> None:
    for parsed in corpus.gazettes:
        spans = {d.doc_id: d.source for d in parsed.documents}
        for c in parsed.chunks:
            doc = spans[c.doc_id]
            assert doc.line_start <= c.source.line_start <= c.source.line_end <= doc.line_end, c.chunk_id


def test_table_rows_carry_title_and_headers(corpus: Corpus) -> None:
    rows = [c for c in corpus.chunks if c.kind == "table_row"]
    assert len(rows) > 300
    lithium = [c for c in rows if "锂产业" in c.text and "亿元" in c.text]
    assert len(lithium) == 1
    text = lithium[0].text
    assert text.startswith("表：盐湖产业高质量发展目标体系")
    for pair in ("指标：产值规模／锂产业", "单位：亿元", "2025 年：40", "2030 年：90", "2035 年：150"):
        assert pair in text
    assert not any(re.search(r"</?p>|</?b>", c.text) for c in rows)


def test_no_chunk_is_a_repeated_header_row(corpus: Corpus) -> None:
    # 001's 政务公开台账 repeats 「序号 工作任务 主要内容 责任单位 工作要求」 after a page break.
    for c in corpus.chunks:
        body = c.text.split("\n", 1)[-1]
        assert norm(body) not in {
            norm("序号工作任务主要内容责任单位工作要求"),
            norm("一级指标二级指标指标说明"),
        }


def test_merged_group_cells_are_filled_from_the_row_above(corpus: Corpus) -> None:
    magnesium = next(c for c in corpus.chunks if c.kind == "table_row" and "碳酸锂" in c.text and "万吨" in c.text)
    assert "主要产品产能／碳酸锂" in magnesium.text


def test_lines_broken_at_page_breaks_are_joined(corpus: Corpus) -> None:
    joined = norm("以生态保护为前提、技术创新为动力、循环利用为路径")
    assert any(joined in norm(c.text) for c in corpus.chunks)
    # ...but a heading is never merged into the paragraph above it.
    for c in corpus.chunks:
        for line in c.text.split("\n")[1:]:
            assert not re.match(r"^第[一二三四五六七八九十]+章", line), c.chunk_id
