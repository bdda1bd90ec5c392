"""bench.scale_restart: the synthetic vectors a 10^6 store is built with are keyed as the builder keys its cache
(chunk id, text sha1), copy 0 holds the real vectors, the other copies unit vectors near them."""

from __future__ import annotations

import numpy as np

from bench.scale_restart import synthetic_rows
from bench.synth_corpus import copy_text
from index.embedders import text_sha1
from index.models import Corpus
from index.parser import parse_text
from index.store import embed_text
from rag.settings import PROJECT_ROOT

SMALL = "002_80a544ba8699e234.txt"  # the smallest bundled gazette


def test_synthetic_rows_key_the_builders_cache_and_stay_near_the_real_vectors() -> None:
    text = (PROJECT_ROOT / "corpus" / SMALL).read_text(encoding="utf-8-sig")
    gazettes = [parse_text(copy_text(text, copy, 2), f"c{copy:03d}_{SMALL}") for copy in range(2)]
    corpus = Corpus(gazettes=gazettes)
    n = len(gazettes[0].chunks)
    real = np.random.default_rng(1).standard_normal((n, 8)).astype(np.float32)
    real /= np.linalg.norm(real, axis=1, keepdims=True)
    rows = list(synthetic_rows(corpus, {SMALL: real}, noise=0.03))
    docs = {d.doc_id: d for d in corpus.documents}
    assert [(cid, sha) for cid, sha, _ in rows] == [
        (c.chunk_id, text_sha1(embed_text(c, docs[c.doc_id]))) for c in corpus.chunks
    ]
    first = np.array([v for _, _, v in rows[:n]])
    second = np.array([v for _, _, v in rows[n:]])
    assert np.array_equal(first, real)  # copy 0: the real vectors themselves
    assert np.allclose(np.linalg.norm(second, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(second, real) and float(np.min(np.sum(second * real, axis=1))) > 0.5
