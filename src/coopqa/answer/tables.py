"""Table rows as answers: a row chunk (``Country: Laos; Target: ...``) read back into its cells,
and written as a sentence of the cells the question asks about.

An empty cell is never filled: a question about a column that is empty in the row gets None
(the document does not say).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..core.text import bm25_tokens
from .question import QuestionInfo, mentions


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
    with the question ("Which countries target carbon neutrality by 2050?": each row whose
    neutrality cell says 2050), in the table's order after the best."""
    best = chosen[0]
    wanted = set(_asked_tokens(info, best)) & set(info.tokens)
    if best.kind != "table_row" or not wanted:
        return chosen
    rows = [
        c
        for _, c in viable
        if c.kind == "table_row"
        and c.passage.doc == best.passage.doc
        and c.passage.caption == best.passage.caption
        and c not in chosen
        and wanted <= set(_asked_tokens(info, c))
    ]
    rows.sort(key=lambda c: c.passage.chunk.start)
    return [best, *rows, *chosen[1:]]


def _asked_tokens(info: QuestionInfo, candidate) -> list[str]:
    """The words of the cells of a row the question asks about (all but the first, if none)."""
    cells = row_cells(candidate.text)
    columns = list(candidate.passage.columns) or [h for h, _ in cells]
    asked = set(_asked_columns(info, columns)) - {cells[0][0]}
    values = [v for h, v in cells[1:] if not asked or h in asked]
    return bm25_tokens(" ".join(values))
