"""Slides (ingest/slides.py): a deck's pages read title first, each title a top-level section."""

from __future__ import annotations

from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.reader import read_document
from coopqa.ingest.slides import is_deck

from ..pdfmaker import make_pdf

DECK = [
    [
        (60, 470, 59, "B", "Agenda"),
        (60, 380, 24, "R", "Who we are, what changed, and what comes next for the list."),
    ],
    [  # the bullets drawn before the title, and a subtitle above the title drawn last
        (60, 360, 24, "R", "• Secure coding trainer for twenty years"),
        (60, 320, 24, "R", "• Author of two books on application security"),
        (60, 412, 36, "B", "Tanya Janca"),
        (60, 496, 24, "R", "The mandatory slide about the speaker."),
    ],
    [
        (60, 427, 36, "B", "Results"),
        (60, 370, 24, "B", "Quick disclosure"),
        (60, 330, 24, "R", "The items are final but the writing is still a draft for review."),
    ],
]


def _sections(tmp_path, width: float) -> dict[str, tuple[str, ...]]:
    doc = read_document(make_pdf(tmp_path / f"deck{width}.pdf", DECK, height=540, width=width))
    return {block.text: block.section for block in to_blocks(doc) if block.kind == "paragraph"}


def test_each_slide_title_opens_a_top_level_section_and_heads_its_bullets(tmp_path):
    section = _sections(tmp_path, width=960)
    bullets = next(text for text in section if text.startswith("• Secure coding"))
    assert section[bullets] == ("Tanya Janca",)  # not the slide before, not under "Agenda"
    assert "security" in bullets and "speaker" not in bullets  # the subtitle is not run on
    assert section["The mandatory slide about the speaker."] == ("Tanya Janca",)
    assert section["The items are final but the writing is still a draft for review."] == (
        "Results",
        "Quick disclosure",
    )


def test_portrait_pages_keep_ranking_headings_by_size(tmp_path):
    """The same pages upright are no deck: the largest title holds the others, as before."""
    section = _sections(tmp_path, width=400)
    assert section["The items are final but the writing is still a draft for review."][0] == "Agenda"


def _harbours(lines_a_page: int) -> list[list[tuple]]:
    prose = "The northern harbours take ships of every size through the year and in all weather."
    first = [(60, 500, 16, "B", "I. Harbours of the Coast"), (60, 470, 13, "B", "(i) Northern harbours")]
    first += [(60, 450 - 14 * k, 10, "R", prose) for k in range(lines_a_page)]
    second = [(60, 500 - 14 * k, 10, "R", prose) for k in range(lines_a_page)]
    second += [(60, 500 - 14 * lines_a_page - 20, 13, "B", "(ii) Southern harbours")]
    second += [(60, 500 - 14 * lines_a_page - 40, 10, "R", "The south has two.")]
    return [first, second]


def test_a_landscape_report_is_no_deck(tmp_path):
    """Pages wider than tall but full of text are a report: the text that goes on from the page
    before is not moved under the page's heading, and "(ii)" stays under "I."."""
    doc = read_document(make_pdf(tmp_path / "report.pdf", _harbours(28), height=540, width=960))
    assert not is_deck(doc)
    section = {block.text: block.section for block in to_blocks(doc) if block.kind == "paragraph"}
    assert section["The south has two."] == ("I. Harbours of the Coast", "(ii) Southern harbours")
    northern = {path for text, path in section.items() if "northern" in text}
    assert northern == {("I. Harbours of the Coast", "(i) Northern harbours")}


def test_on_a_slide_a_numbered_heading_keeps_its_level(tmp_path):
    doc = read_document(make_pdf(tmp_path / "deck.pdf", _harbours(3), height=540, width=960))
    assert is_deck(doc)
    section = {block.text: block.section for block in to_blocks(doc) if block.kind == "paragraph"}
    assert section["The south has two."] == ("I. Harbours of the Coast", "(ii) Southern harbours")
