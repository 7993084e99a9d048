from __future__ import annotations

from coopqa.core.records import Line
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.reader import read_document
from coopqa.ingest.sideheads import side_heads_first

from ..pdfmaker import make_pdf


def _side_heads(gap: float = 60.0, heads_last: bool = False) -> list[Line]:
    """A page whose heads stand in a left column beside their text, as a designed report draws
    them: the first head right after its text, the second after the third text, the third head
    last (after another head); or, ``heads_last``, every head after all the text. ``gap``: from
    one description's top to the next's (three lines take 30 points: 36 leaves a paragraph space
    of 6, within two lines of the text)."""
    tops = {1: 700.0, 2: 700.0 - gap, 3: 700.0 - 2 * gap}
    text = {
        n: [Line(f"Risk {n} text, line {i}.", 130.0, tops[n] - 10 * i, 9.0) for i in range(3)] for n in tops
    }
    names = {1: "Name", 2: "Name", 3: "Last"}
    head = {
        n: [Line(f"A{n}:2017 -", 36.0, top - 3, 12.0, True), Line(names[n], 36.0, top - 16, 12.0, True)]
        for n, top in tops.items()
    }
    number = Line("6", 520.0, 800.0, 10.0, bold=True)
    if heads_last:
        return [number, *text[1], *text[2], *text[3], *head[1], *head[2], *head[3]]
    return [number, *text[1], *head[1], *text[2], *text[3], *head[2], *head[3]]


def _expected() -> list[str]:
    text = [f"Risk {n} text, line {i}." for n in (1, 2, 3) for i in range(3)]
    return [
        "6",
        *("A1:2017 -", "Name", *text[:3]),
        *("A2:2017 -", "Name", *text[3:6]),
        *("A3:2017 -", "Last", *text[6:]),
    ]


def test_a_side_head_drawn_after_its_text_goes_before_it():
    assert [line.text for line in side_heads_first(_side_heads())] == _expected()
    # descriptions set close (a 6-point paragraph space), every head drawn last: each head is a
    # run of its own and goes before its own description, not before the one above it
    assert [line.text for line in side_heads_first(_side_heads(gap=36.0, heads_last=True))] == _expected()


def test_a_head_centred_on_its_text_goes_before_the_lines_above_it_too():
    text = [Line(f"• step {i} of the lifecycle.", 108.0, 536.0 - 11 * i, 9.0) for i in range(6)]
    head = [Line(w, 24.0, 521.0 - 11 * k, 10.6, True) for k, w in enumerate(("Requirements", "and Resource"))]
    assert [line.text for line in side_heads_first([*text, *head])][:3] == [
        "Requirements",
        "and Resource",
        "• step 0 of the lifecycle.",
    ]


def test_heads_not_beside_text_drawn_before_them_keep_their_place():
    in_order = side_heads_first(_side_heads())
    assert side_heads_first(in_order) == in_order  # heads already before their text
    # a head left of text that stands far above or below it is not beside it
    apart = [Line(f"text {i}.", 130.0, 700.0 - 10 * i, 9.0) for i in range(3)]
    apart += [Line("Far below", 36.0, 600.0, 12.0, True), Line("more text.", 130.0, 560.0, 9.0)]
    assert side_heads_first(apart) == apart


def test_a_main_columns_heading_beside_a_sidebar_drawn_first_keeps_its_place():
    box = [Line(f"Box note {i}.", 400.0, 700.0 - 12 * i, 9.0) for i in range(15)]
    main = [Line(f"Methods text {i}.", 72.0, 760.0 - 12 * i, 10.0) for i in range(12)]
    results = [Line("2 Results", 72.0, 600.0, 14.0, True)]
    results += [Line(f"Results text {i}.", 72.0, 580.0 - 12 * i, 10.0) for i in range(12)]
    page = [Line("1 Methods", 72.0, 780.0, 14.0, True), *box, *main, *results]
    assert side_heads_first(page) == page  # the Methods text stands just above it
    # the main text drawn before the box, the heading far below it: it was drawn in between
    spaced = [page[0], *box, *main, *[Line(t.text, t.x, t.y - 30, t.size, t.bold) for t in results]]
    assert side_heads_first(spaced) == spaced


def test_side_heads_head_their_own_text_in_blocks(tmp_path):
    page = [(line.x, line.y, line.size, "B" if line.bold else "R", line.text) for line in _side_heads()]
    page += [(130, 400 - 12 * i, 9, "R", f"Closing words of the page, line {i}.") for i in range(12)]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "sides.pdf", [page])))
    under = {b.section[-1]: b.text for b in blocks if b.kind == "paragraph" and b.text.startswith("Risk")}
    assert under == {
        "A1:2017 - Name": "Risk 1 text, line 0. Risk 1 text, line 1. Risk 1 text, line 2.",
        "A2:2017 - Name": "Risk 2 text, line 0. Risk 2 text, line 1. Risk 2 text, line 2.",
        "A3:2017 - Last": "Risk 3 text, line 0. Risk 3 text, line 1. Risk 3 text, line 2.",
    }
