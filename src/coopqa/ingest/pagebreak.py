"""Whether a paragraph that ends a page goes on with the first body line of the next page.

It goes on when its text is left open (a hyphen, no closing punctuation) or the next line starts
in lower case, unless the paragraph ends in a bulleted item and the next line stands left of
where that item's lines stood, each measured from its own page's left edge (:func:`left_edge`,
so a book's odd and even margins do not matter): that line is the page's own text, a label
("Example for common licenses") or a new paragraph, not the item's next line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.records import Line
from ..core.text import BULLETS

_END = re.compile(r"[.!?:;\"”’)\]]$")
_ITEM = re.compile(rf"(?:^|\s)[{BULLETS}]\s")
_SAME = 1.5  # points: lines that start this close start at the same place
_LEFT_OF = 2.0  # points: a line this far left of the item's lines is not one of them


def left_edge(lines: Sequence[Line]) -> float:
    """Where a page's text starts: the leftmost place at which a fifth of its lines (two at
    least) start, so a stray label in the margin does not move it; the leftmost line when no
    place has that many."""
    xs = sorted(line.x for line in lines)
    if not xs:
        return 0.0
    need = max(2, len(xs) // 5)
    for i, x in enumerate(xs):
        if i + need <= len(xs) and xs[i + need - 1] - x <= _SAME:
            return x
    return xs[0]


def continues(text: str, indent: float, next_line: str, next_indent: float) -> bool:
    """Whether the paragraph ``text``, whose last line stood ``indent`` points in from its page's
    left edge, goes on with ``next_line``, which stands ``next_indent`` in from its own page's."""
    if _ITEM.search(text) and next_indent < indent - _LEFT_OF:
        return False
    return text.endswith("-") or not _END.search(text) or next_line[:1].islower()
