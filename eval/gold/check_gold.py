"""Quick self-check for a gold JSONL file while writing it (the real validation lives in tests/eval/).

Usage: python eval/gold/check_gold.py eval/gold/FILE.jsonl
"""

import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
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
TYPES = {"fact", "responsible", "list", "definition", "multi_clause", "multi_doc", "citation", "unanswerable"}

texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
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
    if item.get("type") == "unanswerable":
        if item.get("evidence"):
            print(f"line {lineno}: unanswerable item with evidence")
            bad += 1
        continue
    if not item.get("evidence"):
        print(f"line {lineno}: no evidence")
        bad += 1
    src = texts.get(item.get("file", ""), "")
    for ev in item.get("evidence", []):
        if ev not in src:
            print(f"line {lineno} ({item.get('id')}): evidence not verbatim in {item.get('file')}: {ev!r}")
            bad += 1
print("OK" if not bad else f"{bad} problems")
