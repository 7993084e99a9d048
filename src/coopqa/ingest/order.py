"""Reading-order repair of one PDF page's lines, before layout reads them.

Lines come in the order the PDF draws them, which is the reading order for nearly every page,
columns included. Slide decks and designed reports break it one way: the page's title is drawn
last ("A01:2025 Broken Access Control" after the slide's bullets; a chapter tab "RN Release
Notes" after the page's table), so it would head the next page's text. :func:`title_first`
puts such a line back where it stands. A designed report may draw the page's text first and
then its head block: the title and what stands under it (a rating table under "A6:2017 Security
Misconfiguration"); that block moves as a whole.

Invariant: only lines drawn at the end of the page move, and only from a line that is larger
than the page's body text, sits above the line drawn before it, and stands among the top three
lines of the page; they go before the first line below that line. A run of such titles moves
alone. A head block moves only when more than three lines drawn before it stand below its title
(not only a page number or a running head) and most of the lines it would go before stand below
all of its text: a two-column page whose right column opens with a heading keeps its order.
Every other page keeps its order.

Heads set beside their text in a left column and drawn after it are :mod:`.sideheads`' (run
after this module, it moves lines this module leaves alone).
"""

from __future__ import annotations

from collections import Counter

from ..core.records import Line

TOP_LINES = 3  # a title drawn last is among the page's top lines
FURNITURE_LINES = 3  # at most this many lines drawn before a head block: a page number, a running head


def page_body_size(lines: list[Line]) -> float:
    """The size most of one page's characters are set in, to a tenth of a point (the document's
    is :func:`.layout.body_size`)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _drawn_last_title(line: Line, before: Line, lines: list[Line], body: float) -> bool:
    if line.size <= body or line.y <= before.y + 0.5 * line.size:
        return False
    return sum(other.y > line.y for other in lines) < TOP_LINES


def title_first(lines: list[Line], body: float | None = None) -> list[Line]:
    """``lines`` with a title, or a head block, drawn after the page's text moved to where it
    stands (``body``: the page's :func:`page_body_size`, when known)."""
    if len(lines) < 3:
        return lines
    body = page_body_size(lines) if body is None else body
    moved: list[Line] = []
    end = len(lines)
    while end > 1 and _drawn_last_title(lines[end - 1], lines[end - 2], lines, body):
        end -= 1
        moved.insert(0, lines[end])
    if not moved:
        return _head_block_first(lines, body)
    out = lines[:end]
    for line in moved:
        at = next((i for i, other in enumerate(out) if other.y < line.y), len(out))
        out.insert(at, line)
    return out


def _head_block_first(lines: list[Line], body: float) -> list[Line]:
    """``lines`` with the first title drawn after text that stands below it moved, together with
    every line drawn after it, before the first line below it."""
    for start in range(1, len(lines)):
        title = lines[start]
        if not _drawn_last_title(title, lines[start - 1], lines, body):
            continue
        before, block = lines[:start], lines[start:]
        if sum(other.y < title.y for other in before) <= FURNITURE_LINES:
            continue  # only a page number or a running head was drawn before it
        at = next(i for i, other in enumerate(before) if other.y < title.y)
        bottom = min(line.y for line in block if line.size >= body)  # a small footer aside
        jumped = before[at:]
        if 2 * sum(other.y < bottom for other in jumped) <= len(jumped):
            continue  # the block runs beside what it would jump (a second column), not above it
        return before[:at] + block + jumped
    return lines
