from __future__ import annotations

import numpy as np

from coopqa.core.settings import IndexSettings
from coopqa.evaluation.scale import synthetic, topic_centers
from coopqa.index.structures import chunk_context, ivf_lists, ivf_probes, make_faiss_index, sentence_texts

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


def test_probes_grow_with_the_lists():
    defaults = IndexSettings()
    sizes = (20_000, 10**5, 10**6)
    probes = {n: ivf_probes(ivf_lists(n), defaults.nprobe, defaults.probe_share) for n in sizes}
    assert ivf_lists(10**6) == 2000 and probes[10**6] == 100  # 5 % of the lists at a million
    assert probes[10**5] == 32 and probes[20_000] == defaults.nprobe  # nprobe is the floor
    assert ivf_probes(10, 16, 0.05) == 10 and ivf_probes(1, 1, 0.0) == 1  # never more than there are


def test_default_ivf_matches_exact_search_on_bench_vectors():
    """The default parameters, at a size a test can afford (20k of the bench's 384-d vectors)."""
    defaults = IndexSettings()
    centers = topic_centers(20_000)
    vectors = synthetic(20_000, centers=centers)
    queries = synthetic(100, seed=1, centers=centers)
    exact = make_faiss_index(vectors, 10**9, defaults.nprobe, defaults.probe_share)
    approx = make_faiss_index(vectors, 1000, defaults.nprobe, defaults.probe_share)
    assert approx.nlist == ivf_lists(20_000) and approx.nprobe == defaults.nprobe
    _, truth = exact.search(queries, 10)
    found = np.array([approx.search(q[None, :], 10)[1][0] for q in queries])  # one at a time, as asked
    assert np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)]) >= 0.95
    assert approx.parallel_mode == 1  # a single query's lists are split over the cores
    approx.parallel_mode = 0  # the same neighbours as FAISS's default split by query
    assert np.array_equal(found, np.array([approx.search(q[None, :], 10)[1][0] for q in queries]))


def test_chunk_context_and_sentence_texts_carry_the_heading_or_caption():
    body = chunk("It grew. It slowed.", section=("I. Trade", "(i) Goods"))
    assert chunk_context(body) == "I.(i) Goods\nIt grew. It slowed."
    assert chunk_context(body, full_path=True) == "I. Trade / (i) Goods\nIt grew. It slowed."
    assert sentence_texts(body) == ["It grew.", "It slowed."]
    row = chunk("Country: Laos; Year: 2050", kind="table_row", caption="Table 2 Targets")
    assert chunk_context(row).startswith("Table 2 Targets\n")
    assert sentence_texts(row) == ["Table 2 Targets\nCountry: Laos; Year: 2050"]
