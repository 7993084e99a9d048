"""What a document's pages say about its layout, before any block is made.

Running headers and footers (lines repeated at the same place on many pages) and page numbers;
the body font size; which heading sizes are which level (learned from numbered headings); the
usual gap between lines of a paragraph. :mod:`coopqa.ingest.blocks` uses these to clean the
pages into blocks.
"""

from __future__ import annotations

import re
from collections import Counter

from ..core.records import Line, Page

_NUMBERING = [
    (1, re.compile(r"^[IVXLC]+\.\s")),
    (2, re.compile(r"^\([ivxlc]+\)\s")),
    (3, re.compile(r"^\d+\.\s")),
]
CAPTION = re.compile(r"^(Figure|Fig\.|Table|Chart|Exhibit|Box)\s+\d+[A-Za-z]?\b", re.I)
SOURCE = re.compile(r"^(Sources?|Notes?)\s*:", re.I)
NAV = re.compile(r"^((table of )?contents|list of (figures|tables|charts|illustrations))$", re.I)
ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)


def level_by_numbering(text: str) -> int:
    for level, pattern in _NUMBERING:
        if pattern.match(text):
            return level
    return 0


def _signature(line: Line) -> str:
    return re.sub(r"\d+|\b[ivxlc]+\b", "#", line.text.lower()).strip()


def boilerplate(pages: tuple[Page, ...]) -> set[tuple[int, int]]:
    """Positions ``(page index, line index)`` of running headers, footers and page numbers.

    A line counts as a running header or footer when it sits in the top or bottom tenth of
    the page and the same text (digits and roman numerals ignored) stands at the same height
    on at least three pages and on at least a third of the pages that have text.
    """
    seen: Counter = Counter()
    for page in pages:
        for line in page.lines:
            if _in_margin(line, page):
                seen[(round(line.y), _signature(line))] += 1
    with_text = sum(1 for p in pages if p.lines)
    threshold = max(3, with_text // 3)
    drop = set()
    for page in pages:
        for i, line in enumerate(page.lines):
            if not _in_margin(line, page):
                continue
            repeated = seen[(round(line.y), _signature(line))] >= threshold
            number = line.text.strip() == page.label or re.fullmatch(
                r"(page\s+)?(\d+|[ivxlc]+)(\s+of\s+\d+)?", line.text.strip(), re.I
            )
            if repeated or number:
                drop.add((page.index, i))
    return drop


def running_heads(pages: tuple[Page, ...]) -> tuple[str, ...]:
    """The distinct running header and footer texts (page numbers left out): the document's
    short title and publisher, words that describe the document rather than state a fact."""
    heads: list[str] = []
    for page_index, line_index in sorted(boilerplate(pages)):
        text = pages[page_index].lines[line_index].text.strip()
        if not re.fullmatch(r"(page\s+)?(\d+|[ivxlc]+)(\s+of\s+\d+)?", text, re.I) and text not in heads:
            heads.append(text)
    return tuple(heads)


def _in_margin(line: Line, page: Page) -> bool:
    return line.y > page.height * 0.9 or line.y < page.height * 0.1


def body_size(pages: tuple[Page, ...]) -> float:
    """The font size most of the text is set in (weighted by characters)."""
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def heading_levels(pages: tuple[Page, ...], body: float) -> dict[float, int]:
    """Map heading font sizes to levels, learned from numbered headings where there are any."""
    votes: dict[float, Counter] = {}
    sizes = set()
    for page in pages:
        for line in page.lines:
            if is_heading_line(line, body):
                size = round(line.size * 2) / 2
                sizes.add(size)
                level = level_by_numbering(line.text)
                if level:
                    votes.setdefault(size, Counter())[level] += 1
    mapping = {size: counter.most_common(1)[0][0] for size, counter in votes.items()}
    for rank, size in enumerate(sorted(sizes, reverse=True), start=1):
        if size not in mapping:
            known = [s for s in mapping if s <= size]
            if mapping and size > max(mapping):
                mapping[size] = min(mapping.values())
            elif known:
                mapping[size] = mapping[max(known)]
            else:
                mapping[size] = min(rank, 3)
    return mapping


def is_heading_line(line: Line, body: float) -> bool:
    if CAPTION.match(line.text) or len(line.text) > 200:
        return False
    return line.size >= body + 0.75 or (line.bold and line.size >= body - 0.01)


def line_gap(pages: tuple[Page, ...], body: float) -> float:
    gaps: Counter = Counter()
    for page in pages:
        body_lines = [line for line in page.lines if abs(line.size - body) < 0.3]
        for a, b in zip(body_lines, body_lines[1:]):
            gap = round(a.y - b.y, 1)
            if 0 < gap < 4 * body:
                gaps[gap] += 1
    leading = gaps.most_common(1)[0][0] if gaps else body * 1.25
    return leading * 1.3
