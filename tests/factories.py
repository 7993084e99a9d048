"""Hand-built records for tests that need no model and no index."""

from __future__ import annotations

import re

from coopqa.core.records import Chunk, Passage
from coopqa.core.text import sentence_spans


def chunk(text: str, doc: str = "d.pdf", pages=("7",), section=(), id: str = "c", **fields) -> Chunk:
    """A chunk of ``text`` with its sentences split as ingest splits them."""
    fields.setdefault("sentences", tuple(sentence_spans(text)) or ((0, len(text)),))
    fields.setdefault("physical_pages", tuple(range(len(pages))))
    return Chunk(id, doc, text, tuple(section), tuple(pages), start=0, end=len(text), tokens=0, **fields)


def passage(text: str, score: float = 0.5, **kwargs) -> Passage:
    return Passage(chunk(text, **kwargs), score)


def sentence_candidates(*passages: Passage):
    """The answer step's candidate sentences of ``passages``, rows numbered as an index would."""
    from coopqa.answer.candidates import candidates

    rows, row = {}, 0
    for p in passages:
        rows[p.chunk_id] = (row, p.chunk.sentences)
        row += len(p.chunk.sentences)
    return candidates(passages, rows)


def line_candidates(text: str):
    """The candidate sentences of one passage whose every line is a sentence (a block each, as
    ingest has list items and table rows)."""
    spans = tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text))
    return sentence_candidates(passage(text, sentences=spans))
