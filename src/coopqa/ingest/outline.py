"""Headings from a PDF's outline (bookmarks): where each entry's heading stands on its page.

:func:`outline_places` maps each outline entry to the line(s) of its page that print its title
(compared on lower-cased letters and digits; the numbering may be printed or not; a title may
wrap over up to three lines or run into its paragraph). :mod:`coopqa.ingest.blocks` opens the
entries there, so a document with a usable outline (one :func:`outline_places` does not reject)
has its outline titles as section labels.

Invariant: an outline heading is matched only to a line not in ``drop`` (blocks passes the
furniture :func:`coopqa.ingest.furniture.boilerplate` finds), on the entry's own page, in outline
order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.records import OutlineEntry, Page
from ..core.text import normalized_with_offsets

# The numbering a heading may carry or omit: "4.2.", "II.", "E.1.", "(iv)", "Appendix A."
_LEADING = re.compile(
    r"^\s*(?:(?i:chapter|section|part|appendix|annex)\s+(?:\d+|[A-Z]|[IVXLC]+)(?:\.\d+)*[.:)]?"
    r"|\d+(?:\.\d+)*[.:)]?|(?:[IVXLC]+|[A-Z])(?:\.\d+)*[.)]|\((?:[ivxlc]+|\d+|[a-z])\))\s+"
)


@dataclass(frozen=True)
class HeadingPlace:
    """Where an outline entry's heading stands on its page: before ``page.lines[line]`` (at the
    end if ``line == len(page.lines)``), printed by the lines ``printed`` (none: not found), and
    ``rest`` what its last line says after the title ("1.1. Driving Factors. There are ...")."""

    entry: OutlineEntry
    line: int
    printed: tuple[int, ...] = ()
    rest: str = ""


@lru_cache(maxsize=4096)
def _normal(text: str) -> tuple[str, tuple[int, ...]]:
    key, where = normalized_with_offsets(text)
    return key, tuple(where)


@lru_cache(maxsize=4096)
def title_keys(text: str) -> tuple[tuple[str, int], ...]:
    """Letters and digits of ``text``, whole and without its leading numbering, each with the
    number of characters the numbering took."""
    key = _normal(text)[0]
    numbering = _LEADING.match(text)
    skip = len(_normal(numbering.group(0))[0]) if numbering else 0
    return ((key, 0),) + (((key, skip),) if 0 < skip < len(key) else ())


def _match(text: str, titles: tuple[tuple[str, int], ...]) -> tuple[int, str] | bool | None:
    """How ``text`` prints a title: ``(quality, rest)`` (4 the same, 3 the same but for the
    numbering, 2 the title then more words), True if the text is the title's first part, else None."""
    where = _normal(text)[1]
    partial = False
    for line_key, skip in title_keys(text):
        for title, title_skip in titles:
            title = title[title_skip:]
            body = line_key[skip:]
            if body == title:
                return (4 if skip == title_skip == 0 else 3), ""
            end = skip + len(title)
            if len(title) >= 4 and body.startswith(title) and not text[where[end - 1] + 1 :][:1].isalnum():
                return 2, text[where[end - 1] + 1 :].lstrip(" .:;,-–—?!)]”’\"'")
            partial = partial or (len(body) >= 2 and title.startswith(body))
    return partial or None


def _printed_at(page: Page, usable: list[int], pos: int, titles) -> tuple[int, int, str] | None:
    """``(quality, lines, rest)`` if the title is printed from usable line ``pos`` on (over up to
    three lines set one under the other), else None."""
    text = ""
    for span in range(1, min(3, len(usable) - pos) + 1):
        line = page.lines[usable[pos + span - 1]]
        if span > 1:
            above = page.lines[usable[pos + span - 2]]
            if not 0 < above.y - line.y < 2.5 * max(line.size, above.size):
                return None
        text = f"{text} {line.text}".strip()
        found = _match(text, titles)
        if found is None:
            return None
        if found is not True:
            return found[0], span, found[1]
    return None


def _place(page: Page, usable: list[int], start: int, entry: OutlineEntry) -> tuple[HeadingPlace, int]:
    """The entry's heading on its page, at or after usable line ``start``; and where the next
    entry's search starts. The best match is the closest to the destination's top among the lines
    just below it, then the closest printing; with no match, the line below the top."""
    titles = title_keys(entry.title)
    best = None
    for pos in range(start, len(usable)):
        found = _printed_at(page, usable, pos, titles)
        if found is None:
            continue
        y = page.lines[usable[pos]].y
        drop = entry.top - y if entry.top is not None else 0.0
        near = -page.lines[usable[pos]].size <= drop <= 72.0
        rank = (near, found[0], -abs(drop))
        if best is None or rank > best[0]:
            best = (rank, pos, found)
    if best is not None:
        _, pos, (_, span, rest) = best
        printed = tuple(usable[pos : pos + span])
        return HeadingPlace(entry, printed[0], printed, rest), pos + span
    pos = start
    if entry.top is not None:
        below = [k for k in range(start, len(usable)) if page.lines[usable[k]].y <= entry.top + 1.0]
        pos = min(below, key=lambda k: entry.top - page.lines[usable[k]].y, default=len(usable))
    line = usable[pos] if pos < len(usable) else len(page.lines)
    return HeadingPlace(entry, line), pos


def outline_places(
    pages: tuple[Page, ...], outline: tuple[OutlineEntry, ...], drop: set[tuple[int, int]]
) -> dict[int, list[HeadingPlace]] | None:
    """Each outline entry placed on its page, in outline order, at the line(s) printing its title
    (compared on lower-cased letters and digits; the numbering may be printed or not; a title may
    wrap or run into its paragraph). None when the outline is too poor to give the headings:
    fewer than two entries, or fewer than a third of them found printed on their page."""
    if len(outline) < 2:
        return None
    places: dict[int, list[HeadingPlace]] = {}
    starts: dict[int, int] = {}
    for entry in (e for e in outline if 0 <= e.page < len(pages)):
        page = pages[entry.page]
        usable = [i for i in range(len(page.lines)) if (entry.page, i) not in drop]
        place, starts[entry.page] = _place(page, usable, starts.get(entry.page, 0), entry)
        places.setdefault(entry.page, []).append(place)
    found = sum(1 for page_places in places.values() for place in page_places if place.printed)
    return places if 3 * found >= len(outline) else None
