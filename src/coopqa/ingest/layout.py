"""What a document's pages say about its layout, before any block is made.

Page furniture: running headers and footers and page numbers (:func:`boilerplate`); the body
font size; which heading sizes are which level (learned from numbered headings, else each size
one level under the next larger one, :func:`heading_levels`); the usual gap between lines of a
paragraph; which lines are set like headings (:func:`is_heading_line`: larger or bold, but not a
row of values, a code line, a web address, an icon or a bulleted item set at body size). Where
an outline entry's heading stands is :mod:`coopqa.ingest.outline`'s. :mod:`coopqa.ingest.blocks`
uses these to clean the pages into blocks.

Invariants: a line is furniture only if it sits in the page's outer band (see :func:`outer_lines`)
and is a page number, or is no tab of its page's title (``TITLE_SIZE``) and repeats at the
same height (within ``Y_JITTER``, digits and roman numerals masked) on max(3, a third of the
pages with text), or on 3+ pages with a number that follows the page or saying an outline title
(a chapter's running head).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..core.records import Line, OutlineEntry, Page
from ..core.text import BULLETED
from .outline import title_keys

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
PAGE_NUMBER = re.compile(r"[-–—]?\s*(page\s+)?(\d+|[ivxlc]+)(\s+of\s+\d+)?\s*[-–—]?", re.I)
LEADER = re.compile(r"(?:\.\s?){5,}")  # the dots from a contents entry to its page number
Y_JITTER = 2.0  # points a running head may move between pages and still be the same
# a repeated line set this many times the body size or larger, level with another such line to
# its right, is a tab of the page's title, not a running head: "A1" ... "A10" and ":2017" beside
# each chapter's own title (a large wordmark or running title alone is still a running head)
TITLE_SIZE = 1.5


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


# --- running headers, footers and page numbers ------------------------------------------------


def _signature(line: Line) -> str:
    return re.sub(r"\d+|\b[ivxlc]+\b", "#", line.text.lower()).strip()


def _in_margin(line: Line, page: Page) -> bool:
    return line.y > page.height * 0.9 or line.y < page.height * 0.1


def _apart(page: Page, line: Line) -> bool:
    """``line`` stands more than a line's spacing from the nearest line inward, as a running head
    does (a body line at the top of the text block does not)."""
    top = line.y > page.height / 2
    inward = [other.y for other in page.lines if (other.y < line.y - 0.5 if top else other.y > line.y + 0.5)]
    return bool(inward) and abs(line.y - (max(inward) if top else min(inward))) >= 1.8 * line.size


def outer_lines(page: Page) -> list[int]:
    """Lines that may be furniture: in the top or bottom tenth, or on one of the two highest or
    two lowest baselines of the page when those lie in the outer fifth, set apart from the
    nearest line inward by more than a line's spacing (a page number under the text block)."""
    heights = sorted({round(line.y, 1) for line in page.lines})
    top_band = [y for y in reversed(heights) if y > page.height * 0.8][:2]
    edge = set(top_band + [y for y in heights if y < page.height * 0.2][:2])
    return [
        i
        for i, line in enumerate(page.lines)
        if _in_margin(line, page) or (round(line.y, 1) in edge and _apart(page, line))
    ]


def _groups(pages: tuple[Page, ...]) -> list[list[tuple[int, int]]]:
    """Outer lines grouped by signature and height (heights within ``Y_JITTER`` are one)."""
    by_signature: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    for page in pages:
        for i in outer_lines(page):
            by_signature[_signature(page.lines[i])].append((page.lines[i].y, page.index, i))
    groups = []
    for items in by_signature.values():
        items.sort()
        current = [items[0]]
        for item in items[1:]:
            if item[0] - current[0][0] > Y_JITTER:
                groups.append(current)
                current = []
            current.append(item)
        groups.append(current)
    return [[(page, i) for _, page, i in group] for group in groups]


def _follows_page(pages: tuple[Page, ...], group: list[tuple[int, int]]) -> bool:
    """Some number of the lines goes up with the page (one line a page, the same offset on all):
    the page number inside a chapter's running head, "Chapter 3: Utilities 6"."""
    numbers = [re.findall(r"\d+", pages[p].lines[i].text) for p, i in group]
    if len({p for p, _ in group}) != len(group) or len({len(n) for n in numbers}) != 1:
        return False
    return any(
        len({int(found[j]) - p for found, (p, _) in zip(numbers, group)}) == 1 for j in range(len(numbers[0]))
    )


def _beside_title(page: Page, line: Line, large: float) -> bool:
    """``line``, set ``large`` or larger, stands level with another large line to its right: a
    tab of the page's own title ("A1" and ":2017" beside "Injection"), not a running head."""
    return line.size >= large and any(
        other.size >= large
        and other.x > line.x + line.size
        and abs(other.y - line.y) <= 1.5 * line.size
        and _signature(other) != _signature(line)
        for other in page.lines
    )


def _says(pages: tuple[Page, ...], group: list[tuple[int, int]], titles: frozenset) -> bool:
    """Every line of the group says one of the outline's titles (with or without its number)."""
    return all(any(k[s:] in titles for k, s in title_keys(pages[p].lines[i].text)) for p, i in group)


def _furniture(
    pages: tuple[Page, ...], titles: frozenset = frozenset(), body: float | None = None
) -> dict[tuple[int, int], str]:
    """``(page index, line index)`` of each furniture line, with its kind: ``"running"`` (a
    document's running head), ``"chapter"`` (a chapter's: its number follows the page, or it
    says an outline title, ``titles`` in :func:`~coopqa.ingest.outline.title_keys` form) or
    ``"number"`` (a page number). ``body``: the document's :func:`body_size`, when known."""
    threshold = max(3, sum(1 for p in pages if p.lines) // 3)
    large = TITLE_SIZE * (body_size(pages) if body is None else body)
    found: dict[tuple[int, int], str] = {}
    for group in _groups(pages):
        if all(_beside_title(pages[p], pages[p].lines[i], large) for p, i in group):
            continue  # the tabs of the pages' titles
        distinct = len({p for p, _ in group})
        kind = "running" if distinct >= threshold else ""
        if not kind and distinct >= 3 and (_follows_page(pages, group) or _says(pages, group, titles)):
            kind = "chapter"
        found.update(dict.fromkeys(group, kind) if kind else {})
    found.update(dict.fromkeys(_numbered_heads(pages, found), "chapter"))
    for page in pages:
        for i in outer_lines(page):
            text = page.lines[i].text.strip()
            numeric = text == page.label or (
                _in_margin(page.lines[i], page)
                and PAGE_NUMBER.fullmatch(text) is not None
                and (any(c.isdigit() for c in text) or not page.label.isdigit())  # "x" is algebra
            )
            if numeric and (page.index, i) not in found:
                found[(page.index, i)] = "number"
    return found


def _numbered_heads(pages: tuple[Page, ...], found: dict[tuple[int, int], str]) -> list[tuple[int, int]]:
    """Outer lines too rare to repeat that open or end on their page's printed label and stand at
    the height of running heads found on other pages: the head of a chapter one or two pages
    long, "Chapter 1: Introduction 3", "Chapter 2. Terms | Page 7"."""
    heights = {round(pages[p].lines[i].y) for p, i in found}
    out = []
    for page in pages:
        for i in outer_lines(page):
            words = page.lines[i].text.split()
            at = round(page.lines[i].y)
            if (page.index, i) in found or len(words) < 2 or page.label not in (words[0], words[-1]):
                continue
            if any(abs(at - height) <= Y_JITTER for height in heights) and _apart(page, page.lines[i]):
                out.append((page.index, i))
    return out


def boilerplate(
    pages: tuple[Page, ...], outline: tuple[OutlineEntry, ...] = (), body: float | None = None
) -> set[tuple[int, int]]:
    """Positions ``(page index, line index)`` of running headers, footers and page numbers: lines
    of the outer band that repeat at the same height, digits and roman numerals masked, on at
    least three pages and a third of the pages with text (or on three pages or more with a number
    in them that follows the page, or saying an outline title), and page numbers (``body``: the
    document's :func:`body_size`, when the caller has it)."""
    titles = frozenset(key[skip:] for entry in outline for key, skip in title_keys(entry.title) if key[skip:])
    return set(_furniture(pages, titles, body))


def running_heads(pages: tuple[Page, ...]) -> tuple[str, ...]:
    """The distinct document-wide running header and footer texts, page numbers left out: the
    document's short title and publisher, words that describe the document rather than state a
    fact. A chapter's running head is left out: it names a chapter, not the document."""
    texts: dict[str, list[str]] = {}
    for (page, i), kind in sorted(_furniture(pages).items()):
        if kind == "running":
            line = pages[page].lines[i]
            texts.setdefault(_signature(line), []).append(line.text.strip())
    heads: list[str] = []
    for group in texts.values():
        text = "" if any(PAGE_NUMBER.fullmatch(t) for t in group) else _constant_words(group)
        if text and text not in heads:
            heads.append(text)
    return tuple(heads)


def _constant_words(texts: list[str]) -> str:
    """The words all ``texts`` share at the same place (the varying page number dropped)."""
    words = [text.split() for text in texts]
    if len({len(w) for w in words}) == 1:
        kept = [w for j, w in enumerate(words[0]) if all(other[j] == w for other in words)]
    else:
        kept = [w for w in words[0] if not PAGE_NUMBER.fullmatch(w)]
    text = " ".join(kept).strip(" |·•:,-–—")
    return re.sub(r"(?i)[\s|·•:,\-–—]*\bpage$", "", text).strip()


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
