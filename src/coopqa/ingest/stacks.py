"""Lines set like headings that are text: a table or list in bold or large type.

:func:`~coopqa.ingest.layout.is_heading_line` calls a line a heading by its type alone (larger
than the body, or bold). Designed documents set more than titles that way: a comparison table
whose every cell is bold, the bold lines that carry a bulleted item on ("• A4 and A7 merged
into A5 Broken Access" then "Control."; the bulleted line itself is never a heading). Read as
headings, their words leave the text (a heading is a label, not a sentence that can be quoted)
and each one empties the section before it. This module finds them on one page, before the
page's blocks are cut (:mod:`coopqa.ingest.blocks`).

Invariants
    * Only lines :func:`is_heading_line` accepts are returned; a contents title (``NAV``) never is.
    * The lines of one wrapped title (the same weight and size to a tenth of a point, each the
      next line down) count once.
    * Plain English and layout only: nothing here knows a collection's words.
"""

from __future__ import annotations

import re
from collections import Counter

from ..core.records import Line
from ..core.text import BULLETED
from .layout import NAV, READABLE, is_heading_line, level_by_numbering, set_alike

STACK = 3  # heading lines of one style in a row, nothing between: a table or list set in bold
TITLE_RATIO = 1.5  # a line this many times the size of a run's repeating style is a title above it


def wraps(before: Line, line: Line) -> bool:
    """``line`` carries on the title ``before`` (set alike, the next line down)."""
    drop = before.y - line.y
    return set_alike(line, before) and 0.5 * line.size < drop < 2 * line.size


GLUE = re.compile(r"^[:;,.)\]]\S{0,12}$")  # one short piece that ends the line above: ":2017"


def glued(before: Line, line: Line) -> bool:
    """``line`` ends the title ``before`` in another type: it opens with a colon or a closing
    bracket, set right under it (the big "A1" over a smaller ":2017" of a tab's title)."""
    return bool(GLUE.match(line.text)) and 0 < before.y - line.y < 1.5 * max(line.size, before.size)


def title_text(lines: list[Line]) -> str:
    """The lines of one title as one text, no space before a :func:`glued` piece."""
    text = ""
    for line in lines:
        text += line.text if not text or GLUE.match(line.text) else " " + line.text
    return text


def is_tab(text: str, last: Line, after: Line) -> bool:
    """A title of one or two short words with a digit ("A1:2017", "Chapter 3"), its ``last`` line
    within two of its lines of the title set ``after`` it, as large or larger and not numbered
    itself: a number set apart, which names that title ("2 Methods" over "2.1 Data" is a section
    and its first subsection)."""
    short = re.fullmatch(r"\S{1,12}(?: \S{1,12})?", text) and any(c.isdigit() for c in text)
    named = after.size >= last.size - 0.01 and not level_by_numbering(after.text)  # no subheading
    return bool(short) and named and abs(last.y - after.y) < 2 * last.size


def _carries_on(before: Line, line: Line, bullet_x: float) -> bool:
    """``line`` goes on with the bulleted item above: the next line down, indented past the
    bullet but within three type sizes of it (not a heading of the next column)."""
    return bullet_x + 1 < line.x < bullet_x + 3 * line.size and 0 < before.y - line.y < 2 * line.size


def _listed(lines: list[Line], heading: list[bool]) -> set[int]:
    """Heading-like lines that carry a bulleted item on (:func:`_carries_on`), up to the first
    line that does not (the bulleted line itself is never a heading,
    :func:`~coopqa.ingest.layout.is_heading_line`)."""
    out: set[int] = set()
    bullet_x = None
    for i, line in enumerate(lines):
        if BULLETED.match(line.text):
            bullet_x = line.x
        elif bullet_x is not None and _carries_on(lines[i - 1], line, bullet_x):
            if heading[i]:
                out.add(i)
        else:
            bullet_x = None
    return out


_CLOSED = re.compile(r"[.!?:;]\W*$")  # a line that ends a sentence or announces what follows


def _runs_on(lines: list[Line], i: int, heading: list[bool]) -> bool:
    """Line ``i`` is bold only, and carries on the sentence the text line above it leaves open
    (the next line down, set in the same size: "... the new A8:2017-Insecure" then a bold
    "Deserialization risk."): emphasis inside a paragraph, not a title."""
    if not i or heading[i - 1]:
        return False
    line, before = lines[i], lines[i - 1]
    return (
        abs(line.size - before.size) < 0.3
        and 0 < before.y - line.y < 1.5 * line.size
        and not _CLOSED.search(before.text)
    )


def _style(line: Line) -> tuple[int, bool]:
    """A line's style: its type size to half a point (doubled), and its weight."""
    return round(line.size * 2), line.bold


def _styles(lines: list[Line], run: list[int]) -> dict[tuple, int]:
    """How many of the run's lines each style (:func:`_style`) starts."""
    return Counter(
        _style(lines[k])
        for k in run
        if not (k - 1 in run and wraps(lines[k - 1], lines[k]))  # a wrapped title's next line starts nothing
    )


def _text_of_run(lines: list[Line], run: list[int]) -> list[int]:
    """The lines of a run that are text: none unless one style starts ``STACK`` or more of them;
    then all but a title, a style that starts one line only, set ``TITLE_RATIO`` times the size
    of every repeating style or more (a page's title over a diagram of bold labels)."""
    styles = _styles(lines, run)
    repeating = [size for (size, _), count in styles.items() if count >= STACK]
    if not repeating:
        return []
    titles = {
        style for style, count in styles.items() if count == 1 and style[0] >= TITLE_RATIO * max(repeating)
    }
    out: list[int] = []
    for k in run:
        title = _style(lines[k]) in titles
        if not title and not (k - 1 in run and k - 1 not in out and wraps(lines[k - 1], lines[k])):
            out.append(k)
    return out


def stacked(lines: list[Line], body: float) -> set[int]:
    """Indices of heading-like lines that are text set in bold or large type, not headings: the
    lines that carry a bulleted item on (:func:`_listed`), a bold line that carries on an open
    sentence (:func:`_runs_on`), and a run of heading-like lines with no text between in which
    one style starts ``STACK`` or more lines (a table of bold cells; a line with no letter or
    digit, an icon, is no text between), but for a title set well above them
    (:func:`_text_of_run`)."""
    heading = [is_heading_line(line, body) and not NAV.match(line.text) for line in lines]
    out = _listed(lines, heading) | {
        i for i in range(len(lines)) if heading[i] and _runs_on(lines, i, heading)
    }
    run: list[int] = []
    for i in range(len(lines) + 1):
        if i < len(lines) and heading[i] and i not in out:
            run.append(i)
            continue
        if i < len(lines) and not READABLE.search(lines[i].text):
            continue  # an icon between two cells neither joins the run nor ends it
        out.update(_text_of_run(lines, run))
        run = []
    return out
