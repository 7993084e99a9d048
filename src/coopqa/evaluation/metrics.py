"""Retrieval and summary metrics for coopqa.

Small, pure, declared functions in the spirit of ``ir_measures``. Ranked lists
are given best first; ranks are 1-based. Relevance is judged against *text
evidence* (gold answer snippets), not against a set of chunk ids, which is why
``recall_at_k`` is defined as success@k (see its docstring).

Typical use::

    rel = hits(ranked_passages, gold_evidence)
    recall_at_k(rel, 5), reciprocal_rank(rel, 10), ndcg_at_k(rel, 10)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..core.text import normalize

__all__ = [
    "normalize",
    "hits",
    "recall_at_k",
    "reciprocal_rank",
    "dcg_at_k",
    "ndcg_at_k",
    "page_hit",
    "percentile",
    "median",
    "mean",
]


def _check_k(k: int) -> None:
    """Validate a rank cut-off.

    Args:
        k: Cut-off to validate.

    Raises:
        ValueError: If ``k`` is not an integer or is smaller than 1.
    """
    if isinstance(k, bool) or not isinstance(k, int):
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


def hits(passages: Sequence[str], evidence: Sequence[str]) -> list[bool]:
    """Mark which ranked passages contain gold evidence.

    Both passages and evidence strings are compared after :func:`normalize`,
    so line breaks, hyphenation and punctuation do not matter. Evidence strings
    that normalize to the empty string are ignored (they would otherwise match
    every passage).

    Args:
        passages: Retrieved passages, best first.
        evidence: Gold evidence strings; a passage is relevant if it contains
            at least one of them.

    Returns:
        One boolean per passage, in the same order. All ``False`` when
        ``evidence`` is empty.
    """
    needles = [n for n in (normalize(e) for e in evidence) if n]
    if not needles:
        return [False] * len(passages)
    result: list[bool] = []
    for passage in passages:
        hay = normalize(passage)
        result.append(any(n in hay for n in needles))
    return result


def recall_at_k(relevant: Sequence[bool], k: int) -> float:
    """Success@k: whether any of the first ``k`` results is relevant.

    The gold standard is text evidence rather than a set of relevant chunk ids,
    so the number of relevant items is unknown and classic recall (found /
    total relevant) is not defined. We therefore use the "success@k" (hit
    rate) definition: 1.0 if at least one of the first ``k`` results is
    relevant, else 0.0. Averaged over queries this is the fraction of
    questions answered by the top ``k``.

    Args:
        relevant: Relevance flags of the ranked list, best first.
        k: Cut-off (>= 1).

    Returns:
        1.0 or 0.0.

    Raises:
        ValueError: If ``k`` < 1.
    """
    _check_k(k)
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(relevant: Sequence[bool], k: int = 10) -> float:
    """Reciprocal rank of the first relevant result within the first ``k``.

    Args:
        relevant: Relevance flags of the ranked list, best first.
        k: Cut-off (>= 1); relevant results after rank ``k`` are ignored.

    Returns:
        ``1 / rank`` of the first relevant result (1-based), or 0.0 if none of
        the first ``k`` is relevant.

    Raises:
        ValueError: If ``k`` < 1.
    """
    _check_k(k)
    for rank, is_rel in enumerate(relevant[:k], start=1):
        if is_rel:
            return 1.0 / rank
    return 0.0


def dcg_at_k(gains: Sequence[float], k: int) -> float:
    """Discounted cumulative gain over the first ``k`` ranks.

    ``DCG@k = sum_{i=1..k} gain_i / log2(i + 1)`` with 1-based ranks ``i``, so
    rank 1 is undiscounted and rank 2 is divided by ``log2(3)``.

    Args:
        gains: Gain per rank, best first. Shorter lists are fine.
        k: Cut-off (>= 1).

    Returns:
        The DCG value (0.0 for an empty list).

    Raises:
        ValueError: If ``k`` < 1.
    """
    _check_k(k)
    return math.fsum(float(g) / math.log2(i + 1) for i, g in enumerate(gains[:k], start=1))


def ndcg_at_k(relevant: Sequence[bool], k: int = 10, n_relevant: int | None = None) -> float:
    """Normalized DCG at ``k`` with binary gains.

    The ideal ranking puts ``min(n_relevant, k)`` relevant results at the top.
    ``n_relevant`` defaults to the number of ``True`` flags in the whole list;
    pass it explicitly when more relevant items are known to exist than were
    retrieved. If it is given smaller than the number of relevant results
    actually found in the first ``k``, the found count is used instead so the
    score never exceeds 1.0.

    Args:
        relevant: Relevance flags of the ranked list, best first.
        k: Cut-off (>= 1).
        n_relevant: Total number of relevant items (>= 0), or ``None``.

    Returns:
        nDCG in [0, 1]; 0.0 when there is nothing relevant.

    Raises:
        ValueError: If ``k`` < 1 or ``n_relevant`` < 0.
    """
    _check_k(k)
    if n_relevant is None:
        n_relevant = sum(1 for r in relevant if r)
    elif n_relevant < 0:
        raise ValueError(f"n_relevant must be >= 0, got {n_relevant}")
    gains = [1.0 if r else 0.0 for r in relevant[:k]]
    n_ideal = min(max(n_relevant, int(sum(gains))), k)
    if n_ideal == 0:
        return 0.0
    idcg = dcg_at_k([1.0] * n_ideal, k)
    return dcg_at_k(gains, k) / idcg


def page_hit(pages: Sequence[str], gold_pages: Sequence[str]) -> bool:
    """Whether any printed page label of a passage is a gold page label.

    Labels are compared as strings after stripping surrounding whitespace and
    lower-casing, so ``"xii"`` matches ``" XII"`` and ``"12"`` matches
    ``"12"`` (but ``"12"`` does not match ``"012"``).

    Args:
        pages: Printed page labels covered by the passage.
        gold_pages: Gold page labels.

    Returns:
        True if the two label sets intersect.
    """
    gold = {p.strip().lower() for p in gold_pages}
    return any(p.strip().lower() in gold for p in pages)


def percentile(values: Sequence[float], q: float) -> float:
    """Percentile with linear interpolation (numpy's default ``'linear'``).

    The values are sorted; position ``(n - 1) * q / 100`` is interpolated
    linearly between its neighbouring order statistics.

    Args:
        values: Non-empty sequence of numbers.
        q: Percentile in [0, 100].

    Returns:
        The interpolated percentile.

    Raises:
        ValueError: If ``values`` is empty or ``q`` is outside [0, 100].
    """
    if len(values) == 0:
        raise ValueError("percentile() of an empty sequence")
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"q must be in [0, 100], got {q}")
    ordered = sorted(float(v) for v in values)
    pos = (len(ordered) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    frac = pos - lo
    return ordered[lo] + (ordered[hi] - ordered[lo]) * frac


def median(values: Sequence[float]) -> float:
    """Median, i.e. ``percentile(values, 50)``.

    Args:
        values: Non-empty sequence of numbers.

    Returns:
        The median.

    Raises:
        ValueError: If ``values`` is empty.
    """
    return percentile(values, 50)


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean, 0.0 for an empty sequence.

    Args:
        values: Sequence of numbers.

    Returns:
        The mean (computed with ``math.fsum``), or 0.0 if ``values`` is empty.
    """
    if len(values) == 0:
        return 0.0
    return math.fsum(values) / len(values)
