"""Slides: a deck's pages are read title first, and each title opens a top-level section.

A deck's titles are sized to fit ("Agenda" in 59 pt, most in 36 pt), so ranking headings by size
(:func:`~coopqa.ingest.layout.heading_levels`) nests every slide under the largest one; and a
slide's title is often drawn after its bullets. In a deck without a usable outline (a
PowerPoint export's bookmarks read "Slide Number 4"), :mod:`coopqa.ingest.blocks` puts each
page's top-most heading line first, with the lines that stand above it (:func:`title_ahead`),
and makes the first heading of each page a level-1 heading (unless its numbering says
otherwise), the page's other headings nesting under it.

Invariants: a deck is a PDF whose every page with text is wider than tall (its MediaBox, in
the page's own coordinates: a page shown turned by /Rotate is judged unturned) and holds few
lines, ``SLIDE_LINES`` or fewer on the median page (:func:`is_deck`); a landscape report's pages
hold more. :func:`title_ahead` only moves lines, never drops or changes one. Layout only:
nothing here knows a collection's words.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ..core.records import Document, Line
from .layout import is_heading_line
from .stacks import wraps

SLIDE_LINES = 25  # lines on the median page of a deck at most (a slide holds a title and a few bullets)


def is_deck(document: Document) -> bool:
    """A PDF whose every page with text is wider than tall and whose median page holds
    ``SLIDE_LINES`` lines or fewer."""
    pages = [page for page in document.pages if page.lines]
    if document.kind != "pdf" or not pages or not all(page.width > page.height for page in pages):
        return False
    return statistics.median(len(page.lines) for page in pages) <= SLIDE_LINES


def title_ahead(lines: Sequence[Line], body: float) -> list[Line]:
    """A slide's lines with its top-most heading line first: with the lines that wrap it (set
    alike, each the next line down) and the lines that stand above it (a subtitle drawn after
    the bullets), in the order drawn; then the rest. Unchanged when it has no heading line."""
    heads = [i for i, line in enumerate(lines) if is_heading_line(line, body)]
    if not heads:
        return list(lines)
    top = max(heads, key=lambda i: (lines[i].y, -i))
    end = top + 1
    while end < len(lines) and wraps(lines[end - 1], lines[end]):
        end += 1
    above = [i for i, line in enumerate(lines) if (i < top or i >= end) and line.y > lines[top].y]
    first = [*range(top, end), *above]
    moved = set(first)
    return [*(lines[i] for i in first), *(line for i, line in enumerate(lines) if i not in moved)]
