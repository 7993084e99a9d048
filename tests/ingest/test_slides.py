"""Slides (ingest/slides.py): a deck's pages read title first, each title a top-level section."""

from __future__ import annotations

from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.reader import read_document

from ..pdfmaker import make_pdf

DECK = [
    [
        (60, 470, 59, "B", "Agenda"),
        (60, 380, 24, "R", "Who we are, what changed, and what comes next for the list."),
    ],
    [  # the bullets drawn before the title at the top of the slide
        (60, 360, 24, "R", "• Secure coding trainer for twenty years"),
        (60, 320, 24, "R", "• Author of two books on application security"),
        (60, 412, 36, "B", "Tanya Janca"),
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
    assert section["The items are final but the writing is still a draft for review."] == (
        "Results",
        "Quick disclosure",
    )


def test_portrait_pages_keep_ranking_headings_by_size(tmp_path):
    """The same pages upright are no deck: the largest title holds the others, as before."""
    section = _sections(tmp_path, width=400)
    assert section["The items are final but the writing is still a draft for review."][0] == "Agenda"
