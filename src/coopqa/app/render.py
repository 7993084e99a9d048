"""Render a cited PDF page as an image with the quoted text's boxes highlighted (pypdfium2).

The quote is found in the page's text on letters and digits only, so line breaks, rejoined
hyphens and spacing do not matter; a quote that runs across a page break is highlighted in
part on each page (the longest prefix on the first, the longest suffix on the second). Renders
are cached as PNG files under ``<index>/renders``, keyed by the document's sha256. A page read
by OCR has no text layer: its quote is found in the boxes the engine read instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ..core.records import OcrBox
from ..core.text import normalized_with_offsets
from ..ingest.ocr_layout import quote_boxes

MIN_PART = 12  # shortest piece of a quote (letters and digits) worth highlighting on a page


def find_spans(page_text: str, needle: str) -> list[tuple[int, int]]:
    """Character spans of ``page_text`` that hold ``needle``, or the largest part of it on this page."""
    hay, where = normalized_with_offsets(page_text)
    target, _ = normalized_with_offsets(needle)
    if not target or not hay:
        return []
    at = hay.find(target)
    if at >= 0:
        return [(where[at], where[at + len(target) - 1] + 1)]
    best: tuple[int, int] | None = None
    low, high = MIN_PART, len(target) - 1
    while low <= high:  # longest prefix on this page (the quote goes on over the page break)
        mid = (low + high) // 2
        at = hay.find(target[:mid])
        if at >= 0:
            best, low = (at, at + mid), mid + 1
        else:
            high = mid - 1
    prefix = best
    best, low, high = None, MIN_PART, len(target) - 1
    while low <= high:  # longest suffix (the quote began on the page before)
        mid = (low + high) // 2
        at = hay.find(target[-mid:])
        if at >= 0:
            best, low = (at, at + mid), mid + 1
        else:
            high = mid - 1
    suffix = best
    chosen = max((s for s in (prefix, suffix) if s), key=lambda s: s[1] - s[0], default=None)
    if chosen is None:
        return []
    return [(where[chosen[0]], where[chosen[1] - 1] + 1)]


def _line_boxes(textpage, start: int, end: int) -> list[tuple[float, float, float, float]]:
    """Character boxes of ``[start, end)`` merged into one rectangle per printed line."""
    lines: list[list[float]] = []
    for i in range(start, end):
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right - left <= 0 or top - bottom <= 0:
            continue
        if lines and abs(lines[-1][1] - bottom) < 2.0 and left >= lines[-1][0] - 1:
            line = lines[-1]
            line[0], line[2] = min(line[0], left), max(line[2], right)
            line[1], line[3] = min(line[1], bottom), max(line[3], top)
        else:
            lines.append([left, bottom, right, top])
    return [tuple(line) for line in lines]


def _nearest(textpage, text: str, spans_of_key, needle: str) -> list[tuple[int, int]]:
    """Occurrences of a short table cell: the one on the same row as the row's first cell."""
    spans = []
    hay, where = normalized_with_offsets(text)
    target, _ = normalized_with_offsets(needle)
    if not target:
        return []
    key_y = textpage.get_charbox(spans_of_key[0][0])[1] if spans_of_key else None
    found, at = [], hay.find(target)
    while at >= 0:
        found.append((where[at], where[at + len(target) - 1] + 1))
        at = hay.find(target, at + 1)
    if not found:
        return []
    if key_y is None:
        return found[:1]
    # the row's cells sit at or below its first cell (wrapped cells run down), never far away
    best = min(found, key=lambda s: abs(textpage.get_charbox(s[0])[1] - key_y))
    if abs(textpage.get_charbox(best[0])[1] - key_y) < 40:
        spans.append(best)
    return spans


def highlight_boxes(pdf_path: Path, page_index: int, quote: str, cells: Sequence[str] = ()):
    """PDF-space rectangles to highlight on one page: the quote, or a table row's cells."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[page_index]
        textpage = page.get_textpage()
        text = textpage.get_text_range(0, textpage.count_chars())
        boxes = []
        if cells:
            key = find_spans(text, cells[0])
            spans = list(key)
            for cell in cells[1:]:
                spans += _nearest(textpage, text, key, cell)
        else:
            spans = find_spans(text, quote)
        for start, end in spans:
            boxes += _line_boxes(textpage, start, end)
        return boxes, float(page.get_height())
    finally:
        pdf.close()


def ocr_highlight_boxes(boxes: Sequence[OcrBox], quote: str, cells: Sequence[str] = ()):
    """Rectangles to highlight on a page read by OCR, from the boxes the engine read: the part
    of each box the quote covers (by its share of the box's characters), or a table row's cells."""
    if not cells:
        return [_part(box, start, end) for box, start, end in quote_boxes(boxes, quote)]
    key = quote_boxes(boxes, cells[0])
    if not key:
        return []
    rects = [_part(*key[0])]
    row = key[0][0].bottom
    for cell in cells[1:]:
        found = []
        for box in boxes:  # the cell's box nearest the row's first cell, on the same row or just below
            found += [(abs(box.bottom - row), hit) for hit in quote_boxes([box], cell)]
        if found:
            distance, hit = min(found, key=lambda item: item[0])
            if distance < 40:
                rects.append(_part(*hit))
    return rects


def _part(box: OcrBox, start: float, end: float) -> tuple[float, float, float, float]:
    width = box.right - box.left
    return (box.left + start * width, box.bottom, box.left + end * width, box.top)


def render_page(
    pdf_path: Path,
    page_index: int,
    boxes,
    cache_dir: Path,
    key: str,
    scale: float = 2.0,
) -> Path:
    """The whole page as PNG, ``scale`` pixels a point, with translucent yellow boxes (and a
    thin outline) over ``boxes``."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    cache_dir.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(f"{key}|{page_index}|{boxes}|{scale}".encode()).hexdigest()[:20]
    out = cache_dir / f"{name}.png"
    if out.is_file():
        return out
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[page_index]
        height = page.get_height()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    overlay = ImageDraw.Draw(image, "RGBA")
    for left, bottom, right, top in boxes:
        rect = [
            left * scale - 2,
            (height - top) * scale - 2,
            right * scale + 2,
            (height - bottom) * scale + 2,
        ]
        overlay.rectangle(rect, fill=(255, 221, 0, 90), outline=(230, 120, 0, 255), width=2)
    tmp = out.with_suffix(".tmp.png")
    image.save(tmp, optimize=True)
    tmp.replace(out)
    return out
