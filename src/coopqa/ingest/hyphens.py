"""Words a line break hyphenated, rejoined where the document itself writes them whole.

A typesetter breaks a word at a line's end with a hyphen ("signal han-" / "dlers"); the page pass
joins the two lines keeping the hyphen ("han-dlers"), as it must for a compound broken at its own
hyphen ("multi-" / "dimensional"). Which one a joined "x-y" is, the document says: a word it
prints whole inside a line ("handlers") is one word, a compound it prints inside a line
("multi-dimensional") is a compound. :func:`rejoin` drops the hyphen only in the first case.

Invariants: only a hyphen between two runs of letters, the second in lower case, is ever dropped;
a word the document never prints inside a line keeps its hyphen; ``page_starts`` offsets move
with the text so that each still points at the same character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core.records import Page

_INNER = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")  # a word as a line prints it, inner hyphens kept
_BROKEN = re.compile(r"(?<![A-Za-z-])([A-Za-z]+)-([a-z]+)(?![A-Za-z-])")


def line_words(pages: Iterable[Page]) -> frozenset[str]:
    """Every word the pages print inside a line, lower case, inner hyphens kept; a line's last
    word before a closing hyphen ("han-") is a piece, not a word, and is left out."""
    words = set()
    for page in pages:
        for line in page.lines:
            text = line.text.rstrip()
            found = _INNER.findall(text)
            if found and text.endswith("-"):
                found.pop()
            words.update(word.lower() for word in found)
    return frozenset(words)


def rejoin(
    text: str, page_starts: tuple[tuple[int, int], ...], words: frozenset[str]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with the hyphen of each "x-y" dropped where ``words`` has "xy" (or it with an
    "s" more or less) and not "x-y"; the ``page_starts`` offsets after it moved back one."""
    dropped: list[int] = []

    def mend(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        whole = (left + right).lower()
        if f"{left}-{right}".lower() in words or not _known(whole, words):
            return match.group(0)
        dropped.append(match.start(2) - 1)
        return left + right

    mended = _BROKEN.sub(mend, text)
    if not dropped:
        return text, page_starts
    starts = tuple((offset - sum(1 for at in dropped if at < offset), page) for offset, page in page_starts)
    return mended, starts


def _known(word: str, words: frozenset[str]) -> bool:
    return word in words or word + "s" in words or (word.endswith("s") and word[:-1] in words)
