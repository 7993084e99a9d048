from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["COOPQA_ONNX_CACHE"] = tempfile.mkdtemp(prefix="coopqa-onnx-")  # one ONNX export a session
atexit.register(shutil.rmtree, os.environ["COOPQA_ONNX_CACHE"], ignore_errors=True)

from coopqa import Assistant, Settings  # noqa: E402
from coopqa.core.settings import PROJECT_ROOT  # noqa: E402

REPORT_PDF = PROJECT_ROOT / "ingest" / "china-asean-emerging-industries.pdf"
REPORT_TXT = PROJECT_ROOT / "ingest" / "china-asean-emerging-industries.txt"


@pytest.fixture(scope="session", autouse=True)
def _embedding_model_once():
    """Export (ONNX) and load the embedding model once, before any test captures its output: the
    one-time "building the int8 ONNX model" line would otherwise land in whichever test is first."""
    from coopqa.index.embedding import load_embedder

    load_embedder(Settings.from_env())


@pytest.fixture(autouse=True)
def _state_in_tmp(tmp_path, monkeypatch):
    """Point every piece of state at a temporary folder: no test touches the repo's index/."""
    monkeypatch.setenv("COOPQA_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("COOPQA_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.delenv("COOPQA_MODEL", raising=False)
    monkeypatch.delenv("COOPQA_MAX_TOKENS", raising=False)


@pytest.fixture
def settings(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    return Settings.from_env().override(index_dir=tmp_path / "index", corpus_dir=corpus)


@pytest.fixture(scope="session")
def report_index(tmp_path_factory) -> Path:
    """The bundled report ingested once per session (the real model, loaded once)."""
    folder = tmp_path_factory.mktemp("report")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT_PDF, corpus)
    settings = Settings.from_env().override(index_dir=folder / "index", corpus_dir=corpus)
    Assistant.build(settings=settings)
    return folder / "index"


@pytest.fixture(scope="session")
def qa(report_index) -> Assistant:
    return Assistant.load(report_index, settings=Settings.from_env().override(index_dir=report_index))
