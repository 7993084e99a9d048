"""Read and embed side by side, document by document, and resume a run that was stopped.

Parser children (``settings.ingest.parse_workers``; 0: the cores less one, at least one) read
documents while this process embeds the ones already read, with one progress bar for both
(documents, pages, texts a second). Each document is embedded in batches of its own texts only
(:func:`embed_document`), so its vectors do not depend on the documents read with it: the local
path, a resumed run and the Ray path make the same calls and get the same vectors.

Staging: ``<index>/staging/<sha256>-<key>/`` holds a document read and embedded by a run that
has not finished yet (``key``: what its vectors depend on: model weights, backend, chunk size,
OCR). A run that is killed leaves its finished documents there; the next run takes them instead
of reading and embedding them again. A finished run removes the staging folder. The live index
is not touched until the new generation is written whole.

Memory: a document's vectors stay in memory only while it is embedded; the run reads them back
from its staging entry (memory-mapped, one document at a time) when the generation's vector
files are assembled on disk (``collection._vectors``), so what an ingest holds in memory grows with the
chunks' text and the search structures, not with the vectors (sentence vectors are most of them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..core.files import cached_sha256
from ..core.records import Chunk, DocInfo, OcrBox
from ..core.settings import Settings
from ..ingest.documents import (
    ParsedDocument,
    ParseResult,
    collect_outcomes,
    parse_stream,
    progress_bar,
    unchanged,
)
from ..ingest.revision import reader_revision
from .store import fault_pause
from .structures import chunk_context, import_search_libraries, sentence_texts

FOLDER = "staging"


def embed_document(chunks: Sequence[Chunk], embed, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """One document's chunk and sentence vectors, embedded in calls of its own texts only; a
    text that is both a chunk and its one sentence (a table row, a caption) is embedded once."""
    jobs: dict[str, list[tuple[bool, int]]] = {}  # text -> the (is a chunk, row) it fills
    sentence_row = 0
    for i, chunk in enumerate(chunks):
        jobs.setdefault(chunk_context(chunk), []).append((True, i))
        for text in sentence_texts(chunk):
            jobs.setdefault(text, []).append((False, sentence_row))
            sentence_row += 1
    texts = list(jobs)
    dim = None
    vectors = sentences = None
    step = batch_size * 8  # the model sorts each call's texts by length: give it a few batches
    for start in range(0, len(texts), step):
        batch = texts[start : start + step]
        embedded = np.asarray(embed(batch, batch_size=batch_size), dtype=np.float32)
        if dim is None:
            dim = embedded.shape[1]
            vectors = np.zeros((len(chunks), dim), dtype=np.float32)
            sentences = np.zeros((sentence_row, dim), dtype=np.float32)
        for text, vector in zip(batch, embedded):
            for is_chunk, row in jobs[text]:
                (vectors if is_chunk else sentences)[row] = vector
    if dim is None:
        return np.zeros((0, 0), dtype=np.float32), np.zeros((0, 0), dtype=np.float32)
    return vectors, sentences


class StagedVectors(Mapping):
    """Document name -> its staged ``(chunk vectors, sentence vectors)``, memory-mapped when
    looked up and released when the caller drops them: no file stays open per document (a run
    over thousands of documents would run out of file handles)."""

    def __init__(self, staging: Staging) -> None:
        self.staging = staging
        self.shas: dict[str, str] = {}

    def add(self, name: str, sha256: str) -> None:
        self.shas[name] = sha256

    def __getitem__(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        return self.staging.vectors(self.shas[name])

    def __iter__(self):
        return iter(self.shas)

    def __len__(self) -> int:
        return len(self.shas)


@dataclass
class Embedded:
    """What reading and embedding gave: the parse result, each new document's vectors, counts."""

    result: ParseResult
    vectors: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    resumed: tuple[str, ...] = ()  # documents taken from the staging of a run that was stopped
    model_seconds: float = 0.0


class Staging:
    """Documents read and embedded by a run that has not written its generation yet."""

    def __init__(self, index_dir: Path, key: str) -> None:
        self.folder = index_dir / FOLDER
        self.key = key

    def _entry(self, sha256: str) -> Path:
        return self.folder / f"{sha256}-{self.key}"

    def get(self, path: Path, stamp: str) -> ParsedDocument | None:
        """The staged document of ``path`` (its vectors checked readable), else None."""
        if not self.folder.is_dir():
            return None  # no run was stopped half-way: nothing to take over
        entry = self._entry(_sha(path))
        try:
            raw = json.loads((entry / "document.json").read_text(encoding="utf-8"))
            self.vectors(_sha(path))  # opened to check, closed again
        except (OSError, ValueError):
            return None  # not staged, or half written: read it again
        info = {k: tuple(v) if isinstance(v, list) else v for k, v in raw["info"].items()}
        if info.get("name") != path.name:
            return None  # the same content under another name: its chunks carry the old one
        if info.get("reader", "") != reader_revision():
            return None  # staged by another revision of the reading code: read it again
        info.update(path=str(path.resolve()), added=stamp)
        boxes = {int(n): tuple(OcrBox.from_json(b) for b in page) for n, page in raw["ocr"].items()}
        chunks = tuple(Chunk.from_json(c) for c in raw["chunks"])
        return ParsedDocument(DocInfo(**info), raw["text"], chunks, boxes, tuple(raw["warnings"]))

    def vectors(self, sha256: str) -> tuple[np.ndarray, np.ndarray]:
        """A staged document's chunk and sentence vectors, memory-mapped (read-only)."""
        entry = self._entry(sha256)
        return (
            np.load(entry / "vectors.npy", mmap_mode="r", allow_pickle=False),
            np.load(entry / "sentence_vectors.npy", mmap_mode="r", allow_pickle=False),
        )

    def put(self, doc: ParsedDocument, vectors: np.ndarray, sentences: np.ndarray) -> None:
        entry = self._entry(doc.info.sha256)
        tmp = self.folder / f".{entry.name}.{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        raw = {
            "info": asdict(doc.info),
            "text": doc.text,
            "chunks": [c.to_json() for c in doc.chunks],
            "ocr": {str(n): [b.to_json() for b in page] for n, page in doc.ocr_boxes.items()},
            "warnings": list(doc.warnings),
        }
        (tmp / "document.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / "vectors.npy", vectors)
        np.save(tmp / "sentence_vectors.npy", sentences)
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
        fault_pause("document staged")

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def staging_key(settings: Settings, weights_sha256: str) -> str:
    """What a staged document's chunks and vectors depend on, as a short hash."""
    limits = settings.ingest
    parts = [weights_sha256, settings.index.backend, limits.max_tokens, limits.overlap_share, limits.ocr]
    parts += [limits.ocr_dpi, settings.index.batch_size]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]


def parse_workers(settings: Settings) -> int:
    """Parser children to run side by side: the setting, or the cores less one (at least one)."""
    if settings.ingest.parse_workers:
        return settings.ingest.parse_workers
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores - 1)


def read_and_embed(
    files: Sequence[Path],
    known: Mapping[str, DocInfo],
    settings: Settings,
    load: Callable[[], object],
    staging: Staging,
    progress: bool,
    ocr_cache=None,
) -> Embedded:
    """Read the new and changed ``files`` in parser children and embed each as it arrives.

    ``load()`` gives the embedder, called once: in a thread while the first new or changed
    document is read (none: not at all), waited for when that document is embedded. No thread
    outlives this call.
    """
    out = Embedded(ParseResult({}, (), ()), StagedVectors(staging))
    outcomes: dict[Path, tuple[str, object]] = {}
    staged, fresh = _staged_and_fresh(files, known, staging)
    for path, doc in staged.items():
        outcomes[path] = ("parsed", doc)
        out.vectors.add(path.name, doc.info.sha256)
    todo = [path for path in files if path not in staged]
    bar = progress_bar(len(files), "ingest", "doc", progress)
    bar.update(len(staged))
    # the model, faiss and bm25s load while the first document is read
    loading = Preload(load, "coopqa-model-load") if fresh else None
    warming = Preload(import_search_libraries, "coopqa-imports") if fresh else None
    try:
        counts = {"pages": 0, "texts": 0}
        started = time.perf_counter()
        embedder = None
        for path, kind, payload in parse_stream(
            todo, known, settings, progress, ocr_cache, workers=parse_workers(settings)
        ):
            outcomes[path] = (kind, payload)
            if kind == "parsed":
                if embedder is None:
                    embedder, out.model_seconds = loading.result()
                vectors, sentences = embed_document(payload.chunks, embedder.embed, settings.index.batch_size)
                staging.put(payload, vectors, sentences)
                out.vectors.add(path.name, payload.info.sha256)  # on disk from now on, not in memory
                counts["pages"] += payload.info.pages
                counts["texts"] += len(vectors) + len(sentences)
            bar.update(1)
            rate = counts["texts"] / max(time.perf_counter() - started, 1e-9)
            bar.set_postfix(pages=counts["pages"], texts=counts["texts"], texts_per_s=f"{rate:.0f}")
    finally:
        bar.close()
        for thread in (loading, warming):
            if thread:
                thread.wait()  # no thread outlives the reading; a result nobody asked for is dropped
    out.result = collect_outcomes(files, outcomes)
    out.resumed = tuple(path.name for path in staged)
    return out


def _staged_and_fresh(files: Sequence[Path], known: Mapping[str, DocInfo], staging: Staging):
    """``({path: document staged by a stopped run}, whether any other file is new or changed)``."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    staged, fresh = {}, False
    for path in files:
        same = unchanged(known.get(path.name), _sha(path))
        entry = None if same else staging.get(path, stamp)
        if entry:
            staged[path] = entry
        fresh = fresh or not (same or entry)
    return staged, fresh


class Preload:
    """``load()`` run in a thread from now on (model files, onnxruntime or torch), its result or
    its exception handed over by :meth:`result`; a result nobody asks for is dropped."""

    def __init__(self, load: Callable[[], object], name: str = "coopqa-preload") -> None:
        self._load = load
        self._value: tuple[object, float] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self._value = (self._load(), time.perf_counter() - started)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread by result()
            self._error = exc

    def wait(self) -> None:
        """Until the load has ended, however it ended."""
        self._thread.join()

    def result(self) -> tuple[object, float]:
        """``(the loaded object, seconds the load took)``; raises what the load raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _sha(path: Path) -> str:
    try:
        return cached_sha256(path)
    except OSError:
        return ""
