"""A corpus's documents by 文号: one map per corpus object, shared by every reader of a 文号 (the documents a
question names, the citation lookup, the validity facts).

A 文号 is found in running text by a pattern that cannot tell where the issuer starts when a word runs into it:
「经青政办〔2022〕30号同意」 reads the issuer 经青政办. `DocNumbers.get` therefore also accepts a number whose issuer
ends with a known one (the longest such tail wins), instead of every reader growing its own list of words that may
stand before an issuer.
"""

from __future__ import annotations

from index.models import Corpus, Document
from index.per_corpus import PerCorpus

# An issuer is at least two characters (青政, 国办发): a one-character tail (办〔2022〕30号) names nothing.
MIN_ISSUER = 2


class DocNumbers:
    """Documents by canonical 文号 (as `index.text.canonical_doc_number` writes it), in corpus order."""

    def __init__(self, corpus: Corpus) -> None:
        self._docs: dict[str, list[Document]] = {}
        for doc in corpus.documents:
            if doc.doc_number:
                self._docs.setdefault(doc.doc_number, []).append(doc)

    def get(self, number: str | None) -> list[Document]:
        """The documents with 文号 `number`, or, when none has it, with the longest tail of it that starts an
        issuer the corpus knows (经青政办〔2022〕30号 → 青政办〔2022〕30号); [] when neither."""
        if not number:
            return []
        return list(self._docs.get(self.known(number) or "", []))

    def known(self, number: str) -> str | None:
        """`number` as the corpus spells it (itself, or its longest known tail, see `get`), or None."""
        if number in self._docs:
            return number
        issuer_end = number.find("〔")
        for start in range(1, issuer_end - MIN_ISSUER + 1):
            if number[start:] in self._docs:
                return number[start:]
        return None


doc_numbers = PerCorpus(DocNumbers)  # the 文号 map of each corpus object (a served corpus is not changed)
