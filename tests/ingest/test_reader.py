from __future__ import annotations

import pytest

from coopqa.core.errors import DocumentError, UnsupportedFileError
from coopqa.core.records import Document, Line, Page
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.pdflines import abbreviates, clean_pdf_text
from coopqa.ingest.reader import decode_text, read_document

from ..conftest import REPORT_PDF
from ..pdfmaker import encrypt, guide_like, make_pdf, report_like


def test_report_page_labels_are_printed_labels():
    doc = read_document(REPORT_PDF)
    labels = [p.label for p in doc.pages]
    assert labels[:6] == ["Cover", "i", "ii", "iii", "iv", "1"]
    assert labels[11] == "7"  # printed page 7 is physical page 12
    assert labels[-1] == "Back cover"
    assert len(labels) == 30


def test_lines_carry_font_size_and_weight(tmp_path):
    doc = read_document(report_like(tmp_path / "r.pdf"))
    first = doc.pages[0].lines
    heading = next(line for line in first if line.text.startswith("I. Lanterns"))
    body = next(line for line in first if line.text.startswith("The valley"))
    assert heading.bold and heading.size == 13
    assert not body.bold and body.size == 9.5


def test_a_badge_beside_a_title_does_not_set_its_size(tmp_path):
    """A page's tab ("+RF" in 44 pt, "+DAT" in 35 pt) drawn on its title's line (28 pt): the
    line is the title's size, so the two page titles are one level, not the second nested in
    the first, and a tab that abbreviates its title is left out of it; a number beside a title
    stays ("3 Harbours"); a symbol's subscript ("G" then "zero", set lower) leaves the
    symbol's size."""
    pages = [
        [
            (20, 760, 44, "B", "+RF"),
            (120, 763, 28, "B", "Risk Factors"),
            (56, 700, 9.5, "R", "The factors of each risk are rated from one to three."),
            (56, 680, 9, "R", "G"),
            (62, 678, 6, "R", "zero"),
        ],
        [
            (20, 760, 35, "B", "+DAT"),
            (120, 763, 28, "B", "Methods and Data"),
            (56, 700, 9.5, "R", "The data came from forty firms and five hundred people."),
            (20, 600, 44, "B", "3"),
            (80, 603, 28, "B", "Harbours"),
            (56, 560, 9.5, "R", "Harbours of the coast are listed by the tonnage they take."),
        ],
    ]
    doc = read_document(make_pdf(tmp_path / "tabs.pdf", pages))
    sized = {line.text: line.size for page in doc.pages for line in page.lines}
    assert sized["Risk Factors"] == sized["Methods and Data"] == sized["3 Harbours"] == 28
    assert sized["G zero"] == 9
    sections = {block.section for block in to_blocks(doc)}
    assert ("Methods and Data",) in sections and ("Risk Factors",) in sections


@pytest.mark.parametrize(
    "badge, title, left_out",
    [
        ("+RF", "Details About Risk Factors", True),
        ("TOC", "Table of Contents", True),
        ("3", "Methods", False),
        ("EU", "Regulations", False),
        ("+D", "What's Next for Developers", True),  # a tab: a mark and a letter
        ("B", "Data Sources by Country", False),  # a plain letter opens the title or stays
        ("T", "he harbour opened in spring", False),  # a drop cap
        ("Q3", "Quarterly Results 2023", False),  # numbers match whole
        ("II", "Implementation", False),  # a roman number
    ],
)
def test_a_tab_that_abbreviates_its_title_is_left_out(badge, title, left_out):
    assert abbreviates(badge, title) is left_out


def test_table_cells_on_one_baseline_stay_separate(tmp_path):
    doc = read_document(report_like(tmp_path / "r.pdf"))
    texts = [line.text for line in doc.pages[1].lines]
    assert {"Town", "Output", "Colour"} <= set(texts)


def test_a_bracketed_tag_drawn_first_at_the_right_is_read_after_its_line(tmp_path):
    """A Texinfo manual draws an entry's category at the right margin before the entry itself."""
    page = [
        (420, 700, 10, "R", "[Function]"),
        (72, 700, 10, "B", "int config_read (FILE *stream)"),
        (72, 686, 10, "R", "This function reads a configuration."),
        (420, 650, 10, "R", "(12)"),  # an equation's number drawn first stays where it was drawn
        (150, 650, 10, "R", "E = m"),
    ]
    lines = [line.text for line in read_document(make_pdf(tmp_path / "m.pdf", [page])).pages[0].lines]
    assert lines[:2] == ["int config_read (FILE *stream) [Function]", "This function reads a configuration."]
    assert lines[2].startswith("(12)")


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty file"):
        read_document(path)


def test_random_bytes_named_pdf(tmp_path):
    path = tmp_path / "noise.pdf"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(DocumentError, match="not a PDF"):
        read_document(path)


def test_truncated_pdf_is_reported_not_crashed(tmp_path):
    data = REPORT_PDF.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    try:
        doc = read_document(path)
    except DocumentError as exc:
        assert exc.name == "cut.pdf" and exc.reason
    else:  # pypdf may recover the pages before the cut; then they must be real pages
        assert 0 < len(doc.pages) <= 30


def test_encrypted_pdf_needs_password(tmp_path):
    path = encrypt(report_like(tmp_path / "r.pdf"), tmp_path / "locked.pdf", "s3cret")
    with pytest.raises(DocumentError, match="password is needed"):
        read_document(path)


def test_encrypted_pdf_with_empty_password_opens(tmp_path):
    path = encrypt(report_like(tmp_path / "r.pdf"), tmp_path / "open.pdf", "")
    doc = read_document(path)
    assert any("lanterns" in line.text for line in doc.pages[0].lines)


def test_scanned_pdf_says_ocr_is_needed(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[], []], image_pages=(0, 1))
    with pytest.raises(DocumentError, match="OCR is needed"):
        read_document(path)


def test_all_blank_pdf(tmp_path):
    path = make_pdf(tmp_path / "blank.pdf", [[], [], []])
    with pytest.raises(DocumentError, match="no text on any page"):
        read_document(path)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(UnsupportedFileError, match="unsupported file type .xlsx"):
        read_document(path)


def test_size_limit(tmp_path):
    path = report_like(tmp_path / "r.pdf")
    with pytest.raises(DocumentError, match="over the"):
        read_document(path, max_bytes=100)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "utf-8-sig", "utf-8"])
def test_text_encodings(encoding):
    text = "Café prices in Hà Nội rose 5%." if encoding != "latin-1" else "Café prices rose 5%."
    assert decode_text(text.encode(encoding), "x.txt") == text


def test_markdown_headings(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nFirst paragraph here.\n\n## Costs\n\nKilns cost 300 coins.\n")
    doc = read_document(path)
    heads = [line for line in doc.pages[0].lines if line.bold]
    assert [h.text for h in heads] == ["Notes", "Costs"]
    assert heads[0].size > heads[1].size


def test_ligatures_are_unfolded(tmp_path):
    doc = read_document(guide_like(tmp_path / "guide.pdf"))
    texts = [line.text for line in doc.pages[0].lines]
    assert "Every lantern starts as a sketch. The specification of each float" in texts
    assert not any(ch in text for text in texts for ch in "\ufb01\ufb02")
    block = next(b for b in to_blocks(doc) if "sketch" in b.text)
    assert "The specification of each float is kept by the guild." in block.text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "speci\ufb01cation and \ufb02oat, e\ufb00ort, o\ufb03ce, ba\ufb04e",
            "specification and float, effort, office, baffle",
        ),
        ("multi\u2010", "multi-"),  # the Unicode hyphen ends a broken word as "-"
        ("non\u2011blocking", "non-blocking"),
        ("coop\u00ad", "coop-"),  # a soft hyphen where the line breaks is the break's hyphen
        ("Scan\u00adline\u00adbased", "Scan-line-based"),  # and a drawn hyphen inside one
        ("pixels \u00ad min.x", "pixels - min.x"),  # or a minus
        ("  two\u00a0 spaces  ", "two spaces"),
    ],
)
def test_pdf_text_is_normalised(raw, clean):
    assert clean_pdf_text(raw) == clean


def test_unicode_hyphen_still_rejoins_words():
    lines = (Line(clean_pdf_text("a long-established guild with multi\u2010"), 62, 706, 9.5),)
    page2 = (Line("generational membership.", 62, 690, 9.5),)
    pages = (Page(0, "1", lines), Page(1, "2", page2))
    blocks = to_blocks(Document("d.pdf", "d.pdf", "0", pages))
    assert blocks[0].text == "a long-established guild with multi-generational membership."


def test_outline_of_a_pdf_without_one_is_empty(tmp_path):
    assert read_document(report_like(tmp_path / "r.pdf")).outline == ()
