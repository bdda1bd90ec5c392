"""A synthetic large corpus: the bundled gazettes copied N times as distinct issues (for scale benchmarks only).

Each copy must parse into the same documents and clauses as the original (so every copy's chunks are served) while
naming its documents differently, as the issues of a real corpus do; otherwise a question naming a document names
N of them and the benchmark never takes the path a real corpus takes (a comparison side searched within its one
document, review8 PF2). Copy i (copy 0 is the original, unchanged):

- **issue**: a numbered issue gets issue number ``100·i + n`` (「第23期」 → 「第123期」); a special issue (特刊, keyed
  by its year) gets the publication year ``year + 100·i``;
- **文号**: every serial below ``stride`` (``10000 // copies``: 500 at 20 copies) becomes ``stride·i + n``
  (「青政办〔2021〕122号」 → 「青政办〔2021〕1122号」 in copy 2 of 20). The parser reads a serial of at most four
  digits (a 文号 line 「…〔2021〕10122号」 is not one: the document merges into the one before it, which is why a
  shift by ``1000·i`` served 32,580 chunks instead of 34,900 at 20×: copies 10–19 lost 232 chunks each). A serial
  at or above ``stride`` (a national document cited, 「发改产业〔2019〕1602号」) is left as it is. So a 文号 names
  one document up to about 20 copies; at 100 copies the stride is 100 and the bundled serials from 100 up (〔2020〕
  138号 …) repeat in every copy, and a shifted serial may equal an unshifted one (review9 PF2): at 100× some 文号
  name several documents, as the 20× corpus of earlier rounds did;
- **titles**: every document title (wherever it is printed: its header, the cover's contents, 附件 lists, 《》
  references) has the characters of each of its words shuffled, the same way wherever that word occurs in the copy
  (`copy_title`); the words that give a title its structure (关于, 印发, 的, the type word 通知/方案/…, digits,
  brackets, and 青海省 at a title's start, by which a title block is told) stay in place, so the copy is segmented,
  typed and attached exactly as the original. An abbreviated title in a question (「助企纾困十条」) then names the
  original only, as it would name one issue of a real corpus.

Everything else (every clause's text) is unchanged: the copies are the worst case for BM25 and FAISS (each clause
has 19 twins). The copies are written to a folder you name (a temp folder); they are never committed.

Run: ``python -m bench.synth_corpus /tmp/gongbao-20x --copies 20``
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from index.parser import corpus_files, parse_text
from rag.settings import PROJECT_ROOT

_ISSUE = re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*第\s*)(\d+)(\s*期)")
_PUBLISHED = re.compile(r"(\d{4})(\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*出版)")
_COVER = 60
_DOC_NUMBER_SERIAL = re.compile(r"(〔\s*\d{4}\s*〕\s*)(\d+)(\s*号)")
_SERIAL_LIMIT = 10_000  # the parser reads a 文号 serial of at most four digits
# What stays in place in a copied title: the words and marks its structure is read from (a notice 「关于印发…的通知」,
# the type word, a period 「（2021—2025年）」, a list number), and whitespace (a title wrapped over lines).
_TITLE_KEEP = re.compile(
    r"\s+|\d+|[^\w]|青海省|人民政府|办公厅|关于|印发|转发|批转|的|和|及|年|月份|月|大事记|"
    r"通知|决定|意见|方案|规划|办法|措施|规定|细则|计划|要点|任务|目录|清单|台账|名单|公告|通告|批复|报告|纲要|标准|制度"
)


def copy_title(title: str, copy: int) -> str:
    """Copy `copy`'s spelling of a title: each word between the kept words (`_TITLE_KEEP`) has its characters
    shuffled, seeded by the copy and the word, so a word is spelt the same way wherever it occurs in that copy (a
    plan's title inside its notice's 「关于印发《…》的通知」 too). Copy 0 is the title itself."""
    if copy == 0:
        return title
    issuer, about, rest = title.partition("关于")
    if about:  # the issuer before 「关于」 stays: a real corpus's titles share their issuers
        return issuer + about + copy_title(rest, copy)
    out, last = [], 0
    for m in _TITLE_KEEP.finditer(title):
        out.append(_shuffled(title[last : m.start()], copy))
        out.append(m.group(0))
        last = m.end()
    out.append(_shuffled(title[last:], copy))
    return "".join(out)


def _shuffled(word: str, copy: int) -> str:
    """The word's characters but its last in another order; the last stays (a title is read as one by its end:
    「…流程图」, 「…分解表」)."""
    head = word[:-1]
    chars = list(head)
    random.Random(f"{copy}:{word}").shuffle(chars)
    shuffled = "".join(chars)
    if shuffled == head and len(set(head)) > 1:  # shuffled into itself: turn it once
        shuffled = shuffled[1:] + shuffled[0]
    return shuffled + word[-1:]


def _titles_pattern(text: str) -> re.Pattern[str] | None:
    """Every document title of a gazette's text, longest first, matched across line breaks (a wrapped title)."""
    titles = {d.title for d in parse_text(text, "copy.txt").documents if len(d.title) > 1}
    # a notice's header prints its title from 「关于」 on (the issuer is its own line): that form is a title too
    titles |= {"关于" + t.partition("关于")[2] for t in titles if "关于" in t}
    if not titles:
        return None
    alternatives = ("\\s*".join(map(re.escape, t)) for t in sorted(titles, key=len, reverse=True))
    return re.compile("|".join(alternatives))


def _retitle(text: str, pattern: re.Pattern[str] | None, copy: int) -> str:
    if pattern is None:
        return text

    def spelt(m: re.Match[str]) -> str:
        # the copy's title in the printed title's place, its line breaks and spaces where they were
        raw = m.group(0)
        chars = iter(copy_title("".join(ch for ch in raw if not ch.isspace()), copy))
        return "".join(ch if ch.isspace() else next(chars) for ch in raw)

    return pattern.sub(spelt, text)


def copy_text(text: str, copy: int, copies: int = 20, titles: re.Pattern[str] | None = None) -> str:
    """Copy number `copy` (0 = unchanged) of one gazette's text, as a distinct issue of a corpus of `copies` copies.

    `titles` is `_titles_pattern(text)` when the caller has made it already (it parses the text)."""
    if copy == 0:
        return text
    if not 0 < copy < copies:
        raise ValueError(f"copy {copy} of {copies}")
    lines = text.split("\n")
    cover = "\n".join(lines[:_COVER])
    new, n = _ISSUE.subn(lambda m: f"{m.group(1)}{100 * copy + int(m.group(2))}{m.group(3)}", cover, count=1)
    if not n:
        new = _PUBLISHED.sub(lambda m: f"{int(m.group(1)) + 100 * copy}{m.group(2)}", cover, count=1)
    text = "\n".join([new, *lines[_COVER:]])
    stride = _SERIAL_LIMIT // copies

    def serial(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f"{m.group(1)}{stride * copy + n if n < stride else m.group(2)}{m.group(3)}"

    text = _DOC_NUMBER_SERIAL.sub(serial, text)
    return _retitle(text, titles if titles is not None else _titles_pattern(text), copy)


def write_corpus(target: Path, copies: int, source: Path = PROJECT_ROOT / "corpus") -> list[Path]:
    """Write `copies` copies of every gazette in `source` into `target`; the written files."""
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for path in corpus_files(source):
        text = path.read_text(encoding="utf-8-sig")
        titles = _titles_pattern(text)
        for copy in range(copies):
            dest = target / f"c{copy:03d}_{path.name}"
            dest.write_text(copy_text(text, copy, copies, titles), encoding="utf-8")
            out.append(dest)
    return sorted(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args(argv)
    files = write_corpus(args.target, args.copies)
    print(f"wrote {len(files)} files to {args.target}")


if __name__ == "__main__":
    main()
