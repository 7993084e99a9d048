"""Ranking and fusing score lists: pure functions over numpy arrays and rankings.

``convex`` is the default fusion (it keeps how far ahead the best match is, which matters when
one chunk holds the exact figure); ``rrf`` fuses ranks only and is kept for comparison.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rank(scores: np.ndarray, mask: np.ndarray | None, n: int) -> list[int]:
    """Indices of the ``n`` best scores among those the mask allows, best first (ties: lower index).

    Partitions before it sorts: a million scores cost a partition, not a full sort, per query."""
    if n <= 0:
        return []
    allowed = np.flatnonzero(mask) if mask is not None else np.arange(len(scores))
    values = np.nan_to_num(scores[allowed], nan=-np.inf)  # a NaN score ranks last
    if n < len(values):
        cut = np.partition(values, len(values) - n)[len(values) - n]  # the n-th best score
        keep = values >= cut  # every tie of the n-th best stays, so ties still go to the lower index
        allowed, values = allowed[keep], values[keep]
    order = np.lexsort((allowed, -values))
    return [int(i) for i in allowed[order[:n]]]


def convex(dense: np.ndarray, lexical: np.ndarray, alpha: float) -> np.ndarray:
    """``alpha`` x min-max-scaled dense scores + (1 - alpha) x BM25 scores scaled by their max."""
    span = float(dense.max() - dense.min()) if len(dense) else 0.0
    dense_part = (dense - dense.min()) / span if span > 0 else np.ones_like(dense)
    top = float(lexical.max()) if len(lexical) else 0.0
    lexical_part = lexical / top if top > 0 else np.zeros_like(lexical)
    return alpha * dense_part + (1 - alpha) * lexical_part


def rrf(rankings: Sequence[Sequence[int]], k: int = 60) -> dict[int, float]:
    """Reciprocal rank fusion: score(d) = sum over rankings of 1 / (k + rank of d)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for position, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + position)
    return fused
