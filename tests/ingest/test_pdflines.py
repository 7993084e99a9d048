"""A PDF page's runs -> lines: a number set small and raised after a word reads as superscript."""

from __future__ import annotations

from pypdf import PdfReader

from coopqa.core.text import normalize
from coopqa.ingest.pdflines import page_lines

from ..pdfmaker import make_pdf


def _lines(tmp_path, runs: list[tuple]) -> list[str]:
    pdf = make_pdf(tmp_path / "page.pdf", [runs])
    return [line.text for line in page_lines(PdfReader(pdf).pages[0])]


def test_a_footnote_mark_and_an_exponent_read_as_superscript(tmp_path):
    lines = _lines(  # each run starts where the one before ends (Helvetica's widths)
        tmp_path,
        [
            (72, 700, 10, "R", "Half the land is destroyed"),
            (184.8, 703.5, 6.5, "R", "1"),
            (188.4, 700, 10, "R", ". Next, the directive"),
            (274.0, 703.5, 6.5, "R", "12,13"),
            (72, 680, 10, "R", "One Ether is 10"),
            (141.5, 684, 7, "R", "18"),
            (149.3, 680, 10, "R", " Wei, one Gwei 10"),
            (228.2, 684, 7, "R", "-9"),
            (234.4, 680, 10, "R", " Ether."),
        ],
    )
    assert lines[0] == "Half the land is destroyed¹. Next, the directive¹²,¹³"
    assert lines[1] == "One Ether is 10¹⁸ Wei, one Gwei 10⁻⁹ Ether."
    # the page's own text still matches a quote (highlighting folds superscripts back)
    assert normalize(lines[1]) == normalize("One Ether is 1018 Wei, one Gwei 10-9 Ether.")


def test_a_number_of_its_own_size_or_baseline_stays_as_it_is(tmp_path):
    lines = _lines(
        tmp_path,
        [
            (72, 700, 10, "R", "Table"),
            (102, 700, 10, "R", "3"),  # same size, same baseline
            (72, 680, 10, "R", "in units of"),
            (124, 680, 7, "R", "5"),  # small but on the baseline: a subscript-sized digit, not raised
            (72, 660, 10, "R", "the year"),
            (115, 668, 6, "R", "2050"),  # raised far above the line: another line's text
        ],
    )
    assert lines[:2] == ["Table 3", "in units of 5"]
    assert "¹" not in "".join(lines) and "²" not in "".join(lines)
