from __future__ import annotations

import pytest

from coopqa.core import tokens
from coopqa.core.records import Block
from coopqa.core.text import sentence_spans
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.chunking import make_chunks, pages_between
from coopqa.ingest.reader import read_document

from ..conftest import REPORT_PDF


@pytest.fixture(scope="module")
def report():
    doc = read_document(REPORT_PDF)
    labels = [p.label for p in doc.pages]
    blocks = to_blocks(doc)
    text, chunks = make_chunks(doc.name, blocks, labels, max_tokens=220)
    return text, chunks, blocks


def test_sentence_spans_respect_abbreviations_and_decimals():
    text = "Category I. Singapore leads (e.g. in AI). GDP grew 17.3% in 2022. Next one!"
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == ["Category I. Singapore leads (e.g. in AI).", "GDP grew 17.3% in 2022.", "Next one!"]


def test_chunks_are_token_bounded_and_offsets_exact(report):
    text, chunks, _ = report
    for chunk in chunks:
        assert chunk.tokens <= 220
        assert chunk.tokens == tokens.count(chunk.text)
        assert text[chunk.start : chunk.end] == chunk.text


def test_chunks_end_at_sentence_ends(report):
    _, chunks, _ = report
    prose = [c for c in chunks if c.kind == "text" and c.section[0] not in ("Cover", "Back cover")]
    assert all(c.text.rstrip()[-1] in '.!?)"”' for c in prose)


def test_chunks_never_cross_sections(report):
    text, chunks, blocks = report
    heading_texts = {b.text for b in blocks if b.kind == "heading"}
    for chunk in chunks:
        assert not any(h in chunk.text for h in heading_texts)


def test_chunk_ids_are_stable(report):
    doc = read_document(REPORT_PDF)
    _, again = make_chunks(doc.name, to_blocks(doc), [p.label for p in doc.pages], 220)
    assert [c.id for c in again] == [c.id for c in report[1]]
    assert len({c.id for c in again}) == len(again)


def test_known_passages_pages_and_sections(report):
    _, chunks, _ = report
    trade = next(c for c in chunks if "USD 926.55 billion" in c.text)
    assert "2" in trade.pages and trade.section[0].startswith("I. Strengthening")
    vietnam = next(c for c in chunks if "Vietnam; Carbon Peaking" in c.text)
    assert vietnam.pages == ("7",) and vietnam.physical_pages == (11,)
    assert vietnam.section[-1].startswith("2. Priorities")


def test_passage_across_page_break_carries_both_labels(report):
    _, chunks, _ = report
    chunk = next(c for c in chunks if "multi-dimensional dialogues" in c.text)
    assert chunk.pages == ("1", "2")


def test_long_sentence_is_cut_at_words():
    words = " ".join(f"word{i}" for i in range(400)) + "."
    blocks = [Block("paragraph", words, ("Only",), ((0, 0),))]
    _, chunks = make_chunks("d", blocks, ["1"], max_tokens=64)
    assert len(chunks) > 2 and all(c.tokens <= 64 for c in chunks)
    assert " ".join(c.text for c in chunks) == words


def test_pages_between():
    starts = [(0, 3), (100, 4), (250, 5)]
    assert pages_between(starts, 10, 90) == (3,)
    assert pages_between(starts, 90, 120) == (3, 4)
    assert pages_between(starts, 100, 300) == (4, 5)
