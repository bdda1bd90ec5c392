"""The documents a question names: by 文号, by a title in 《》, or by an abbreviated title written in passing.

「助企纾困十条」, 「盐湖方案」, 「市场监管规划」, 「乡村医疗卫生体系实施方案」 are abbreviations: the question's
characters appear in the title in the same order, with words left out. A run of the question's characters that
is such an in-order piece of a title names that title's document when the piece says enough to single it out:

- its weight, the sum over its character pairs that the title holds side by side of how rare the pair is among
  documents (log(families / families whose title or text hold it)), is at least `name_weight`: 「纾困」 or 「盐湖」
  are said by few documents, 「领导小组」, 「青海省」, 「市场监管」 by many;
- or it ends with the title's own document-type word (「…规划」, 「…方案」, 「…通知」, 「…台账」: the way
  abbreviations are formed) and weighs at least `typed_weight`;
- and at most MAX_FAMILIES families' titles hold it (「“十四五”规划」 is five documents, so none of them); one
  when only its type word made it a name (「医改任务」 is two plans' tail: neither is named).

A document and its attachments form a family (a notice and the plan it issued); rarity is counted per family,
since a notice repeats its plan's name. A title in 《》 names a document only when nearly all of it is a corpus
title (a national plan quoted in a question names nothing in the corpus, and its words are not read as an
abbreviation). Used to boost, never to filter.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, Literal, TypeVar

import numpy as np

from index.attachments import attachments
from index.doc_numbers import doc_numbers
from index.models import Corpus
from index.per_corpus import PerCorpus
from index.text import DOC_NUMBER, NAME_EDGE, canonical_doc_number, norm

MAX_FAMILIES = 2  # a piece held by more families' titles than this names none of them
QUOTED_COVERAGE = 0.9  # share of a 《》 title's characters a corpus title must hold, in order
MIN_PIECE = 4  # characters (digit runs count as one) of the shortest abbreviation read
# Abbreviated titles are read in a question's first this many characters (digit runs count as one): the search is
# quadratic in the question's length, and a 2,000-character question took 0.18 s on five gazettes' titles.
NAMING_TOKENS = 300
_QUOTED = re.compile(r"《([^《》]{2,80})》")
_TOKEN = re.compile(r"\d+|.", re.S)


def _cjk(token: str) -> bool:
    """Whether a token (`_tokens`: one character, or a run of digits) is a CJK ideograph (U+4E00-U+9FFF).

    A range test of the string, not a regex match: called per token and per pair of tokens of the question (~50,000
    times a comparison at 20x the corpus). A digit run compares by its first character, never an ideograph (no
    Unicode digit lies in that block), as the regex's match of its first character."""
    return "\u4e00" <= token <= "\u9fff"


# A title's trailing period 「(2021—2025年)」 is not its type word; the type word is what precedes it.
_TRAILING_PERIOD = re.compile(r"[(（][^()（）]*[)）]$")
_GAP = "\x00"  # put in place of the 文号 and 《》 titles already read: no abbreviation spans them
_SPACES = re.compile(r"\s+")
# The bound on a piece's weight (`_candidates`) adds the same rarities in another order than `_Titles.weight`: a title
# whose piece weighs exactly a threshold must not be dropped by a rounding difference (pruning less is always safe).
_SLACK = 1e-6

# How `names_in` reads a document named: by 文号, by 《》 title or by abbreviated title.
How = Literal["number", "quoted", "title"]
# How a naming was read: `How` for `names_in`'s; a reader above the index may name documents in a way of its own,
# under a label of its own type (rag's sides: `rag.question.NamedHow`).
H_co = TypeVar("H_co", bound=str, covariant=True)


@dataclass(frozen=True)
class Naming(Generic[H_co]):
    """Documents a question names, the words that name them and how (`Naming[How]` when `names_in` read it: 文号,
    《》 title, or abbreviated title)."""

    words: str
    doc_ids: tuple[str, ...]
    how: H_co
    weight: float


def _tokens(text: str) -> list[str]:
    """Characters, a run of digits counting as one (「2022」 is not a piece of 「2020」)."""
    return _TOKEN.findall(text)


def _type_word(title: str) -> str:
    """The title's last two characters before any trailing period: its document type (规划, 方案, 通知, 台账)."""
    core = _TRAILING_PERIOD.sub("", title)
    return core[-2:]


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence of two short strings.

    Bit-parallel (Hyyrö 2004): one big-integer step per character of `a` instead of a row of `len(b)` Python steps
    (at 20x the corpus a quoted title is compared with hundreds of titles per question). The same integer as the
    dynamic programme (`tests/index/test_names.py` checks both on random strings).
    """
    if not a or not b:
        return 0
    where: dict[str, int] = {}
    for j, ch in enumerate(b):
        where[ch] = where.get(ch, 0) | (1 << j)
    full = (1 << len(b)) - 1
    v = full  # a 0 bit marks a column of b matched by the LCS so far
    for ch in a:
        u = v & where.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return len(b) - v.bit_count()


def title_pair_families(corpus: Corpus) -> dict[str, int]:
    """How many document families say each character pair of a title, in a title or in their text: a pass over
    every chunk, made once when the index is built (stored with the corpus) or once per corpus held in memory."""
    docs = corpus.documents
    family = {d.doc_id: d.parent_id or d.doc_id for d in docs}
    pairs = {t[k : k + 2] for t in (norm(d.title) for d in docs) for k in range(len(t) - 1)}
    said: dict[str, set[str]] = {}
    texts = ((family.get(c.doc_id, c.doc_id), c.text) for c in corpus.chunks)
    titled = ((family[d.doc_id], d.title) for d in docs)
    for fam, text in (*titled, *texts):
        t = _SPACES.sub("", text)  # not norm: NFKC is most of the time here, and changes no Chinese pair
        for k in range(len(t) - 1):
            pair = t[k : k + 2]
            if pair in pairs:
                said.setdefault(pair, set()).add(fam)
    return {p: len(f) for p, f in said.items()}


# The name under which a build stores `title_pair_families` with the corpus (index.corpus_store). Bump the version
# when that function's rule changes (or what it calls: norm, _SPACES, the family of a document): counts stored by
# another rule are then not used (they are counted again, over every chunk, at each start). An explicit number, not a
# hash of the source: any edit of the function, or a build without sources, would make every served index recount.
PAIRS_VERSION = 2
PAIRS_BLOB = f"title_pairs-v{PAIRS_VERSION}"


class _Titles:
    """What naming needs from a corpus, built once per Corpus object: each title's tokens and type word, the
    families, and how rare each title character pair is among families (title and text)."""

    def __init__(self, corpus: Corpus) -> None:
        self.docs = corpus.documents
        self.family = {d.doc_id: d.parent_id or d.doc_id for d in self.docs}
        self.titles = [norm(d.title) for d in self.docs]
        self.tokens = [_tokens(t) for t in self.titles]
        self.types = [_type_word(t) for t in self.titles]
        self.years = [str(d.year) for d in self.docs]  # "None" for an undated document
        self.by_char: dict[str, set[int]] = {}
        self.by_pair: dict[str, set[int]] = {}
        self.attachments = attachments(corpus)
        for i, title in enumerate(self.titles):
            for ch in set(title):
                if _cjk(ch):
                    self.by_char.setdefault(ch, set()).add(i)
            for k in range(len(title) - 1):
                self.by_pair.setdefault(title[k : k + 2], set()).add(i)
        # each title pair's titles as an array, in the set's own order (the order candidates are first met in)
        self.pair_rows = {p: np.fromiter(rows, np.int64, len(rows)) for p, rows in self.by_pair.items()}
        families = len(set(self.family.values()))
        stored = corpus.stored(PAIRS_BLOB)
        said = json.loads(stored) if stored is not None else title_pair_families(corpus)
        self.rarity = {p: math.log(families / n) for p, n in said.items()}

    def weight(self, piece: list[str], i: int) -> float:
        """How much `piece` singles out title i: the rarity of its character pairs the title holds side by side."""
        title, rarity = self.titles[i], self.rarity
        total = 0.0
        for a, b in pairwise(piece):
            pair = a + b
            # `_cjk` of both written out: ~50,000 pairs a comparison at 20x, the calls most of the time here
            if len(pair) == 2 and "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff" and pair in title:
                total += rarity.get(pair, 0.0)
        return total

    def holders(self, piece: list[str]) -> set[int]:
        """Titles holding `piece` in order."""
        # the titles holding each of its characters, intersected from the rarest character's (no set copied first)
        first = sorted((self.by_char.get(t, set()) for t in piece if _cjk(t)), key=len)
        candidates = first[0].intersection(*first[1:]) if first else set(range(len(self.docs)))
        holds: dict[str, bool] = {}  # per title text: documents often share a title (each issue's 任免通知)
        n = len(piece)
        out = set()
        for i in candidates:
            held = holds.get(self.titles[i])
            if held is None:  # `_reach(piece, 0, ...) == len(piece)` written out (~45 titles a call)
                rest, j = iter(self.tokens[i]), 0
                while j < n and piece[j] in rest:
                    j += 1
                held = holds[self.titles[i]] = j == n
            if held:
                out.add(i)
        return out


def _reach(query: list[str], start: int, title: list[str]) -> int:
    """The end of the longest run of `query` from `start` whose tokens appear in `title` in order.

    Each `in` on the one iterator over the title scans on from the token after the last one matched and stops past
    the first match (the leftmost match, as `title.index(token, after)`); one that fails ends the run. The same
    greedy reading as an index search per token, without raising and catching ValueError at every run's end: at 20x
    the corpus a comparison reads ~500 runs (`_best_piece`, `_Titles.holders`), 1.6x faster this way."""
    rest = iter(title)
    j, n = start, len(query)
    while j < n and query[j] in rest:
        j += 1
    return j


_titles = PerCorpus(_Titles)


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    doc: int
    weight: float
    heavy: bool  # named by its weight, not only by its type word


def names_in(
    corpus: Corpus,
    text: str,
    name_weight: float,
    typed_weight: float,
    years: Iterable[str] = (),
) -> tuple[Naming[How], ...]:
    """The documents `text` names, strongest first: by 文号, by 《》 title, then by abbreviated title (see the
    module's docstring for when a piece of the question names a title). `years` narrow a title several
    documents share (「职务任免通知」) to those of the years the question names."""
    titles = _titles(corpus)
    q = norm(text)
    out: list[Naming[How]] = []
    numbers = doc_numbers(corpus)
    written: list[str] = []

    def gap(m: re.Match[str]) -> str:  # the 文号 read and cut out in one pass over the text
        written.append(canonical_doc_number(m.group(0)) or "")
        return _GAP

    q = DOC_NUMBER.sub(gap, q)
    for n in written:
        number = numbers.known(n)
        if number:
            out.append(Naming(number, tuple(d.doc_id for d in numbers.get(number)), "number", math.inf))
    for m in _QUOTED.finditer(q):
        quoted = m.group(1)
        chars = [t for t in set(quoted) if _cjk(t)]
        held: dict[int, int] = {}
        for ch in chars:
            for i in titles.by_char.get(ch, ()):
                held[i] = held.get(i, 0) + 1
        near = [i for i, n in held.items() if n >= QUOTED_COVERAGE * len(chars)]
        scored = [(_lcs(quoted, titles.titles[i]) / len(quoted), i) for i in near]
        best = max((s for s, _ in scored), default=0.0)
        if best >= QUOTED_COVERAGE:
            ids = tuple(titles.docs[i].doc_id for s, i in scored if s == best)
            out.append(Naming(quoted, _with_attachments(titles, ids), "quoted", best * 100))
    q = _QUOTED.sub(_GAP, q)
    out += _abbreviated(titles, _tokens(q)[:NAMING_TOKENS], name_weight, typed_weight, frozenset(years))
    return tuple(out)


def _candidates(
    titles: _Titles, query: list[str], name_weight: float, typed_weight: float, prune: bool = True
) -> list[int]:
    """The titles a piece of `query` may name, in the order they are first met: only titles sharing a character pair
    with the question are looked at (`pair_rows`, the pair → titles index built once per corpus), so the cost
    follows how many titles hold the question's pairs, not how many titles there are.

    A title is kept when the rarity of the pairs it shares with the question could add up to a name: at least
    `min(name_weight, typed_weight)` over distinct pairs (the first cut), and, with `prune`, when a piece could
    reach `name_weight` or could end with the title's type word, which the question must then hold, and weigh
    `typed_weight` before it. The second cut is exact: a piece is a run of the question, so its weight is at most
    the sum over the question's pair occurrences the title holds (rarities below 0 counted as 0); `_best_piece`
    names nothing in a title it drops (`prune=False` is the reference the tests compare with).
    """
    # Added per pair over arrays of titles (the same sums, in the same order, as one title at a time).
    bound = np.zeros(len(titles.docs))
    reach = np.zeros(len(titles.docs)) if prune else bound  # per occurrence: a run may say a pair twice
    met = []
    occurrences: dict[str, int] = {}
    cjk = [_cjk(t) for t in query]  # once per token, not twice per pair it is in
    pairs = [a + b for (a, b), (x, y) in zip(pairwise(query), pairwise(cjk), strict=True) if x and y]
    for pair in pairs:
        occurrences[pair] = occurrences.get(pair, 0) + 1
    # the candidates' order follows this set's, which depends on the order its pairs were added in (question order)
    for pair in set(pairs):
        rows = titles.pair_rows.get(pair)
        if rows is not None:
            rarity = titles.rarity.get(pair, 0.0)
            bound[rows] += rarity
            if prune:
                reach[rows] += max(rarity, 0.0) * occurrences[pair]
            met.append(rows)
    if not met:
        return []
    seen, first = np.unique(np.concatenate(met), return_index=True)
    in_order = seen[np.argsort(first, kind="stable")]
    kept = in_order[bound[in_order] >= min(name_weight, typed_weight)]
    if not prune:
        return kept.tolist()
    said = "".join(query)
    heavy = reach[kept] >= name_weight - _SLACK
    return [
        i
        for i, h in zip(kept.tolist(), heavy.tolist(), strict=True)
        if h or (reach[i] >= typed_weight - _SLACK and titles.types[i] in said)
    ]


def _abbreviated(
    titles: _Titles,
    query: list[str],
    name_weight: float,
    typed_weight: float,
    years: frozenset[str],
    prune: bool = True,
) -> list[Naming[How]]:
    # A title can be named only by pairs it shares with the question: those whose rarity adds up to a name at most.
    candidates = _candidates(titles, query, name_weight, typed_weight, prune)
    best: dict[int, _Piece] = {}
    found: dict[str, tuple[int, int, float, bool] | None] = {}  # per title text: documents often share a title
    for i in candidates:
        text = titles.titles[i]
        if text not in found:
            found[text] = _best_piece(titles, query, i, name_weight, typed_weight)
        hit = found[text]
        if hit is not None:
            start, end, weight, heavy = hit
            best[i] = _Piece(start, end, i, weight, heavy)
    kept: list[_Piece] = []
    # the titles holding each piece, those of the years named, and how many families they make: once per piece
    held: dict[tuple[int, int], tuple[set[int], set[int], int]] = {}
    for piece in sorted(best.values(), key=lambda p: -p.weight):
        span = (piece.start, piece.end)
        if span not in held:
            holding = titles.holders(query[piece.start : piece.end])
            dating = {h for h in holding if titles.years[h] in years}
            held[span] = (holding, dating, len({titles.family[titles.docs[h].doc_id] for h in dating or holding}))
        holders, dated, families = held[span]
        if families > (MAX_FAMILIES if piece.heavy else 1):
            continue  # a type word after light words (「医改任务」) names one document or none
        if years and holders and not dated and titles.years[piece.doc] != "None" and len(holders) > 1:
            continue  # a title several documents share, none of the years named
        if dated and piece.doc not in dated:
            continue
        kept.append(piece)
    by_family: dict[str, Naming[How]] = {}
    for piece in kept:  # heaviest first: a family is named by its heaviest piece and the documents it names
        doc_id = titles.docs[piece.doc].doc_id
        family = titles.family[doc_id]
        named = by_family.get(family)
        if named is None:
            said = "".join(query[piece.start : piece.end])
            by_family[family] = Naming(said, (doc_id,), "title", piece.weight)
        elif piece.weight >= named.weight - 1e-9:  # a notice holding its plan's title, named by the same words
            by_family[family] = Naming(named.words, (*named.doc_ids, doc_id), "title", named.weight)
    return [Naming(n.words, _with_attachments(titles, n.doc_ids), n.how, n.weight) for n in by_family.values()]


def _best_piece(
    titles: _Titles, query: list[str], i: int, name_weight: float, typed_weight: float
) -> tuple[int, int, float, bool] | None:
    """The heaviest piece of `query` naming title i (start, end, weight, named by weight alone), or None."""
    title = titles.tokens[i]
    best: tuple[int, int, float, bool] | None = None
    earlier = -1  # the reach from the previous start (the run from start - 1), computed once
    said = set(title)
    n = len(query)
    for start in range(n):
        end = start
        if query[start] in said:  # a token the title does not hold reaches nowhere
            # `_reach(query, start, title)` written out: ~700 runs a comparison at 20x, the call a good part of each
            rest = iter(title)
            while end < n and query[end] in rest:
                end += 1
        before, earlier = earlier, end
        if end - start < MIN_PIECE or (start > 0 and before >= end):
            continue  # too short, or part of a longer piece starting earlier
        while end - start >= MIN_PIECE and query[start] in NAME_EDGE:
            start += 1  # 「的实施方案」 is 「实施方案」: a particle does not begin a name
        while end - start >= MIN_PIECE and query[end - 1] in NAME_EDGE:
            end -= 1
        if end - start < MIN_PIECE:
            continue
        words = query[start:end]
        weight = titles.weight(words, i)
        # 「市场监管规划」: the title's type word after words of its own that weigh enough by themselves
        typed = "".join(words[-2:]) == titles.types[i] and titles.weight(words[:-2], i) >= typed_weight
        if weight < name_weight and not typed:
            continue
        if best is None or weight > best[2]:
            best = (start, end, weight, weight >= name_weight)
    return best


def _with_attachments(titles: _Titles, doc_ids: Iterable[str]) -> tuple[str, ...]:
    """The documents, a notice named alone followed by the plans it issued (「…印发…的通知」 means its plans). A notice
    named together with one of its plans (it holds the plan's title) does not bring its other attachments: 「助企纾困
    十条」 is the measures, not also the contact list attached to the same notice."""
    ids = list(dict.fromkeys(doc_ids))
    out: list[str] = []
    for d in ids:
        issued = titles.attachments.get(d, ())
        for x in (d, *([] if set(issued) & set(ids) else issued)):
            if x not in out:
                out.append(x)
    return tuple(out)
