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


def _font(space: float, flags: int) -> DictionaryObject:
    """A Times-Roman with its own widths: ``space`` at code 32, lowercase letters 450, the rest 600."""
    widths = [space if c == 32 else 450 if 97 <= c <= 122 else 600 for c in range(32, 123)]
    descriptor = DictionaryObject(
        {_name("/Type"): _name("/FontDescriptor"), _name("/Flags"): NumberObject(flags)}
    )
    return DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/Times-Roman"),
            _name("/Encoding"): _name("/WinAnsiEncoding"),
            _name("/FirstChar"): NumberObject(32),
            _name("/LastChar"): NumberObject(122),
            _name("/Widths"): ArrayObject(FloatObject(w) for w in widths),
            _name("/FontDescriptor"): descriptor,
        }
    )


def _page(space: float = 500, flags: int = 32, gap: int = -150, in_form: bool = False):
    """A one-page PDF, read back, whose one line is set as TeX sets it: the words of ``WORDS`` in
    one TJ array, moved apart by ``gap`` thousandths of an em, no space character drawn; with
    ``in_form`` the line is drawn by a form XObject that holds the font."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    line = "[" + f"{gap}".join(f"({w})" for w in WORDS) + "] TJ"
    text = f"BT /F1 10 Tf 72 700 Td {line} ET".encode()
    fonts = DictionaryObject({_name("/F1"): _font(space, flags)})
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


def test_a_fixed_pitch_font_is_left_alone():
    page = _page(flags=33)  # /Flags bit 1: every glyph, the space too, is one width
    assert mend_space_widths(page) == 0
    assert page.extract_text() == "todescribetheproject"


def test_a_gap_wider_than_a_space_was_read_as_one_and_still_is():
    page = _page(gap=-300)
    assert page.extract_text() == "to describe the project"
    mend_space_widths(page)
    assert page.extract_text() == "to describe the project"
