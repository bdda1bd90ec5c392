"""When a retrieved chunk counts as relevant to a gold item."""

from __future__ import annotations

import re

from index.text import norm


def evidence_matches(evidence: str, chunk_text: str) -> bool:
    """True when the normalised chunk contains the evidence (table cells: in order)."""
    if "\t" not in evidence:
        return norm(evidence) in chunk_text
    pattern = ".*?".join(re.escape(norm(cell)) for cell in evidence.split("\t") if cell.strip())
    return re.search(pattern, chunk_text) is not None
