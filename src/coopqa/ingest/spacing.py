"""Word spaces of text set without space characters: a font's width for the space code, put right
when what the font gives there is no space's width.

TeX (pdfTeX, XeTeX's Type 1 output, so Sphinx, LaTeX papers and manuals) never draws a space: it
moves the pen between words inside a ``TJ`` array, and a reader decides from the gap's size
whether a space stood there. pypdf takes half the width the font gives for the space code as the
smallest word gap. In a T1-encoded TeX font that code holds the visible space "␣", half an em
wide, twice a real space, so every gap of a justified line set tighter than a quarter of an em
reads as no space: "todescribetheprojectandhowitisbuiltintoapackage". :func:`mend_space_widths`
gives such a font, in memory only, a space of half its average lowercase width (a real space is
0.2-0.35 em, the lowercase letters 0.45-0.55 em); pypdf then reads its gaps as a reader sees them.

Invariants
    * Only simple proportional fonts (Type 1, TrueType) whose width at the space code is
      ``IMPLAUSIBLE`` times their average lowercase width or more are changed, and only their
      in-memory ``/Widths`` entry for that code: the file is never written, a fixed-pitch font
      (code's spaces are whole glyph widths) is left alone.
    * Idempotent: a mended width is below the bound, so a second pass changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from pypdf.generic import ArrayObject, DictionaryObject, FloatObject

IMPLAUSIBLE = 0.8  # a space this share of the average lowercase width or wider is no space
SPACE_SHARE = 0.5  # the width given instead: this share of the average lowercase width
_FIXED_PITCH = 1  # /Flags bit 1 of a font descriptor
_SPACE = 32
_LOWER = range(ord("a"), ord("z") + 1)
_MIN_LETTERS = 5  # lowercase widths needed to judge (a subset with fewer is left alone)


def mend_space_widths(page) -> int:
    """Give each font of ``page`` (and of the forms it draws) whose space code carries no
    space's width a plausible one; the number of fonts mended."""
    mended = 0
    for font in _fonts(page.get("/Resources"), set()):
        mended += _mend(font)
    return mended


def _fonts(resources, seen: set[int]) -> Iterator[DictionaryObject]:
    """The font dictionaries of ``resources`` and of the form XObjects it holds, each once."""
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = _resolve(resources.get("/Font"))
    if isinstance(fonts, DictionaryObject):
        for value in fonts.values():
            font = _resolve(value)
            if isinstance(font, DictionaryObject):
                yield font
    xobjects = _resolve(resources.get("/XObject"))
    if isinstance(xobjects, DictionaryObject):
        for value in xobjects.values():
            form = _resolve(value)
            if isinstance(form, DictionaryObject) and form.get("/Subtype") == "/Form":
                yield from _fonts(form.get("/Resources"), seen)


def _mend(font: DictionaryObject) -> int:
    """Mend one font's space width (see the module's invariants); 1 if it was changed."""
    if font.get("/Subtype") not in ("/Type1", "/TrueType", "/MMType1"):
        return 0
    widths = _resolve(font.get("/Widths"))
    descriptor = _resolve(font.get("/FontDescriptor"))
    if not isinstance(widths, ArrayObject):
        return 0
    if isinstance(descriptor, DictionaryObject) and int(_number(descriptor.get("/Flags"))) & _FIXED_PITCH:
        return 0
    first = int(_number(font.get("/FirstChar")))
    values = [_number(w) for w in widths]
    if not first <= _SPACE < first + len(values) or len({v for v in values if v > 0}) < 2:
        return 0
    letters = [values[c - first] for c in _LOWER if first <= c < first + len(values)]
    letters = [w for w in letters if w > 0]
    if len(letters) < _MIN_LETTERS:
        return 0
    average = sum(letters) / len(letters)
    if values[_SPACE - first] < IMPLAUSIBLE * average:
        return 0
    widths[_SPACE - first] = FloatObject(round(SPACE_SHARE * average, 1))
    return 1


def _resolve(value):
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _number(value) -> float:
    try:
        return float(_resolve(value) or 0)
    except (TypeError, ValueError):
        return 0.0
