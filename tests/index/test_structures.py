from __future__ import annotations

import numpy as np

from coopqa.index.structures import chunk_context, make_faiss_index, sentence_texts

from ..factories import chunk


def test_ivf_matches_exact_search_on_synthetic_vectors():
    """faiss contrib style: exact search is the oracle for the approximate index."""
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((40, 32)).astype(np.float32)
    vectors = centers[rng.integers(0, 40, 5000)] + 0.5 * rng.standard_normal((5000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = vectors[:50] + 0.05 * rng.standard_normal((50, 32)).astype(np.float32)
    exact = make_faiss_index(vectors, threshold=10**9, nprobe=16)
    approx = make_faiss_index(vectors, threshold=100, nprobe=16)
    assert type(exact).__name__ == "IndexFlatIP" and type(approx).__name__ == "IndexIVFFlat"
    _, truth = exact.search(queries, 10)
    _, found = approx.search(queries, 10)
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)])
    assert recall >= 0.95


def test_chunk_context_and_sentence_texts_carry_the_heading_or_caption():
    body = chunk("It grew. It slowed.", section=("I. Trade", "(i) Goods"))
    assert chunk_context(body) == "I.(i) Goods\nIt grew. It slowed."
    assert chunk_context(body, full_path=True) == "I. Trade / (i) Goods\nIt grew. It slowed."
    assert sentence_texts(body) == ["It grew.", "It slowed."]
    row = chunk("Country: Laos; Year: 2050", kind="table_row", caption="Table 2 Targets")
    assert chunk_context(row).startswith("Table 2 Targets\n")
    assert sentence_texts(row) == ["Table 2 Targets\nCountry: Laos; Year: 2050"]
