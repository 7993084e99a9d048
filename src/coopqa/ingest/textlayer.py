"""Whether a page's text layer can be read at all, or is glyph codes without their letters.

A PDF whose fonts carry no (or a wrong) map from glyph codes to Unicode draws its text
correctly, but the text it gives back is noise: control characters and runs of Latin-1 symbols
("\\x86ÿbÿ\\x01", "Ú£«£Ãú®×«È±»Á"). Indexed as it is, such a page fills the index with chunks no
question can reach and no reader can check. :func:`garbled` finds it from the text alone, so
the page can be read by OCR from its rendering instead (:func:`~coopqa.ingest.ocr.needs_ocr`).

A word (a run without spaces) is odd when it holds a control, private-use, unassigned or
surrogate character, U+FFFD, or a Latin-1 symbol other than the few that stand in real text
(``£ ¥ § ° ± · µ``). A page is garbled when odd words hold at least ``GARBLED_SHARE`` of its
word characters, and it has ``MIN_CHARS`` of them. Measured on 1,882 pages (56 papers, the eval
PDFs and pypdf's sample files): every page of the three papers whose fonts lack the map had 0.47
or more, every other page 0.32 or less (maths set in symbol fonts, glyph-drawn trees); the
threshold was then checked on 46 papers not looked at before (two garbled, 44 clean: no page
misjudged). Letters of any script are letters: Chinese, Arabic or German text is never odd.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..core.records import Line

GARBLED_SHARE = 0.4
MIN_CHARS = 40
_ODD_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
_REAL_SYMBOLS = frozenset("£¥§°±·µ")


def _odd(char: str) -> bool:
    if unicodedata.category(char) in _ODD_CATEGORIES or char == "\ufffd":
        return True
    return "\u00a1" <= char <= "\u00bf" and char not in _REAL_SYMBOLS


def odd_share(text: str) -> tuple[float, int]:
    """The share of ``text``'s word characters that stand in odd words, and how many there are."""
    odd = total = 0
    for word in text.split():
        total += len(word)
        if any(_odd(char) for char in word):
            odd += len(word)
    return (odd / total if total else 0.0), total


def garbled(lines: Iterable[Line]) -> bool:
    """Whether these lines (a page's text layer) are glyph codes, not text (see the module)."""
    share, chars = odd_share("\n".join(line.text for line in lines))
    return chars >= MIN_CHARS and share >= GARBLED_SHARE
