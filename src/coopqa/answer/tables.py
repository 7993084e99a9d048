"""Table rows as answers: a row chunk (``Country: Laos; Target: ...``) read back into its cells,
and written as a sentence of the cells the question asks about.

An empty cell is never filled: a question about a column that is empty in the row gets None
(the document does not say). A question over a table's rows, not one row: :func:`same_rows`
gathers every row a list question describes ("Which countries target ... 2050?"),
:func:`extreme_row` picks the one with the largest or smallest value ("the largest cut").
Both compare only the cells the question asks about, never fill or compute a cell.

A table without a caption is read as rows of text (``unsigned long no 8``); the line of words
over them is its header (:func:`header_rows`), which says what their figures are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..core.text import bm25_tokens
from .question import QuestionInfo, mentions

ROW_WORDS = 12  # a row of a table is a short line
# a figure right after a name is part of the name ("Windows 10", "macOS 14"), not a cell's value
_NAMED_FIGURE = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*\s+\d|\b[A-Z][a-z]+\s+\d")


def _row_like(line: str) -> bool:
    """A short line with a figure and no sentence's full stop, the figure not a name's: a table's
    row ("short yes 2", "PXR24_COMPRESSION 16"; not "Windows 10")."""
    words = line.split()
    return (
        "\n" not in line
        and len(words) <= ROW_WORDS
        and bool(re.search(r"\d", line))
        and not line.endswith(".")
        and not _NAMED_FIGURE.search(line)
    )


def _header_like(line: str) -> bool:
    """A short line of words, no figure, no closing punctuation: the header over a table's rows
    ("name signed size in bytes")."""
    words = line.split()
    return "\n" not in line and 2 <= len(words) <= ROW_WORDS and not re.search(r"[\d•]|[.:;!?]$", line)


@lru_cache(maxsize=4096)
def header_rows(text: str) -> tuple[tuple[int, int, str], ...]:
    """The caption-less tables of a passage's text: for each header line over two rows or more
    (:func:`_header_like`, :func:`_row_like`; paragraphs of their own, a wrapped one ends a
    table), where its rows start and end, and the header; kept, as :func:`~.candidates.labels` is."""
    found, at = [], 0
    for part in text.split("\n\n"):
        found.append((at, at + len(part), part.strip()))
        at += len(part) + 2
    out, i = [], 0
    while i < len(found):
        j = i + 1
        while j < len(found) and _row_like(found[j][2]):
            j += 1
        if j - i > 2 and _header_like(found[i][2]):
            out.append((found[i + 1][0], found[j - 1][1], found[i][2]))
        i = max(j, i + 1) if j - i > 2 else i + 1
    return tuple(out)


def row_cells(text: str) -> list[tuple[str, str]]:
    """``"Country: Laos; Peaking: 9% ..."`` -> ``[("Country", "Laos"), ("Peaking", "9% ...")]``."""
    cells = []
    for part in text.split("; "):
        header, _, value = part.partition(": ")
        cells.append((header, value))
    return cells


def row_sentence(info: QuestionInfo, text: str, columns: Sequence[str] = ()) -> str | None:
    """A table row as a sentence of its own cells, keeping the columns the question asks about.

    Returns None when the row cannot answer: it names another entity than the question, or
    the column asked about is empty in this row.
    """
    cells = row_cells(text)
    if not cells:
        return None
    key_header, key = cells[0]
    if info.entities and not any(
        mentions(e, key, info.lexicon) or mentions(key, e, info.lexicon) for e in info.entities
    ):
        return None
    headers = list(columns) or [h for h, _ in cells]
    asked = [h for h in _asked_columns(info, headers) if h != key_header]
    present = {h: v for h, v in cells[1:]}
    if asked:
        kept = [(h, present[h]) for h in asked if h in present]
        if len(kept) < len(asked):
            return None  # the document leaves that cell empty: it does not say
    else:
        kept = cells[1:]
    return f"{key}: " + "; ".join(f"{h} {v}" for h, v in kept) + "."


def _asked_columns(info: QuestionInfo, headers: Sequence[str]) -> list[str]:
    """The headers the question asks about, by their distinctive words: a word that stands in
    two or more headers ("Carbon Peaking", "Carbon Neutrality") does not tell them apart."""
    words_of = {h: [w for w in bm25_tokens(h) if len(w) > 3] for h in headers}
    seen = Counter(w for words in words_of.values() for w in set(words))
    asked = []
    for header, words in words_of.items():
        distinctive = [w for w in words if seen[w] == 1] or words
        if any(q[:5] == w[:5] for w in distinctive for q in info.tokens if len(q) > 3):
            asked.append(header)
    return asked


def same_rows(info: QuestionInfo, chosen: list, viable: Sequence[tuple[float, object]]) -> list:
    """For a question asking for several things whose best answer is a table row: every other
    viable row of that table whose asked cells hold the words the best row's asked cells share
    with the question ("Which members reach their target by 2050?": each row whose target
    cell says 2050), in the table's order after the best."""
    best = chosen[0]
    if best.kind != "table_row" or not _wanted(info, best):
        return chosen
    rows = [c for c in _described_rows(info, best, viable) if c not in chosen]
    rows.sort(key=lambda c: c.passage.chunk.start)
    return [best, *rows, *chosen[1:]]


def _wanted(info: QuestionInfo, best) -> set[str]:
    """The words the question and the best row's asked cells share, less the headers' words
    (those name columns, not the rows wanted: "target year")."""
    headers = bm25_tokens(" ".join(best.passage.columns or [h for h, _ in row_cells(best.text)]))
    return set(_asked_tokens(info, best)) & set(info.tokens) - set(headers)


def _described_rows(info: QuestionInfo, best, viable: Sequence[tuple[float, object]]) -> list:
    """The viable rows of ``best``'s table whose asked cells hold the words of :func:`_wanted`."""
    wanted = _wanted(info, best)
    return [
        c
        for _, c in viable
        if c.kind == "table_row"
        and c.passage.doc == best.passage.doc
        and c.passage.caption == best.passage.caption
        and wanted <= set(_asked_tokens(info, c))
    ]


def _asked_tokens(info: QuestionInfo, candidate) -> list[str]:
    """The words of the cells of a row the question asks about."""
    return bm25_tokens(" ".join(_asked_values(info, candidate)))


_MOST = re.compile(r"\b(?:largest|biggest|highest|greatest|latest|longest|maximum|most)\b", re.I)
_LEAST = re.compile(r"\b(?:smallest|lowest|least|earliest|shortest|minimum|fewest)\b", re.I)
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_YEAR = re.compile(r"\b(?:1[89]|2[01])\d\d\b(?!\s*%)")
_IN_TIME = re.compile(r"\b(?:latest|earliest)\b", re.I)


def superlative(question: str) -> str:
    """``"max"`` for "the largest / latest / highest ...", ``"min"`` for "the smallest /
    earliest ...", else ``""``."""
    return "max" if _MOST.search(question) else "min" if _LEAST.search(question) else ""


def extreme_row(info: QuestionInfo, chosen: list, viable: Sequence[tuple[float, object]]) -> list:
    """For "Which member's cut is the largest?" answered from a table row: the row, among
    those of that table the question describes (see :func:`same_rows`), whose asked cell holds
    the largest (or smallest) first number. Unchanged when no row has a number there."""
    best, way = chosen[0], superlative(info.text)
    if best.kind != "table_row" or not way:
        return chosen
    years = bool(_IN_TIME.search(info.text))  # "latest", "earliest": the years, not other figures
    valued = [(_first_number(info, c, years), c) for c in [best, *_described_rows(info, best, viable)]]
    valued = [(v, c) for v, c in valued if v is not None]
    if not valued:
        return chosen
    pick = max(valued, key=lambda vc: vc[0]) if way == "max" else min(valued, key=lambda vc: vc[0])
    return [pick[1], *(c for c in chosen if c.kind != "table_row")]


def _first_number(info: QuestionInfo, candidate, years: bool) -> float | None:
    found = (_YEAR if years else _NUMBER).search(" ".join(_asked_values(info, candidate)))
    return float(found.group().replace(",", "")) if found else None


def _asked_values(info: QuestionInfo, candidate) -> list[str]:
    """The cells of a row the question asks about (all but the first, if none)."""
    cells = row_cells(candidate.text)
    columns = list(candidate.passage.columns) or [h for h, _ in cells]
    asked = set(_asked_columns(info, columns)) - {cells[0][0]}
    return [v for h, v in cells[1:] if not asked or h in asked]
