"""Headings from a PDF's outline: section paths, wrapped and run-in headings, the fallback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopqa.core.records import OutlineEntry
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.reader import read_document

from ..pdfmaker import add_outline, guide_like, make_pdf, report_like

MAKING = "1. Making Lanterns"
PAPER = "1.1. Paper and Bamboo"
RULES = "1.2. The Guild's Long-standing Rules for Apprentices and Masters"
SELLING = "2. Selling Lanterns"
FESTIVAL = "2.1. Festival Season"


@pytest.fixture
def guide(tmp_path):
    return read_document(guide_like(tmp_path / "guide.pdf"))


def _block(blocks, words: str):
    return next(b for b in blocks if words in b.text)


def test_reader_puts_the_outline_on_the_document(guide):
    assert [(e.title, e.level, e.page) for e in guide.outline] == [
        (MAKING, 1, 0),
        (PAPER, 2, 0),
        (RULES, 2, 1),
        (SELLING, 1, 2),
        (FESTIVAL, 2, 2),
    ]
    assert guide.outline[0].top == pytest.approx(790.0)


def test_outline_titles_are_the_nested_section_path(guide):
    blocks = to_blocks(guide)
    assert [b.text for b in blocks if b.kind == "heading"] == [MAKING, PAPER, RULES, SELLING, FESTIVAL]
    assert _block(blocks, "Every lantern starts").section == (MAKING,)
    assert _block(blocks, "split bamboo").section == (MAKING, PAPER)
    assert _block(blocks, "four years").section == (MAKING, RULES)
    # printed without its number, still the outline's spelling
    assert _block(blocks, "spring fair").section == (SELLING,)
    # not printed at all: placed at the destination's height, before the line below it
    assert _block(blocks, "900 lanterns").section == (SELLING, FESTIVAL)


def test_run_in_heading_leaves_its_paragraph(guide):
    blocks = to_blocks(guide)
    paragraph = _block(blocks, "split bamboo")
    assert paragraph.kind == "paragraph"
    assert paragraph.text == (
        "The frame is split bamboo from the northern hills and the skin is mulberry paper."
    )


def test_wrapped_heading_is_not_repeated_as_text(guide):
    blocks = to_blocks(guide)
    assert not any("and Masters" in b.text for b in blocks if b.kind != "heading")
    assert not any("Long-standing" in b.text for b in blocks if b.kind != "heading")
    heading = next(b for b in blocks if b.kind == "heading" and b.section[-1] == RULES)
    assert heading.page_starts == ((0, 1),)


def test_heading_lines_are_not_paragraph_text(guide):
    texts = [b.text for b in to_blocks(guide) if b.kind != "heading"]
    assert not any(t.startswith(("1. Making", "Selling Lanterns", "1.1.")) for t in texts)


def test_pdf_without_outline_falls_back_to_type(tmp_path):
    blocks = to_blocks(read_document(guide_like(tmp_path / "plain.pdf", outline=False)))
    headings = [b.text for b in blocks if b.kind == "heading"]
    # as printed: the standard encoding draws ' as ’ (the outline match ignores the difference)
    assert headings == [MAKING, RULES.replace("'", "’"), "Selling Lanterns"]


@pytest.mark.parametrize(
    "outline",
    [
        [(1, "I. Lanterns Are of Strategic Importance", 0)],  # one entry
        [(1, "Bookmark one", 0), (1, "Bookmark two", 1), (1, "Bookmark three", 3)],  # no title printed
    ],
)
def test_poor_outline_is_not_used(tmp_path, outline):
    plain = to_blocks(read_document(report_like(tmp_path / "plain.pdf")))
    path = report_like(tmp_path / "outlined.pdf")
    document = read_document(add_outline(path, outline))
    assert document.outline
    assert to_blocks(document) == plain


def test_outline_entries_beyond_the_pages_are_ignored(guide):
    broken = replace(guide, outline=(*guide.outline, OutlineEntry("Ghost", 1, 99, None)))
    assert to_blocks(broken) == to_blocks(guide)


def test_entry_without_top_and_without_printed_title_opens_at_page_top(tmp_path):
    pages = [
        [(62, 790, 9.5, "R", "Opening"), (62, 770, 9.5, "R", "The first page says one thing.")],
        [(62, 770, 9.5, "R", "The second page says another.")],
    ]
    path = make_pdf(tmp_path / "t.pdf", pages, outline=[(1, "Opening", 0), (1, "Unprinted Part", 1)])
    blocks = to_blocks(read_document(path))
    assert _block(blocks, "first page").section == ("Opening",)
    assert [b.text for b in blocks if b.kind == "heading"] == ["Opening", "Unprinted Part"]
    assert _block(blocks, "second page").section == ("Unprinted Part",)


def test_text_files_have_no_outline(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nKilns cost 300 coins.\n")
    document = read_document(path)
    assert document.outline == ()
    assert to_blocks(document)[-1].section == ("Notes",)


def test_chapter_running_head_naming_an_outline_title_is_dropped(tmp_path):
    """A chapter's own running head, without a page number, on three of twelve pages (too few
    for a document-wide head): dropped because it says the chapter's outline title."""
    pages = []
    for index in range(12):
        lines = [(62, 700, 9.5, "R", f"Glaze batch {index} fired at {900 + index} degrees.")]
        lines.append((62, 688, 9.5, "R", "The kiln cooled overnight."))
        if index in (0, 6):
            lines.insert(0, (62, 760, 14, "B", "Firing" if index == 0 else "3 Glazes and Colours"))
        if index in (7, 8, 9):
            lines.append((400, 815, 7.5, "R", "Glazes and Colours"))
        pages.append(lines)
    outline = [(1, "Firing", 0, 780.0), (1, "3. Glazes and Colours", 6, 780.0)]
    document = read_document(make_pdf(tmp_path / "glazes.pdf", pages, outline=outline))
    blocks = to_blocks(document)
    assert not any("Glazes and Colours" in b.text for b in blocks if b.kind != "heading")
    assert _block(blocks, "Glaze batch 8").section == ("3. Glazes and Colours",)
    assert sum("fired at" in b.text and "kiln cooled" in b.text for b in blocks) == 12
