from __future__ import annotations

from coopqa.core.records import Line
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.order import title_first
from coopqa.ingest.reader import read_document

from ..pdfmaker import make_pdf

BULLETS = ["• Failures in authorization give access", "• Prevention: deny by default", "• Now includes SSRF"]


def _slide(title: str, header_y: float = 500.0) -> list[Line]:
    """A slide as a deck exports it: running header, bullets, then the title, drawn last."""
    lines = [Line("The Familiar Eight", 376.0, header_y, 28.0, bold=True)]
    lines += [Line(text, 51.0, 365.0 - 40 * i, 32.0) for i, text in enumerate(BULLETS)]
    return lines + [Line(title, 240.0, 427.0, 36.0, bold=True)]


def test_a_title_drawn_last_goes_where_it_stands():
    order = [line.text for line in title_first(_slide("A01 Broken Access Control"))]
    assert order == ["The Familiar Eight", "A01 Broken Access Control", *BULLETS]


def test_pages_read_in_order_are_unchanged():
    slide = _slide("A01 Broken Access Control")
    in_order = [slide[0], slide[-1], *slide[1:-1]]
    assert title_first(in_order) == in_order
    # a second column starts above the first column's end, in body size: not a title
    columns = [Line(f"left {i}", 50.0, 700.0 - 12 * i, 10.0) for i in range(5)]
    columns += [Line(f"right {i}", 300.0, 700.0 - 12 * i, 10.0) for i in range(5)]
    assert title_first(columns) == columns
    # a large line drawn last low on the page (a chart label) is not a title either
    label = [*columns, Line("Chart label", 60.0, 640.0, 14.0)]
    assert title_first(label) == label


def test_each_slide_is_headed_by_its_own_title(tmp_path):
    def page(title: str, words: str) -> list[tuple]:
        body = [(51, 365 - 40 * i, 20, "R", f"- {words} point {i} of the slide.") for i in range(3)]
        return [*body, (240, 470, 30, "B", title)]

    pdf = make_pdf(
        tmp_path / "deck.pdf",
        [page("Broken Access Control", "Authorization"), page("Security Misconfiguration", "Hardening")],
        height=540,
    )
    blocks = [b for b in to_blocks(read_document(pdf)) if b.kind != "heading"]
    by_title = {b.section[-1]: b.text for b in blocks}
    assert "Authorization point 0" in by_title["Broken Access Control"]
    assert "Hardening point 0" in by_title["Security Misconfiguration"]


def _risk_page() -> list[Line]:
    """A designed report's page: a page number, the page's text (two columns), then its head
    block, drawn last: the title and the rating line under it, then the text under that."""
    lines = [Line("7", 560.0, 800.0, 10.0)]
    for i in range(8):
        lines.append(Line(f"How to prevent, line {i}.", 50.0 + 250 * (i % 2), 500.0 - 12 * (i // 2), 9.0))
    return lines + [
        Line("A1:2017 Injection", 50.0, 760.0, 28.0, bold=True),
        Line("Exploitability: 3 Prevalence: 2", 80.0, 700.0, 10.0, bold=True),
        Line("Attackers can send simple text.", 50.0, 680.0, 9.0),
    ]


def test_a_head_block_drawn_after_the_page_text_goes_before_it():
    page = _risk_page()
    order = [line.text for line in title_first(page)]
    head = ["A1:2017 Injection", "Exploitability: 3 Prevalence: 2", "Attackers can send simple text."]
    assert order == ["7", *head, *[line.text for line in page[1:9]]]
    # drawn after a page number and a running head only: the page keeps its order
    furniture = [page[0], Line("Running head", 50.0, 20.0, 9.0), *page[9:], *page[1:9]]
    assert title_first(furniture) == furniture


def test_a_second_column_that_opens_with_a_heading_keeps_its_place():
    # a header, the left column, then the right column opening with a heading at the page's top
    page = [Line("Journal of Examples 12", 50.0, 800.0, 8.0)]
    page += [Line(f"left {i} of the first column.", 50.0, 760.0 - 14 * i, 10.0) for i in range(20)]
    page += [Line("3 Methods", 300.0, 770.0, 14.0, bold=True)]
    page += [Line(f"right {i} of the second column.", 300.0, 750.0 - 14 * i, 10.0) for i in range(19)]
    assert title_first(page) == page
