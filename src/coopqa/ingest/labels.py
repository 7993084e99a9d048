"""Printed page numbers read off the pages, for a PDF that carries no ``/PageLabels``.

Without ``/PageLabels`` pypdf numbers pages from the first sheet, so a report with an unnumbered
cover is cited one page off from the number printed in its footer. :func:`printed_labels` reads
the numbers the pages print in their outer band (a bare ``7``, ``- 7 -``, ``Page 7 of 30``, or
the number that opens or closes a short running line: ``Chapter 3: Utilities 6``) and, when the
pages agree on one shift from the physical number, labels every page by it.

Invariants: nothing changes unless max(3, half of the pages with text) print a number with the
same non-zero shift and at least ``AGREEMENT`` of the pages that print any number agree with it;
numbers that restart per chapter, two-up sheets and stray figures therefore leave the physical
numbers. A page before printed page 1 keeps the roman numeral it prints, else gets the roman
numeral of its place (front matter); labels stay unique.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..core.records import Page
from .furniture import PAGE_NUMBER, outer_lines

AGREEMENT = 0.8  # share of the numbering pages that must agree on the shift
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\b(?!\.\d)|(?<![.\d])\b(\d{1,4})$")
_SHORT = 10  # words at most in a running line whose first or last word may be the page number
_ROMAN_VALUES = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def printed_labels(pages: Sequence[Page]) -> tuple[str, ...] | None:
    """Labels from the numbers the pages print, or None when they do not agree on a shift from
    the physical numbers (or agree on none: the physical numbers are already right)."""
    shifts = [_shifts(page) for page in pages]
    numbering = [s for s in shifts if s]
    support = Counter(shift for s in numbering for shift in s)
    if not support:
        return None
    shift, count = support.most_common(1)[0]
    with_text = sum(1 for page in pages if page.lines)
    if shift == 0 or count < max(3, with_text / 2) or count < AGREEMENT * len(numbering):
        return None
    labels = [_label(page, shift) for page in pages]
    return tuple(labels) if len(set(labels)) == len(labels) else None


def _shifts(page: Page) -> set[int]:
    """Printed number minus physical number, for every number the page's outer band prints."""
    return {number - (page.index + 1) for number in _numbers(page)}


def _numbers(page: Page) -> set[int]:
    found = set()
    for i in outer_lines(page):
        text = page.lines[i].text.strip()
        bare = PAGE_NUMBER.fullmatch(text)
        if bare and bare.group(2).isdigit():
            found.add(int(bare.group(2)))
        elif len(text.split()) <= _SHORT and (edge := _EDGE_NUMBER.search(text)):
            found.add(int(edge.group(1) or edge.group(2)))
    return found


def _label(page: Page, shift: int) -> str:
    number = page.index + 1 + shift
    if number >= 1:
        return str(number)
    printed = [page.lines[i].text.strip().lower() for i in outer_lines(page)]
    own = [text for text in printed if re.fullmatch(r"[ivxlc]+", text)]
    return own[0] if own else roman(page.index + 1)


def roman(number: int) -> str:
    """``number`` (≥ 1) in lower-case roman numerals: 4 -> ``"iv"``."""
    out = []
    for value, letters in _ROMAN_VALUES:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)
