"""Read a source file into ``Document`` pages: PDF through pypdf, plain text and Markdown.

Each PDF page keeps its printed label (the PDF's ``/PageLabels``; without them, the numbers the
pages print, :func:`~coopqa.ingest.labels.printed_labels`, else the physical number) and its
lines with position, font size and weight (:mod:`coopqa.ingest.pdflines`); the PDF's outline
(bookmarks), if it has one, comes along as ``Document.outline`` (titles as spelled, level, page,
destination top).
Nothing here decides what is a heading or a header; :mod:`coopqa.ingest.layout` does.

Invariants: PDF line text is cleaned as :func:`~coopqa.ingest.pdflines.clean_pdf_text` says;
text and Markdown files are kept as written. A broken outline is read as no outline. A page
whose text layer is glyph codes without letters (:func:`~coopqa.ingest.textlayer.garbled`) is
read by OCR like a scan, or, with OCR off, kept with its readable lines only (none: said why,
``UNREADABLE``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from ..core.errors import DocumentError, UnsupportedFileError
from ..core.files import SUPPORTED_SUFFIXES, sha256_file
from ..core.records import Document, Line, OutlineEntry, Page
from .labels import printed_labels
from .ocr import OcrOptions, image_problem, needs_ocr, with_ocr
from .pdflines import page_lines
from .textlayer import garbled, readable_lines

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_OUTLINE = 5000  # entries read from an outline at most
UNREADABLE = "text layer unreadable (its fonts map no glyph to a letter): OCR is needed to read it"


def read_document(
    path: Path, max_bytes: int | None = None, ocr: OcrOptions | None = None, on_page=None
) -> Document:
    """Read one file into pages; PDF pages without a text layer are read by OCR when ``ocr``
    is given (``on_page(done, total)`` is called after each such page).

    Raises:
        UnsupportedFileError: the suffix is not .pdf, .txt or .md.
        DocumentError: the file is empty, too large, not what its name says, encrypted,
            damaged, or has no text layer.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; "
            f"coopqa reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(path.name, "empty file (0 bytes)")
    if max_bytes is not None and size > max_bytes:
        raise DocumentError(
            path.name, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit"
        )
    digest = sha256_file(path)
    outline: tuple[OutlineEntry, ...] = ()
    if suffix == ".pdf":
        pages, outline = _read_pdf(path, ocr, on_page)
        kind = "pdf"
    else:
        pages = _read_text(path)
        kind = suffix.lstrip(".")
    return Document(name=path.name, path=str(path), sha256=digest, pages=pages, kind=kind, outline=outline)


# --- text and Markdown -------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1/CP1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM: every other byte of ASCII text is zero.
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        if max(even, odd) > len(data[:4096]) // 4:
            return data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
        raise DocumentError(name, "binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_text(path: Path) -> tuple[Page, ...]:
    text = decode_text(path.read_bytes(), path.name).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(path.name, "no text in file")
    pages = []
    for number, page_text in enumerate(text.split("\f"), start=1):
        lines = []
        y = 800.0
        for raw in page_text.split("\n"):
            heading = re.match(r"^(#{1,6})\s+(.*)$", raw) if path.suffix.lower() == ".md" else None
            if heading:
                level = len(heading.group(1))
                lines.append(Line(heading.group(2).strip(), 0.0, y, 16.0 - level, bold=True))
            elif raw.strip():
                lines.append(Line(raw.strip(), 0.0, y, 10.0))
            y -= 20.0 if not raw.strip() else 12.0  # a blank line reads as a paragraph break
        pages.append(Page(index=number - 1, label=str(number), lines=tuple(lines)))
    return tuple(pages)


# --- PDF ---------------------------------------------------------------------------------


def _open_pdf(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise DocumentError(path.name, "not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError) as exc:
                raise DocumentError(path.name, f"encrypted PDF that cannot be opened ({exc})") from None
            if not opened:
                raise DocumentError(path.name, "encrypted PDF: a password is needed")
        count = len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(path.name, f"damaged PDF ({_short(exc)})") from None
    if count == 0:
        raise DocumentError(path.name, "PDF has no pages")
    return reader


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _readable(page: Page) -> Page:
    """A garbled page read without OCR: its lines that are text, or none and why."""
    lines = readable_lines(page.lines)
    return replace(page, lines=lines, ocr_error="" if lines else UNREADABLE)


def _labels(reader, count: int) -> list[str] | None:
    """The PDF's own page labels (``/PageLabels``), or None when it has none (or a broken tree)."""
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return None
        labels = [str(label) for label in reader.page_labels]
    except Exception:  # noqa: BLE001 - a broken /PageLabels tree is no labels
        return None
    return labels if len(labels) == count else None


def _has_images(page) -> bool:
    try:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # noqa: BLE001 - image detection is advisory only
        return False


def _outline(reader, count: int) -> tuple[OutlineEntry, ...]:
    """The outline's entries in order, with their level, page and destination top; entries that
    point at no page are left out. A broken outline gives ``()``."""
    entries: list[OutlineEntry] = []

    def walk(items, level: int) -> None:
        for item in items:
            if len(entries) >= MAX_OUTLINE:
                return
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            title = re.sub(
                r"\s+", " ", _CONTROL.sub(" ", unicodedata.normalize("NFKC", str(item.title or "")))
            )
            page = reader.get_destination_page_number(item)
            if not title.strip() or page is None or not 0 <= page < count:
                continue
            top = item.get("/Top")
            top = float(top) if isinstance(top, (int, float)) and math.isfinite(float(top)) else None
            entries.append(OutlineEntry(title.strip(), level, page, top))

    try:
        walk(reader.outline, 1)
    except Exception:  # noqa: BLE001 - a damaged outline is no outline, the pages still read
        return ()
    return tuple(entries)


def _read_pdf(
    path: Path, ocr: OcrOptions | None, on_page
) -> tuple[tuple[Page, ...], tuple[OutlineEntry, ...]]:
    reader = _open_pdf(path)
    count = len(reader.pages)
    own = _labels(reader, count)
    labels = own or [str(i + 1) for i in range(count)]
    pages = []
    for index in range(count):
        try:
            page = reader.pages[index]
            lines = page_lines(page)
            height, width = float(page.mediabox.height), float(page.mediabox.width)
        except DocumentError:
            raise
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged streams
            if type(exc).__name__ == "LimitReachedError" or "limit reached" in str(exc).lower():
                raise DocumentError(
                    path.name, "a stream inflates past the decompression limit (a decompression bomb?)"
                ) from None
            raise DocumentError(
                path.name, f"damaged PDF: page {index + 1} unreadable ({_short(exc)})"
            ) from None
        images = _has_images(page)
        pages.append(Page(index, labels[index], lines, height=height, has_images=images, width=width))
    noise = {p.index for p in pages if garbled(p.lines)}  # text layers of glyph codes
    scanned = [p.index for p in pages if p.index in noise or needs_ocr(p)]
    if scanned and ocr is not None:  # a garbled page is rendered whatever its images (pdfium draws text)
        problems = {i: image_problem(reader.pages[i]) for i in scanned if i not in noise}
        pages = list(with_ocr(path, pages, scanned, ocr, on_page, problems))
    elif noise:  # OCR off: glyph codes are not indexed as text, the page's readable lines are
        pages = [_readable(p) if p.index in noise else p for p in pages]
    printed = None if own else printed_labels(pages)
    if printed:
        pages = [replace(page, label=label) for page, label in zip(pages, printed)]
    if not any(p.lines for p in pages):
        if scanned and ocr is not None:
            errors = {p.ocr_error for p in pages if p.ocr_error}
            reason = f": {sorted(errors)[0]}" if errors else ""
            raise DocumentError(path.name, f"OCR found no text on any page{reason}")
        if any(p.ocr_error == UNREADABLE for p in pages):
            raise DocumentError(path.name, UNREADABLE)
        if any(p.has_images for p in pages):
            raise DocumentError(path.name, "no text layer (a scanned PDF?): OCR is needed first")
        raise DocumentError(path.name, "no text on any page")
    return tuple(pages), _outline(reader, count)
