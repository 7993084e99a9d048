"""OCR on this machine: seconds per page and word recall at several resolutions (``coopqa bench``).

Sample pages of a PDF with a text layer are turned into a scan (``scanned_copy``: greyscale
JPEG at 200 dpi, as a scanner gives), then read by the OCR engine rendered at each resolution.
Word recall is the share of the text layer's words (letters and digits, with repeats) found in
what OCR read on the same page; the time is render plus recognition, median over the pages.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

DPIS = (100, 150, 200)


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[a-z0-9]+", text.lower()))


def _sample(pdf: Path, count: int) -> list[int]:
    """Up to ``count`` pages with real text (200 characters or more), spread over the document."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        full = [i for i in range(len(doc)) if len(doc[i].get_textpage().get_text_range().strip()) >= 200]
    finally:
        doc.close()
    if len(full) <= count:
        return full
    return [full[round(k * (len(full) - 1) / max(count - 1, 1))] for k in range(count)]


def bench_ocr(pdf: Path, pages: int, configured_dpi: int, dpis=DPIS) -> dict:
    """Word recall and seconds per page at each dpi (and the configured one) on ``pages`` pages."""
    import pypdfium2 as pdfium

    from ..ingest.ocr import OcrEngine, render_scale
    from .scanned import scanned_copy

    chosen = _sample(pdf, pages)
    source = pdfium.PdfDocument(str(pdf))
    try:
        truths = [_words(source[i].get_textpage().get_text_range()) for i in chosen]
    finally:
        source.close()
    engine = OcrEngine()
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        scan = pdfium.PdfDocument(str(scanned_copy(pdf, Path(folder) / "scan.pdf", pages=chosen)))
        try:
            engine.read(scan[0].render(scale=1).to_numpy(), 1.0, scan[0].get_height())  # load the models
            for dpi in sorted({*dpis, configured_dpi}):
                found = total = 0
                seconds = []
                for n, truth in enumerate(truths):
                    started = time.perf_counter()
                    page = scan[n]
                    scale = render_scale(*page.get_size(), dpi=dpi)
                    boxes = engine.read(page.render(scale=scale).to_numpy(), scale, page.get_height())
                    seconds.append(time.perf_counter() - started)
                    read = _words(" ".join(box.text for box in boxes))
                    found += sum((truth & read).values())
                    total += sum(truth.values())
                rows[str(dpi)] = {
                    "word_recall": found / max(total, 1),
                    "s_per_page_median": statistics.median(seconds),
                }
        finally:
            scan.close()
    return {"pdf": pdf.name, "pages": [i + 1 for i in chosen], "configured_dpi": configured_dpi, "dpi": rows}


def format_ocr(r: dict) -> list[str]:
    lines = [
        f"OCR (rapidocr, scanned copy of {len(r['pages'])} pages of {r['pdf']}; configured "
        f"{r['configured_dpi']} dpi)",
        f"{'dpi':<8}{'word recall':>12}{'s/page':>9}",
    ]
    for dpi, row in r["dpi"].items():
        mark = "  <- configured" if int(dpi) == r["configured_dpi"] else ""
        lines.append(f"{dpi:<8}{row['word_recall']:>12.4f}{row['s_per_page_median']:>9.2f}{mark}")
    return lines
