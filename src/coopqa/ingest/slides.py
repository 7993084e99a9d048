"""Slides: a deck's pages are read title first, and each title opens a top-level section.

A deck's titles are sized to fit ("Agenda" in 59 pt, most in 36 pt), so ranking headings by size
(:func:`~coopqa.ingest.layout.heading_levels`) nests every slide under the largest one; and a
slide's title is often drawn after its bullets. In a deck without a usable outline (a
PowerPoint export's bookmarks read "Slide Number 4"), :mod:`coopqa.ingest.blocks` puts each
page's top-most heading line first (:func:`title_ahead`), makes it a level-1 heading, and nests
the page's other headings under it.

Invariants: a deck is a PDF whose every page with text is wider than tall (:func:`is_deck`);
:func:`title_ahead` only moves lines, never drops or changes one. Layout only: nothing here
knows a collection's words.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.records import Document, Line
from .layout import is_heading_line, set_alike


def is_deck(document: Document) -> bool:
    """A PDF whose every page with text is wider than tall."""
    pages = [page for page in document.pages if page.lines]
    return document.kind == "pdf" and bool(pages) and all(page.width > page.height for page in pages)


def title_ahead(lines: Sequence[Line], body: float) -> tuple[list[Line], bool]:
    """A slide's lines with its top-most heading line, and the lines that wrap it (set alike,
    each the next line down), moved first; and whether it has one (the title)."""
    heads = [i for i, line in enumerate(lines) if is_heading_line(line, body)]
    if not heads:
        return list(lines), False
    top = max(heads, key=lambda i: (lines[i].y, -i))
    end = top + 1
    while end < len(lines) and _wraps(lines[end - 1], lines[end]):
        end += 1
    return [*lines[top:end], *lines[:top], *lines[end:]], True


def _wraps(before: Line, line: Line) -> bool:
    return set_alike(line, before) and 0 < before.y - line.y < 2 * line.size
