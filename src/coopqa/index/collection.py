"""Documents -> the index: read, clean and chunk what is new, embed it, then write a generation.

The index is a collection. Adding a file whose name is already there replaces that document
only when its content changed (sha256); unchanged documents keep their chunks and vectors and
are never embedded again. A file that cannot be read is reported and skipped; the others are
still ingested, and the index on disk is only replaced by a complete new generation.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from ..core.errors import CoopQAError, DocumentError, IndexFolderError, UsageError
from ..core.records import Chunk, DocInfo
from ..core.settings import Settings
from ..ingest.documents import ParsedDocument, collect_files, progress_bar
from . import ocr_store, store
from .embedding import Embedder, check_backend, load_embedder, weights_sha256
from .pipeline import Staging, embed_document, read_and_embed, staging_key
from .structures import build_bm25


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    resumed: tuple[str, ...] = ()  # read and embedded by a run that was stopped, taken from staging
    warnings: tuple[tuple[str, str], ...] = ()  # (document, what was skipped in it)
    ocr_pages: int = 0  # pages read by OCR in this run
    documents: int = 0
    pages: int = 0
    sections: int = 0
    chunks: int = 0
    tokens: int = 0
    embedded: int = 0
    seconds: float = 0.0
    model_seconds: float = 0.0
    written: bool = False

    def summary(self) -> str:
        parts = [
            f"{_n(self.documents, 'document')}, {_n(self.pages, 'page')}, {_n(self.sections, 'section')}, "
            f"{_n(self.chunks, 'chunk')}, {_n(self.tokens, 'token')} in {self.seconds:.1f} s "
            f"(model load {self.model_seconds:.1f} s, {_n(self.embedded, 'chunk')} embedded"
            + (f", {_n(self.ocr_pages, 'page')} read by OCR)" if self.ocr_pages else ")")
        ]
        for label, names in (
            ("added", self.added),
            ("replaced", self.replaced),
            ("unchanged", self.unchanged),
            ("removed", self.removed),
            ("resumed from an unfinished run", self.resumed),
        ):
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "\n".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class _Plan:
    """The next generation's documents in order, with each chunk's source: a row of the old
    index (kept, vectors copied) or None (new, to embed)."""

    infos: tuple[DocInfo, ...]
    texts: dict[str, str]
    chunks: tuple[Chunk, ...]
    sources: tuple[int | None, ...]


def ingest(
    paths: Sequence[Path] | None,
    settings: Settings,
    rebuild: bool = False,
    remove: Sequence[str] = (),
    progress: bool = False,
) -> IngestReport:
    """Add, replace or remove documents and write the index.

    Args:
        paths: files or folders; ``None`` syncs ``settings.corpus_dir`` (documents that came
            from it and are gone from it are dropped).
        settings: where the index lives and how to chunk.
        rebuild: start a fresh index from ``paths`` alone.
        remove: names of documents to drop.
        progress: show progress bars on stderr.
    """
    started = time.perf_counter()
    sync = paths is None
    files = collect_files([settings.corpus_dir] if sync else list(paths))
    _, model_sha = weights_sha256(settings.model_path)
    check_backend(settings.index.backend)  # before any document is parsed
    with store.write_lock(settings.index_dir):
        old = _existing(settings, rebuild, model_sha)
        docs = {d.name: d for d in old.documents} if old else {}
        for name in remove:
            if name not in docs:
                raise UsageError(f"no document named {name!r} in the index")
        cache = partial(ocr_store.read_boxes, settings.index_dir)
        staging = Staging(settings.index_dir, staging_key(settings, model_sha))
        run = read_and_embed(files, docs, settings, lambda: load_embedder(settings), staging, progress, cache)
        result = run.result
        removed = list(remove) + (_gone_from_corpus(settings, docs, files, remove) if sync and old else [])
        report = {**change_report(result, docs, removed), "resumed": run.resumed}
        if not (result.parsed or removed or old is None):
            return _finish(report, old, started, 0.0, 0, written=False)
        plan = _plan(old, docs, result.parsed, removed, result.failed)
        resumed = sum(len(result.parsed[name].chunks) for name in run.resumed)
        embedded = sum(source is None for source in plan.sources) - resumed
        work = assembly_folder(settings.index_dir)
        try:
            data = _index_data(plan, old, load_embedder(settings), settings, progress, run.vectors, work)
            write_generation(settings, data, result.parsed)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        staging.clear()  # the generation holds them now
        return _finish(report, data, started, run.model_seconds, embedded, written=True)


def write_generation(settings: Settings, data: store.IndexData, parsed: dict[str, ParsedDocument]) -> None:
    """Write ``data`` as the live generation, with the OCR boxes of the documents just read."""
    for doc in parsed.values():
        if doc.ocr_boxes:
            ocr_store.write_boxes(settings.index_dir, doc.info.sha256, doc.ocr_boxes, settings.ingest.ocr_dpi)
    store.write_index(settings.index_dir, data, build_bm25(data.chunks), settings.index)
    ocr_store.prune(settings.index_dir, (d.sha256 for d in data.documents))


def change_report(result, docs: dict[str, DocInfo], removed: Sequence[str]) -> dict:
    """What an update does to the collection, by document name: the ``IngestReport`` fields
    ``added``, ``replaced``, ``unchanged``, ``removed`` and ``failed``."""
    return dict(
        added=tuple(name for name in result.parsed if name not in docs),
        replaced=tuple(name for name in result.parsed if name in docs),
        unchanged=result.unchanged,
        removed=tuple(removed),
        failed=result.failed,
        warnings=tuple((name, w) for name, doc in result.parsed.items() for w in doc.warnings),
        ocr_pages=sum(len(doc.info.ocr_pages) for doc in result.parsed.values()),
    )


def _existing(settings: Settings, rebuild: bool, model_sha: str) -> store.IndexData | None:
    if rebuild or not (settings.index_dir / "CURRENT").exists():
        return None
    try:
        data, _, _ = store.read_index(settings.index_dir, settings, model_sha)
    except IndexFolderError as exc:
        raise IndexFolderError(f"{exc} (or remove the folder)") from None
    return data


def _gone_from_corpus(
    settings: Settings, docs: dict[str, DocInfo], files: Sequence[Path], removed: Sequence[str]
) -> list[str]:
    """Documents that came from the synced folder and are no longer in it."""
    corpus = settings.corpus_dir.resolve()
    present = {f.name for f in files}
    return [
        name
        for name, info in docs.items()
        if name not in present and Path(info.path).parent == corpus and name not in removed
    ]


def _plan(
    old: store.IndexData | None,
    docs: dict[str, DocInfo],
    fresh: dict[str, ParsedDocument],
    removed: Sequence[str],
    failed: Sequence[tuple[str, str]] = (),
) -> _Plan:
    """Kept documents in their order, then new ones; each chunk with where its vectors come from.
    An index that would hold no document is an error naming the ``failed`` files and why."""
    old_rows: dict[str, list[int]] = {}
    for i, chunk in enumerate(old.chunks if old else ()):
        old_rows.setdefault(chunk.doc, []).append(i)
    order = [n for n in docs if n not in removed] + [n for n in fresh if n not in docs]
    infos, texts, chunks, sources = [], {}, [], []
    for name in order:
        if name in fresh:
            parsed = fresh[name]
            info, texts[name] = parsed.info, parsed.text
            chunks.extend(parsed.chunks)
            sources.extend([None] * len(parsed.chunks))
        else:
            info, texts[name] = docs[name], old.texts[name]
            rows = old_rows.get(name, [])
            chunks.extend(old.chunks[i] for i in rows)
            sources.extend(rows)
        infos.append(info)
    if not infos:
        raise _nothing_left(failed)
    return _Plan(tuple(infos), texts, tuple(chunks), tuple(sources))


def _nothing_left(failed: Sequence[tuple[str, str]]) -> CoopQAError:
    """The error for an index that would hold no document: each file that could not be read and
    why (the first three), else that nothing is left. Nothing is written either way: an index
    already there (a rebuild, a removal) stays as it was."""
    if not failed:
        return UsageError("nothing left to index: the index would hold no documents")
    if len(failed) == 1:
        name, reason = failed[0]
        return DocumentError(name, f"{reason}; nothing was written (the index would hold no documents)")
    shown = "; ".join(f"{name}: {reason}" for name, reason in failed[:3])
    more = f"; and {len(failed) - 3} more" if len(failed) > 3 else ""
    empty = "no document could be read and the index would hold none: nothing was written"
    return CoopQAError(f"{empty} ({shown}{more})")


def _index_data(
    plan: _Plan,
    old: store.IndexData | None,
    embedder: Embedder,
    settings: Settings,
    progress: bool,
    done: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    work: Path | None = None,
) -> store.IndexData:
    batch = settings.index.batch_size
    vectors, sentence_vectors = _vectors(plan, old, embedder, batch, progress, done, work)
    return store.IndexData(
        chunks=plan.chunks,
        vectors=vectors,
        sentence_vectors=sentence_vectors,
        texts=plan.texts,
        documents=plan.infos,
        model=embedder.name,
        model_sha256=embedder.weights_sha256,
        dim=embedder.dim,
        max_tokens=settings.ingest.max_tokens,
        backend=embedder.backend,
        backend_sha256=embedder.file_sha256,
    )


def _first_rows(chunks: Sequence[Chunk]) -> np.ndarray:
    """Row of each chunk's first sentence in the sentence vectors (and the total, last)."""
    return np.concatenate([[0], np.cumsum([len(c.sentences) for c in chunks])]).astype(int)


def _vectors(
    plan: _Plan,
    old: store.IndexData | None,
    embedder: Embedder,
    batch_size: int,
    progress: bool,
    done: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    work: Path | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Chunk and sentence embeddings: copied for kept chunks; for new documents taken from
    ``done`` (embedded while they were read) or embedded here, document by document. With a
    ``work`` folder the two arrays are files there, memory-mapped, filled a document at a time."""
    done = done or {}
    firsts = _first_rows(plan.chunks)
    vectors = _array(work, "vectors.npy", (len(plan.chunks), embedder.dim))
    sentence_vectors = _array(work, "sentence_vectors.npy", (int(firsts[-1]), embedder.dim))
    old_firsts = _first_rows(old.chunks) if old is not None else None
    new: dict[str, list[int]] = {}  # document -> its new chunks' rows (consecutive)
    for i, (chunk, source) in enumerate(zip(plan.chunks, plan.sources)):
        if source is None:
            new.setdefault(chunk.doc, []).append(i)
            continue
        vectors[i] = old.vectors[source]
        sentence_vectors[firsts[i] : firsts[i + 1]] = old.sentence_vectors[
            old_firsts[source] : old_firsts[source + 1]
        ]
    todo = [name for name in new if name not in done]
    bar = progress_bar(sum(len(new[n]) for n in todo), "embedding", "chunk", progress and bool(todo))
    for name, rows in new.items():
        if name in done:
            chunk_vectors, sentences = done[name]
        else:
            chunks = [plan.chunks[i] for i in rows]
            chunk_vectors, sentences = embed_document(chunks, embedder.embed, batch_size)
            bar.update(len(rows))
        vectors[rows[0] : rows[-1] + 1] = chunk_vectors
        sentence_vectors[firsts[rows[0]] : firsts[rows[-1] + 1]] = sentences
    bar.close()
    return vectors, sentence_vectors


def assembly_folder(index_dir: Path) -> Path:
    """Where this run assembles the new generation's vectors on disk (``.assembly-<pid>``),
    after removing what a killed run left there. Call under the write lock."""
    for stale in index_dir.glob(f"{store.ASSEMBLY_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    return index_dir / f"{store.ASSEMBLY_PREFIX}{os.getpid()}"


def _array(work: Path | None, name: str, shape: tuple[int, int]) -> np.ndarray:
    """A zeroed float32 array: in memory, or a ``.npy`` file in ``work``, memory-mapped (the
    generation then takes the file as it is, see ``store._save_array``)."""
    if work is None or not shape[0]:  # nothing to map for an empty array
        return np.zeros(shape, dtype=np.float32)
    work.mkdir(parents=True, exist_ok=True)
    return np.lib.format.open_memmap(work / name, mode="w+", dtype=np.float32, shape=shape)


def _finish(
    report: dict,
    data: store.IndexData | None,
    started: float,
    model_seconds: float,
    embedded: int,
    written: bool,
) -> IngestReport:
    chunks = data.chunks if data else ()
    return IngestReport(
        **report,
        documents=len(data.documents) if data else 0,
        pages=sum(d.pages for d in data.documents) if data else 0,
        sections=len({(c.doc, c.section) for c in chunks}),
        chunks=len(chunks),
        tokens=sum(c.tokens for c in chunks),
        embedded=embedded,
        seconds=time.perf_counter() - started,
        model_seconds=model_seconds,
        written=written,
    )
