"""Word spaces of text set without space characters: a font's width for the space code, put right
when what the font gives there is no space's width.

TeX (pdfTeX, XeTeX's Type 1 output, so Sphinx, LaTeX papers and manuals) and Acrobat Distiller
never draw a space: they move the pen between words inside a ``TJ`` array, and a reader decides
from the gap's size whether a space stood there. pypdf takes half the width the font gives for
the space code (32) as the smallest word gap. Two kinds of font hold no space there:

* a T1-encoded TeX font holds the visible space "␣", half an em wide, twice a real space, so
  every gap of a justified line set tighter than a quarter of an em reads as no space:
  "todescribetheprojectandhowitisbuiltintoapackage";
* a re-coded subset (``/Differences [1 /T /h /e ...]``, Distiller's and dvips' fonts) holds
  whatever letter came 32nd: "runningoninexpensivecommodity".

:func:`mend_space_widths` gives such a font, in memory only, a space of half its average
lowercase width (a real space is 0.2-0.35 em, the lowercase letters 0.45-0.55 em); pypdf then
reads its gaps as a reader sees them.

Invariants
    * Only simple proportional fonts (Type 1, TrueType) are changed, and only their in-memory
      ``/Widths`` entry for code 32, when their encoding names another glyph there, or their
      width there is ``IMPLAUSIBLE`` times their average lowercase width or more and ``WIDE``
      (a subset of narrow letters keeps its real space); the file is
      never written, a fixed-pitch font (whose spaces are whole glyph widths) and a font with a
      space glyph at another code (which pypdf finds by name) are left alone.
    * Idempotent: a mended width is the one a second pass would give, so it changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from pypdf.generic import ArrayObject, DictionaryObject, FloatObject

IMPLAUSIBLE = 0.8  # a space this share of the average lowercase width or wider is no space
WIDE = 400  # and this many thousandths of an em or wider (a real space is 200-350, "␣" about 500)
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
    widths = _resolve(font.get("/Widths"))
    descriptor = _resolve(font.get("/FontDescriptor"))
    if font.get("/Subtype") not in ("/Type1", "/TrueType", "/MMType1") or not isinstance(widths, ArrayObject):
        return 0
    if isinstance(descriptor, DictionaryObject) and int(_number(descriptor.get("/Flags"))) & _FIXED_PITCH:
        return 0
    first = int(_number(font.get("/FirstChar")))
    values = [_number(w) for w in widths]
    names = _differences(font)
    if not first <= _SPACE < first + len(values) or any(
        n == "space" and c != _SPACE for c, n in names.items()
    ):
        return 0  # no width at the space code, or a space glyph elsewhere (pypdf finds it by name)
    average = _lowercase_width(values, first, names)
    if average is None:
        return 0
    space = round(SPACE_SHARE * average, 1)
    # "visiblespace", or a letter of a re-coded subset (".notdef", no glyph, is judged as a space)
    no_space = names.get(_SPACE, "space") not in ("space", ".notdef")
    plausible = values[_SPACE - first] < max(IMPLAUSIBLE * average, WIDE)
    if values[_SPACE - first] == space or (not no_space and plausible):
        return 0
    widths[_SPACE - first] = FloatObject(space)
    return 1


def _lowercase_width(values: list[float], first: int, names: dict[int, str]) -> float | None:
    """The average width of the font's lowercase letters (found by their glyph names where the
    encoding renames codes; never code 32's, the width judged), or None with fewer than
    ``_MIN_LETTERS`` of them or all of one width (a fixed-pitch font whose flags do not say so)."""
    named = [c for c, n in names.items() if len(n) == 1 and n.islower()]
    lower = [c for c in [*_LOWER, *named] if c != _SPACE and (c in named or c not in names)]
    letters = [values[c - first] for c in lower if first <= c < first + len(values)]
    letters = [w for w in letters if w > 0]
    if len(letters) < _MIN_LETTERS or len(set(letters)) == 1:  # one width: fixed pitch, flagged or not
        return None
    return sum(letters) / len(letters)


def _differences(font: DictionaryObject) -> dict[int, str]:
    """Code -> glyph name (without the slash) that the font's ``/Encoding /Differences`` gives."""
    encoding = _resolve(font.get("/Encoding"))
    differences = _resolve(encoding.get("/Differences")) if isinstance(encoding, DictionaryObject) else None
    names: dict[int, str] = {}
    code = 0
    for item in differences if isinstance(differences, ArrayObject) else ():
        item = _resolve(item)
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            code = int(item)
        else:
            names[code] = str(item).lstrip("/")
            code += 1
    return names


def _resolve(value):
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _number(value) -> float:
    try:
        return float(_resolve(value) or 0)
    except (TypeError, ValueError):
        return 0.0
