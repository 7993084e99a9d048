"""Table rows as answers: a row chunk (``Country: Vietnam; Carbon Peaking: ...``) read back into
its cells, and written as a sentence of the cells the question asks about.

An empty cell is never filled: a question about a column that is empty in the row gets None
(the document does not say).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.text import bm25_tokens
from .question import QuestionInfo, mentions


def row_cells(text: str) -> list[tuple[str, str]]:
    """``"Country: Vietnam; Carbon Peaking: 9% ..."`` -> ``[("Country", "Vietnam"), ...]``."""
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
    if info.entities and not any(mentions(e, key) or mentions(key, e) for e in info.entities):
        return None
    headers = list(columns) or [h for h, _ in cells]
    asked = [h for h in _asked_columns(info, headers) if h != key_header]
    present = {h: v for h, v in cells[1:]}
    if asked:
        kept = [(h, present[h]) for h in asked if h in present]
        if len(kept) < len(asked):
            return None  # the report leaves that cell empty: it does not say
    else:
        kept = cells[1:]
    return f"{key}: " + "; ".join(f"{h} {v}" for h, v in kept) + "."


def _asked_columns(info: QuestionInfo, headers: Sequence[str]) -> list[str]:
    asked = []
    for header in headers:
        words = [w for w in bm25_tokens(header) if len(w) > 3]
        distinctive = [w for w in words if w not in ("carbon",)] or words
        if any(q[:5] == w[:5] for w in distinctive for q in info.tokens if len(q) > 3):
            asked.append(header)
    return asked
