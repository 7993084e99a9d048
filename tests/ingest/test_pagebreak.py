from __future__ import annotations

from coopqa.core.records import Line, Page
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.pagebreak import continues, left_edge, left_edges
from coopqa.ingest.reader import read_document

from ..pdfmaker import make_pdf


def _para(text: str) -> dict:
    """An open paragraph as blocks keeps it: its text, and whether a line of it opened with a bullet."""
    return {"text": text, "item": "• " in text}


def _line(x: float, text: str = "words", size: float = 10.0) -> Line:
    return Line(text=text, x=x, y=500.0, size=size)


def test_left_edge_is_where_many_lines_start_not_a_stray_label():
    lines = [_line(40, "Fig.")] + [_line(72.2)] * 3 + [_line(72.6)] * 3 + [_line(84)] * 4
    assert left_edge(lines) == 72.2
    assert left_edge([_line(90), _line(130)]) == 90  # no place shared: the leftmost line
    assert left_edge([]) == 0.0


def test_left_edges_by_parity_need_pages_of_each_and_read_body_text_only():
    def page(index: int, x: float) -> Page:
        lines = (*[_line(x)] * 5, _line(20, "100", size=7))  # chart labels in small type do not count
        return Page(index=index, label=str(index), lines=lines)

    book = [page(i, 62 if i % 2 else 90) for i in range(1, 7)]
    assert left_edges(book, 10.0) == {1: 62, 0: 90}
    # two pages cannot tell a book's margins from a page of indented bullets: one edge for both
    assert left_edges(book[:2], 10.0) == {0: 62, 1: 62}


def test_an_open_paragraph_goes_on_unless_a_bulleted_item_meets_a_line_a_list_indent_left_of_it():
    assert continues(_para("The kiln was then"), 0, "Left to cool.", 0)
    assert not continues(_para("The kiln was then left."), 0, "Next day it was opened.", 0)
    assert continues(_para("The kiln was then left."), 0, "and opened.", 0)  # lower case goes on
    # an item's lines stood 12 points in; the next page's line at its edge is not one of them
    assert not continues(_para("Use: • a glaze • a kiln of stone"), 12, "Example for stoneware", 0)
    assert continues(_para("Use: • a glaze • a kiln of"), 24, "Stone and brick.", 24)  # the item's next line
    assert continues(_para("Use: • a glaze • a kiln of"), 12, "Stone and brick.", 11)  # within a hair
    assert continues(_para("A first-line indent on the last line of"), 12, "Its page goes on.", 0)  # no item
    # a hyphen or a lower-case start goes on wherever the line stands
    assert continues(_para("Use: • a kiln of bri-"), 22, "Ck and stone.", 10)
    assert continues(_para("Use: • a kiln of"), 22, "stone and brick.", 10)
    # a bullet used inside a line is no item: its paragraph goes on
    inline = {"text": "Kilns • Glazes • Clay: the three things a potter needs are set", "item": False}
    assert continues(inline, 20, "Once fired, the pot", 0)
    # from the right column to the next page's left column: a step far wider than a list's indent
    assert continues(_para("Our contributions: • a method that works with"), 250, "Local clay only.", 0)


def _book(second_edge: float, carry_on: bool) -> list[list[tuple]]:
    """Six pages, odd ones with text at x=62 and even ones at ``second_edge``; the first page
    ends in a bulleted list, and the second opens with the last item's next line when
    ``carry_on``, then a label and the lines it labels."""

    def text(edge: float, n: int, top: float = 600) -> list[tuple]:
        return [(edge, top - 12 * i, 10, "R", f"Plain words on the page, line {i}.") for i in range(n)]

    first = [
        (62, 700, 10, "R", "Each firing needs the following:"),
        (74, 682, 10, "R", "• a glaze mixed on the day"),
        (74, 670, 10, "R", "• a kiln of stone or brick with a"),
    ]
    second = [(second_edge + 12, 700, 10, "R", "door that closes")] if carry_on else []
    second += [
        (second_edge, 676, 10, "R", "Example for stoneware"),
        (second_edge, 658, 10, "R", "glaze: ash"),
        (second_edge, 646, 10, "R", "kiln: brick"),
    ]
    pages = [text(62, 4, top=780) + first, second + text(second_edge, 4)]
    return pages + [text(62 if i % 2 == 0 else second_edge, 6) for i in range(4)]


def test_a_label_atop_the_next_page_does_not_run_on_to_the_last_bullet(tmp_path):
    # the even pages' text starts further right (a book's margins): edges, not raw positions
    for edge in (62, 90):
        doc = read_document(make_pdf(tmp_path / f"b{edge}.pdf", _book(edge, carry_on=False)))
        texts = [b.text for b in to_blocks(doc)]
        assert texts[2:5] == [
            "• a glaze mixed on the day • a kiln of stone or brick with a",
            "Example for stoneware",
            "glaze: ash kiln: brick",
        ], edge


def test_an_items_own_next_line_still_joins_it_across_the_break(tmp_path):
    for edge in (62, 90):
        doc = read_document(make_pdf(tmp_path / f"c{edge}.pdf", _book(edge, carry_on=True)))
        texts = [b.text for b in to_blocks(doc)]
        assert "• a glaze mixed on the day • a kiln of stone or brick with a door that closes" in texts, edge
        assert "Example for stoneware" in texts
