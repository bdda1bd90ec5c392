"""Citation lookup: 「青政办〔2020〕64号第八条」, 「债务风险防控办法第八条」, 「助企纾困十条第三条」 → clauses.

A reference names a document (by 文号 or by a possibly abbreviated title) and optionally a clause
(第八条, 第三章, 二、, （三）). Titles are matched by shared character bigrams, so abbreviations work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import cn2an

from index.attachments import attachments
from index.doc_numbers import doc_numbers
from index.models import Chunk, Corpus, Document
from index.per_corpus import PerCorpus
from index.text import (
    ARABIC_ARTICLE,
    CLAUSE_LABEL,
    CN_ARTICLE,
    COLUMN_BOX,
    DECIMAL_LABEL,
    DOC_NUMBER,
    ITEM_STYLES,
    QUOTED_SPAN,
    REFERENCE_FILLER,
    canonical_doc_number,
    chinese_number,
    norm,
)

# The patterns a reference is read with live in index/text.py (the index layer's text rules); this is a tuning knob.
MIN_TITLE_SCORE = 0.6


_TITLE_CHARS = 2  # words before the first label this long may be the title (the words after it name the clause)
_LABEL_DIGITS = 4  # no gazette numbers a clause, item or 专栏 beyond 9999
_LABEL_MEMO = 65_536  # (heading, label) pairs whose match `_label_starts` remembers


@dataclass
class LookupResult:
    """The document a reference names, and the clauses it points at (all of them when no clause is named)."""

    document: Document
    chunks: list[Chunk]
    clause: str | None


def _digits_as_cn(number: str) -> str | None:
    """「8」 → 「八」; None for more digits than any clause is numbered with (cn2an reads at most 16: a longer one
    raised, a 500 for 「第11111111111111111部分」)."""
    return cn2an.an2cn(number) if len(number) <= _LABEL_DIGITS else None


def _arabic_to_cn(label: str) -> str:
    """第8条 → 第八条, (3) stays arabic (those items are printed with arabic numbers)."""
    m = ARABIC_ARTICLE.match(label)
    if m:
        cn = _digits_as_cn(m.group(1))
        return f"第{cn}{m.group(2)}" if cn is not None else label
    m = DECIMAL_LABEL.match(label)
    if m:
        return m.group(1).replace("．", ".")
    return label


def _label(cited: str) -> str:
    """A label as cited, as headings print it: brackets full-width, 「第（二）项」 as 「（二）」, 第8条 as 第八条."""
    label = cited.replace("(", "（").replace(")", "）")
    if "（" in label:
        label = label[label.index("（") : label.index("）") + 1]  # 「第（二）项」: the bracketed number is the label
    return _arabic_to_cn(label)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def title_score(query: str, title: str) -> float:
    """Share of the query's character bigrams found in the title (1.0 = every bigram present)."""
    q, t = _bigrams(norm(query)), _bigrams(norm(title))
    return len(q & t) / len(q) if q else 0.0


@dataclass(frozen=True)
class Reference:
    """What a citation-style reference names: a 文号 (or None), the title words, and a clause path (or None)."""

    number: str | None
    title: str
    clause: str | None
    # the words before its first label and after its last one (`named_around`), tried when the title matches nothing
    before: str = ""
    name: str = ""

    @classmethod
    def read(cls, ref: str) -> Reference:
        """The reference in `ref`: its 文号, title words and clause path (see `split_reference`), and the words
        around its labels (see `named_around`), from one pass over the text."""
        number, text = _without_number(ref)
        found = list(CLAUSE_LABEL.finditer(text))
        return cls(number, *_title_and_path(text, found), *_around(text, found))


def _without_number(ref: str) -> tuple[str | None, str]:
    """The reference's 文号 (canonical, or None) and its text with that 文号 blanked out."""
    text = ref.strip()
    number = canonical_doc_number(text)
    return number, DOC_NUMBER.sub(" ", text, count=1) if number else text


def _title_and_path(text: str, found: list[re.Match[str]]) -> tuple[str, str | None]:
    labels = [_label(m.group("label")) for m in found]
    if labels:  # a quoted heading name after the label (第七章“三、持续加大…”) is not part of the title
        text = QUOTED_SPAN.sub(" ", text)
    title = REFERENCE_FILLER.sub("", norm(CLAUSE_LABEL.sub(" ", text)))
    return title, " ".join(labels) or None


def _around(text: str, found: list[re.Match[str]]) -> tuple[str, str]:
    if not found:
        return "", ""
    before = REFERENCE_FILLER.sub("", norm(QUOTED_SPAN.sub(" ", text[: found[0].start()])))
    return before, REFERENCE_FILLER.sub("", norm(text[found[-1].end() :]))


def split_reference(ref: str) -> tuple[str | None, str, str | None]:
    """Split a reference into (文号 or None, title words, clause path or None).

    A clause path is one label (第八条) or several from the top down, space-separated (「第四章 第二条」,
    「第七章 三、」), as people cite a clause of a long plan.
    """
    number, text = _without_number(ref)
    return (number, *_title_and_path(text, list(CLAUSE_LABEL.finditer(text))))


def named_around(ref: str) -> tuple[str, str]:
    """The words of a reference before its first clause label and after its last one, without the filler
    (「十条措施第三条减税退税讲了什么」 → 「十条措施」, 「减税退税」): the title, and the clause's own name, when the
    title words whole match no document."""
    _, text = _without_number(ref)
    return _around(text, list(CLAUSE_LABEL.finditer(text)))


class _CorpusIndex:
    """What lookups need from a corpus, built once per Corpus object: documents by 文号 and title bigrams →
    documents, so a lookup touches only the documents sharing a bigram with the query (a document's chunks are
    asked of the corpus, `Corpus.chunks_of`: an indexed query on a stored corpus, no chunk held here)."""

    def __init__(self, corpus: Corpus) -> None:
        self.docs = corpus.documents
        self.position = {d.doc_id: i for i, d in enumerate(self.docs)}
        self.by_bigram: dict[str, list[int]] = {}
        self.attachments = attachments(corpus)
        for i, doc in enumerate(self.docs):
            for bigram in _bigrams(norm(doc.title)):
                self.by_bigram.setdefault(bigram, []).append(i)

    def family(self, docs: list[Document]) -> list[Document]:
        """The attachments of `docs` and the notices they are attached to, in corpus order (by map, not by a pass
        over every document: a lookup's cost must not grow with the corpus)."""
        ids = {d.doc_id for d in docs}
        rows = {self.position[d.parent_id] for d in docs if d.parent_id in self.position}
        rows |= {self.position[a] for d in docs for a in self.attachments.get(d.doc_id, ())}
        return [self.docs[i] for i in sorted(rows) if self.docs[i].doc_id not in ids]

    def best_titles(self, title: str) -> list[Document]:
        """Documents whose title shares the most of the query's bigrams (≥ MIN_TITLE_SCORE), in corpus order."""
        query = _bigrams(norm(title))
        shared: dict[int, int] = {}
        for bigram in query:
            for i in self.by_bigram.get(bigram, ()):
                shared[i] = shared.get(i, 0) + 1
        if not shared:
            return []
        top = max(shared.values())
        if top / len(query) < MIN_TITLE_SCORE:
            return []
        return [self.docs[i] for i in sorted(i for i, n in shared.items() if n == top)]


_index = PerCorpus(_CorpusIndex)  # the lookup index of each corpus object (a corpus is not changed once served)


def _documents_for(corpus: Corpus, number: str | None, title: str) -> list[Document]:
    index = _index(corpus)
    if number:
        same = doc_numbers(corpus).get(number)
        if title and same:
            best = max(title_score(title, d.title) for d in same)
            return [d for d in same if title_score(title, d.title) == best]
        return list(same)
    if len(title) < 2:
        return []
    return index.best_titles(title)


def find_documents(
    corpus: Corpus, number: str | None, title: str, years: frozenset[str] = frozenset()
) -> list[Document]:
    """The documents a question names: by 文号 (the best title among those sharing it, when title words are given),
    else by (abbreviated) title, bigram share ≥ MIN_TITLE_SCORE; ties are narrowed to the `years` named, if any match.
    """
    docs = _documents_for(corpus, number, title)
    dated = [d for d in docs if str(d.year) in years]
    return dated or docs


# Remembered per (heading, label): a citation's label, in each way it may be printed, is tested against every heading
# of every chunk of each candidate document, and a document's chunks repeat their headings; norm (NFKC) of both was
# most of a citation lookup's time (~1 ms a cited clause on the bundled corpus). Headings are short; the bound keeps
# a long-running service's memo to a few MB.
@functools.lru_cache(maxsize=_LABEL_MEMO)
def _label_starts(heading: str, label: str) -> bool:
    """Whether a heading starts with the label: 「8.加强…」 with 「8.」, not 「8.1编制…」 nor 「18.…」; 「4.3核算…」
    with 「4.3」, not 「4.31…」 nor 「4.3.1…」 (which sits below 「4.3」 in a heading path)."""
    h, lab = norm(heading), norm(label)
    after = h[len(lab) : len(lab) + 1]
    if lab[-1:].isdigit() and (after.isdigit() or after == "."):
        return False
    return h.startswith(lab) and not (lab[-1:] == "." and after.isdigit())


def _section_matches(section: list[str], labels: list[str], loose: bool = False) -> bool:
    """Whether the heading path holds the labels in order (each one starting a heading below the last); `loose`: a
    label above the last may be printed in any item style (「第二部分」 as 「二、」)."""
    position = 0
    for n, label in enumerate(labels):
        forms = [label, *_item_labels(label)] if loose and n < len(labels) - 1 else [label]
        found = next(
            (i for i in range(position, len(section)) if any(_label_starts(section[i], f) for f in forms)), None
        )
        if found is None:
            return False
        position = found + 1
    return True


def _depth(chunks: list[Chunk], label: str) -> int:
    """How deep in the heading paths the first heading starting with `label` sits (a large number for none)."""
    return min(
        (i for c in chunks for i, heading in enumerate(c.section) if _label_starts(heading, label)), default=1 << 30
    )


def _item_labels(label: str) -> list[str]:
    """How an item cited as 「第八条」 (or 第八项) may be printed: 八、, （八）, 8., 8、 or （8）; 专栏3 as 专栏三."""
    box = COLUMN_BOX.match(label)
    if box:
        number = box.group(1)
        other = str(chinese_number(number)) if not number.isdigit() else _digits_as_cn(number)
        return [f"专栏{other}"] if other not in ("None", None) else []
    m = CN_ARTICLE.match(label)
    if not m:
        return []
    n = chinese_number(m.group(1))
    styles = [style.format(cn=m.group(1), n=n) for style in ITEM_STYLES if n is not None or "{n}" not in style]
    if label.endswith("部分") and n is not None:
        styles.append(str(n))  # a part of a plan numbered 「5应急响应」, 「5.1…」 below it
    return styles


def _row_cell(chunk: Chunk, label: str) -> bool:
    """Whether a table row has a cell that is the label (a 台账's 「序号：(二十八)」)."""
    cell = re.escape(norm(label))
    return re.search(rf"(?:^|[:：;；\n]){cell}(?:[;；\n]|$)", norm(chunk.text)) is not None


def clauses_of(corpus: Corpus, docs: list[Document], clause: str | None) -> list[Chunk]:
    """Chunks of `docs` under the clause path `clause`.

    「第三条」 also finds item 「三、」, 「（三）」, 「3.」 in a document numbered that way (the first of these styles
    it uses), and a label also finds the table row it numbers (「（二十八）」 in a 台账's 序号 column).
    """
    index = _index(corpus)
    chunks = [
        c
        for d in sorted({d.doc_id for d in docs}, key=lambda d: index.position.get(d, -1))
        for c in corpus.chunks_of(d)
    ]
    if clause is None:
        return chunks
    labels = clause.split()
    hits = [c for c in chunks if _section_matches(c.section, labels)]
    styles = [labels[-1], *_item_labels(labels[-1])] if not hits else []
    if labels[-1].endswith("部分"):
        # 「第五部分」 is a part of the whole: of the ways it may be printed, the one heading the shallowest clauses
        # (「5应急响应」, not 「(5)主城区禁止燃放烟花爆竹」 five levels down)
        styles.sort(key=lambda style: _depth(chunks, style))
    for style in styles:
        hits = [c for c in chunks if _section_matches(c.section, [*labels[:-1], style], loose=True)]
        if hits:
            break
    if not hits:
        wanted = [labels[-1], *_item_labels(labels[-1])]
        hits = [c for c in chunks if c.kind == "table_row" and any(_row_cell(c, w) for w in wanted)]
    return hits


def find_clauses(corpus: Corpus, ref: str | Reference) -> LookupResult | None:
    """Resolve a citation reference (a string, or one already read); None when no document matches.

    The clause is looked for in the documents whose title matches best, then in the others sharing the 文号:
    people cite an attached plan's clauses by its notice's 文号 (「青政办〔2022〕30号印发的十条措施第九条」).
    """
    reference = ref if isinstance(ref, Reference) else Reference.read(ref)
    number, title, clause = reference.number, reference.title, reference.clause
    docs = _documents_for(corpus, number, title)
    name = ""  # the clause's own name, when the reference gives one after its label
    if not docs and clause is not None and len(reference.before) >= _TITLE_CHARS:
        # 「十条措施第三条减税退税讲了什么」: the words after the label name the clause, not the document; they are
        # only taken so when the clause found is named so (「…第8条融资支持的政策，找哪个单位…」 asks something else)
        name = reference.name
        docs = _documents_for(corpus, number, reference.before)
    if not docs:
        return None
    main = next((d for d in docs if d.parent_id), docs[0])  # the attached plan, when there is one
    if clause is None:
        return LookupResult(main, clauses_of(corpus, [main], None), None)
    # by id: `d not in docs` compares whole pydantic models field by field (~1 ms a cited 文号 at 20x)
    found = {d.doc_id for d in docs}
    siblings = [d for d in doc_numbers(corpus).get(number) if d.doc_id not in found]
    found |= {d.doc_id for d in siblings}
    # a notice's attached plan (or the notice of a plan) is cited by the other's title too: 「…实施方案第20条」 matches
    # the notice 「关于印发…实施方案的通知」 best, and its clauses are the plan's
    family = [d for d in _index(corpus).family(docs) if d.doc_id not in found]
    for doc in docs + siblings + family:
        chunks = clauses_of(corpus, [doc], clause)
        if chunks and name and not any(name in norm("".join(c.section)) for c in chunks):
            # the words after the label are no name of this clause: a question about it, not a citation. (Not
            # tried on the other candidates: they are mostly copies or editions naming it alike, and at 20× the
            # corpus trying them all cost up to ~150 ms a question.)
            return None
        if chunks:
            return LookupResult(doc, chunks, clause)
    return LookupResult(main, [], clause)
