"""Page furniture: running headers and footers and page numbers, found from the pages alone.

:func:`boilerplate` gives the positions of the furniture lines, which :mod:`coopqa.ingest.blocks`
leaves out; :func:`running_heads` the document's own running titles (words that describe the
document, not facts); :func:`outer_lines` the lines that may be furniture at all.

Invariants: a line is furniture only if it sits in the page's outer band (see :func:`outer_lines`)
and is a page number, or is no tab of its page's title (``TITLE_SIZE``) and repeats at the
same height (within ``Y_JITTER``, digits and roman numerals masked) on max(3, a third of the
pages with text), or on 3+ pages with a number that follows the page, saying an outline title,
or level with the page's number (a chapter's running head).
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..core.records import Line, OutlineEntry, Page
from .layout import body_size
from .outline import title_keys

PAGE_NUMBER = re.compile(r"[-–—]?\s*(page\s+)?(\d+|[ivxlc]+)(\s+of\s+\d+)?\s*[-–—]?", re.I)
Y_JITTER = 2.0  # points a running head may move between pages and still be the same
# a repeated line set this many times the body size or larger, level with another such line to
# its right, is a tab of the page's title, not a running head: "A1" ... "A10" and ":2017" beside
# each chapter's own title (a large wordmark or running title alone is still a running head)
TITLE_SIZE = 1.5


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


def _level_with_number(page: Page, line: Line) -> bool:
    """Another line of ``page`` at ``line``'s height is the page's printed number: a running head
    set apart from its page number ("120        CHAPTER 5. RECURSION AND INDUCTION")."""
    return any(
        other is not line and other.text.strip() == page.label and abs(other.y - line.y) <= Y_JITTER
        for other in page.lines
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


def _chapter(pages: tuple[Page, ...], group: list[tuple[int, int]], titles: frozenset) -> bool:
    """A group (on three pages or more) is a chapter's head when a number of it follows the page,
    it says an outline title, or each of its lines stands level with its page's number."""
    return (
        _follows_page(pages, group)
        or _says(pages, group, titles)
        or all(_level_with_number(pages[p], pages[p].lines[i]) for p, i in group)
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
        if not kind and distinct >= 3 and _chapter(pages, group, titles):
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
    """Outer lines too rare to repeat that open or end on their page's printed label, or stand
    level with it, at the height of running heads found on other pages: the head of a chapter
    or section one or two pages long, "Chapter 1: Introduction 3", "Chapter 2. Terms | Page 7",
    "5.2. PRIMITIVE DATA TYPES        121"."""
    heights = {round(pages[p].lines[i].y) for p, i in found}
    out = []
    for page in pages:
        for i in outer_lines(page):
            words = page.lines[i].text.split()
            at = round(page.lines[i].y)
            if (page.index, i) in found or len(words) < 2:
                continue
            if page.label not in (words[0], words[-1]) and not _level_with_number(page, page.lines[i]):
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
