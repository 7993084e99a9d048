"""Printed page numbers read off the pages when a PDF has no /PageLabels."""

from __future__ import annotations

from coopqa.core.records import Line, Page
from coopqa.ingest.labels import printed_labels, roman
from coopqa.ingest.reader import read_document

from ..pdfmaker import make_pdf

BODY = "A sentence of body text that fills the middle of the page."


def _page(index: int, *furniture: tuple[float, str]) -> Page:
    """A page of body text with lines at the given heights (842-point page)."""
    lines = [Line(text, 300.0, y, 9.0) for y, text in furniture if y > 421]
    lines += [Line(BODY, 72.0, 700.0 - 14 * k, 10.0) for k in range(5)]
    lines += [Line(text, 300.0, y, 9.0) for y, text in furniture if y <= 421]
    return Page(index=index, label=str(index + 1), lines=tuple(lines))


def test_an_unnumbered_cover_shifts_every_label_by_one():
    pages = [_page(0)] + [_page(i, (30.0, str(i))) for i in range(1, 8)]
    assert printed_labels(pages) == ("i", "1", "2", "3", "4", "5", "6", "7")


def test_numbers_in_running_lines_count_and_front_matter_keeps_its_roman_numerals():
    pages = [_page(0), _page(1, (30.0, "ii"))]
    pages += [_page(i, (810.0, f"Chapter 3: Utilities {i - 1}")) for i in range(2, 9)]
    assert printed_labels(pages) == ("i", "ii", "1", "2", "3", "4", "5", "6", "7")


def test_an_excerpt_of_a_longer_book_starts_at_its_printed_number():
    pages = [_page(i, (30.0, f"- {101 + i} -")) for i in range(5)]
    assert printed_labels(pages) == ("101", "102", "103", "104", "105")


def test_physical_numbers_stay_when_the_pages_print_them_or_disagree():
    assert printed_labels([_page(i, (30.0, str(i + 1))) for i in range(6)]) is None  # shift 0
    restarting = [_page(i, (30.0, str(i % 3 + 1))) for i in range(9)]  # numbers per chapter
    assert printed_labels(restarting) is None
    few = [_page(i, (30.0, str(i))) if i in (3, 4) else _page(i) for i in range(10)]
    assert printed_labels(few) is None  # two pages do not make a numbering
    assert printed_labels([_page(i) for i in range(4)]) is None


def test_numbers_in_the_body_are_not_page_numbers():
    lines = [(Line(BODY, 72.0, 700.0, 10.0), Line(str(i), 72.0, 500.0, 10.0)) for i in range(1, 8)]
    pages = [Page(index=i, label=str(i + 1), lines=pair) for i, pair in enumerate(lines, start=1)]
    assert printed_labels(pages) is None


def test_roman_numerals():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 1994)] == ["i", "iv", "ix", "xiv", "xl", "xc", "mcmxciv"]


def test_reader_uses_printed_numbers_without_page_labels_and_the_pdfs_own_with_them(tmp_path):
    body = [(72, 700, 11, "R", BODY)]
    pages = [body] + [body + [(300, 30, 9, "R", str(i))] for i in range(1, 6)]
    plain = make_pdf(tmp_path / "plain.pdf", pages)
    assert [p.label for p in read_document(plain).pages] == ["i", "1", "2", "3", "4", "5"]
    own = make_pdf(tmp_path / "own.pdf", pages, labels=[(0, "P:Cover", 0), (1, "D", 10)])
    assert [p.label for p in read_document(own).pages] == ["Cover", "10", "11", "12", "13", "14"]
