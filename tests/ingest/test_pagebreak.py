from __future__ import annotations

from coopqa.core.records import Line
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.pagebreak import continues, left_edge
from coopqa.ingest.reader import read_document

from ..pdfmaker import make_pdf


def _line(x: float, text: str = "words") -> Line:
    return Line(text=text, x=x, y=500.0, size=10.0)


def test_left_edge_is_where_many_lines_start_not_a_stray_label():
    lines = [_line(40, "Fig.")] + [_line(72.2)] * 3 + [_line(72.6)] * 3 + [_line(84)] * 4
    assert left_edge(lines) == 72.2
    assert left_edge([_line(90), _line(130)]) == 90  # no place shared: the leftmost line
    assert left_edge([]) == 0.0


def test_an_open_paragraph_goes_on_unless_a_bulleted_item_meets_a_line_left_of_it():
    assert continues("The kiln was then", 0, "Left to cool.", 0)
    assert not continues("The kiln was then left.", 0, "Next day it was opened.", 0)
    assert continues("The kiln was then left.", 0, "and opened.", 0)  # lower case goes on
    # an item's lines stood 12 points in; the next page's line at its edge is not one of them
    assert not continues("Use: • a glaze • a kiln of stone", 12, "Example for stoneware", 0)
    assert continues("Use: • a glaze • a kiln of", 24, "stone and brick.", 24)  # the item's next line
    assert continues("Use: • a glaze • a kiln of", 12, "stone and brick.", 11)  # within a hair
    assert continues("A first-line indent on the last line of", 12, "Its page goes on.", 0)  # no item


def _pages(second_edge: float) -> list[list[tuple]]:
    first = [
        (62, 700, 10, "R", "Each firing needs the following:"),
        (62, 688, 10, "R", "The list is short and it is kept by the door."),
        (74, 670, 10, "R", "• a glaze mixed on the day"),
        (74, 658, 10, "R", "• a kiln of stone or brick with a"),
    ]
    second = [
        (second_edge + 12, 700, 10, "R", "door that closes"),
        (second_edge, 676, 10, "R", "Example for stoneware"),
        (second_edge, 658, 10, "R", "glaze: ash"),
        (second_edge, 646, 10, "R", "kiln: brick"),
    ]
    return [first, second]


def test_a_label_atop_the_next_page_does_not_run_on_to_the_last_bullet(tmp_path):
    # the even page's text starts further right (a book's margins): edges, not raw positions
    for edge in (62, 90):
        pages = _pages(edge)
        pages[1] = pages[1][1:]  # the item ends on the first page
        texts = [b.text for b in to_blocks(read_document(make_pdf(tmp_path / f"b{edge}.pdf", pages)))]
        assert texts[-3:] == [
            "• a glaze mixed on the day • a kiln of stone or brick with a",
            "Example for stoneware",
            "glaze: ash kiln: brick",
        ], edge


def test_an_items_own_next_line_still_joins_it_across_the_break(tmp_path):
    for edge in (62, 90):
        doc = read_document(make_pdf(tmp_path / f"c{edge}.pdf", _pages(edge)))
        texts = [b.text for b in to_blocks(doc)]
        assert "• a glaze mixed on the day • a kiln of stone or brick with a door that closes" in texts, edge
        assert "Example for stoneware" in texts
