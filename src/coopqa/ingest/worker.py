"""Parse documents in a child process with a time limit, so one hostile file cannot stall ingest.

The child only imports the reader (pypdf; rapidocr when a page needs OCR), runs with a memory
ceiling, and answers one request at a time over a pipe. A document that takes longer than the
limit, or that crashes the child, is reported as that document's error; the child is then
replaced for the next file. While it reads pages by OCR the child reports each page done, and
each report gives it another page's time (``OcrOptions.page_timeout``) on top of the limit.
"""

from __future__ import annotations

import resource
from multiprocessing import get_context
from pathlib import Path

from ..core.errors import DocumentError, UnsupportedFileError
from ..core.records import Document
from .ocr import OcrOptions

OCR_MARGIN = 10.0  # seconds the parent waits past a page's own OCR limit before it stops the child


def _serve(conn, memory_limit: int) -> None:  # pragma: no cover - runs in the child
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ValueError, OSError):
        pass
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # the parent reports one line per file
    from .reader import read_document

    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        path, max_bytes, ocr = request

        def on_page(done: int, total: int) -> None:
            conn.send(("page", (done, total)))

        try:
            conn.send(("ok", read_document(Path(path), max_bytes, ocr, on_page)))
        except DocumentError as exc:
            conn.send(("document", (exc.name, exc.reason)))
        except UnsupportedFileError as exc:
            conn.send(("unsupported", str(exc)))
        except MemoryError:
            conn.send(("document", (Path(path).name, "needs more memory than the parser may use")))
        except Exception as exc:  # noqa: BLE001 - reported as this file's error
            conn.send(("document", (Path(path).name, f"unreadable ({type(exc).__name__}: {exc})"[:200])))


class ParseWorker:
    """Reads documents in a child process: ``timeout`` seconds at most each, ``memory_limit``
    bytes of address space (``settings.ingest.parse_timeout`` and ``parse_memory_gb``)."""

    def __init__(self, timeout: float, memory_limit: int) -> None:
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._process = None
        self._conn = None

    def _start(self) -> None:
        context = get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.memory_limit), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def read(
        self, path: Path, max_bytes: int | None = None, ocr: OcrOptions | None = None, on_page=None
    ) -> Document:
        """Read one document, or raise ``DocumentError`` naming it and the reason.

        ``ocr``: read pages without a text layer by OCR (``None``: refuse a scanned PDF);
        ``on_page(done, total)`` is called in this process after each page read by OCR.
        """
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        self._conn.send((str(path), max_bytes, ocr))
        wait = self.timeout
        while True:
            kind, payload = self._receive(path, wait)
            if kind != "page":
                break
            if on_page:
                on_page(*payload)
            wait = ocr.page_timeout + OCR_MARGIN
        if kind == "ok":
            return payload
        if kind == "unsupported":
            raise UnsupportedFileError(payload)
        raise DocumentError(*payload)

    def _receive(self, path: Path, wait: float):
        if not self._conn.poll(wait):
            self._stop()
            raise DocumentError(path.name, f"parsing took longer than {wait:g} s and was stopped")
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            code = self._process.exitcode if self._process else None
            self._stop()
            raise DocumentError(path.name, f"the PDF parser crashed on this file (exit {code})") from None

    def close(self) -> None:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            try:
                self._conn.send(None)
                self._process.join(2)
            except OSError:
                pass
        self._stop()

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
