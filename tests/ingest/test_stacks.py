"""Lines set like headings that are text (ingest/stacks.py): a bold table, a bold list."""

from __future__ import annotations

from coopqa.core.records import Line
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.layout import is_heading_line
from coopqa.ingest.reader import read_document
from coopqa.ingest.stacks import glued, is_tab, stacked, title_text

from ..pdfmaker import make_pdf

BODY = 9.0


def _line(text: str, y: float, size: float = BODY, bold: bool = True, x: float = 50.0) -> Line:
    return Line(text, x, y, size, bold)


def test_a_table_of_bold_cells_is_text_and_a_wrapped_title_is_not():
    table = [_line(f"A{i} - Risk {i}", 600 - 26 * i) for i in range(1, 5)]
    title = [
        _line(t, 700 - 20 * k, size=16.0)
        for k, t in enumerate(["Paths and Suggestions", "for Cooperation", "in Industry"])
    ]
    body = [_line("Plain text of the page follows here.", 500, bold=False)]
    lines = [*title, *body, *table, *body]
    found = stacked(lines, BODY)
    assert found == {4, 5, 6, 7}  # the four bold cells; the three lines of one title stay a heading
    assert stacked([*title[:1], *body, *table[:2], *body], BODY) == set()  # two alike: still headings


def test_a_title_set_well_above_a_diagrams_bold_labels_stays_a_heading():
    """A page's title and a subtitle, then a diagram's bold labels and nothing between: the
    labels are text, the two lines set twice their size or more are titles."""
    title = _line("Note About Risks", 700, size=28.0)
    labels = [_line(t, 300 - 40 * k) for k, t in enumerate(["Threat", "Agents", "Attack", "Vectors"])]
    subtitle = _line("About the Risks that Weaknesses Represent", 650, size=16.0)
    body = _line("Plain text of the page follows here.", 630, bold=False)
    assert stacked([title, *labels, subtitle, body], BODY) == {1, 2, 3, 4}


def test_a_bold_bulleted_item_and_its_next_lines_are_text():
    """A bulleted line is never a heading; the bold line that carries its item on (the next line
    down, indented past the bullet) is text too, with or without a lead-in; a bold title in the
    next column, level with it, is not."""
    lines = [
        _line("Merged or retired, but not forgotten:", 400),
        _line("• A4 and A7 merged into A5 Broken Access", 387),
        _line("Control.", 377, x=57.0),
        _line("• A8 was found in only 5% of apps.", 364, bold=False),
        _line("Next Heading", 340),
        _line("• Source Code Management", 300),
        _line("and its settings", 290, x=57.0),
        _line("References", 285, size=14.0, x=300.0),
    ]
    assert not is_heading_line(lines[1], BODY)
    assert stacked(lines, BODY) == {2, 6}


def test_a_bold_list_becomes_quotable_text(tmp_path):
    rows = [(50, 600 - 26 * i, 9, "B", f"A{i} - Injection {i}  A{i}:2017-Risk {i}") for i in range(1, 5)]
    page = [
        (50, 760, 16, "B", "Release Notes"),
        (50, 740, 9, "R", "What changed is listed below in the table of this page."),
        (50, 700, 9, "B", "Merged or retired, but not forgotten:"),
        (50, 687, 9, "B", "• A4 and A7 merged into A5 Broken Access Control."),
        (50, 660, 9, "R", "The ranks of both years follow, side by side."),
        *rows,
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "notes.pdf", [page])))
    headings = [b.text for b in blocks if b.kind == "heading"]
    text = " ".join(b.text for b in blocks if b.kind == "paragraph")
    assert headings == ["Release Notes", "Merged or retired, but not forgotten:"]
    assert "A4 and A7 merged into A5 Broken Access Control." in text
    assert all(f"A{i}:2017-Risk {i}" in text for i in range(1, 5))


def test_a_bold_line_that_carries_on_an_open_sentence_is_text():
    opened = _line("Also, two people helped write the new A8:2017-Insecure", 16.0, bold=False)
    closed = _line("Also, two people helped write the new risk.", 16.0, bold=False)
    bold = _line("Deserialization risk.", 4.8)
    assert stacked([opened, bold], BODY) == {1}  # emphasis inside the paragraph
    assert stacked([closed, bold], BODY) == set()  # after a full stop, a bold line may head what follows
    assert stacked([opened, _line("Next Part", 4.8, size=14.0)], BODY) == set()  # larger type: a title


def test_a_tab_names_the_title_set_right_after_it_and_a_glued_piece_ends_it():
    tab, year = _line("A1", 790, 40), _line(":2024", 768, 20)
    assert glued(tab, year) and not glued(tab, _line("2024", 768, 20))  # no colon: its own line
    assert title_text([tab, year]) == "A1:2024"
    assert is_tab("A1:2024", year, _line("Injection", 784, 28, x=115))
    assert is_tab("Chapter 3", _line("Chapter 3", 700, 20), _line("Utilities", 672, 28))
    # a version under a cover title, a hundred points above the next heading, names nothing
    assert not is_tab("V2", _line("V2", 237, 42), _line("Authors", 137, 12))
    assert not is_tab("Introduction", tab, _line("Scope", 770, 28))  # no digit
    assert not is_tab("Top 10 Risks of 2024", tab, _line("Scope", 770, 28))  # not short
    # a section over its first subsection: set smaller, or numbered itself
    assert not is_tab("2 Methods", _line("2 Methods", 700, 16), _line("2.1 Data", 676, 13))
    assert not is_tab("Step 1", _line("Step 1", 700, 16), _line("Before you start", 676, 13))
    assert not is_tab("Part 2", _line("Part 2", 700, 16), _line("2.1 Scope", 676, 16))


def test_only_a_short_piece_set_as_a_heading_is_glued():
    title = _line("Configuration", 700, 16)
    assert not glued(title, _line(".env files hold the secrets and must never be committed.", 680))
    assert not glued(title, _line(".NET Framework", 680, 14))  # a subheading, not an ending
    wrapped = [_line("Porting Applications to", 700, 16), _line(".NET Core 3.1", 680, 16)]
    assert title_text(wrapped) == "Porting Applications to .NET Core 3.1"
