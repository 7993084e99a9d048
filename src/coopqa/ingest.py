"""Documents -> the index: read, clean, chunk and embed what is new, then write a generation.

The index is a collection. Adding a file whose name is already there replaces that document
only when its content changed (sha256); unchanged documents keep their chunks and vectors and
are never embedded again. A file that cannot be read is reported and skipped; the others are
still ingested, and the index on disk is only replaced by a complete new generation.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import store
from .chunking import make_chunks
from .embed import load_embedder, weights_sha256
from .errors import CoopQAError, DocumentError, IndexFolderError, UnsupportedFileError, UsageError
from .layout import running_heads, to_blocks
from .reader import sha256_file
from .records import Chunk
from .search import bm25_tokens, chunk_context
from .settings import SUPPORTED_SUFFIXES, Settings
from .worker import ParseWorker


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
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
            f"(model load {self.model_seconds:.1f} s, {_n(self.embedded, 'chunk')} embedded)"
        ]
        for label, names in (
            ("added", self.added),
            ("replaced", self.replaced),
            ("unchanged", self.unchanged),
            ("removed", self.removed),
        ):
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "\n".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Files to ingest: named files as given, folders searched for .pdf/.txt/.md.

    In folders, hidden files and README files are passed over (they describe the folder), and
    so is a ``.txt`` beside a PDF of the same stem: the PDF's plain-text twin (as the bundled
    report ships), which would duplicate every passage without page labels.

    Raises:
        UsageError: a path does not exist, or a named file has an unsupported type.
    """
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if (
                    found.is_file()
                    and found.suffix.lower() in SUPPORTED_SUFFIXES
                    and not hidden
                    and not found.name.lower().startswith("readme")
                ):
                    files.append(found)
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise UnsupportedFileError(
                f"{path}: unsupported file type {path.suffix or '(none)'}; coopqa reads "
                f"{', '.join(SUPPORTED_SUFFIXES)}"
            )
        else:
            files.append(path)
    stems = {(f.parent, f.stem) for f in files if f.suffix.lower() == ".pdf"}
    twins = {f for f in files if f.suffix.lower() == ".txt" and (f.parent, f.stem) in stems}
    files = [f for f in files if f not in twins or f in paths]
    names: dict[str, Path] = {}
    for file in files:
        if file.name in names and names[file.name].resolve() != file.resolve():
            raise UsageError(f"two files are named {file.name}: {names[file.name]} and {file}")
        names[file.name] = file
    return list(names.values())


def _progress(total: int, desc: str, unit: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not enabled)


def _existing(settings: Settings, rebuild: bool, model_sha: str) -> store.IndexData | None:
    if rebuild or not (settings.index_dir / "CURRENT").exists():
        return None
    data, _, _ = store.read_index(settings.index_dir, settings, model_sha)
    return data


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
    with store.write_lock(settings.index_dir):
        try:
            old = _existing(settings, rebuild, model_sha)
        except IndexFolderError as exc:
            raise IndexFolderError(f"{exc} (or remove the folder)") from None
        docs = {d.name: d for d in old.documents} if old else {}
        old_chunks: dict[str, list[int]] = {}
        if old:
            for i, chunk in enumerate(old.chunks):
                old_chunks.setdefault(chunk.doc, []).append(i)
        for name in remove:
            if name not in docs:
                raise UsageError(f"no document named {name!r} in the index")
        fresh, unchanged, failed = _read_documents(files, docs, settings, progress)
        added = [name for name in fresh if name not in docs]
        replaced = [name for name in fresh if name in docs]
        removed = list(remove)
        if sync and old:
            corpus = settings.corpus_dir.resolve()
            present = {f.name for f in files}
            for name, info in docs.items():
                if name not in present and Path(info.path).parent == corpus and name not in removed:
                    removed.append(name)
        changed = bool(fresh or removed or old is None)
        report = dict(
            added=tuple(added),
            replaced=tuple(replaced),
            unchanged=tuple(unchanged),
            removed=tuple(removed),
            failed=tuple(failed),
        )
        if not changed:
            return _finish(report, old, started, 0.0, 0, written=False)
        # assemble the collection: kept documents in their order, then new ones
        order = [n for n in docs if n not in removed] + [n for n in fresh if n not in docs]
        infos, texts, chunks, sources = [], {}, [], []  # sources: old chunk index or None
        for name in order:
            if name in fresh:
                info, text, new_chunks = fresh[name]
                chunks.extend(new_chunks)
                sources.extend([None] * len(new_chunks))
            else:
                info, text = docs[name], old.texts[name]
                ids = old_chunks.get(name, [])
                chunks.extend(old.chunks[i] for i in ids)
                sources.extend(ids)
            infos.append(info)
            texts[name] = text
        if not infos:
            raise UsageError("nothing left to index: the index would hold no documents")
        to_embed = [i for i, source in enumerate(sources) if source is None]
        model_started = time.perf_counter()
        embedder = load_embedder(settings)
        model_seconds = time.perf_counter() - model_started if to_embed else 0.0
        vectors, sentence_vectors = _vectors(chunks, sources, old, embedder, settings, progress)
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index(
            [bm25_tokens(chunk_context(c, full_path=True)) or ["∅"] for c in chunks], show_progress=False
        )
        data = store.IndexData(
            chunks=tuple(chunks),
            vectors=vectors,
            sentence_vectors=sentence_vectors,
            texts=texts,
            documents=tuple(infos),
            model=embedder.name,
            model_sha256=embedder.weights_sha256,
            dim=embedder.dim,
            max_tokens=settings.max_tokens,
        )
        store.write_index(settings.index_dir, data, bm25)
        return _finish(report, data, started, model_seconds, len(to_embed), written=True)


def _read_documents(
    files: Sequence[Path], docs: dict[str, store.DocInfo], settings: Settings, progress: bool
) -> tuple[dict, list[str], list[tuple[str, str]]]:
    """Read, clean and chunk the files that are new or changed, each in the parser child.

    Returns:
        ``{name: (DocInfo, cleaned text, chunks)}`` of what was read, the names found
        unchanged, and ``(name, reason)`` of each file that could not be read.
    """
    fresh: dict[str, tuple[store.DocInfo, str, tuple[Chunk, ...]]] = {}
    unchanged: list[str] = []
    failed: list[tuple[str, str]] = []
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    max_bytes = int(settings.max_file_mb * 1e6)
    bar = _progress(len(files), "reading", "doc", progress)
    with ParseWorker(settings.parse_timeout) as worker:
        for path in files:
            bar.update(1)
            try:
                if path.stat().st_size and path.name in docs and docs[path.name].sha256 == sha256_file(path):
                    unchanged.append(path.name)
                    continue
                document = worker.read(path, max_bytes)
                labels = [page.label for page in document.pages]
                text, chunks = make_chunks(document.name, to_blocks(document), labels, settings.max_tokens)
                if not chunks:
                    raise DocumentError(path.name, "no text found to index (blank pages only)")
            except DocumentError as exc:
                failed.append((path.name, exc.reason))
                continue
            except CoopQAError:
                raise
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
                failed.append((path.name, f"unreadable ({type(exc).__name__}: {exc})"[:200]))
                continue
            info = store.DocInfo(
                name=document.name,
                path=str(path.resolve()),
                sha256=document.sha256,
                pages=len(document.pages),
                labels=tuple(labels),
                chunks=len(chunks),
                added=stamp,
                kind=document.kind,
                running=running_heads(document.pages) if document.kind == "pdf" else (),
            )
            fresh[document.name] = (info, text, chunks)
    bar.close()
    return fresh, unchanged, failed


def sentence_texts(chunk: Chunk) -> list[str]:
    """The texts a chunk's sentences are embedded with (a table row or figure line with its caption)."""
    texts = [chunk.text[a:b] for a, b in chunk.sentences]
    if chunk.caption:
        texts = [t if t.startswith(chunk.caption) else f"{chunk.caption}\n{t}" for t in texts]
    return texts


def _vectors(
    chunks: list[Chunk],
    sources: list[int | None],
    old: store.IndexData | None,
    embedder,
    settings: Settings,
    progress: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Chunk and sentence embeddings: copied for kept chunks, computed for new ones."""
    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    counts = [len(c.sentences) for c in chunks]
    firsts = np.concatenate([[0], np.cumsum(counts)]).astype(int)
    sentence_vectors = np.zeros((int(firsts[-1]), embedder.dim), dtype=np.float32)
    if old is not None:
        old_firsts = np.concatenate([[0], np.cumsum([len(c.sentences) for c in old.chunks])]).astype(int)
    jobs: list[tuple[str, int, str]] = []  # (target, row, text) still to embed
    for i, (chunk, source) in enumerate(zip(chunks, sources)):
        if source is not None:
            vectors[i] = old.vectors[source]
            sentence_vectors[firsts[i] : firsts[i + 1]] = old.sentence_vectors[
                old_firsts[source] : old_firsts[source + 1]
            ]
            continue
        jobs.append(("chunk", i, chunk_context(chunk)))
        jobs.extend(("sentence", firsts[i] + j, t) for j, t in enumerate(sentence_texts(chunk)))
    bar = _progress(len(jobs), "embedding", "text", progress)
    step = settings.batch_size * 8  # the model sorts each call's texts by length: give it a few batches
    for start in range(0, len(jobs), step):
        batch = jobs[start : start + step]
        embedded = embedder.embed([text for _, _, text in batch], batch_size=settings.batch_size)
        for (target, row, _), vector in zip(batch, embedded):
            (vectors if target == "chunk" else sentence_vectors)[row] = vector
        bar.update(len(batch))
    bar.close()
    return vectors, sentence_vectors


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
