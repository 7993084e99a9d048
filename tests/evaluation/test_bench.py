from __future__ import annotations

from coopqa.evaluation.bench import format_bench, run_bench, synthetic

from ..conftest import REPORT_PDF


def test_synthetic_vectors_are_normalised():
    vectors = synthetic(1000, dim=16)
    assert vectors.shape == (1000, 16)
    assert abs(float((vectors**2).sum(axis=1).mean()) - 1.0) < 1e-5


def test_bench_runs_on_a_small_size(qa):
    result = run_bench(
        qa,
        REPORT_PDF,
        ["When does Vietnam aim to be carbon neutral?", "What is RCEP?"],
        sizes=[3000],
        n_questions=4,
        embed_chunks=8,
        ingest_runs=1,
        cold_runs=1,
        progress=False,
    )
    assert result["ingest"]["chunks"] == len(qa.data.chunks)
    assert result["ingest"]["peak_rss_mb_max"] > 0
    assert result["warm"]["questions"] == 4 and result["warm"]["search"]["median_ms"] > 0
    assert "Carbon Neutrality 2060" in result["cold_start"]["answer"]
    scale = result["scale"][0]
    assert scale["n"] == 3000 and 0.0 <= scale["ivf"]["recall@10_vs_exact"] <= 1.0
    assert result["embedding"]["chunks"] == 8
    text = format_bench(result)
    assert "cold start" in text and "3,000 ivf" in text
