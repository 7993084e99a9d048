"""Whether a paragraph that ends a page goes on with the first body line of the next page.

It goes on when the next line starts in lower case or the paragraph ends in a hyphen (these the
layout never overrides); else when the paragraph is left open (no closing punctuation), unless
a line of it opened with a bullet (it ends in a list's item: a list is one paragraph) and the
next line stands left of where the paragraph's last line stood by a list's indent at most
(``LIST_INDENT``): that line is the page's own text, a label ("Example for common licenses") or
a new paragraph, not the item's next line. A larger step left is another column, and the rule
stays out of it. Positions are measured from the left edge of the body text of the pages of the
same parity (:func:`left_edges`; of the whole document when it has few pages), so a book's odd
and even margins do not matter and a page full of indented bullets, or a chart's axis labels, do
not move its edge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.records import Line, Page

_END = re.compile(r"[.!?:;\"”’)\]]$")
_SAME = 1.5  # points: lines that start this close start at the same place
_LEFT_OF = 2.0  # points: a line this far left of the item's lines is not one of them
MIN_PAGES = 3  # pages of each parity it takes to tell odd from even margins
LIST_INDENT = 36.0  # points: a list stands at most this far in from its text (a bigger step is a column)


def left_edge(lines: Sequence[Line]) -> float:
    """Where text starts: the leftmost place at which a fifth of the lines (two at least) start,
    so a stray label in the margin does not move it; the leftmost line when no place has that
    many."""
    xs = sorted(line.x for line in lines)
    if not xs:
        return 0.0
    need = max(2, len(xs) // 5)
    for i, x in enumerate(xs):
        if i + need <= len(xs) and xs[i + need - 1] - x <= _SAME:
            return x
    return xs[0]


def left_edges(pages: Sequence[Page], body: float) -> dict[int, float]:
    """The :func:`left_edge` of the body-size lines of the even-indexed and of the odd-indexed
    pages, by ``page.index % 2``; of all pages for both, unless each parity has ``MIN_PAGES``
    pages of body text (too few pages cannot tell a book's margins from one page's indented list)."""
    lines: dict[int, list[Line]] = {0: [], 1: []}
    counts = {0: 0, 1: 0}
    for page in pages:
        own = [line for line in page.lines if abs(line.size - body) <= 0.5]
        lines[page.index % 2] += own
        counts[page.index % 2] += bool(own)
    if min(counts.values()) < MIN_PAGES:
        edge = left_edge(lines[0] + lines[1])
        return {0: edge, 1: edge}
    return {parity: left_edge(lines[parity]) for parity in (0, 1)}


def continues(paragraph: dict, indent: float, next_line: str, next_indent: float) -> bool:
    """Whether the open ``paragraph`` (its ``text``; ``item`` when a line of it opened with a
    bullet), whose last line stood ``indent`` points in from its pages' left edge, goes on with
    ``next_line``, which stands ``next_indent`` in from its own pages'."""
    text = paragraph["text"]
    if text.endswith("-") or next_line[:1].islower():
        return True
    step = indent - next_indent
    if paragraph.get("item") and _LEFT_OF < step <= LIST_INDENT:
        return False
    return not _END.search(text)
