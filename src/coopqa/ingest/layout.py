"""What a document's pages say about its layout, before any block is made.

The body font size; which heading sizes are which level (learned from numbered headings, else
each size one level under the next larger one, :func:`heading_levels`); the usual gap between
lines of a paragraph; which lines are set like headings (:func:`is_heading_line`: larger or bold,
but not a row of values, a code line, a web address, an icon or a bulleted item set at body
size). Page furniture (running headers and footers, page numbers) is :mod:`coopqa.ingest.furniture`'s;
where an outline entry's heading stands is :mod:`coopqa.ingest.outline`'s.
:mod:`coopqa.ingest.blocks` uses these to clean the pages into blocks.
"""

from __future__ import annotations

import re
from collections import Counter

from ..core.records import Line, Page
from ..core.text import BULLETED

_NUMBERING = [
    (1, re.compile(r"^[IVXLC]+\.\s")),
    (2, re.compile(r"^\([ivxlc]+\)\s")),
    (3, re.compile(r"^\d+\.\s")),
    # decimal numbering under "1.": "2.1 Scope" one level down, "2.1.3 Limits" two (a capital after)
    (4, re.compile(r"^\d{1,3}\.\d{1,3}\.?\s+[A-Z]")),
    (5, re.compile(r"^\d{1,3}(?:\.\d{1,3}){2,3}\.?\s+[A-Z]")),
]
CAPTION = re.compile(r"^(Figure|Fig\.|Table|Chart|Exhibit|Box)\s+\d+[A-Za-z]?\b", re.I)
SOURCE = re.compile(r"^(Sources?|Notes?)\s*:", re.I)
NAV = re.compile(r"^((table of )?contents|list of (figures|tables|charts|illustrations))$", re.I)
ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)
LEADER = re.compile(r"(?:\.\s?){5,}")  # the dots from a contents entry to its page number


_CHAPTER = re.compile(r"^(\d{1,2})\s+[A-Z][a-z]")  # "2 Methods": a chapter, when :func:`chapters` says so
_MAJOR = re.compile(r"^(\d{1,3})[.\s]")  # the chapter a numbered heading is in: "2" of "2.1 Data"


def level_by_numbering(text: str, chapter_titles: frozenset[str] = frozenset()) -> int:
    """The level a heading's numbering gives ("II." 1, "(i)" 2, "1." 3, "2.1" 4, "2.1.3" 5; "2
    Methods" 3 when it is one of ``chapter_titles``), 0 for none."""
    for level, pattern in reversed(_NUMBERING):  # the deepest first: "2.1 " is no "2. "
        if pattern.match(text):
            return level
    return 3 if text in chapter_titles else 0


def chapters(pages: tuple[Page, ...], body: float) -> frozenset[str]:
    """The chapter titles numbered without a dot ("2 Methods") that the headings' own numbering
    vouches for: set at least as large as the decimal ones ("2.1 Data"), with the numbered heading
    before in chapter N-1 (or none) and the one after in chapter N or N+1. A date ("12 March
    2024"), a count ("5 Key Findings"), a step in body size ("2 Remove the filter") or "3 Things
    to Check" between "2.1" and "2.2" is no chapter."""
    heads = [line for page in pages for line in page.lines if is_heading_line(line, body)]
    decimal = [line.size for line in heads if level_by_numbering(line.text) >= 4]
    least = max(decimal, default=0.0) - 0.1
    numbered = [
        (int(m.group(1)), line)
        for line in heads
        if (level_by_numbering(line.text) or _CHAPTER.match(line.text)) and (m := _MAJOR.match(line.text))
    ]
    out = set()
    for i, (number, line) in enumerate(numbered):
        before = numbered[i - 1][0] if i > 0 else None
        after = numbered[i + 1][0] if i + 1 < len(numbered) else None
        if not _CHAPTER.match(line.text) or line.size < least or (before, after) == (None, None):
            continue
        if before in (None, number - 1) and after in (None, number, number + 1):
            out.add(line.text)
    return frozenset(out)


def body_size(pages: tuple[Page, ...]) -> float:
    """The font size most of the text is set in (weighted by characters)."""
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def heading_levels(
    pages: tuple[Page, ...], body: float, chapter_titles: frozenset[str] = frozenset()
) -> dict[float, int]:
    """Map heading font sizes to levels, learned from numbered headings where there are any.

    A size no numbered heading votes for: above every voted size, one level over the top voted
    level (the first, at most: an unnumbered "Introduction" over "1.1 Scope"); else the
    level of the next smaller voted size; else (no vote at or below it, as in a document with no
    numbering) one level under the next larger size (1 for the largest), not capped, so that it
    nests under every larger size that has no vote below it.
    """
    votes: dict[float, Counter] = {}
    sizes = set()
    for page in pages:
        for line in page.lines:
            if is_heading_line(line, body):
                size = round(line.size * 2) / 2
                sizes.add(size)
                level = level_by_numbering(line.text, chapter_titles)
                if level:
                    votes.setdefault(size, Counter())[level] += 1
    mapping = {size: counter.most_common(1)[0][0] for size, counter in votes.items()}
    larger = None
    for size in sorted(sizes, reverse=True):
        if size not in mapping:
            known = [s for s in mapping if s <= size]
            if mapping and size > max(mapping):  # a chapter title over numbered sections
                mapping[size] = max(1, min(mapping.values()) - 1)
            elif known:
                mapping[size] = mapping[max(known)]
            else:
                mapping[size] = 1 if larger is None else mapping[larger] + 1
        larger = size
    return mapping


# a label with a bare number, then the next label or the line's end: "Exploitability: 3 Prevalence: 2"
_LABELLED_NUMBER = re.compile(r"\b[A-Za-z][\w.]*\s?:\s*\d[\d.,%]*(?=\s+[A-Z]|\s*$)")
# code: a tag (or a line that opens one), a closing semicolon, braces, an assignment with quotes
# or brackets, a web address
_CODE = re.compile(r"</?[A-Za-z!?][^<>]*>|^\s*</?[A-Za-z!?]|;\s*$|[{}]|=.*[\"'(\[]|[\"'(\[].*=|://")


READABLE = re.compile(r"[^\W_]")  # a letter or digit: a line without one is an icon or a rule


def set_alike(a: Line, b: Line) -> bool:
    """Set in the same weight and type size, to a tenth of a point (one title's lines can differ
    by a hundredth: 27.96 and 27.98)."""
    return a.bold == b.bold and abs(a.size - b.size) < 0.1


def is_heading_line(line: Line, body: float) -> bool:
    """Set larger than the body, or bold; never a line with no letter or digit (an icon), a
    bulleted item not set larger than the body, a caption, a long line, a contents entry, a row
    of values (two or more labels with a bare number each: ``Exploitability: 3 Prevalence: 2``)
    or a line of code or a web address (a tag, a closing ``;``, braces, ``=`` with quotes or
    brackets, ``://``)."""
    if CAPTION.match(line.text) or len(line.text) > 200 or LEADER.search(line.text):
        return False
    if not READABLE.search(line.text):
        return False  # an icon or a rule: no letter or digit to read
    if BULLETED.match(line.text) and line.size < body + 0.75:
        return False  # a list's item ("■ Key findings" set large is a heading)
    if len(_LABELLED_NUMBER.findall(line.text)) >= 2 or _CODE.search(line.text):
        return False
    return line.size >= body + 0.75 or (line.bold and line.size >= body - 0.01)


def line_gap(pages: tuple[Page, ...], body: float) -> float:
    gaps: Counter = Counter()
    for page in pages:
        body_lines = [line for line in page.lines if abs(line.size - body) < 0.3]
        for a, b in zip(body_lines, body_lines[1:]):
            gap = round(a.y - b.y, 1)
            if 0 < gap < 4 * body:
                gaps[gap] += 1
    leading = gaps.most_common(1)[0][0] if gaps else body * 1.25
    return leading * 1.3
