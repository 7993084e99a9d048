"""Files -> ``ParsedDocument`` records: which files to read, and reading each in the parser child.

A file whose sha256 matches the document already indexed under its name is not read again. A
file that cannot be read is reported with its reason and the others go on; only errors that
concern every file (a ``CoopQAError`` that is not a ``DocumentError``) stop the run.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import CoopQAError, DocumentError, UnsupportedFileError, UsageError
from ..core.files import SUPPORTED_SUFFIXES, cached_sha256
from ..core.records import Chunk, DocInfo, OcrBox
from ..core.settings import Settings
from .blocks import to_blocks
from .chunking import make_chunks
from .furniture import running_heads
from .ocr import OcrOptions
from .revision import reader_revision
from .worker import ParseWorker


@dataclass(frozen=True)
class ParsedDocument:
    """One document read, cleaned and chunked: what the index stores of it."""

    info: DocInfo
    text: str
    chunks: tuple[Chunk, ...]
    ocr_boxes: dict[int, tuple[OcrBox, ...]] = field(default_factory=dict)  # by physical page
    warnings: tuple[str, ...] = ()  # pages that could not be read (the rest was kept)


@dataclass(frozen=True)
class ParseResult:
    """What reading a batch of files gave: the documents read, the unchanged, the failed."""

    parsed: dict[str, ParsedDocument]
    unchanged: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]


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
            files.extend(_folder_files(path))
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


def _folder_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if (
            path.is_file()
            and path.suffix.lower() in SUPPORTED_SUFFIXES
            and not hidden
            and not path.name.lower().startswith("readme")
        ):
            found.append(path)
    return found


def progress_bar(total: int, desc: str, unit: str, enabled: bool):
    """A tqdm bar on stderr (disabled: a bar that prints nothing)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not enabled)


def unchanged(known: DocInfo | None, sha256: str) -> bool:
    """Whether a file whose content has ``sha256`` is the ``known`` document, read by this code
    (:func:`~.revision.reader_revision`): then it is not read again."""
    return known is not None and known.sha256 == sha256 and known.reader == reader_revision()


def parse_documents(
    files: Sequence[Path],
    known: Mapping[str, DocInfo],
    settings: Settings,
    progress: bool,
    ocr_cache: Callable[[str, int], dict[int, tuple[OcrBox, ...]]] | None = None,
) -> ParseResult:
    """Read, clean and chunk the files that are new or changed, each in the parser child.

    Args:
        files: what to read.
        known: the documents already indexed, by name (a file with the same sha256 is skipped).
        settings: chunk size and the parser's limits.
        progress: show a progress bar on stderr.
        ocr_cache: ``(sha256, dpi) -> {page: boxes}`` OCR read before: those pages are not read again.
    """
    bar = progress_bar(len(files), "reading", "doc", progress)
    outcomes = {}
    for path, kind, payload in parse_stream(files, known, settings, progress, ocr_cache, workers=1):
        bar.update(1)
        outcomes[path] = (kind, payload)
    bar.close()
    return collect_outcomes(files, outcomes)


def collect_outcomes(files: Sequence[Path], outcomes: Mapping[Path, tuple[str, object]]) -> ParseResult:
    """A ``ParseResult`` of each file's ``(kind, payload)``, in the order of ``files``."""
    parsed, unchanged, failed = {}, [], []
    for path in files:
        kind, payload = outcomes[path]
        if kind == "parsed":
            parsed[path.name] = payload
        elif kind == "unchanged":
            unchanged.append(path.name)
        else:
            failed.append((path.name, payload))
    return ParseResult(parsed, tuple(unchanged), tuple(failed))


def parse_stream(
    files: Sequence[Path],
    known: Mapping[str, DocInfo],
    settings: Settings,
    progress: bool,
    ocr_cache=None,
    workers: int = 1,
) -> Iterator[tuple[Path, str, object]]:
    """``(path, kind, payload)`` for each file as soon as it is read: ``("parsed", ParsedDocument)``,
    ``("unchanged", None)`` or ``("failed", reason)``. ``workers`` parser children read files
    side by side (each in a thread that waits on its child), so the caller may embed one
    document while the next ones are read. An error that concerns every file is raised here."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    todo: queue.Queue = queue.Queue()
    for path in files:
        todo.put(path)
    done: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        limits = settings.ingest
        with ParseWorker(limits.parse_timeout, int(limits.parse_memory_gb * 2**30)) as worker:
            while not stop.is_set():
                try:
                    path = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((path, *_read_one(worker, path, known, settings, stamp, progress, ocr_cache)))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    done.put((path, "error", exc))
                    return

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, min(workers, len(files))))]
    for thread in threads:
        thread.start()
    try:
        for _ in files:
            path, kind, payload = done.get()
            if kind == "error":
                raise payload
            yield path, kind, payload
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _read_one(worker, path: Path, known, settings: Settings, stamp: str, progress: bool, ocr_cache):
    try:
        if path.stat().st_size and unchanged(known.get(path.name), cached_sha256(path)):
            return "unchanged", None
        return "parsed", _parse_one(worker, path, settings, stamp, progress, ocr_cache)
    except DocumentError as exc:
        return "failed", exc.reason
    except CoopQAError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        return "failed", f"unreadable ({type(exc).__name__}: {exc})"[:200]


def ocr_options(settings: Settings, known: dict | None = None) -> OcrOptions | None:
    """The OCR options for the parser child, or None when OCR is off (``--no-ocr``)."""
    limits = settings.ingest
    if not limits.ocr:
        return None
    return OcrOptions(limits.ocr_dpi, limits.ocr_page_timeout, known or {})


def _parse_one(
    worker: ParseWorker, path: Path, settings: Settings, stamp: str, progress: bool, ocr_cache=None
) -> ParsedDocument:
    known = ocr_cache(cached_sha256(path), settings.ingest.ocr_dpi) if ocr_cache else {}
    bar = None

    def on_page(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = progress_bar(total, f"ocr {path.name[:24]}", "page", progress)
        bar.update(done - bar.n)

    try:
        ocr = ocr_options(settings, known)
        document = worker.read(path, int(settings.ingest.max_file_mb * 1e6), ocr, on_page)
    finally:
        if bar is not None:
            bar.close()
    labels = [page.label for page in document.pages]
    text, chunks = make_chunks(
        document.name,
        to_blocks(document),
        labels,
        settings.ingest.max_tokens,
        settings.ingest.overlap_share,
    )
    if not chunks:
        raise DocumentError(path.name, "no text found to index (blank pages only)")
    info = DocInfo(
        name=document.name,
        path=str(path.resolve()),
        sha256=document.sha256,
        pages=len(document.pages),
        labels=tuple(labels),
        chunks=len(chunks),
        added=stamp,
        kind=document.kind,
        running=running_heads(document.pages) if document.kind == "pdf" else (),
        ocr_pages=tuple(page.index for page in document.pages if page.ocr and page.lines),
        reader=reader_revision(),
    )
    warnings = tuple(
        f"page {page.label or page.index + 1}: {page.ocr_error}" for page in document.pages if page.ocr_error
    )
    boxes = {page.index: page.boxes for page in document.pages if page.ocr and page.boxes}
    return ParsedDocument(info, text, chunks, boxes, warnings)
