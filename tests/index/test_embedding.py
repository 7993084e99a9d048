"""The embedding backends: the ONNX ones agree with torch, their cache heals, torch stays out.

The ONNX cache is the session's (tests/conftest.py): the first ONNX embedder of the session
exports the model once (~20 s); the rebuild test works on a copy in tmp_path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest

from coopqa import Assistant, Settings
from coopqa.core.errors import UsageError
from coopqa.index import onnx_export
from coopqa.index.collection import ingest
from coopqa.index.embedding import load_embedder, side_by_side, token_batches

from ..pdfmaker import report_like

HEAVY = ("torch", "transformers", "sentence_transformers")
LONG = " ".join(["Viet Nam plans to expand offshore wind and solar power along its long coastline."] * 40)
TEXTS = [
    "Vietnam: Carbon Neutrality 2050.",
    "x",
    "When does Indonesia plan to reach carbon neutrality?",
    LONG,  # ~700 wordpieces: cut at 256 by every backend
    "The Regional Comprehensive Economic Partnership entered into force in January 2022.",
]


@pytest.fixture(scope="session")
def torch_vectors() -> np.ndarray:
    return load_embedder(Settings.from_env().override(backend="torch")).embed(TEXTS, batch_size=2)


@pytest.mark.parametrize(("backend", "floor"), [("onnx-int8", 0.98), ("onnx-fp32", 0.99999)])
def test_onnx_vectors_match_torch(backend, floor, torch_vectors):
    embedder = load_embedder(Settings.from_env().override(backend=backend))
    assert embedder.backend == backend and embedder.dim == 384 and len(embedder.file_sha256) == 64
    assert embedder.weights_sha256.startswith("53aa5117")
    vectors = embedder.embed(TEXTS, batch_size=2)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.sum(vectors * torch_vectors, axis=1).min() > floor  # order kept, padding masked
    assert embedder.embed([]).shape == (0, 384)
    assert len(embedder.tokenizer.encode(LONG).ids) == 256 and embedder.tokenizer.padding is None


def _fresh_onnx(monkeypatch, cpus: int):
    """A new int8 embedder (not the process's shared one) that sees ``cpus`` CPUs."""
    from coopqa.index.onnx_backend import OnnxEmbedder

    settings = Settings.from_env().override(backend="onnx-int8")
    loaded = load_embedder(settings)  # the file exported once; a fresh embedder of it below
    monkeypatch.setattr("coopqa.index.onnx_backend._cpu_count", lambda: cpus)  # whatever the machine
    cache = settings.index.onnx_cache
    return OnnxEmbedder(settings.model_path, loaded.weights_sha256, loaded.name, "int8", cache)


def test_an_onnx_vector_does_not_depend_on_the_texts_embedded_with_it(monkeypatch):
    embedder = _fresh_onnx(monkeypatch, 3)
    assert embedder.workers == 3 and len(embedder.sessions) == 3
    together = embedder.embed(TEXTS)
    reversed_ = embedder.embed(TEXTS[::-1])[::-1]
    alone = np.vstack([embedder.embed([text]) for text in TEXTS])
    assert np.array_equal(together, reversed_) and np.array_equal(together, alone)  # bit for bit


def test_an_error_in_one_onnx_session_is_raised_and_the_others_stop(monkeypatch):
    embedder = _fresh_onnx(monkeypatch, 2)
    good = embedder.sessions[1]

    class Broken:
        def run(self, *args, **kwargs):
            raise RuntimeError("session failed")

    embedder.sessions[1] = Broken()
    with pytest.raises(RuntimeError, match="session failed"):
        embedder.embed(TEXTS * 4)
    embedder.sessions[1] = good
    assert embedder.embed(TEXTS).shape == (len(TEXTS), 384)  # the embedder works on


@pytest.mark.parametrize("cpus", [1, 2])
def test_embed_while_gives_the_vector_of_embed_and_the_task_result(monkeypatch, cpus):
    embedder = _fresh_onnx(monkeypatch, cpus)
    ran = []
    vector, result = embedder.embed_while(TEXTS[0], lambda: ran.append(threading.current_thread().name) or 7)
    assert result == 7 and np.array_equal(vector, embedder.embed([TEXTS[0]])[0])  # bit for bit
    assert ran[0].startswith("coopqa-meanwhile") == (cpus > 1)  # one CPU: the task runs first, here
    assert side_by_side(embedder) == (cpus > 1) and not side_by_side(object())  # torch: no embed_while


def test_embed_while_raises_the_task_error_after_the_model_ran(monkeypatch):
    embedder = _fresh_onnx(monkeypatch, 2)

    def broken():
        raise ValueError("task failed")

    with pytest.raises(ValueError, match="task failed"):
        embedder.embed_while(TEXTS[1], broken)
    assert embedder.embed_while(TEXTS[1], lambda: "again")[1] == "again"  # the helper works on


def test_the_onnx_sessions_respect_a_thread_cap(monkeypatch):
    from coopqa.index import onnx_backend

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert onnx_backend._cpu_count() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "not a number")
    assert onnx_backend._cpu_count() >= 1


def test_batches_are_longest_first_and_capped_by_count_and_tokens():
    lengths = [10, 256, 40, 256, 30, 5]
    assert token_batches(lengths, batch_size=32, budget=512) == [[1, 3], [2, 4, 0, 5]]
    assert token_batches(lengths, batch_size=3, budget=512) == [[1, 3], [2, 4, 0], [5]]
    assert token_batches([900], batch_size=8, budget=512) == [[0]]  # one text always fits
    assert token_batches([], batch_size=8) == []


def test_torch_rows_keep_the_order_of_the_texts(torch_vectors):
    embedder = load_embedder(Settings.from_env().override(backend="torch"))
    alone = np.vstack([embedder.embed([text]) for text in TEXTS])
    assert np.sum(alone * torch_vectors, axis=1).min() > 0.9999


def test_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    built = load_embedder(Settings.from_env()).path  # the session's int8 file
    shutil.copytree(built.parent, tmp_path / built.parent.name)
    copy = tmp_path / built.parent.name / built.name
    digest, model_dir = onnx_export.recorded_sha256(copy), Settings.from_env().model_path
    calls = []
    monkeypatch.setattr(onnx_export, "export_onnx", lambda *a: calls.append("export"))
    quantize = onnx_export.quantize_int8
    monkeypatch.setattr(onnx_export, "quantize_int8", lambda *a: calls.append("int8") or quantize(*a))
    assert onnx_export.ensure_onnx(model_dir, tmp_path, "int8", built.parent.name) == copy
    assert calls == []  # verified: used as it is
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    assert onnx_export.ensure_onnx(model_dir, tmp_path, "int8", built.parent.name) == copy
    assert calls == ["int8"]  # quantised again from the intact fp32 file, not exported again
    assert onnx_export.verified(copy) and onnx_export.recorded_sha256(copy) == digest  # same bytes
    copy.with_name(copy.name + ".sha256").unlink()  # no digest: not trusted either
    onnx_export.ensure_onnx(model_dir, tmp_path, "int8", built.parent.name)
    assert calls == ["int8", "int8"] and onnx_export.verified(copy)


def test_unknown_backend_is_a_clear_error(settings, tmp_path):
    wrong = settings.override(backend="onnx-int4")
    message = "unknown embedding backend 'onnx-int4'; set COOPQA_EMBED_BACKEND to one of onnx-int8, "
    with pytest.raises(UsageError, match=message):
        load_embedder(wrong)
    with pytest.raises(UsageError, match=message):
        ingest([report_like(tmp_path / "lanterns.pdf")], wrong)
    assert not (settings.index_dir / "CURRENT").exists()


def _python(code: str, **env: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_importing_embedding_imports_no_torch():
    code = f"import sys, coopqa.index.embedding; print(sorted(set({HEAVY!r}) & set(sys.modules)))"
    assert _python(code) == "[]"


def test_asking_on_an_onnx_index_imports_no_torch(settings, tmp_path):
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)  # the session's cache exists now
    code = (
        "import sys; from coopqa.app.cli import main; code = main(['ask', 'What do lanterns need?']); "
        f"print(code, 'onnxruntime' in sys.modules, sorted(set({HEAVY!r}) & set(sys.modules)))"
    )
    assert _python(code, COOPQA_INDEX=str(settings.index_dir)) == "0 True []"


def test_manifest_backend_is_the_loaded_one(settings, tmp_path):
    ingest([report_like(tmp_path / "lanterns.pdf")], settings.override(backend="onnx-fp32"))
    qa = Assistant.load(settings=settings.override(backend="onnx-fp32"))
    assert qa.data.backend == "onnx-fp32" and qa.data.backend_sha256 == qa.embedder.file_sha256
