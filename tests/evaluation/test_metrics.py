from __future__ import annotations

import math

import pytest

from coopqa.evaluation import metrics

# ---------------------------------------------------------------- normalize / hits


def test_normalize_drops_non_alnum_and_lowercases() -> None:
    # "Multi-\nDimensional" -> drop "-" and "\n", lower-case -> "multidimensional"
    assert metrics.normalize("Multi-\nDimensional") == "multidimensional"
    assert metrics.normalize("multi-\ndimensional") == metrics.normalize("multidimensional")
    # unicode letters are kept (isalnum), punctuation/space removed
    assert metrics.normalize("Café, Nº 5!") == "caféno5"  # compatibility forms folded (º -> o)


def test_hits_with_line_breaks_and_hyphens() -> None:
    passages = [
        "Nothing relevant here.",
        "The multi-\ndimensional scaling of the\ndata was done twice.",
        "Unrelated text about cooperatives.",
        "Multidimensional  Scaling again",
    ]
    evidence = ["multidimensional scaling"]
    # passage 2: normalize -> "...multidimensionalscalingofthe..." contains
    # "multidimensionalscaling"; passage 4 too; passages 1 and 3 do not
    assert metrics.hits(passages, evidence) == [False, True, False, True]


def test_hits_any_of_several_evidence_strings() -> None:
    passages = ["alpha beta", "gamma-delta", "epsilon"]
    # "gamma delta" -> "gammadelta" is in "gammadelta"; "ALPHA" -> "alpha"
    assert metrics.hits(passages, ["gamma delta", "ALPHA"]) == [True, True, False]


def test_hits_empty_evidence_all_false() -> None:
    assert metrics.hits(["a", "b", "c"], []) == [False, False, False]
    # evidence that normalizes to "" is ignored rather than matching everything
    assert metrics.hits(["a", "b"], [" - \n"]) == [False, False]
    assert metrics.hits([], ["x"]) == []


# ---------------------------------------------------------------- recall (success@k)


def test_recall_at_k_around_hit_at_rank_3() -> None:
    relevant = [False, False, True, False, False]
    # first 1 = [F] -> no hit -> 0.0
    assert metrics.recall_at_k(relevant, 1) == 0.0
    # first 3 = [F, F, T] -> hit at rank 3 -> 1.0
    assert metrics.recall_at_k(relevant, 3) == 1.0
    # first 5 contains rank 3 -> 1.0
    assert metrics.recall_at_k(relevant, 5) == 1.0


def test_recall_at_k_no_relevant_and_short_list() -> None:
    assert metrics.recall_at_k([False, False], 5) == 0.0
    assert metrics.recall_at_k([], 3) == 0.0


# ---------------------------------------------------------------- reciprocal rank


def test_reciprocal_rank_at_rank_1() -> None:
    # first relevant at rank 1 -> 1/1
    assert metrics.reciprocal_rank([True, False, True], k=10) == pytest.approx(1.0)


def test_reciprocal_rank_at_rank_3() -> None:
    # first relevant at rank 3 -> 1/3 = 0.3333...
    rr = metrics.reciprocal_rank([False, False, True, True], k=10)
    assert rr == pytest.approx(0.3333333333)


def test_reciprocal_rank_none_within_k() -> None:
    # relevant only at rank 4, cut-off k=3 -> 0.0
    assert metrics.reciprocal_rank([False, False, False, True], k=3) == 0.0
    # same list with k=4 -> 1/4
    assert metrics.reciprocal_rank([False, False, False, True], k=4) == pytest.approx(0.25)
    assert metrics.reciprocal_rank([], k=10) == 0.0


# ---------------------------------------------------------------- DCG / nDCG


def test_dcg_at_k_hand_computed() -> None:
    # gains [3, 2, 0, 1], k=3: 3/log2(2) + 2/log2(3) + 0/log2(4)
    # = 3 + 2/1.5849625 = 3 + 1.2618595 = 4.2618595
    assert metrics.dcg_at_k([3, 2, 0, 1], 3) == pytest.approx(4.2618595, abs=1e-6)
    # k=4 adds 1/log2(5) = 0.4306766 -> 4.6925361
    assert metrics.dcg_at_k([3, 2, 0, 1], 4) == pytest.approx(4.6925361, abs=1e-6)
    assert metrics.dcg_at_k([], 5) == 0.0


def test_ndcg_one_relevant_at_rank_2() -> None:
    # DCG = 1/log2(3) = 0.6309298; IDCG (1 relevant at top) = 1/log2(2) = 1
    # nDCG = 0.6309298
    ndcg = metrics.ndcg_at_k([False, True, False], k=10)
    assert ndcg == pytest.approx(0.6309298, abs=1e-6)
    assert ndcg == pytest.approx(1 / math.log2(3))


def test_ndcg_two_relevant_at_ranks_1_and_3() -> None:
    # DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
    # IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.6309298 = 1.6309298
    # nDCG = 1.5 / 1.6309298 = 0.9197208
    ndcg = metrics.ndcg_at_k([True, False, True, False], k=10)
    assert ndcg == pytest.approx(0.9197208, abs=1e-6)


def test_ndcg_n_relevant_larger_than_found() -> None:
    # one relevant found at rank 1, but 3 relevant items exist; k=10
    # DCG = 1
    # IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.6309298 + 0.5 = 2.1309298
    # nDCG = 1 / 2.1309298 = 0.4692787
    ndcg = metrics.ndcg_at_k([True, False, False], k=10, n_relevant=3)
    assert ndcg == pytest.approx(0.4692787, abs=1e-6)


def test_ndcg_ideal_capped_at_k() -> None:
    # n_relevant=5 but k=2 -> IDCG uses min(5, 2) = 2 relevant:
    # IDCG = 1 + 1/log2(3) = 1.6309298; DCG([T, T]) = 1.6309298 -> nDCG = 1.0
    assert metrics.ndcg_at_k([True, True, False], k=2, n_relevant=5) == pytest.approx(1.0)


def test_ndcg_default_counts_relevant_beyond_k() -> None:
    # relevant at ranks 2 and 4, k=2; n_relevant defaults to 2 (whole list)
    # DCG@2 = 1/log2(3) = 0.6309298; IDCG@2 = 1 + 0.6309298 = 1.6309298
    # nDCG = 0.6309298 / 1.6309298 = 0.3868528
    ndcg = metrics.ndcg_at_k([False, True, False, True], k=2)
    assert ndcg == pytest.approx(0.3868528, abs=1e-6)


def test_ndcg_no_relevant_is_zero() -> None:
    assert metrics.ndcg_at_k([False, False, False], k=10) == 0.0
    assert metrics.ndcg_at_k([], k=10) == 0.0
    assert metrics.ndcg_at_k([False, False], k=10, n_relevant=0) == 0.0


# ---------------------------------------------------------------- invalid k


@pytest.mark.parametrize("k", [0, -1])
def test_invalid_k_raises(k: int) -> None:
    rel = [True, False]
    with pytest.raises(ValueError, match="k must be"):
        metrics.recall_at_k(rel, k)
    with pytest.raises(ValueError, match="k must be"):
        metrics.reciprocal_rank(rel, k)
    with pytest.raises(ValueError, match="k must be"):
        metrics.ndcg_at_k(rel, k)
    with pytest.raises(ValueError, match="k must be"):
        metrics.dcg_at_k([1.0, 0.0], k)


def test_negative_n_relevant_raises() -> None:
    with pytest.raises(ValueError, match="n_relevant"):
        metrics.ndcg_at_k([True], k=5, n_relevant=-1)


# ---------------------------------------------------------------- page_hit


def test_page_hit() -> None:
    assert metrics.page_hit(["11", "12"], ["12", "40"]) is True
    assert metrics.page_hit(["11", "12"], ["13"]) is False
    # labels compared after strip + lower-case
    assert metrics.page_hit(["XII "], ["xii"]) is True
    assert metrics.page_hit([], ["1"]) is False
    assert metrics.page_hit(["1"], []) is False


# ---------------------------------------------------------------- percentile / summary


def test_percentile_known_values() -> None:
    values = [1, 2, 3, 4]
    # p50: pos = (4-1)*0.50 = 1.5 -> 2 + 0.5*(3-2) = 2.5
    assert metrics.percentile(values, 50) == pytest.approx(2.5)
    # p95: pos = 3*0.95 = 2.85 -> 3 + 0.85*(4-3) = 3.85
    assert metrics.percentile(values, 95) == pytest.approx(3.85)
    # p0 / p100 are min / max
    assert metrics.percentile(values, 0) == pytest.approx(1.0)
    assert metrics.percentile(values, 100) == pytest.approx(4.0)
    # unsorted input: [10, 0, 5] sorted [0, 5, 10]; p25: pos = 2*0.25 = 0.5
    # -> 0 + 0.5*(5-0) = 2.5
    assert metrics.percentile([10, 0, 5], 25) == pytest.approx(2.5)
    # single value: every percentile is that value
    assert metrics.percentile([7.0], 90) == pytest.approx(7.0)


def test_percentile_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="empty"):
        metrics.percentile([], 50)
    with pytest.raises(ValueError, match="q must be"):
        metrics.percentile([1.0], 101)
    with pytest.raises(ValueError, match="q must be"):
        metrics.percentile([1.0], -0.5)


def test_median() -> None:
    # odd count: sorted [1, 3, 9] -> middle 3
    assert metrics.median([9, 1, 3]) == pytest.approx(3.0)
    # even count: (2 + 3) / 2 = 2.5
    assert metrics.median([4, 1, 3, 2]) == pytest.approx(2.5)
    with pytest.raises(ValueError):
        metrics.median([])


def test_mean() -> None:
    # (1 + 2 + 3 + 4) / 4 = 2.5
    assert metrics.mean([1, 2, 3, 4]) == pytest.approx(2.5)
    # (0.1 + 0.2 + 0.3) / 3 = 0.2
    assert metrics.mean([0.1, 0.2, 0.3]) == pytest.approx(0.2)
    assert metrics.mean([]) == 0.0
