"""A 政府信息公开 web page as gazette text (selectolax, MIT licence): title, 文号, body and attachment links.

Navigation, scripts, styles and page furniture are dropped. The page's metadata table (标题, 发文字号, …) gives
the title and 文号, written as the title block and 文号 line a printed notice starts with; the body keeps its
paragraphs (one per line) and tables (tab-separated rows); attachment links are listed at the end as
「相关附件：name（address）」.
"""

from __future__ import annotations

import re
from typing import Any

from index.formats import CharBudget, FormatError, ReadOptions, with_title_hint
from index.text import canonical_doc_number, norm

_DROP_TAGS = "script, style, noscript, iframe, nav, header, footer, form, button, select, input, svg, object, embed"
_FURNITURE = re.compile(r"nav|menu|breadcrumb|crumb|footer|share|sidebar|toolbar|search|login|topbar|位置", re.I)
_BODY_SELECTORS = (
    "#zoom",
    ".zoom",
    "#UCAP-CONTENT",
    ".TRS_Editor",
    ".pages_content",
    ".article-content",
    ".article_content",
    "#content",
    ".content",
    "article",
    "main",
)
_BLOCK = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
    "dd", "blockquote", "pre", "center", "address", "aside", "figure", "figcaption",
}  # fmt: skip
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|ofd)(?:$|\?)", re.I)
_LABELS = {
    "title": re.compile(r"^(?:标\s*题|名\s*称|文件名称)\s*[：:]?\s*(.*)$"),
    "number": re.compile(r"^(?:发文字号|文\s*号)\s*[：:]?\s*(.*)$"),
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_WS = re.compile(r"[ \t\r\n\f\xa0]+")


def html_text(data: bytes, name: str, options: ReadOptions) -> str:
    """The text of a published web page; FormatError when it cannot be decoded or is over the limit."""
    from selectolax.lexbor import LexborHTMLParser

    budget = CharBudget(name, options.max_chars)
    tree = LexborHTMLParser(_decode(data, name))
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _FURNITURE.search(marks) and node.tag not in ("body", "html"):
            node.decompose()
    title, number = _metadata(tree)
    root = next((n for sel in _BODY_SELECTORS if (n := tree.css_first(sel)) is not None), None) or tree.body
    if root is None:
        raise FormatError(name, "unreadable", "the web page has no body")
    # Attachment links often sit outside the text's own block (a 附件 box under it): looked for page-wide.
    attachments = [_attachment(a) for a in (tree.body or root).css("a[href]") if _is_attachment(a)]
    body = [budget.take(line) for line in _lines(root) if line]
    keys = {norm(line) for line in body}
    head = [h for h in (title, number) if h and norm(h) not in keys]
    # 「相关附件」, not 「附件：」: that would read as an annex heading and the link would be in no clause.
    tail = [f"相关附件：{a}" for a in attachments if norm(a) not in keys]
    return with_title_hint("\n".join([*head, "", *body, *tail]), title)


def _decode(data: bytes, name: str) -> str:
    m = _CHARSET.search(data[:4096])
    encodings = [m.group(1).decode("ascii").lower()] if m else []
    for encoding in [*encodings, "utf-8-sig", "gb18030"]:
        try:
            return data.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise FormatError(name, "not_text", "the web page is not UTF-8 or GB18030/GBK")


def _metadata(tree: Any) -> tuple[str | None, str | None]:
    """Title and 文号 from the page's metadata labels (「发文字号：」 in one cell, the value in it or the next)."""
    found: dict[str, str] = {}
    cells = [_clean(n.text(separator=" ")) for n in tree.css("td, th, li, span, p, div, dt, dd") if not _has_block(n)]
    for k, cell in enumerate(cells):
        for key, label in _LABELS.items():
            m = label.match(cell)
            if m and key not in found:
                value = m.group(1).strip() or (cells[k + 1] if k + 1 < len(cells) else "")
                if value and not any(lb.match(value) for lb in _LABELS.values()):
                    found[key] = value
    number = canonical_doc_number(found.get("number", "")) if found.get("number") else None
    title = found.get("title")
    if not title:
        h1 = tree.css_first("h1")
        page_title = tree.css_first("title")
        title = _clean(h1.text()) if h1 is not None else None
        if not title and page_title is not None:
            title = re.split(r"[_|－—-]", _clean(page_title.text()))[0].strip() or None
    return title, number


def _has_block(node: Any) -> bool:
    return any(child.tag in _BLOCK or child.tag in ("table", "td", "tr") for child in node.iter())


def _is_attachment(a: Any) -> bool:
    href = a.attributes.get("href") or ""
    return bool(_ATTACHMENT.search(href)) or _clean(a.text()).startswith("附件")


def _attachment(a: Any) -> str:
    text = re.sub(r"^附件\s*\d*\s*[：:]?\s*", "", _clean(a.text()))
    return f"{text}（{a.attributes.get('href')}）" if text else str(a.attributes.get("href"))


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _lines(root: Any) -> list[str]:
    """Block elements and <br> end lines; tables become tab-separated rows; bold inline text keeps its ** marks."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _clean("".join(current))
        if text:
            out.append(text)
        current.clear()

    def walk(node: Any) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                current.append(child.text(deep=False) or "")
            elif tag == "br":
                flush()
            elif tag == "table":
                flush()
                out.extend(_table_rows(child))
            elif tag in ("b", "strong"):
                inner = _clean(child.text())
                current.append(f"**{inner}**" if inner else "")
            elif tag in _BLOCK:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return out


def _table_rows(table: Any) -> list[str]:
    rows = []
    for tr in table.css("tr"):
        cells = [_clean(c.text(separator="")) for c in tr.iter() if c.tag in ("td", "th")]
        if any(cells):
            rows.append("\t".join(cells) + ("\t" if len(cells) == 1 else ""))
    return rows
