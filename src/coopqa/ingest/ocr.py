"""Read pages that have no text layer with OCR: rapidocr (PP-OCR models on onnxruntime), offline.

A page is rendered with pypdfium2 at ``dpi`` (capped so that its longer side stays within
``MAX_SIDE`` pixels, whatever the page's dimensions), recognised, and turned into
``OcrBox`` records in PDF space (points, origin bottom left) and into the ``Line`` records the
text layer gives, so the layout steps (running headers, headings, paragraphs, tables) run
unchanged on them (:mod:`coopqa.ingest.ocr_layout`).

Invariants: nothing is downloaded: the engine runs the models its wheel ships, and loading
it fails with a clear message if they are missing. The text-line orientation classifier is off
(measured: it turned some upright lines of a scanned report over, word recall 0.82 vs 0.999).
A page that cannot be read (damaged image, over its time limit) keeps no text and says why in
``Page.ocr_error``; the other pages are read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.errors import ModelError
from ..core.records import OcrBox, Page
from .ocr_layout import page_lines, reading_order

MAX_SIDE = 2000  # pixels: the engine shrinks larger images to this itself, so rendering more is waste
FEW_CHARS = 20  # a page with images and fewer characters of text than this is read by OCR
MAX_PIXELS = 100_000_000  # an image larger than this (declared width x height) is not decoded


class PageTimeout(Exception):
    """One page's OCR took longer than its limit."""


class OcrEngine:
    """The rapidocr engine, loaded on first use (import and models cost about a second)."""

    def __init__(self) -> None:
        self._engine = None

    def _load(self):
        if self._engine is None:
            try:
                import rapidocr
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise ModelError(
                    f"OCR needs the rapidocr package ({exc}); run: pip install rapidocr onnxruntime"
                ) from None
            models = Path(rapidocr.__file__).parent / "models"
            if not any(models.glob("*det*.onnx")) or not any(models.glob("*rec*.onnx")):
                raise ModelError(f"{models}: rapidocr's bundled OCR models are missing; reinstall rapidocr")
            params = {"Global.log_level": "error", "Global.use_cls": False}
            self._engine = RapidOCR(params=params)
        return self._engine

    def read(self, image, scale: float, page_height: float) -> tuple[OcrBox, ...]:
        """Boxes of one rendered page; ``scale`` is pixels per point."""
        result = self._load()(image)
        if result.boxes is None or not result.txts:
            return ()
        found = []
        for corners, text, score in zip(result.boxes, result.txts, result.scores):
            text = " ".join(str(text).split())
            if not text:
                continue
            xs = [float(p[0]) / scale for p in corners]
            ys = [float(p[1]) / scale for p in corners]
            found.append(
                OcrBox(
                    text=text,
                    left=round(min(xs), 2),
                    bottom=round(page_height - max(ys), 2),
                    right=round(max(xs), 2),
                    top=round(page_height - min(ys), 2),
                    confidence=round(float(score), 4),
                )
            )
        return reading_order(found)


@dataclass(frozen=True)
class OcrOptions:
    """How pages without a text layer are read (``settings.ingest.ocr_*``)."""

    dpi: int = 100
    page_timeout: float = 60.0
    known: dict[int, tuple[OcrBox, ...]] = field(default_factory=dict)  # pages read before, at this dpi


def needs_ocr(page: Page) -> bool:
    """A page with images and (almost) no text layer: a scan or a photographed page. (A page
    whose text layer is glyph codes is read by OCR too: the reader asks
    :func:`~.textlayer.garbled` itself.)"""
    return page.has_images and sum(len(line.text) for line in page.lines) < FEW_CHARS


def image_problem(page) -> str:
    """Why a (pypdf) page's images cannot be read, or ``""``: an image declared larger than
    ``MAX_PIXELS``, or a stream that does not decode."""
    try:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for name in xobjects:
            image = xobjects[name].get_object()
            if image.get("/Subtype") != "/Image":
                continue
            width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
            if width * height > MAX_PIXELS:
                limit = MAX_PIXELS // 10**6
                return f"an image of {width} x {height} pixels is over the {limit}-megapixel limit"
            short = _short_stream(image, width, height)
            if short:
                return f"damaged image stream ({short})"
    except Exception as exc:  # noqa: BLE001 - any decoding error is this page's problem
        return f"damaged image stream ({type(exc).__name__}: {str(exc)[:60]})"
    return ""


_COMPONENTS = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}


def _short_stream(image, width: int, height: int) -> str:
    """What is wrong with an image stream that decodes without an error (pypdf is lenient):
    a JPEG that does not verify, or raw samples shorter than the image's declared size. JPEG
    2000, fax and JBIG2 images are left to pdfium, which renders them itself (pypdf would need
    an outside program, ``jbig2dec``, only to look)."""
    filters = image.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
    if any(n in names for n in ("/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode")):
        return ""
    data = image.get_data()
    if "/DCTDecode" in names:
        from io import BytesIO

        from PIL import Image

        Image.open(BytesIO(data)).verify()
        return ""
    components = 1 if image.get("/ImageMask") else _COMPONENTS.get(str(image.get("/ColorSpace")), 0)
    bits = int(image.get("/BitsPerComponent", 1 if image.get("/ImageMask") else 8))
    expected = (width * components * bits + 7) // 8 * height
    if components and len(data) < expected:
        return f"{len(data)} of {expected} bytes"
    return ""


def with_ocr(
    path: Path,
    pages: Sequence[Page],
    indices: Sequence[int],
    options: OcrOptions,
    on_page=None,
    problems: dict[int, str] | None = None,
) -> tuple[Page, ...]:
    """``pages`` with the pages ``indices`` read by OCR (lines, boxes, or the reason it failed);
    ``problems`` are pages known unreadable (:func:`image_problem`), not rendered."""
    problems = problems or {}
    todo = [i for i in indices if i not in options.known and not problems.get(i)]
    results = ocr_pages(path, todo, options.dpi, options.page_timeout, _ENGINE, on_page)
    results.update({i: (options.known[i], "") for i in indices if i in options.known})
    results.update({i: ((), problems[i]) for i in indices if problems.get(i) and i not in options.known})
    lines = page_lines({index: boxes for index, (boxes, _) in results.items()})
    out = list(pages)
    for index, (boxes, error) in results.items():
        out[index] = replace(pages[index], lines=lines[index], ocr=True, boxes=boxes, ocr_error=error)
    return tuple(out)


_ENGINE = OcrEngine()  # one per process (the parser child): loaded on the first scanned page


def render_scale(width: float, height: float, dpi: int) -> float:
    """Pixels per point for rendering a page at ``dpi``, within ``MAX_SIDE`` on its longer side."""
    longest = max(width, height, 1.0)
    return min(dpi / 72.0, MAX_SIDE / longest)


def ocr_pages(
    pdf_path: Path,
    indices: Sequence[int],
    dpi: int,
    page_timeout: float,
    engine: OcrEngine,
    on_page: Callable[[int, int], None] | None = None,
) -> dict[int, tuple[tuple[OcrBox, ...], str]]:
    """OCR the pages ``indices`` of a PDF: ``{index: (boxes, error)}``, error ``""`` when read.

    A page that cannot be rendered or recognised, or takes longer than ``page_timeout`` seconds,
    gets its reason as error and no boxes; the other pages are still read.
    """
    import pypdfium2 as pdfium

    results: dict[int, tuple[tuple[OcrBox, ...], str]] = {}
    if not indices:
        return results
    if on_page:
        on_page(0, len(indices))  # from here on, each page has its own time limit
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for done, index in enumerate(indices, start=1):
            results[index] = _one_page(pdf, index, dpi, page_timeout, engine)
            if on_page:
                on_page(done, len(indices))
    finally:
        pdf.close()
    return results


def _one_page(pdf, index: int, dpi: int, page_timeout: float, engine: OcrEngine):
    started = time.monotonic()
    try:
        with _time_limit(page_timeout):
            page = pdf[index]
            width, height = page.get_size()
            scale = render_scale(width, height, dpi)
            image = page.render(scale=scale).to_numpy()
            boxes = engine.read(image, scale, height)
    except PageTimeout:
        return (), f"OCR took longer than {page_timeout:g} s"
    except ModelError:
        raise
    except MemoryError:
        return (), "OCR needs more memory than the parser may use"
    except Exception as exc:  # noqa: BLE001 - a damaged image fails its page, not the document
        return (), f"OCR failed ({type(exc).__name__}: {str(exc)[:80]})"
    if time.monotonic() - started > page_timeout:
        return (), f"OCR took longer than {page_timeout:g} s"
    return boxes, ""


class _time_limit:
    """SIGALRM after ``seconds`` in the main thread (the parser child); a no-op elsewhere."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

            def expire(signum, frame):
                raise PageTimeout

            self.previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        return self

    def __exit__(self, *exc) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
