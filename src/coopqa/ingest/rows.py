"""Rows of a table that has no caption, found by how its cells line up on the page; and the
cells of one under a caption (:func:`captioned_cells`).

A PDF draws a table's cells as separate runs of text; :mod:`coopqa.ingest.reader` keeps a run
that starts well right of where the line so far ends as a line of its own, at the same height.
Joined into a paragraph, a table's rows read as one long run-on "sentence" ("F Homestead 1150000
F TangerineWhistle 2463000 ..."), which no question can be answered from. :func:`table_rows`
finds the lines that start and continue table rows, so the page pass makes each row a block of
its own (one sentence each: "F London 12965000").

Invariants: a row is a run of consecutive lines at one height (within a third of the type size),
each right of the one before; a table is ``MIN_ROWS`` or more consecutive such rows whose
first cells start at the same x (within one type size) and second cells near it (within
``SECOND_CELL_REACH`` sizes: right-aligned numbers move). A one-line row flush with the first
column between two such rows is a row whose cells the reader joined (it does not count
towards ``MIN_ROWS``). A single line right above the first row and flush with its first
cell is the table's header row. Prose that the reader happened to split at one height (a wide
gap in justified text) is a row or two, never ``MIN_ROWS`` aligned rows, so it stays prose.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.records import Line
from .layout import set_alike

MIN_ROWS = 3
SECOND_CELL_REACH = 2.5  # type sizes a second cell's start may move from row to row
COLUMN_X = 2.0  # points two cells of one column may start apart
_HEADING_NUMBER = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]+|[A-Z])\.?")  # "2.1", "IV.", "A"


@dataclass(frozen=True)
class TableRows:
    """Indices into a page's lines: where a table row starts, and the cells that go on a row."""

    starts: frozenset[int] = frozenset()
    cells: frozenset[int] = frozenset()
    ends: frozenset[int] = frozenset()  # the first line after a table: prose starts afresh there


def _same_row(before: Line, line: Line) -> bool:
    return abs(before.y - line.y) < max(before.size, line.size) / 3 and line.x > before.x


def _groups(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Runs ``[start, end)`` of consecutive lines that stand on one row."""
    groups, start = [], 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or not _same_row(lines[i - 1], lines[i]):
            groups.append((start, i))
            start = i
    return groups


def _aligned(lines: Sequence[Line], a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two rows of several cells whose first cells start at the same x and whose second cells
    start near each other (right-aligned numbers of different widths move by a few digits)."""
    if a[1] - a[0] < 2 or b[1] - b[0] < 2:
        return False
    size = max(lines[a[0]].size, lines[b[0]].size)
    first = abs(lines[a[0]].x - lines[b[0]].x) <= size
    return first and abs(lines[a[0] + 1].x - lines[b[0] + 1].x) <= SECOND_CELL_REACH * size


def _merged_row(lines: Sequence[Line], row: tuple[int, int], last: tuple[int, int], after) -> bool:
    """A one-line row between two aligned rows, flush with their first cells: a row whose cells
    the reader joined ("G transaction 21000 Paid for every transaction")."""
    if row[1] - row[0] != 1 or after is None or not _aligned(lines, last, after):
        return False
    return abs(lines[row[0]].x - lines[last[0]].x) <= lines[last[0]].size


def table_rows(lines: Sequence[Line]) -> TableRows:
    """Where the page's caption-less tables are (see the module's invariants)."""
    groups = _groups(lines)
    starts: set[int] = set()
    cells: set[int] = set()
    ends: set[int] = set()
    g = 0
    while g < len(groups):
        h, last = g + 1, groups[g]
        while h < len(groups):
            after = groups[h + 1] if h + 1 < len(groups) else None
            if not (_aligned(lines, last, groups[h]) or _merged_row(lines, groups[h], last, after)):
                break
            last = groups[h] if groups[h][1] - groups[h][0] >= 2 else last
            h += 1
        full = sum(1 for start, end in groups[g:h] if end - start >= 2)  # joined rows do not count
        if full >= MIN_ROWS and groups[g][1] - groups[g][0] >= 2:
            first = groups[g][0]
            if first > 0 and groups[g - 1] == (first - 1, first) and _header(lines[first - 1], lines[first]):
                starts.add(first - 1)
            for start, end in groups[g:h]:
                starts.add(start)
                cells.update(range(start + 1, end))
            ends.add(groups[h - 1][1])
            g = h
        else:
            g += 1
    return TableRows(frozenset(starts), frozenset(cells), frozenset(ends - starts))


def level_cells(lines: Sequence[Line]) -> frozenset[int]:
    """Lines that stand in a row with others as a table's cells do: a row of three pieces or more;
    or of two set differently ("InputFile" in 12 pt beside "arbitrary channels TiledInputFile" in
    10 pt), a piece that starts where a piece of another such row starts (a column), away from the
    left edge the page's lines start at (where a heading starts). A heading beside a tag or a
    number ("CHAPTER 3" | "Results"; a question at the margin and its tag "Account", again further
    down) lines up with no column, and a row that opens with a heading number ("2.1" |
    "Requirements", set alike or not) is a numbered heading: none of them is a cell."""
    groups = [(a, b) for a, b in _groups(lines) if b - a >= 2]
    edge = Counter(round(line.x) for line in lines).most_common(1)[0][0] if lines else 0
    out: set[int] = set()
    for start, end in groups:
        row = lines[start:end]
        if _HEADING_NUMBER.fullmatch(row[0].text):
            continue  # "2.1" | "Requirements" (| "Rev. B"): a numbered heading, its title hung right
        if len(row) >= 3:
            out.update(range(start, end))
        if len(row) != 2 or set_alike(row[0], row[1]):
            continue
        others = [lines[k].x for a, b in groups if (a, b) != (start, end) for k in range(a, b)]
        for i, line in enumerate(row):
            if abs(line.x - edge) > COLUMN_X and any(abs(line.x - x) <= COLUMN_X for x in others):
                out.add(start + i)
    return frozenset(out)


def _header(line: Line, first_row: Line) -> bool:
    """A single line just above the first row, flush with its first cell, one or two rows up."""
    gap = line.y - first_row.y
    return abs(line.x - first_row.x) <= first_row.size and 0 < gap <= 2.5 * first_row.size


def captioned_cells(lines: list[Line]) -> list[list[str]]:
    """Cells of the region under a table's caption: columns from the header's x positions, rows
    from the first column (``[]`` when the header has one column)."""
    columns = sorted({round(line.x, 1) for line in lines if abs(line.y - lines[0].y) < 1.0})
    if len(columns) < 2:
        return []
    first = columns[0]
    starts = [line.y for line in lines if abs(line.x - first) < 1.0]
    rows: list[list[list[str]]] = [[[] for _ in columns] for _ in starts]
    for line in lines:
        row = max(i for i, y in enumerate(starts) if y >= line.y - 1.0) if line.y <= starts[0] + 1 else 0
        col = max(i for i, x in enumerate(columns) if x <= line.x + 1.0) if line.x >= first - 1 else 0
        rows[row][col].append(line.text)
    return [[" ".join(cell) for cell in row] for row in rows]
