"""Hybrid retrieval: dense + BM25 candidates fused by reciprocal rank, with light query understanding.

The query is a `rag.question.Question` (read once per request; a plain string is read at the door).
Query understanding, in order:
1. a citation (「青政办〔2020〕64号第八条」, 「助企纾困十条第三条」) resolved by `index.lookup.find_clauses` puts
   the named clauses first with score 1.0;
2. the documents the query names (`index.names`: a 文号, a title in 《》, an abbreviated title such as 「助企纾困十条」)
   are searched on their own as well, and their clauses scored `doc_number_boost` (文号, 《》 title) or `title_boost`
   (abbreviated title) more: every named document gets candidates of its own (a comparison's second one too), and
   nothing is filtered away;
3. a year in the query (「2022年」) boosts chunks that contain it or whose document is from that year;
4. a question about a document itself (its 文号, issuer, date, issue: `Question.metadata`) puts the cards
   (`index.cards`) of the documents it names first, resolved by 文号 or (abbreviated) title.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any, Generic, TypeVar, cast

import numpy as np

from index.attachments import attachments
from index.cards import card_id
from index.doc_numbers import doc_numbers
from index.embedders import Embedder
from index.errors import UnknownFilterError
from index.lookup import LookupResult, find_clauses, find_documents
from index.names import Naming, names_in
from index.store import IndexMismatchError, IndexStore
from index.text import HOLLOW_HEADING, YEAR, canonical_doc_number, hollow_code, norm
from index.vector_store import FILTER_KEYS, HybridSpec, Ranking, VectorStore, Where, as_vector_store, rrf, score_sum
from rag.config import RETRIEVAL, RetrieverConfig
from rag.evidence import TableRow, rarity_weight
from rag.lexicon import holds_role, key_bigrams, names_person
from rag.models import Hit
from rag.question import NamedHow, Question, Side, as_question

_HOLLOW_MEMO = 65_536  # rows whose hollowness (a short kind or None) or role holding is remembered: a few MB
_BIGRAM_MEMO = 4_096  # rows whose content bigrams are remembered: ~18 KB a row (median 99 bigrams), ~70 MB at most

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Memo(Generic[K, V]):
    """Values computed once per key and forgotten all at once past `limit` keys, so memory stays bounded however
    long the service runs. A dict's single get, set and clear are atomic under the GIL: two threads at worst
    compute one value twice."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[K, V] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value of `key`, computed by `compute()` the first time (and again once forgotten)."""
        try:
            return self._values[key]
        except KeyError:  # not computed yet (or another thread has just started the memo over)
            pass
        value = compute()
        if len(self._values) >= self.limit:
            self._values.clear()
        self._values[key] = value
        return value

    def __len__(self) -> int:
        return len(self._values)


__all__ = ["FILTER_KEYS", "Ranking", "Retriever", "check_filters", "rrf", "score_sum"]


class NotLookedUp:
    """Marks a search whose citation lookup has not been done yet (the retriever does it)."""


NOT_LOOKED_UP = NotLookedUp()
Lookup = LookupResult | None | NotLookedUp


def _as_set(value: Any) -> frozenset[str]:
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return frozenset(str(v) for v in values)


def check_filters(filters: Mapping[str, Any] | None) -> dict[str, frozenset[str]]:
    """Validated filters as key → accepted values; UnknownFilterError naming any unknown key."""
    unknown = sorted(set(filters or {}) - set(FILTER_KEYS))
    if unknown:
        raise UnknownFilterError(
            f"unknown filter {', '.join(map(repr, unknown))}; known filters: {', '.join(FILTER_KEYS)}"
        )
    return {key: _as_set(value) for key, value in (filters or {}).items() if value is not None}


def _hollow_kind(text: str, max_chars: int) -> str | None:
    """What makes a clause say nothing of its own, if anything: "heading" (a heading alone, or a list of the
    document's annexes) or "formula" (only the formula issuing a document or a lead-in, in a clause of at most
    `max_chars`: RetrieverConfig.hollow_max_chars). `index.text.hollow_code` reads the text."""
    return _kind_of(hollow_code(text), max_chars)


def _kind_of(code: int, max_chars: int) -> str | None:
    """The kind of chunk saying nothing of its own a `hollow_code` stands for (None: it says something)."""
    if code == HOLLOW_HEADING:
        return "heading"
    return "formula" if 0 <= code <= max_chars else None


class Retriever:
    """Hybrid search over a `VectorStore` (the embedded FAISS + BM25 store, or Milvus)."""

    def __init__(
        self, store: IndexStore | VectorStore, embedder: Embedder, config: RetrieverConfig | None = None
    ) -> None:
        store = as_vector_store(store)
        if (embedder.name, embedder.dims) != (store.manifest.model, store.manifest.dims):
            raise IndexMismatchError(f"index built with {store.manifest.model}, query embedder is {embedder.name}")
        self.store = store
        self.embedder = embedder
        self.config = config or RETRIEVAL
        # row → what makes it say nothing of its own (`index.text.hollow_code`), read when the index was built; a
        # store without it (Milvus, a corpus in memory) has each candidate row's text read when first met instead,
        # remembered and forgotten past _HOLLOW_MEMO rows (memory stays bounded)
        self._hollow_codes = store.corpus.hollow_codes()
        self._hollow: _Memo[int, str | None] = _Memo(_HOLLOW_MEMO)
        # the same kind of memo for the role boost (a roles question meets the same candidate rows again and again):
        # row → its content bigrams with its document's title, and (row, roles) → whether it states a holder
        self._bigrams: _Memo[int, set[str]] = _Memo(_BIGRAM_MEMO)
        self._holders: _Memo[tuple[int, tuple[str, ...]], bool] = _Memo(_HOLLOW_MEMO)
        # row → whether it is a table's group label alone: a comparison's side searches meet the same rows per request
        self._labels: _Memo[int, bool] = _Memo(_HOLLOW_MEMO)

    # ---------- restrictions ----------

    def _allowed(self, filters: dict[str, frozenset[str]], docs: Sequence[str] | None = None) -> Where | None:
        """The restriction the filters (and `docs`, if given) make; None means none. The store applies it."""
        if not filters and docs is None:
            return None
        return Where(filters=filters, doc_ids=None if docs is None else frozenset(docs))

    def _spec(self) -> HybridSpec:
        cfg = self.config
        return HybridSpec(
            candidates=cfg.candidates,
            dense=cfg.dense,
            keyword=cfg.bm25,
            dense_weight=cfg.dense_weight,
            fusion=cfg.fusion,
            rrf_k=cfg.rrf_k,
        )

    def _fused(self, query: Question, allowed: Where | None, vector: np.ndarray | None) -> Ranking:
        return self.store.hybrid(query.text, vector, allowed, self._spec())

    def query_doc_number(self, query: Question | str) -> str | None:
        """The first 文号 of the corpus the query names, if any, as the corpus spells it (`index.doc_numbers`);
        a 文号 outside the corpus before it does not hide it."""
        numbers = doc_numbers(self.store.corpus)
        return next((known for n in as_question(query).doc_numbers if (known := numbers.known(n))), None)

    def named(self, query: Question) -> tuple[Naming[NamedHow], ...]:
        """The documents the question names (read once: `resolve` stores them in the question)."""
        if query.named is not None:
            return query.named
        cfg = self.config
        return names_in(self.store.corpus, query.normalised, cfg.name_weight, cfg.typed_name_weight, query.years)

    def resolve(self, query: Question | str) -> Question:
        """The question with the documents it names resolved (`Question.named`), and those each side of a comparison
        names (`Side.doc_ids`, `side_documents`), before it is searched.

        A document only a side's own words name (「三北工程协调机制」 of 「三北工程协调机制和零碳园区领导小组，牵头的
        领导分别是谁」) is one the question names too: it is added to `named` after the question's own namings, so it
        is searched on its own, boosted and asked for role holders like them (`rank`, `_boost_roles`)."""
        query = as_question(query)
        if query.named is not None:
            return query
        named = self.named(query)
        resolved = zip(query.sides, self.side_documents(query, named), strict=True)
        sides = tuple(replace(side, doc_ids=docs) for side, docs in resolved)
        return replace(query, named=self._with_sides(named, sides), sides=sides)

    @staticmethod
    def _with_sides(named: tuple[Naming[NamedHow], ...], sides: Sequence[Side]) -> tuple[Naming[NamedHow], ...]:
        """`named` and, after it, a naming (how "side", of weight 0: the lightest) for each side whose documents none
        of them holds."""
        held = {d for n in named for d in n.doc_ids}
        out: list[Naming[NamedHow]] = list(named)
        for side in sides:
            if side.doc_ids and not held & set(side.doc_ids):
                out.append(Naming(side.words, side.doc_ids, "side", 0.0))
                held |= set(side.doc_ids)
        return tuple(out)

    def side_documents(self, query: Question, named: Sequence[Naming[NamedHow]]) -> list[tuple[str, ...]]:
        """The documents each side of a comparison names: the question's naming (`named`) whose words are the side's
        or lie within them (「2022年医改任务」 names the 2022年综合医改重点工作任务 in the side 「2022年医改任务」),
        else what the side's words name read alone (index.names, the same rarity-weighted reading of titles on the
        lighter `side_name_weight`, since a side is a name: 「三北工程协调机制」; or a naming the whole question's
        reading left out because a year of the other side or a target year did not date it, 「2022年…」 beside
        「“十四五”医疗卫生服务体系规划」); () for a side naming none
        (「反拐联席会议」: no title says it). Two sides naming the same documents name none (two things of one
        document: 「2025年目标和2030年目标」)."""
        cfg = self.config
        out: list[tuple[str, ...]] = []
        for side in query.sides:
            words, number = norm(side.words), canonical_doc_number(side.words)
            own = [n for n in named if (n.words == number if n.how == "number" else norm(n.words) in words)]
            if not own:  # the side's own years narrow a title several documents share, not the question's others
                years = YEAR.findall(words)
                weight = cfg.side_name_weight  # a side is a name: less weight singles its document out
                own = list(names_in(self.store.corpus, side.words, weight, cfg.typed_name_weight, years))
            out.append(own[0].doc_ids if own else ())
        if len(out) > 1 and len({docs for docs in out if docs}) < sum(bool(docs) for docs in out):
            return [()] * len(out)
        return out

    def _lookup(self, query: Question, allowed: Where | None, looked_up: Lookup) -> list[int]:
        """Chunk indices of the clause a citation-style query names (empty when it names none)."""
        if isinstance(looked_up, NotLookedUp):
            if query.reference.clause is None:
                # no clause named: find_clauses would only resolve the document (and read its chunks) for nothing
                return []
            looked_up = find_clauses(self.store.corpus, query.reference)
        result = looked_up
        if result is None or result.clause is None or not result.chunks:
            return []
        idxs = sorted({self.store.row[c.chunk_id] for c in result.chunks if c.chunk_id in self.store.row})
        return [i for i in idxs if allowed is None or allowed.admits(self.store.document_of(i))]

    def _cards(self, query: Question, allowed: Where | None) -> list[int]:
        """Rows of the cards of the documents a metadata question names (none for other questions): every document
        it names (「科技创新规划和生态经济发展规划哪个先印发」 compares two cards), else its title words' best match."""
        if not query.only_metadata:
            return []
        named = [d for n in self.named(query)[: self.config.max_named] for d in n.doc_ids]
        if len(named) < 2 or query.doc_number:  # one document: the title words matched whole pick it more surely
            found = find_documents(self.store.corpus, query.doc_number, query.document_words, query.years)
            named = [d.doc_id for d in found] or named
        rows = [self.store.row[c] for d in dict.fromkeys(named) if (c := card_id(d)) in self.store.row]
        return [i for i in rows if allowed is None or allowed.admits(self.store.document_of(i))]

    def _card_of_best(self, query: Question, fused: Ranking) -> list[int]:
        """For a metadata question whose document no 文号 or title resolves (「…任…主任，是哪个文件、哪天发的」: it is
        named by what it says), the card of the best-ranked clause's document; rag.cards decides whether that clause
        says what the question names (it never answers for a 文号 or a 《》 title it cannot find)."""
        best = next((i for i, _ in fused if not self.store.is_card(i)), None)
        if best is None or query.doc_number:
            return []
        card = card_id(self.store.document_of(best).doc_id)
        return [self.store.row[card]] if card in self.store.row else []

    # ---------- ranking ----------

    def candidate_lists(
        self, query: Question | str, allowed: Where | None, vector: np.ndarray | None = None
    ) -> list[Ranking]:
        """The dense and BM25 candidate lists that fusion combines (`vector`: the query already embedded)."""
        query = as_question(query).text
        cfg = self.config
        lists: list[Ranking] = []
        if cfg.dense:
            if vector is None:
                vector = self.embedder.encode_queries([query])[0]
            lists.append(self.store.dense(vector, cfg.candidates, allowed))
        lists.extend(self.store.keyword(query, cfg.candidates, tok, allowed) for tok in cfg.bm25)
        return lists

    def _boost_years(self, query: Question, ranking: Ranking) -> Ranking:
        years = query.years
        if not years or not self.config.year_boost:
            return ranking
        factor = 1.0 + self.config.year_boost
        dated = self.store.in_years([idx for idx, _ in ranking], years)  # all candidates at once (speed)
        boosted = [(idx, score * factor if hit else score) for (idx, score), hit in zip(ranking, dated, strict=True)]
        return sorted(boosted, key=lambda x: -x[1])

    def _boost_documents(
        self,
        query: Question,
        checked: dict[str, frozenset[str]],
        docs: list[str],
        fused: Ranking,
        vector: np.ndarray | None,
        boost: float,
        with_kin: bool = True,
        want_best: bool = True,
    ) -> tuple[Ranking, int | None]:
        """The ranking with the clauses of `docs` and of the other documents their notice issued (its annexes: the
        「试点城镇及试点类型」 table of a 试点工作方案) searched among those documents alone, and the clauses of `docs`
        scored `boost` more (the annexes only compete as candidates: a contact list attached to 「助企纾困十条」
        restates every measure's name). Without `with_kin`, the clauses of `docs` alone. With `want_best`, also the
        best clause of `docs` themselves in that search (not a card, not a table's label row; else None), which `rank`
        keeps among the hits for a question about the content of a document named by 文号 or 《》 title: the card
        spells the 文号 and wins every list of the search, and min-max scaling puts the last of a short document (a
        personnel notice's one clause under its card) at 0, below every other document's candidates, so it was never
        read. Without it (`rank` keeps none: a metadata question, a document named by an abbreviated title) no row is
        looked at for it."""
        if not docs or not boost:
            return fused, None
        documents = self.store.documents
        roots = {documents[d].parent_id or d for d in docs if d in documents}
        issued = attachments(self.store.corpus)
        kin = [*roots, *(a for r in roots for a in issued.get(r, ()))] if with_kin else []
        named = self._fused(query, self._allowed(checked, sorted({*docs, *kin})), vector)
        direct = set(docs)
        best = dict(fused)
        for idx, score in named:
            factor = 1.0 + boost if self.store.document_of(idx).doc_id in direct else 1.0
            best[idx] = max(best.get(idx, 0.0), score * factor)
        first = None
        if want_best:
            own = (i for i, _ in named if self.store.document_of(i).doc_id in direct)
            first = next((i for i in own if not self.store.is_card(i) and not self._label_row(i)), None)
        return sorted(best.items(), key=lambda x: -x[1]), first

    def _search_sides(
        self, query: Question, allowed: Where | None, fused: Ranking, vectors: np.ndarray | None
    ) -> tuple[Ranking, list[int]]:
        """The ranking with each side of a comparison (`Question.sides`: 「生态经济规划和盐湖产业基地行动方案各定了
        多少」) searched on its own too, the other side cut out of the question, and its candidates merged at
        `side_weight` of their score: a side the question's words favour less still gets candidates of its own. A
        side naming documents (`Side.doc_ids`) is searched within them: what it asks is looked for where it is
        asked. Also the best `side_slots` chunks of each such side's search, which the answer's hits keep (`rank`):
        a side's clause is read though the other side's document fills the first places. `vectors`: the sides
        embedded, a row each (None when the dense list is off)."""
        best = dict(fused)
        own_best: list[list[int]] = []
        embedded: Sequence[np.ndarray | None] = [None] * len(query.sides) if vectors is None else list(vectors)
        for side, vector in zip(query.sides, embedded, strict=True):
            within = allowed
            if side.doc_ids:
                docs = [d for d in side.doc_ids if allowed is None or allowed.doc_ids is None or d in allowed.doc_ids]
                within = Where(filters=allowed.filters if allowed is not None else {}, doc_ids=frozenset(docs))
            ranking = self.store.hybrid(side.query, vector, within, self._spec())
            for idx, score in ranking:
                best[idx] = max(best.get(idx, 0.0), score * self.config.side_weight)
            if side.doc_ids:  # a side naming no document has no place of its own: its best may be anything
                own = (
                    i for i, _ in ranking if (query.metadata or not self.store.is_card(i)) and not self._label_row(i)
                )
                own_best.append(list(islice(own, self.config.side_slots)))
        # slot by slot (every side's best before any side's second), so that few places left go to each side's best
        kept: list[int] = []
        for slot in range(self.config.side_slots):
            for side_best in own_best:
                if slot < len(side_best) and side_best[slot] not in kept:
                    kept.append(side_best[slot])
        return sorted(best.items(), key=lambda x: -x[1]), kept

    def _person_rows(self, query: Question, allowed: Where | None) -> list[int]:
        """For each person the question names (`Question.persons`), the best chunk by the name's BM25 (characters)
        of each document whose text holds the name, up to `person_documents` documents: a person joins documents no
        title names (「X在…领导小组里是什么身份，后来的任免通知…」), and each holding the name is read."""
        rows: list[int] = []
        for name in query.persons:
            docs: set[str] = set()
            for idx, _ in self.store.keyword(name, self.config.candidates, "char", allowed):
                doc = self.store.document_of(idx).doc_id
                if doc in docs or self.store.is_card(idx) or not names_person(self.store.chunks[idx].text, name):
                    continue
                rows.append(idx)
                docs.add(doc)
                if len(docs) >= self.config.person_documents:
                    break
        return rows

    def _label_row(self, idx: int) -> bool:
        """Whether row `idx` is a table's group label alone (`TableRow.is_label`): no side's place goes to it, it
        states nothing the side asks. Decided once per row (a row's text never changes within a snapshot)."""

        def label() -> bool:
            chunk = self.store.chunks[idx]
            return chunk.kind == "table_row" and TableRow.read(chunk.text, chunk.section).is_label

        return self._labels.get(idx, label)

    def _hollow_kind(self, idx: int) -> str | None:
        """What kind of chunk saying nothing of its own row `idx` is (`_hollow_kind`), decided once per row."""

        def kind() -> str | None:
            chunk = self.store.chunks[idx]
            return _hollow_kind(chunk.text, self.config.hollow_max_chars) if chunk.kind == "clause" else None

        return self._hollow.get(idx, kind)

    def _hollow_rows(self, rows: list[int], kinds: set[str]) -> list[bool]:
        """For each row, whether it is a chunk saying nothing of its own of one of `kinds`: from the codes stored at
        build time (one array read for all), else row by row (`_hollow_kind`)."""
        codes = self._hollow_codes
        if codes is None:
            return [self._hollow_kind(i) in kinds for i in rows]
        picked = codes[np.asarray(rows, dtype=np.int64)]
        hollow = np.zeros(len(picked), dtype=bool)
        if "formula" in kinds:
            hollow |= (picked >= 0) & (picked <= self.config.hollow_max_chars)
        if "heading" in kinds:
            hollow |= picked == HOLLOW_HEADING
        return cast(list[bool], hollow.tolist())

    def _weigh_hollow(self, query: Question, ranking: Ranking) -> Ranking:
        """Chunks saying nothing of their own weighted down (`hollow_weight`): an issuing notice's formula, a lead-in,
        and a heading alone, unless the question asks for a list (the headings of the items are then its answer)."""
        weight = self.config.hollow_weight
        kinds = {"formula"} if query.form == "list" else {"formula", "heading"}
        hollow = self._hollow_rows([i for i, _ in ranking], kinds)
        weighed = [(i, s * weight if h else s) for (i, s), h in zip(ranking, hollow, strict=True)]
        return sorted(weighed, key=lambda x: -x[1])

    def _boost_roles(self, query: Question, checked: dict[str, frozenset[str]], ranking: Ranking) -> Ranking:
        """For a question asking who holds a role (`Question.roles`), the chunks stating a holder of it (「组 长：李杰翔
        省委常委…」, 「组长:张黎；省政府副省长」) over the sentences that merely mention the group.

        Of a document the question names, they are also searched for by the role's words (a member list shares
        little else with the question) and put first; naming none, the candidates stating a holder score
        `role_boost` more when their text and title hold `role_share` of the question's content bigrams weighted by
        rarity among the candidates (「质量提升」 tells the group apart, 「领导小组」 does not)."""
        cfg = self.config
        if not query.roles or not cfg.role_boost or not query.asked or not ranking:
            return ranking
        named = {d for n in self.named(query)[: cfg.max_named] for d in n.doc_ids}
        where = self._allowed(checked, sorted(named))
        found = self.store.keyword(" ".join(query.roles), cfg.role_candidates, "jieba", where) if named else []
        rows = dict.fromkeys([*(i for i, _ in ranking), *(i for i, _ in found)])
        holders = [i for i in rows if not self.store.is_card(i) and self._holds_role(i, query.roles)]
        if named:
            chosen = {i for i in holders if self.store.document_of(i).doc_id in named}
            floor = ranking[0][1]  # put first
        else:
            chosen = self._about_the_group(query, ranking, holders)
            floor = 0.0
        best = dict(ranking)
        for i in chosen:
            best[i] = max(best.get(i, 0.0), floor) * (1.0 + cfg.role_boost)
        return sorted(best.items(), key=lambda x: -x[1])

    def _holds_role(self, idx: int, roles: tuple[str, ...]) -> bool:
        """`holds_role` of row `idx`'s text, decided once per row and roles (decoded and normalised once)."""
        return self._holders.get((idx, roles), lambda: holds_role(self.store.chunks[idx].text, roles))

    def _said(self, idx: int) -> set[str]:
        """The content bigrams of row `idx`'s text and its document's title (`key_bigrams`), read once per row.

        The very set `key_bigrams` made (not a copy: a copy may iterate in another order, and the weights of the
        bigrams it shares with the question are summed in its order). Callers must not change it."""
        return self._bigrams.get(
            idx, lambda: key_bigrams(self.store.chunks[idx].text + self.store.document_of(idx).title)
        )

    def _about_the_group(self, query: Question, ranking: Ranking, holders: list[int]) -> set[int]:
        """The holders whose text and title hold `role_share` of the question's content bigrams, each weighted by
        its rarity among the candidates (`rag.evidence.rarity_weight`, as the composer weighs distinguishing words)."""
        if not holders:
            return set()
        said = {i: self._said(i) for i, _ in ranking}
        for i in holders:
            said.setdefault(i, self._said(i))
        n = len(said)
        weight = {b: rarity_weight(n, sum(b in s for s in said.values())) for b in query.asked}
        total = sum(w for w in weight.values() if w > 0)
        if not total:
            return set()
        held = {i: sum(weight[b] for b in said[i] & query.asked if weight[b] > 0) for i in holders}
        return {i for i in holders if held[i] >= self.config.role_share * total}

    def _weigh_cards(self, ranking: Ranking) -> Ranking:
        """Cards weighted down (`card_weight`) for a question about a document's content, not the document."""
        weight = self.config.card_weight
        weighed = [(idx, score * weight if self.store.is_card(idx) else score) for idx, score in ranking]
        return sorted(weighed, key=lambda x: -x[1])

    def _embed(self, text: str, sides: list[str]) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The question's vector and its comparison sides' (None when the dense list is off). Embedded once: a
        question naming a 文号 is searched twice (everywhere, then in the named documents); the sides are embedded
        with it (Embedder.encode_query_groups: the same vectors as two calls)."""
        if not self.config.dense:
            return None, None
        if sides and not self.config.side_vectors:
            whole = self.embedder.encode_queries([text])[0]
            return whole, np.repeat(whole[None, :], len(sides), axis=0)
        if sides:
            whole, side_vectors = self.embedder.encode_query_groups([[text], sides])
            return whole[0], side_vectors
        return self.embedder.encode_queries([text])[0], None

    def rank(
        self,
        query: Question | str,
        k: int = 10,
        filters: Mapping[str, Any] | None = None,
        looked_up: Lookup = NOT_LOOKED_UP,
    ) -> Ranking:
        """(chunk index, score) pairs, best first: the ranking behind `search`.

        `looked_up` is the citation lookup of this question when the caller has done it already (so it is not
        done twice).
        """
        checked = check_filters(filters)
        understand = self.config.understand
        query = as_question(query)
        sides = [side.query for side in query.sides] if understand and self.config.side_weight else []
        vector, side_vectors = self._embed(query.text, sides)
        # the documents it names read once (rank, the cards and the role boost each ask for them)
        query = self.resolve(query) if understand else query
        allowed = self._allowed(checked)
        first = self._lookup(query, allowed, looked_up) if understand else []
        if understand:
            first = [*self._cards(query, allowed), *first]
        fused = self._fused(query, allowed, vector)
        own: list[int] = []  # the best clause of each document named by 文号 or 《》 title (kept among the hits)
        for naming in self.named(query)[: self.config.max_named] if understand else ():
            # Each document the question names is searched on its own too, so that all of its clauses are candidates
            # (a comparison's second document as well), and they score more; nothing is filtered away.
            sure = naming.how in ("number", "quoted")
            boost = self.config.doc_number_boost if sure else self.config.title_boost
            # a side names what it compares, not the other plans its notice issued (an 评价指标 table attached beside
            # the plan restates the compared indicator's name, and was read and cited for the side)
            docs, kin = list(naming.doc_ids), naming.how != "side"
            keep = sure and not query.metadata  # the best clause is kept for a content question only
            fused, best = self._boost_documents(query, checked, docs, fused, vector, boost, kin, want_best=keep)
            if best is not None and best not in own:
                own.append(best)
        kept = own
        if sides:
            # each side's best (slot by slot), then the named documents' own best clauses the sides do not hold: sides
            # naming no document (「X号里任命和免职分别涉及谁」) keep none, and X号's one clause must stay all the same
            fused, side_best = self._search_sides(query, allowed, fused, side_vectors)
            kept = [*side_best, *(i for i in own if i not in side_best)]
        if understand and query.persons:
            kept = [*kept, *(i for i in self._person_rows(query, allowed) if i not in kept)]
        if understand:
            fused = self._boost_years(query, fused)
            fused = self._boost_roles(query, checked, fused)
            if not query.metadata:
                fused = self._weigh_cards(fused)
            if self.config.hollow_weight != 1.0:
                fused = self._weigh_hollow(query, fused)
        if understand and query.only_metadata and not any(self.store.is_card(i) for i in first):
            first = [*self._card_of_best(query, fused), *first]
        if understand and "approved" in query.metadata:
            # which meetings approved it is said by a clause (its issuing notice's), not by its card: the best clause
            # leads, the cards follow it (rag.cards quotes both)
            top = next((i for i, _ in fused if not self.store.is_card(i) and i not in first), None)
            first = [top, *first] if top is not None else first
        seen = set(first)
        rest = ((i, s) for i, s in fused if i not in seen)  # the first k only: fused holds every candidate
        ranked = [*((i, 1.0) for i in first), *islice(rest, max(0, k - len(first)))][:k]
        return self._keep(ranked, kept, dict(fused), len(first))

    @staticmethod
    def _keep(ranked: Ranking, kept: list[int], scores: dict[int, float], fixed: int) -> Ranking:
        """`ranked` with the `kept` chunks (each side's best, `_search_sides`) in it: those not ranked already take
        the places of the last ones (never of the first `fixed`: a citation's clauses, the cards asked), in score
        order."""
        missing = [i for i in kept if i not in {idx for idx, _ in ranked}]
        head, tail = ranked[:fixed], ranked[fixed:]
        # the places given up: the last of those neither fixed nor kept themselves
        free = [n for n in range(len(tail) - 1, -1, -1) if tail[n][0] not in kept]
        missing, dropped = missing[: len(free)], set(free[: len(missing)])
        if not missing:
            return ranked
        rest = [t for n, t in enumerate(tail) if n not in dropped]
        return head + sorted([*rest, *((i, scores.get(i, 0.0)) for i in missing)], key=lambda x: -x[1])

    def search(
        self,
        query: Question | str,
        k: int = 5,
        filters: Mapping[str, Any] | None = None,
        looked_up: Lookup = NOT_LOOKED_UP,
    ) -> list[Hit]:
        """Top-k hits for the query. Filters: doc_number, doc_id, year, gazette, doc_type (a value or a list)."""
        ranking = self.rank(query, k, filters, looked_up)
        self._prefetch(idx for idx, _ in ranking)
        return [self._hit(rank, idx, score) for rank, (idx, score) in enumerate(ranking, 1)]

    def _prefetch(self, rows: Iterable[int]) -> None:
        """Have a stored corpus decode these rows in one query (no-op for a corpus held in memory)."""
        prefetch = getattr(self.store.chunks, "prefetch", None)
        if prefetch is not None:
            prefetch(list(rows))

    def hits(self, chunk_ids: Sequence[str]) -> list[Hit]:
        """The named chunks as hits, in the given order, each with score 1.0 (unknown ids are skipped)."""
        position = self.store.row
        idxs = [position[c] for c in chunk_ids if c in position]
        return [self._hit(rank, idx, 1.0) for rank, idx in enumerate(idxs, 1)]

    def _hit(self, rank: int, idx: int, score: float) -> Hit:
        chunk = self.store.chunks[idx]
        return Hit.of(chunk, self.store.documents[chunk.doc_id], rank, round(score, 6))
