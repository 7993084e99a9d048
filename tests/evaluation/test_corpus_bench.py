from __future__ import annotations

from pypdf import PdfReader

from coopqa.core.files import sha256_file
from coopqa.core.settings import Settings
from coopqa.evaluation.corpus_bench import bench_corpus, format_corpus, make_corpus

from ..conftest import REPORT_PDF


def test_copies_are_distinct_documents_with_the_same_pages(tmp_path):
    paths = make_corpus(REPORT_PDF, 2, tmp_path)
    assert len({sha256_file(p) for p in paths}) == 2 and sha256_file(paths[0]) != sha256_file(REPORT_PDF)
    pages = len(PdfReader(str(REPORT_PDF)).pages)
    assert [len(PdfReader(str(p)).pages) for p in paths] == [pages, pages]


def test_corpus_ingest_rows_per_size(tmp_path):
    settings = Settings.from_env()
    result = bench_corpus(REPORT_PDF, [1, 2], tmp_path, settings, ["onnx-int8"], ray=False)
    one, two = result["copies"]["1"]["onnx-int8"], result["copies"]["2"]["onnx-int8"]
    assert (one["documents"], two["documents"]) == (1, 2)
    assert two["pages"] == 2 * one["pages"] and two["chunks"] == 2 * one["chunks"]
    assert two["pages_per_s"] > 0 and two["seconds"] > 0 and two["peak_rss_mb"] > 0
    assert "ray:onnx-int8" not in result["copies"]["2"]  # not asked for
    text = "\n".join(format_corpus(result))
    assert f"{two['pages']:>7}{two['chunks']:>8}" in text
