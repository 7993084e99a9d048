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

A designed page may also set its heads beside their text, in a left margin column ("A1:2017 -
Injection" left of its description), and draw a head after its text, right after it or at the
page's end: :func:`side_heads_first` puts it back before that text. A side head is a run of
lines larger than the page's body text, drawn one after another, each below the one before;
the text beside it is the body text standing right of it within its height, drawn before it,
from the first such line back over the lines above it, each by at most two lines (a wider gap
ends the text). A head with no text drawn before it beside it stays where it is.
"""

from __future__ import annotations

from collections import Counter

from ..core.records import Line

TOP_LINES = 3  # a title drawn last is among the page's top lines
FURNITURE_LINES = 3  # at most this many lines drawn before a head block: a page number, a running head
SIDE_GAP = 30.0  # points: a side head starts at least this far left of the text beside it
SIDE_REACH = 400  # lines drawn before a side head that may be its text (bounds the work on huge pages)


def _body_size(lines: list[Line]) -> float:
    """The size most of the page's characters are set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _drawn_last_title(line: Line, before: Line, lines: list[Line], body: float) -> bool:
    if line.size <= body or line.y <= before.y + 0.5 * line.size:
        return False
    return sum(other.y > line.y for other in lines) < TOP_LINES


def title_first(lines: list[Line]) -> list[Line]:
    """``lines`` with a title, or a head block, drawn after the page's text moved to where it stands."""
    if len(lines) < 3:
        return lines
    body = _body_size(lines)
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


def side_heads_first(lines: list[Line]) -> list[Line]:
    """``lines`` with each head set beside its text, and drawn after it, moved before it."""
    if len(lines) < 3:
        return lines
    body = _body_size(lines)
    out = list(lines)
    i = 1
    while i < len(out):
        end = i
        while end < len(out) and out[end].size > body + 0.5 and (end == i or _under(out[end], out[end - 1])):
            end += 1
        start = _text_beside(out, i, end, body) if end > i else None
        if start is not None:
            out[start:end] = out[i:end] + out[start:i]
        i = max(end, i + 1)
    return out


def _under(line: Line, above: Line) -> bool:
    """``line`` is the next line of a head or text below ``above``: lower, by at most two of its lines."""
    return 0 < above.y - line.y <= 2 * line.size


def _text_beside(lines: list[Line], i: int, end: int, body: float) -> int | None:
    """Where the text beside the head ``lines[i:end]`` starts, when it was drawn before the head:
    the first-drawn body line standing right of the head within its height (of the
    ``SIDE_REACH`` lines drawn before the head), and the lines drawn just before it that stand
    above it, each by at most two lines. None when there is none."""
    head = lines[i:end]
    right = max(line.x for line in head) + SIDE_GAP
    low, high = head[-1].y - head[-1].size, head[0].y + 0.5 * head[0].size

    def text(line: Line) -> bool:
        return line.size <= body + 0.5 and line.x >= right

    first = max(0, i - SIDE_REACH)
    start = next((j for j in range(first, i) if text(lines[j]) and low <= lines[j].y <= high), None)
    if start is None:
        return None
    while start > 0 and text(lines[start - 1]) and _under(lines[start], lines[start - 1]):
        start -= 1
    return start
