"""A synthetic large corpus: the bundled gazettes copied N times as distinct issues (for scale benchmarks only).

Copy i of a numbered issue gets issue number ``100·i + n`` (「第23期」 → 「第123期」); copy i of a special issue
(特刊, keyed by its year) gets the publication year ``year + 100·i``; every 文号 in it gets serial number
``1000·i + n`` (「青政办〔2021〕122号」 → 「青政办〔2021〕2122号」 in copy 2), so that a question naming a 文号
names one document, as in a real corpus, not twenty (titles still repeat). Everything else is unchanged, so each
copy parses into documents and clauses with ids of their own. The copies are written to a folder you name (a temp
folder); they are never committed.

Run: ``python -m bench.synth_corpus /tmp/gongbao-20x --copies 20``
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from index.parser import corpus_files
from rag.settings import PROJECT_ROOT

_ISSUE = re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*第\s*)(\d+)(\s*期)")
_PUBLISHED = re.compile(r"(\d{4})(\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*出版)")
_COVER = 60
_DOC_NUMBER_SERIAL = re.compile(r"(〔\s*\d{4}\s*〕\s*)(\d+)(\s*号)")


def copy_text(text: str, copy: int) -> str:
    """Copy number `copy` (0 = unchanged) of one gazette's text, as a distinct issue."""
    if copy == 0:
        return text
    lines = text.split("\n")
    cover = "\n".join(lines[:_COVER])
    new, n = _ISSUE.subn(lambda m: f"{m.group(1)}{100 * copy + int(m.group(2))}{m.group(3)}", cover, count=1)
    if not n:
        new = _PUBLISHED.sub(lambda m: f"{int(m.group(1)) + 100 * copy}{m.group(2)}", cover, count=1)
    text = "\n".join([new, *lines[_COVER:]])
    return _DOC_NUMBER_SERIAL.sub(lambda m: f"{m.group(1)}{1000 * copy + int(m.group(2))}{m.group(3)}", text)


def write_corpus(target: Path, copies: int, source: Path = PROJECT_ROOT / "corpus") -> list[Path]:
    """Write `copies` copies of every gazette in `source` into `target`; the written files."""
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for copy in range(copies):
        for path in corpus_files(source):
            dest = target / f"c{copy:03d}_{path.name}"
            dest.write_text(copy_text(path.read_text(encoding="utf-8-sig"), copy), encoding="utf-8")
            out.append(dest)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args(argv)
    files = write_corpus(args.target, args.copies)
    print(f"wrote {len(files)} files to {args.target}")


if __name__ == "__main__":
    main()
