"""Quick self-check for a gold JSONL file while writing it (the real validation lives in tests/eval/).

Usage: python eval/gold/check_gold.py eval/gold/FILE.jsonl

Besides fields and verbatim evidence it flags an unanswerable item whose `absent` strings all occur in one
line (paragraph or table row) of a corpus file: that line may well answer it. The tests repeat this over every
parsed chunk and over the service's top-20 search hits.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a plain script: make the project's packages importable

from index.text import norm  # noqa: E402

CORPUS = ROOT / "corpus"
FIELDS = {
    "id",
    "question",
    "answer",
    "doc_title",
    "doc_number",
    "section",
    "evidence",
    "type",
    "difficulty",
    "file",
}
TYPES = {
    "fact",
    "responsible",
    "list",
    "definition",
    "multi_clause",
    "multi_doc",
    "citation",
    "metadata",
    "unanswerable",
    "validity",
}

texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
lines = [(name, n, norm(line)) for name, text in texts.items() for n, line in enumerate(text.splitlines(), 1)]
bad = 0
for lineno, line in enumerate(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines(), 1):
    if not line.strip():
        continue
    item = json.loads(line)
    missing = FIELDS - item.keys()
    if missing:
        print(f"line {lineno}: missing {missing}")
        bad += 1
    if item.get("type") not in TYPES:
        print(f"line {lineno}: bad type {item.get('type')}")
        bad += 1
    documents = item.get("documents")
    if documents is not None and not (
        isinstance(documents, list)
        and len(documents) >= 2
        and all(isinstance(d, dict) and d.get("doc_title") for d in documents)
    ):
        print(f"line {lineno} ({item.get('id')}): `documents` lists 2+ objects with doc_title (and doc_number)")
        bad += 1
    if item.get("type") == "unanswerable":
        if item.get("evidence"):
            print(f"line {lineno}: unanswerable item with evidence")
            bad += 1
        absent = item.get("absent")
        if not (isinstance(absent, list) and 1 <= len(absent) <= 3 and all(isinstance(a, str) and a for a in absent)):
            print(f"line {lineno} ({item.get('id')}): unanswerable item needs `absent`: 1-3 non-empty strings")
            bad += 1
            continue
        wanted = [norm(a) for a in absent]
        for name, n, text in lines:
            if all(w in text for w in wanted):
                print(f"line {lineno} ({item.get('id')}): {name}:{n} holds all of {absent} — does it answer?")
                bad += 1
        continue
    if "absent" in item:
        print(f"line {lineno} ({item.get('id')}): `absent` is for unanswerable items only")
        bad += 1
    # A validity question the text does not answer (`"answerable": false`) has nothing to quote.
    if not item.get("evidence") and item.get("answerable", True) is not False:
        print(f"line {lineno}: no evidence")
        bad += 1
    src = texts.get(item.get("file", ""), "")
    for ev in item.get("evidence", []):
        if ev not in src:
            print(f"line {lineno} ({item.get('id')}): evidence not verbatim in {item.get('file')}: {ev!r}")
            bad += 1
print("OK" if not bad else f"{bad} problems")
