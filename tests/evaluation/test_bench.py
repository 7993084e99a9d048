from __future__ import annotations

import pytest

from coopqa.core.settings import PROJECT_ROOT
from coopqa.evaluation.backends import gate_quality
from coopqa.evaluation.bench import format_bench, run_bench, synthetic
from coopqa.evaluation.questions import load_questions

from ..conftest import REPORT_PDF


def test_synthetic_vectors_are_normalised():
    vectors = synthetic(1000, dim=16)
    assert vectors.shape == (1000, 16)
    assert abs(float((vectors**2).sum(axis=1).mean()) - 1.0) < 1e-5


@pytest.mark.slow  # about 110 s on two shared cores: every backend ingests and cold-starts in its own process
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
        ocr_pages=1,
        gate=load_questions(PROJECT_ROOT / "eval" / "questions.jsonl")[:6],
    )
    assert result["ingest"]["chunks"] == len(qa.data.chunks)
    assert result["ingest"]["peak_rss_mb_max"] > 0
    assert result["sentences"]["chunks"] == len(qa.data.chunks)
    assert result["warm"]["questions"] == 4 and result["warm"]["search"]["median_ms"] > 0
    assert "Carbon Neutrality 2060" in result["cold_start"]["answer"]
    row = result["scale"]["rows"][1]
    assert row["chunks"] == 3000 and row["index"] == "ivf" and 0.0 <= row["recall_at_10"] <= 1.0
    assert result["embedding"]["chunks"] == 8 and result["embedding"]["backend"] == "onnx-int8"
    assert result["cold_start"]["torch_imported"] is False
    backends = result["backends"]
    assert list(backends) == ["onnx-int8", "onnx-fp32", "torch"]
    for name, row in backends.items():
        assert row["questions"] == 4 and row["texts"] == 8 and row["question_ms_median"] > 0
        assert row["cos_to_torch"]["min"] > (0.98 if name == "onnx-int8" else 0.9999)
        assert row["ingest"]["chunks"] == len(qa.data.chunks) and row["ingest"]["runs"] == 1
        assert row["cold_start"]["torch_imported"] is (name == "torch")
        assert "Carbon Neutrality 2060" in row["cold_start"]["answer"]
        assert set(row["speedup_vs_torch"]) == {"question", "texts", "ingest", "cold_start"}
        quality = row["quality"]  # recall on the backend's own index, with its own question vectors
        assert quality["questions"] == 6 and 0.0 <= quality["recall@1"] <= quality["recall@5"] <= 1.0
        assert quality["recall@5"] >= 0.5  # the search works: chance is about 5 in 64 chunks
        assert isinstance(quality["holds"], bool)
    assert backends["torch"]["quality"]["holds"] is True  # torch is the reference
    assert backends["torch"]["speedup_vs_torch"]["question"] == 1.0
    assert result["ingest"] is backends["onnx-int8"]["ingest"]
    text = format_bench(result)
    assert "cold start" in text and "3,000 ivf" in text
    assert "onnx-int8*" in text and "torch loaded" in text and "quality gate" in text
    ocr = result["ocr"]
    assert len(ocr["pages"]) == 1 and set(ocr["dpi"]) == {"100", "150", "200"}
    assert all(0.9 < row["word_recall"] <= 1 and row["s_per_page_median"] > 0 for row in ocr["dpi"].values())
    assert "<- configured" in text


def test_quality_gate_allows_what_the_issue_allows():
    rows = {
        "torch": {"quality": {"recall@1": 0.90, "recall@5": 0.98}},
        "near": {"quality": {"recall@1": 0.88, "recall@5": 0.97}},  # 0.02 and 0.01 below: holds
        "far": {"quality": {"recall@1": 0.87, "recall@5": 0.98}},  # 0.03 below at @1: fails
        "unmeasured": {},
    }
    gate_quality(rows)
    assert rows["near"]["quality"]["holds"] is True and rows["far"]["quality"]["holds"] is False
    assert rows["torch"]["quality"]["holds"] is True and "quality" not in rows["unmeasured"]
