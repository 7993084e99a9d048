"""Caption-less tables: rows found by how their cells line up, each row a block of its own."""

from __future__ import annotations

from coopqa.core.records import Line
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.reader import read_document
from coopqa.ingest.rows import level_cells, table_rows

from ..pdfmaker import make_pdf

RELEASES = [("Alder", "1150000"), ("Birch", "2463000"), ("Cedar", "12244000"), ("Damson", "7280000")]


def _release_page() -> list[tuple]:
    """A lead-in, a header line, four two-cell rows (numbers right-aligned: their x moves), prose."""
    lines = [(72, 760, 10, "R", "Here are the releases and their first block numbers:")]
    lines.append((90, 744, 10, "R", "Name First Block"))
    y = 730
    for name, number in RELEASES:
        lines.append((90, y, 10, "R", name))
        lines.append((210 - 5.6 * len(number), y, 10, "R", number))
        y -= 12
    lines.append((72, y - 4, 10, "R", "Later releases are scheduled by time, not by block."))
    lines.append((72, y - 16, 10, "R", "Each one is announced in advance."))
    return lines


def test_aligned_rows_are_found_with_their_header():
    lines = [Line(text, x, y, size) for x, y, size, _, text in _release_page()]
    rows = table_rows(lines)
    assert rows.starts == {1, 2, 4, 6, 8}  # the header line, then each row's first cell
    assert rows.cells == {3, 5, 7, 9}  # each row's number
    assert rows.ends == {10}  # the prose after the table starts afresh


def test_each_row_is_a_block_and_the_prose_around_is_not_cut(tmp_path):
    doc = read_document(make_pdf(tmp_path / "releases.pdf", [_release_page()]))
    texts = [b.text for b in to_blocks(doc)]
    for name, number in RELEASES:
        assert f"{name} {number}" in texts
    assert "Name First Block" in texts
    assert "Here are the releases and their first block numbers:" in texts
    assert "Later releases are scheduled by time, not by block. Each one is announced in advance." in texts


def test_prose_split_at_one_height_stays_prose():
    """Two lines the reader cut at a wide gap, not three aligned rows: no table."""
    lines = [
        Line("The image MUST have a tag", 72, 700, 10),
        Line("of the form erc:<id>, for example", 240, 700, 10),
        Line("erc:1234 with the archive beside it.", 72, 688, 10),
        Line("The archive file name MUST be", 72, 676, 10),
        Line("image.tar with an appropriate suffix.", 250, 676, 10),
    ]
    rows = table_rows(lines)
    assert not rows.starts and not rows.cells and not rows.ends


def test_a_row_whose_cells_were_joined_stays_in_the_table():
    """ "G transaction 21000 Paid for every transaction." read as one line between two rows."""
    lines = [
        Line("G memory", 74, 400, 9),
        Line("3 Paid for every word.", 167, 400, 9),
        Line("G transaction 21000 Paid for every transaction.", 74, 389, 9),
        Line("G log", 74, 378, 9),
        Line("375 Paid for a LOG operation.", 158, 378, 9),
        Line("G logdata", 74, 367, 9),
        Line("8 Paid for each byte.", 167, 367, 9),
    ]
    rows = table_rows(lines)
    assert rows.starts == {0, 2, 3, 5}
    assert rows.cells == {1, 4, 6}


def test_a_bold_header_row_of_cells_is_the_tables_not_a_heading(tmp_path):
    """A header set in bold, its two cells aligned with the rows' cells: a row of the table, not
    a heading that the rows would stand under."""
    page = [
        (72, 780, 14, "B", "Survey"),
        (72, 760, 10, "R", "The answers of the survey were counted and ranked as follows."),
        (90, 744, 10, "B", "Rank Category"),
        (200, 744, 10, "B", "Score"),
    ]
    y = 730
    for name, number in RELEASES:
        page += [(90, y, 10, "R", name), (200, y, 10, "R", number)]
        y -= 12
    blocks = to_blocks(read_document(make_pdf(tmp_path / "survey.pdf", [page])))
    assert [b.text for b in blocks if b.kind == "heading"] == ["Survey"]
    assert "Rank Category Score" in [b.text for b in blocks]
    assert {b.section for b in blocks} == {("Survey",)}


def test_cells_set_larger_than_the_prose_are_no_headings(tmp_path):
    """A sparse table (empty cells: its rows do not line up as :func:`table_rows` needs) whose
    class names the PDF sets in 12 pt beside 10 pt prose: its cells are no headings, and the
    prose after it stays under the section's own heading."""
    page = [
        (72, 780, 12, "B", "1 Classes"),
        (72, 760, 10, "R", "The library has the following classes:"),
        (200, 740, 10, "R", "tiles"),
        (320, 740, 12, "R", "scan lines"),
        (420, 740, 12, "R", "both"),
        (90, 724, 10, "R", "any channels"),
        (200, 724, 9, "R", "TiledInput"),
        (420, 724, 12, "R", "Input"),
        (200, 708, 9, "R", "TiledOutput"),
        (320, 708, 12, "R", "Output"),
        (72, 680, 10, "R", "The scan line classes also read tiled files."),
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "classes.pdf", [page])))
    assert [b.text for b in blocks if b.kind == "heading"] == ["1 Classes"]
    assert {b.section for b in blocks} == {("1 Classes",)}


def test_a_heading_beside_a_tag_or_its_number_is_no_cell():
    """Two pieces on one baseline are cells only where a piece lines up with another row's."""
    number, title = Line("1", 72, 700, 12), Line("Introduction", 110, 700, 12)
    assert level_cells([number, title]) == frozenset()
    chapter = [Line("CHAPTER 3", 72, 700, 12), Line("Results", 160, 700, 18)]
    assert level_cells(chapter) == frozenset()
    faq = [Line("How do I reset my password?", 72, 700, 12), Line("Account", 480, 700, 10)]
    faq += [Line("Open the settings page.", 72, 680, 10), Line("Can I change my email?", 72, 650, 12)]
    faq += [Line("Account", 480, 650, 10), Line("Write to the help desk.", 72, 630, 10)]
    assert not {0, 3} & level_cells(faq)  # the questions start at the margin, as the prose does
    hung = [Line("2.1", 72, 700, 12, True), Line("Requirements", 130, 700, 14)]
    hung += [Line("Text.", 72, 680, 10), Line("2.2", 72, 650, 12, True), Line("Download", 130, 650, 14)]
    tagged = [Line("4.2", 72, 600, 14), Line("Control", 130, 600, 14), Line("Rev. B", 480, 600, 9)]
    assert level_cells([*hung, *tagged]) == frozenset()  # numbered headings, titles hung right
    table = [Line("The constructors take one of:", 72, 720, 10)]
    table += [Line("WRITE_RGB", 72, 700, 9), Line("red, green, blue", 200, 700, 12)]
    table += [Line("WRITE_Y", 72, 686, 9), Line("luminance only", 200, 686, 12)]
    assert {2, 4} <= level_cells(table)
