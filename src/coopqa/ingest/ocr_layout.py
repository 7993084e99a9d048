"""OCR boxes -> the ``Line`` records the layout steps read, and a quote -> the boxes that hold it.

Lines: boxes on one baseline (within half a box height) are one row; boxes of a row close
together are one line, far apart (table cells) separate lines. A line's font size is read from
its mean character width (``SIZE_OF_CHAR_WIDTH``; measured on a scanned copy of the bundled
report: body 9.5 pt -> 4.31 pt a character, sd 0.17, against box heights of 12.5 sd 0.9 for
every size), then sizes are grouped into the few a document is set in, the body's group taking
the body size, so OCR noise does not make body lines look like headings.

Pure functions, no engine: the parser child and the chat page's highlighting both use them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..core.records import Line, OcrBox
from ..core.text import normalized_with_offsets

SIZE_OF_CHAR_WIDTH = 2.0  # font size over mean character width (a Latin text face: about 0.45-0.5)
LONG_LINE = 12  # characters a line needs for its size to be read from its width
WORDY = 0.85  # share of letters and spaces a line needs for its size to be read from its width
SNAP = 0.15  # sizes within this share of the body size are the body size (justified lines run wide)


@dataclass(frozen=True)
class OcrBody:
    """The body text of a document's OCR'd pages: mean character width and box height (points)."""

    char_width: float = 4.5
    height: float = 12.0

    @property
    def size(self) -> float:
        return round(self.char_width * SIZE_OF_CHAR_WIDTH * 2) / 2


def ocr_body(pages: Iterable[Sequence[OcrBox]]) -> OcrBody:
    """The character width and box height most recognised text has (weighted by characters)."""
    widths: Counter = Counter()
    heights: Counter = Counter()
    for boxes in pages:
        for box in boxes:
            if len(box.text) >= LONG_LINE:
                widths[round(_char_width(box), 1)] += len(box.text)
                heights[round(box.top - box.bottom)] += len(box.text)
    if not widths:
        return OcrBody()
    return OcrBody(widths.most_common(1)[0][0], float(heights.most_common(1)[0][0]))


def _char_width(box: OcrBox) -> float:
    return (box.right - box.left) / max(len(box.text), 1)


def boxes_to_lines(boxes: Sequence[OcrBox], body: OcrBody) -> tuple[Line, ...]:
    """``Line`` records for the layout steps: boxes on one baseline (within half a box height)
    joined left to right when close, as table cells stay apart; top to bottom."""
    lines: list[Line] = []
    for row in _ordered_rows(boxes):
        group = [row[0]]
        for box in row[1:]:
            gap = box.left - group[-1].right
            if gap <= 1.5 * (group[-1].top - group[-1].bottom):
                group.append(box)
            else:
                lines.append(_line(group, body))
                group = [box]
        lines.append(_line(group, body))
    return tuple(lines)


def _rows(boxes: Sequence[OcrBox]) -> list[list[OcrBox]]:
    """Boxes grouped by baseline (within half a box height), top to bottom, left to right."""
    rows: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (-b.bottom, b.left)):
        if rows and abs(rows[-1][0].bottom - box.bottom) < 0.5 * (box.top - box.bottom):
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.left) for row in rows]


def _gutter(boxes: Sequence[OcrBox]) -> float | None:
    """The x of the gap between two columns of text, or None for a page set in one column: a
    line in the middle third of the text's width that few boxes cross, with a quarter of the
    boxes or more on each side."""
    if len(boxes) < 12:
        return None
    low, high = min(b.left for b in boxes), max(b.right for b in boxes)
    best: tuple[int, float, float] | None = None
    for percent in range(35, 66):
        x = low + (high - low) * percent / 100
        crossing = sum(1 for b in boxes if b.left < x < b.right)
        left = sum(1 for b in boxes if b.right <= x)
        right = sum(1 for b in boxes if b.left >= x)
        if crossing <= 0.1 * len(boxes) and min(left, right) >= 0.25 * len(boxes):
            candidate = (crossing, abs(percent - 50), x)
            best = candidate if best is None or candidate < best else best
    return None if best is None else best[2]


def _ordered_rows(boxes: Sequence[OcrBox]) -> list[list[OcrBox]]:
    """Rows in reading order: on a two-column page, the left column's rows before the right
    column's, band by band between rows that cross the gutter (a title, a wide table)."""
    rows = _rows(boxes)
    gutter = _gutter(boxes)
    if gutter is None:
        return rows
    ordered: list[list[OcrBox]] = []
    left: list[list[OcrBox]] = []
    right: list[list[OcrBox]] = []
    for row in rows:
        if any(b.left < gutter < b.right for b in row):
            ordered += left + right + [row]
            left, right = [], []
            continue
        left += [[b for b in row if b.right <= gutter]]
        right += [[b for b in row if b.left >= gutter]]
    ordered += left + right
    return [row for row in ordered if row]


def reading_order(boxes: Sequence[OcrBox]) -> tuple[OcrBox, ...]:
    """The boxes in the order their lines are read (the order quotes are matched in)."""
    return tuple(box for row in _ordered_rows(boxes) for box in row)


def _line(group: Sequence[OcrBox], body: OcrBody) -> Line:
    """A line whose font size is estimated from its characters' mean width when it is long
    enough (measured: far steadier than box height, and bold is wider, as headings are); a
    short line (a table cell, a page number) and a line that is not mostly words (a formula,
    code) are set in the body size, as box heights and the widths of a few characters or of
    symbols say too little; sizes near the body size are the body size. Text is NFKC (ligatures
    unfolded, ``…`` as ``...``), as the text layer's is."""
    text = unicodedata.normalize("NFKC", " ".join(b.text for b in group))
    size = body.size
    letters = sum(c.isalpha() or c == " " for c in text)
    if len(text) >= LONG_LINE and letters >= WORDY * len(text):
        width = sum(b.right - b.left for b in group) + 0.25 * body.char_width * (len(group) - 1)
        size = width / len(text) * SIZE_OF_CHAR_WIDTH
    if abs(size - body.size) <= SNAP * body.size:
        size = body.size
    return Line(text, group[0].left, min(b.bottom for b in group), round(size, 2))


def quote_boxes(boxes: Sequence[OcrBox], quote: str) -> list[tuple[OcrBox, float, float]]:
    """The boxes that hold ``quote`` (letters and digits compared), each with the share of its
    width the quote covers (``start``, ``end`` in 0..1); ``[]`` when the quote is not there."""
    if not boxes:
        return []
    text = "\n".join(b.text for b in boxes)
    hay, where = normalized_with_offsets(text)
    target, _ = normalized_with_offsets(quote)
    at = hay.find(target) if target else -1
    if at < 0:
        return []
    start, end = where[at], where[at + len(target) - 1] + 1
    found, offset = [], 0
    for box in boxes:
        box_end = offset + len(box.text)
        if start < box_end and end > offset:
            lo = max(start, offset) - offset
            hi = min(end, box_end) - offset
            found.append((box, lo / len(box.text), hi / len(box.text)))
        offset = box_end + 1
    return found


def quote_confidence(boxes: Sequence[OcrBox], quote: str) -> float:
    """The lowest confidence of the boxes that hold ``quote`` (1.0 when it is not found)."""
    found = quote_boxes(boxes, quote)
    return min((box.confidence for box, _, _ in found), default=1.0)


def size_classes(lines: Sequence[Line], body_size: float) -> dict[float, float]:
    """Estimated sizes grouped into the few sizes a document is set in: sorted, a size within
    ``SNAP`` of the smallest of its group joins it; each group takes its most used size (by
    characters), and the group around the body size takes the body size."""
    weight: Counter = Counter()
    for line in lines:
        weight[line.size] += len(line.text)
    groups: list[list[float]] = []
    for size in sorted(weight):
        if groups and size - groups[-1][0] <= SNAP * groups[-1][0]:
            groups[-1].append(size)
        else:
            groups.append([size])
    classes: dict[float, float] = {}
    for group in groups:
        chosen = max(group, key=lambda size: weight[size])
        if group[0] - 0.01 <= body_size <= group[-1] + 0.01:
            chosen = body_size
        classes.update({size: round(chosen * 2) / 2 for size in group})
    return classes


def _heading_runs(lines: list[Line], body_size: float) -> tuple[Line, ...]:
    """Lines set larger than the body that follow each other closely take the first one's size:
    a heading set on two lines is one heading, though their estimated sizes differ a little."""
    for i in range(1, len(lines)):
        before, line = lines[i - 1], lines[i]
        close = 0 < before.y - line.y < 2.2 * before.size
        if close and min(before.size, line.size) > body_size and line.size != before.size:
            if min(before.size, line.size) >= 0.8 * max(before.size, line.size):
                lines[i] = replace(line, size=before.size)
    return tuple(lines)


def page_lines(pages: dict[int, Sequence[OcrBox]]) -> dict[int, tuple[Line, ...]]:
    """Lines of every OCR'd page of one document, sizes grouped over the whole document."""
    body = ocr_body(pages.values())
    lines = {index: boxes_to_lines(boxes, body) for index, boxes in pages.items()}
    sizes = size_classes([line for page in lines.values() for line in page], body.size)
    return {
        index: _heading_runs([replace(line, size=sizes[line.size]) for line in page], body.size)
        for index, page in lines.items()
    }
