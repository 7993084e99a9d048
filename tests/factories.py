"""Hand-built records for tests that need no model and no index."""

from __future__ import annotations

from coopqa.core.records import Chunk, Passage
from coopqa.core.text import sentence_spans


def chunk(text: str, doc: str = "d.pdf", pages=("7",), section=(), id: str = "c", **fields) -> Chunk:
    """A chunk of ``text`` with its sentences split as ingest splits them."""
    fields.setdefault("sentences", tuple(sentence_spans(text)) or ((0, len(text)),))
    fields.setdefault("physical_pages", tuple(range(len(pages))))
    return Chunk(id, doc, text, tuple(section), tuple(pages), start=0, end=len(text), tokens=0, **fields)


def passage(text: str, score: float = 0.5, **kwargs) -> Passage:
    return Passage(chunk(text, **kwargs), score)
