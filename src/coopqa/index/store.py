"""The index folder: written whole into a new generation, switched to atomically, checked on load.

Layout of ``index/``::

    CURRENT                  name of the live generation (replaced atomically)
    .lock                    held while an ingest writes
    gen-<time>-<pid>/
        manifest.json        format, model and weights hash, embedding backend, tokenizer, chunk settings,
                             documents (sha256, pages, labels, when added), counts, and the
                             sha256 of every other file below
        chunks.jsonl         one chunk record a line
        vectors.npy          float32 L2-normalised embeddings, row i = chunk i
        sentence_vectors.npy embeddings of every chunk's sentences, in chunk order
        faiss.index          inner-product FAISS index over the vectors
        bm25/                bm25s's plainly named files (no pickle)
        texts/<n>.txt        cleaned text of document n (chunk offsets point into it)

A crash at any moment of a write leaves ``CURRENT`` naming the previous, complete generation.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.errors import IndexBusyError, IndexDamagedError, IndexMissingError, IndexStaleError
from ..core.files import sha256_file
from ..core.records import Chunk, DocInfo
from ..core.settings import IndexSettings, Settings
from .manifest import RERUN, build_manifest, check_compatible, doc_infos, recorded_backend
from .structures import make_faiss_index, set_probes


@dataclass(frozen=True)
class IndexData:
    """Everything an index holds, in memory."""

    chunks: tuple[Chunk, ...]
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    texts: dict[str, str]
    documents: tuple[DocInfo, ...]
    model: str
    model_sha256: str
    dim: int
    max_tokens: int
    backend: str = "torch"  # the embedding backend that made the vectors
    backend_sha256: str = ""  # sha256 of the .onnx file it ran ("" for torch)


@contextlib.contextmanager
def write_lock(index_dir: Path):
    """Hold the index's write lock; a second writer stops with a clear message."""
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / ".lock", "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusyError(
                f"{index_dir}: another `coopqa ingest` is writing this index; wait for it to finish"
            ) from None
        yield
    finally:
        handle.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_index(index_dir: Path, data: IndexData, bm25, settings: IndexSettings) -> Path:
    """Write ``data`` as a new generation and make it the live one. Call under ``write_lock``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    gen = index_dir / name
    gen.mkdir()
    fault_pause("generation started")
    _write_arrays(gen, data, bm25, settings)
    text_files = _write_texts(gen, data)
    files = {str(p.relative_to(gen)): sha256_file(p) for p in sorted(gen.rglob("*")) if p.is_file()}
    manifest = build_manifest(data, files, text_files, settings.ann_threshold)
    with open(gen / "manifest.json", "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    fault_pause("texts written")
    for path in gen.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(gen)
    fault_pause("manifest written")
    _switch(index_dir, name)
    return gen


def _write_arrays(gen: Path, data: IndexData, bm25, settings: IndexSettings) -> None:
    """Chunks, vectors, FAISS and BM25, in that order (the crash tests stop between them)."""
    import faiss

    with open(gen / "chunks.jsonl", "w", encoding="utf-8") as handle:
        for chunk in data.chunks:
            handle.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    fault_pause("chunks written")
    _save_array(gen / "vectors.npy", data.vectors)
    _save_array(gen / "sentence_vectors.npy", data.sentence_vectors)
    fault_pause("vectors written")
    index = make_faiss_index(data.vectors, settings.ann_threshold, settings.nprobe)
    faiss.write_index(index, str(gen / "faiss.index"))
    fault_pause("faiss written")
    bm25.save(str(gen / "bm25"), show_progress=False)
    fault_pause("bm25 written")


ASSEMBLY_PREFIX = ".assembly-"  # where an ingest assembles a generation's vectors (collection)


def _save_array(path: Path, array: np.ndarray) -> None:
    """``array`` as ``path`` (``.npy``). An array already assembled as a ``.npy`` file in an
    ingest's assembly folder is flushed and moved into place, not written a second time; any
    other array (a live generation's memory map among them) is copied."""
    source = Path(getattr(array, "filename", None) or "")
    if isinstance(array, np.memmap) and source.parent.name.startswith(ASSEMBLY_PREFIX):
        array.flush()
        os.replace(source, path)
        return
    np.save(path, np.ascontiguousarray(array, dtype=np.float32))


def _write_texts(gen: Path, data: IndexData) -> dict[str, str]:
    """Each document's cleaned text as ``texts/<n>.txt``; returns the file of each document."""
    (gen / "texts").mkdir()
    text_files = {}
    for i, doc in enumerate(data.documents):
        text_files[doc.name] = f"texts/{i}.txt"
        (gen / text_files[doc.name]).write_text(data.texts[doc.name], encoding="utf-8")
    return text_files


def _switch(index_dir: Path, name: str) -> None:
    """Point ``CURRENT`` at generation ``name`` atomically, then drop older generations."""
    pointer = index_dir / f".CURRENT.{os.getpid()}"
    with open(pointer, "w") as handle:
        handle.write(f"{name} {sha256_file(index_dir / name / 'manifest.json')}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / "CURRENT")
    _fsync_dir(index_dir)
    fault_pause("switched")
    for stale in index_dir.glob(".CURRENT.*"):  # left by a writer killed before its switch
        stale.unlink(missing_ok=True)
    for old in index_dir.glob("gen-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)


def fault_pause(step: str) -> None:
    """Fault-injection hook for the crash tests: ``COOPQA_FAULT_PAUSE`` seconds after each step
    of a write, so that a test can kill the writer at a known moment. Unset in normal use."""
    pause = os.environ.get("COOPQA_FAULT_PAUSE")
    if pause:
        print(f"coopqa-fault: {step}", flush=True)
        time.sleep(float(pause))


def _pointer(index_dir: Path) -> tuple[str, str]:
    """``(generation name, sha256 of its manifest)`` from ``CURRENT``."""
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        raise IndexMissingError(f"no index in {index_dir}; run `coopqa ingest` first")
    try:
        fields = pointer.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        raise IndexDamagedError(f"{index_dir}/CURRENT is damaged; {RERUN}") from None
    if len(fields) == 1 and fields[0].startswith("gen-"):
        raise IndexStaleError(
            f"index in {index_dir} was written by an older coopqa; run `coopqa ingest --rebuild`"
        )
    if len(fields) != 2:
        raise IndexDamagedError(f"{index_dir}/CURRENT is damaged; {RERUN}")
    return fields[0], fields[1]


def current_generation(index_dir: Path) -> Path:
    name, _ = _pointer(index_dir)
    gen = index_dir / name
    if not name.startswith("gen-") or "/" in name or not gen.is_dir():
        raise IndexDamagedError(f"{index_dir}/CURRENT names no generation ({name!r}); {RERUN}")
    return gen


def read_manifest(index_dir: Path) -> tuple[Path, dict]:
    gen = current_generation(index_dir)
    _, digest = _pointer(index_dir)
    path = gen / "manifest.json"
    if not path.is_file() or sha256_file(path) != digest:
        raise IndexDamagedError(f"{path.name} is missing or damaged (checksum mismatch); {RERUN}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or "files" not in manifest:
            raise ValueError("not a coopqa manifest")
    except (OSError, ValueError) as exc:
        raise IndexDamagedError(f"{gen}/manifest.json unreadable ({exc}); {RERUN}") from None
    return gen, manifest


def verify_files(gen: Path, manifest: dict) -> None:
    """Check every file against the manifest's sha256 before anything parses it."""
    for rel, digest in manifest["files"].items():
        path = gen / rel
        if not path.is_file():
            raise IndexDamagedError(f"index file {rel} is missing; {RERUN}")
        if sha256_file(path) != digest:
            raise IndexDamagedError(f"index file {rel} is damaged (checksum mismatch); {RERUN}")


def list_documents(index_dir: Path) -> tuple[DocInfo, ...]:
    """The collection's documents from the manifest alone (no model, no index files loaded)."""
    _, manifest = read_manifest(index_dir)
    try:
        return doc_infos(manifest)
    except (KeyError, TypeError) as exc:
        raise IndexDamagedError(f"{index_dir} manifest lists no documents ({exc}); {RERUN}") from None


def read_index(index_dir: Path, settings: Settings, model_sha256: str):
    """Load and check the live generation: ``(IndexData, faiss index, bm25 retriever)``."""
    import bm25s
    import faiss

    gen, manifest = read_manifest(index_dir)
    check_compatible(manifest, settings, model_sha256)
    verify_files(gen, manifest)
    try:
        chunks = tuple(
            Chunk.from_json(json.loads(line))
            for line in (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        # memory-mapped, read-only: pages come in as they are read and the kernel may drop them
        vectors = np.load(gen / "vectors.npy", mmap_mode="r", allow_pickle=False)
        sentence_vectors = np.load(gen / "sentence_vectors.npy", mmap_mode="r", allow_pickle=False)
        documents = doc_infos(manifest)
        texts = {d["name"]: (gen / d["text"]).read_text(encoding="utf-8") for d in manifest["documents"]}
        # an IVF index's lists are memory-mapped (measured at 1M chunks: 1.1 s and 1.5 GB RSS to
        # load without, 0.0 s warm with); the exact index below the threshold is read as it is
        ivf = manifest.get("faiss") == "IVFFlat"
        index = faiss.read_index(str(gen / "faiss.index"), faiss.IO_FLAG_MMAP if ivf else 0)
        if hasattr(index, "nprobe"):
            set_probes(index, settings.index.nprobe, settings.index.probe_share)
        bm25 = bm25s.BM25.load(str(gen / "bm25"), show_progress=False, allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexDamagedError(f"index in {index_dir} unreadable ({exc}); {RERUN}") from None
    n_sentences = sum(len(c.sentences) for c in chunks)
    if (
        not (len(chunks) == len(vectors) == index.ntotal)
        or vectors.shape[1:] != (manifest["dim"],)
        or sentence_vectors.shape != (n_sentences, manifest["dim"])
    ):
        raise IndexDamagedError(f"index in {index_dir} is inconsistent (counts differ); {RERUN}")
    data = IndexData(
        chunks=chunks,
        vectors=vectors,
        sentence_vectors=sentence_vectors,
        texts=texts,
        documents=documents,
        model=manifest["model"],
        model_sha256=manifest["model_sha256"],
        dim=manifest["dim"],
        max_tokens=manifest["chunking"]["max_tokens"],
        backend=recorded_backend(manifest),
        backend_sha256=manifest.get("onnx_sha256") or "",
    )
    return data, index, bm25
