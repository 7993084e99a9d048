"""Words a line break hyphenated are rejoined where the document prints them whole."""

from __future__ import annotations

from coopqa.core.records import Line, Page
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.hyphens import line_words, rejoin
from coopqa.ingest.reader import read_document

from ..pdfmaker import make_pdf


def _page(*texts: str) -> Page:
    return Page(0, "1", tuple(Line(text, 72, 700 - 14 * i, 10) for i, text in enumerate(texts)))


def test_line_words_keep_inner_hyphens_and_leave_out_a_piece_before_a_break():
    words = line_words([_page("Signal handlers run in a multi-dimensional", "space; calls from signal han-")])
    assert {"handlers", "multi-dimensional", "signal", "space"} <= words
    assert "han" not in words  # the piece before a closing hyphen is no word


def test_rejoin_drops_a_break_hyphen_only_where_the_word_is_printed_whole():
    words = frozenset({"handlers", "multi-dimensional", "multidimensional", "configuration"})
    text = "Calls from signal han-dlers fail. A multi-dimensional grid. A conju-gate pair. Configu-rations."
    mended, starts = rejoin(text, ((0, 3), (40, 4)), words)
    assert (
        mended
        == "Calls from signal handlers fail. A multi-dimensional grid. A conju-gate pair. Configurations."
    )
    assert starts == ((0, 3), (39, 4))  # the offset after the dropped hyphen moved back one
    assert mended[39:] == text[40:].replace("Configu-rations", "Configurations")
    both = frozenset({"email", "e-mail"})  # printed both ways inside lines: kept as it stands
    assert rejoin("An e-mail, an X-Ray.", ((0, 0),), both | {"xray"})[0] == "An e-mail, an X-Ray."


def test_a_word_broken_at_a_lines_end_reads_whole_in_the_blocks(tmp_path):
    page = [
        (72, 700, 10, "R", "Signal handlers are described here. Calls made from signal han-"),
        (72, 686, 10, "R", "dlers are unsafe, and a multi-"),
        (72, 672, 10, "R", "dimensional grid is a multi-dimensional thing."),
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "h.pdf", [page])))
    text = " ".join(block.text for block in blocks)
    assert "signal handlers are unsafe" in text and "a multi-dimensional grid" in text
