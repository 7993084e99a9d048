"""TeX's word gaps read as spaces: a font's space width is mended only where it holds no space."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from coopqa.ingest.spacing import mend_space_widths

WORDS = ["to", "describe", "the", "project"]


def _name(value: str) -> NameObject:
    return NameObject(value)


def _font(
    space: float, flags: int, first: int = 32, at_space: str = "", letters: tuple = (400, 450, 500)
) -> DictionaryObject:
    """A serif subset (no standard font, whose widths pypdf knows) with its own widths from code
    ``first``: ``space`` at code 32, the lowercase letters ``letters`` in turn, the rest 600;
    ``at_space`` names another glyph at code 32 (a re-coded subset)."""
    lower = {c: letters[c % len(letters)] for c in range(97, 123)}
    widths = [space if c == 32 else lower.get(c, 600) for c in range(first, 123)]
    descriptor = DictionaryObject(
        {_name("/Type"): _name("/FontDescriptor"), _name("/Flags"): NumberObject(flags)}
    )
    encoding = _name("/WinAnsiEncoding")
    if at_space:
        differences = ArrayObject([NumberObject(32), _name(f"/{at_space}")])
        encoding = DictionaryObject({_name("/Type"): _name("/Encoding"), _name("/Differences"): differences})
    return DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/ABCDEF+Serif"),
            _name("/Encoding"): encoding,
            _name("/FirstChar"): NumberObject(first),
            _name("/LastChar"): NumberObject(122),
            _name("/Widths"): ArrayObject(FloatObject(w) for w in widths),
            _name("/FontDescriptor"): descriptor,
        }
    )


def _page(space: float = 500, flags: int = 32, gap: int = -150, in_form: bool = False, **font):
    """A one-page PDF, read back, whose one line is set as TeX sets it: the words of ``WORDS`` in
    one TJ array, moved apart by ``gap`` thousandths of an em, no space character drawn; with
    ``in_form`` the line is drawn by a form XObject that holds the font."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    line = "[" + f"{gap}".join(f"({w})" for w in WORDS) + "] TJ"
    text = f"BT /F1 10 Tf 72 700 Td {line} ET".encode()
    fonts = DictionaryObject({_name("/F1"): _font(space, flags, **font)})
    if in_form:
        form = DecodedStreamObject()
        form.set_data(text)
        form.update(
            {
                _name("/Type"): _name("/XObject"),
                _name("/Subtype"): _name("/Form"),
                _name("/BBox"): ArrayObject(NumberObject(v) for v in (0, 0, 612, 792)),
                _name("/Resources"): DictionaryObject({_name("/Font"): fonts}),
            }
        )
        xobjects = DictionaryObject({_name("/Fm1"): writer._add_object(form)})
        page[_name("/Resources")] = DictionaryObject({_name("/XObject"): xobjects})
        text = b"q /Fm1 Do Q"
    else:
        page[_name("/Resources")] = DictionaryObject({_name("/Font"): fonts})
    contents = DecodedStreamObject()
    contents.set_data(text)
    page[_name("/Contents")] = writer._add_object(contents)
    buffer = io.BytesIO()
    writer.write(buffer)
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


@pytest.mark.parametrize("in_form", [False, True])
def test_a_visible_space_at_the_space_code_no_longer_glues_the_words(in_form):
    page = _page(in_form=in_form)
    assert page.extract_text() == "todescribetheproject"  # pypdf alone: the gaps are under half a "␣"
    assert mend_space_widths(page) == 1
    assert page.extract_text() == "to describe the project"
    assert mend_space_widths(page) == 0  # idempotent: the mended width is a plausible space


def test_a_true_space_width_is_left_alone():
    page = _page(space=250)
    assert mend_space_widths(page) == 0
    assert page.extract_text() == "to describe the project"
    page = _page(space=278, letters=(222, 278, 333))  # a subset of narrow letters (i, l, t, f, r)
    assert mend_space_widths(page) == 0  # its space is as wide as its letters, and still a space


def test_a_fixed_pitch_font_is_left_alone():
    page = _page(flags=33)  # /Flags bit 1: every glyph, the space too, is one width
    assert mend_space_widths(page) == 0
    assert page.extract_text() == "todescribetheproject"
    page = _page(space=600, at_space="c", letters=(600,))  # re-coded, every letter one width, unflagged
    assert mend_space_widths(page) == 0


def test_a_gap_wider_than_a_space_was_read_as_one_and_still_is():
    page = _page(gap=-300)
    assert page.extract_text() == "to describe the project"
    mend_space_widths(page)
    assert page.extract_text() == "to describe the project"


def test_a_letter_at_the_space_code_of_a_re_coded_subset_is_no_space():
    page = _page(space=278, gap=-120, at_space="i")  # code 32 draws an "i": a narrow letter, no space
    assert page.extract_text() == "todescribetheproject"
    assert mend_space_widths(page) == 1
    assert page.extract_text() == "to describe the project"
    assert mend_space_widths(page) == 0
