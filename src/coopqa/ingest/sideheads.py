"""Side heads: a designed page may set its heads in a left column beside their text ("A1:2017 -
Injection" left of its description) and draw a head after its text, right after it or at the
page's end, so it would head the next text. :func:`side_heads_first` puts each such head back
before the text beside it. Runs on one PDF page's lines after :func:`.order.title_first`.

What counts:

* A **head** is a run of lines larger than the page's body text, drawn one after another, each
  below the one before by at most two of its lines and by the same step (two heads drawn one
  after the other are two runs).
* The **text beside** a head is the body-size text standing at least ``SIDE_GAP`` right of the
  head's lines, within its height (from a line under its last line to half a line over its
  first), drawn before it: from the first-drawn such line back over the lines above it, each by
  at most two lines, never over a line beside another head (closely set descriptions stay each
  under its own head).

Invariants: only heads move, each to just before the first line of the text beside it; a head
stays where it is when no text beside it was drawn before it, when body text stands in its own
column just above it (within ``ABOVE`` of its lines: a heading of a main column, beside a
sidebar) or when body text in its own column was drawn between that text and the head. Only the
``SIDE_REACH`` lines drawn before a head are looked at, so the work is linear in a page's lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.records import Line
from .order import page_body_size

SIDE_GAP = 30.0  # points: the text beside a side head starts at least this far right of the head's lines
SIDE_REACH = 400  # lines drawn before a side head that are looked at for its text
ABOVE = 3.0  # a body line in a head's own column this many of its lines above it: a main column's heading


@dataclass(frozen=True)
class _Head:
    start: int  # index of its first line in the page's drawing order
    end: int  # one past its last line
    right: float  # the text beside it starts at or right of this x


def side_heads_first(lines: list[Line], body: float | None = None) -> list[Line]:
    """``lines`` with each side head drawn after the text beside it moved before that text
    (``body``: the page's :func:`~.order.page_body_size`, when known)."""
    if len(lines) < 3:
        return lines
    limit = (page_body_size(lines) if body is None else body) + 0.5
    text = [line.size <= limit for line in lines]  # set in the body size, half a point over at most
    heads = _head_runs(lines, text)
    beside = {head: _beside(lines, head, text) for head in heads}
    owner: dict[int, _Head] = {}
    for head in heads:
        for j in beside[head]:
            owner.setdefault(j, head)
    targets: dict[int, list[_Head]] = {}
    for head in heads:
        if beside[head]:
            start = _text_start(lines, head, min(beside[head]), owner, text)
            if not _main_column(lines, head, start, text):
                targets.setdefault(start, []).append(head)
    if not targets:
        return lines
    moving = {j for runs in targets.values() for head in runs for j in range(head.start, head.end)}
    out: list[Line] = []
    for j, line in enumerate(lines):
        for head in targets.get(j, ()):
            out.extend(lines[head.start : head.end])
        if j not in moving:
            out.append(line)
    return out


def _head_runs(lines: list[Line], text: list[bool]) -> list[_Head]:
    """The runs of lines larger than the body text (``text``: which lines are body text)."""
    runs, i = [], 0
    while i < len(lines):
        end = i
        while end < len(lines) and not text[end] and _goes_on(lines, i, end):
            end += 1
        if end > i:
            runs.append(_Head(i, end, max(line.x for line in lines[i:end]) + SIDE_GAP))
        i = max(end, i + 1)
    return runs


def _goes_on(lines: list[Line], start: int, k: int) -> bool:
    """Whether line ``k`` is the next line of the head that starts at ``start``."""
    if k == start:
        return True
    if not _under(lines[k], lines[k - 1]):
        return False
    return k - start < 2 or abs((lines[k - 2].y - lines[k - 1].y) - (lines[k - 1].y - lines[k].y)) <= 1.0


def _under(line: Line, above: Line) -> bool:
    """``line`` is the next line below ``above``: lower, by at most two of its lines."""
    return 0 < above.y - line.y <= 2 * line.size


def _beside(lines: list[Line], head: _Head, text: list[bool]) -> list[int]:
    """The body-size lines drawn before ``head`` standing right of it within its height."""
    top, bottom = lines[head.start], lines[head.end - 1]
    low, high = bottom.y - bottom.size, top.y + 0.5 * top.size
    return [
        j
        for j in range(max(0, head.start - SIDE_REACH), head.start)
        if text[j] and lines[j].x >= head.right and low <= lines[j].y <= high
    ]


def _text_start(lines: list[Line], head: _Head, start: int, owner: dict[int, _Head], text: list[bool]) -> int:
    """From the first-drawn line beside ``head`` back over the text above it."""
    first = max(0, head.start - SIDE_REACH)
    while start > first:
        above = lines[start - 1]
        beside = text[start - 1] and above.x >= head.right
        if not beside or not _under(lines[start], above) or owner.get(start - 1, head) != head:
            break
        start -= 1
    return start


def _main_column(lines: list[Line], head: _Head, start: int, text: list[bool]) -> bool:
    """Whether body text in the head's own column stands just above it, or was drawn between
    the text beside it and the head: a heading of a main column, not a side head."""
    top = lines[head.start]
    for j in range(max(0, head.start - SIDE_REACH), head.start):
        line = lines[j]
        if not text[j] or line.x >= head.right:
            continue
        if j > start or 0 < line.y - top.y <= ABOVE * top.size:
            return True
    return False
