"""Whether a page's text layer can be read at all, or is glyph codes without their letters.

A PDF whose fonts carry no (or a wrong) map from glyph codes to Unicode draws its text
correctly, but the text it gives back is noise: control characters and runs of Latin-1 symbols
("\\x86ÿbÿ\\x01", "Ú£«£Ãú®×«È±»Á"). Indexed as it is, such a page fills the index with chunks no
question can reach and no reader can check. :func:`garbled` finds it from the text alone, so
the page can be read by OCR from its rendering instead (:mod:`coopqa.ingest.reader` sends it).

A word (a run without spaces; each Chinese, Japanese or Korean character a word of its own) is
odd when it holds a control, private-use, unassigned or surrogate character or U+FFFD, or a
Latin-1 symbol (U+00A1-U+00BF, × and ÷) inside it: one at a word's edge is punctuation
(«Dove», ¿Qué?, Intel®, ¬p, ©2011), and ``£ ¥ ¢ ° ± · µ § ¶`` stand in real words (£12,
25°C). A page is garbled when odd words hold at least ``GARBLED_SHARE`` of its word characters
and it has ``MIN_CHARS`` of them; :func:`readable_lines` judges its lines one by one. Measured
on 3,109 pages (103 papers, the eval PDFs and pypdf's sample files): of the 196 pages of the five
papers whose fonts lack the map, 195 had 0.44 or more (one, 0.38, is missed); every other page
had 0.32 or less (maths in symbol fonts, glyph-drawn trees). Italian dialogue, Russian and
Persian with guillemets, tight French quotes, ¿Qué? and logic with ¬ have 0.0: a review found the
first version (any Latin-1 symbol anywhere made a word odd) sending such pages to OCR.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..core.records import Line

GARBLED_SHARE = 0.4
MIN_CHARS = 40
_HARD = frozenset({"Cc", "Co", "Cn", "Cs"})  # control, private use, unassigned, surrogate
_EDGE = "«»¿¡©®¬\"'()[]{}<>.,;:!?*-–—…“”‘’"  # punctuation a word may open or close with
_REAL = frozenset("£¥¢°±·µ§¶")  # Latin-1 symbols that stand inside real words: £12, 25°C, 5µm


def _hard(char: str) -> bool:
    return (unicodedata.category(char) in _HARD and not char.isspace()) or char == "\ufffd"


def _symbol(char: str) -> bool:
    return ("\u00a1" <= char <= "\u00bf" or char in "\u00d7\u00f7") and char not in _REAL


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _words(text: str) -> list[str]:
    """Runs without spaces, each wide (CJK) character a word of its own."""
    spaced = "".join(f" {c} " if _wide(c) else c for c in text) if any(map(_wide, text)) else text
    return spaced.split()


def _odd(word: str) -> bool:
    if any(_hard(c) for c in word):
        return True
    inner = word.strip(_EDGE)
    return any(_symbol(c) for c in inner)


def odd_share(text: str) -> tuple[float, int]:
    """The share of ``text``'s word characters that stand in odd words, and how many there are."""
    odd = total = 0
    for word in _words(text):
        total += len(word)
        odd += len(word) if _odd(word) else 0
    return (odd / total if total else 0.0), total


def garbled(lines: Iterable[Line]) -> bool:
    """Whether these lines (a page's text layer) are glyph codes, not text (see the module)."""
    share, chars = odd_share("\n".join(line.text for line in lines))
    return chars >= MIN_CHARS and share >= GARBLED_SHARE


def readable_lines(lines: Iterable[Line]) -> tuple[Line, ...]:
    """The lines of a garbled page that are text: those too short to judge or not odd enough."""
    return tuple(line for line in lines if odd_share(line.text)[0] < GARBLED_SHARE)
