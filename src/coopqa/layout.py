"""Pages -> cleaned blocks with heading paths.

What this stage removes: running headers and footers (lines repeated at the same place on
many pages) and page numbers. What it repairs: paragraphs and words broken across lines and
page breaks. What it recognises: headings (font size and weight, numbering ``I.``, ``(i)``,
``1.``; wrapped headings joined), the contents page and lists of figures and tables (dropped:
they are navigation, not content), tables (one block per row, cells labelled with their
column headers), and figure captions with their source lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .records import Block, Document, Line, Page

_NUMBERING = [
    (1, re.compile(r"^[IVXLC]+\.\s")),
    (2, re.compile(r"^\([ivxlc]+\)\s")),
    (3, re.compile(r"^\d+\.\s")),
]
_CAPTION = re.compile(r"^(Figure|Fig\.|Table|Chart|Exhibit|Box)\s+\d+[A-Za-z]?\b", re.I)
_SOURCE = re.compile(r"^(Sources?|Notes?)\s*:", re.I)
_NAV = re.compile(r"^((table of )?contents|list of (figures|tables|charts|illustrations))$", re.I)
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)
_END = re.compile(r"[.!?:;\"”’)\]]$")


def _level_by_numbering(text: str) -> int:
    for level, pattern in _NUMBERING:
        if pattern.match(text):
            return level
    return 0


def _signature(line: Line) -> str:
    return re.sub(r"\d+|\b[ivxlc]+\b", "#", line.text.lower()).strip()


def boilerplate(pages: tuple[Page, ...]) -> set[tuple[int, int]]:
    """Positions ``(page index, line index)`` of running headers, footers and page numbers.

    A line counts as a running header or footer when it sits in the top or bottom tenth of
    the page and the same text (digits and roman numerals ignored) stands at the same height
    on at least three pages and on at least a third of the pages that have text.
    """
    seen: Counter = Counter()
    for page in pages:
        for line in page.lines:
            if _in_margin(line, page):
                seen[(round(line.y), _signature(line))] += 1
    with_text = sum(1 for p in pages if p.lines)
    threshold = max(3, with_text // 3)
    drop = set()
    for page in pages:
        for i, line in enumerate(page.lines):
            if not _in_margin(line, page):
                continue
            repeated = seen[(round(line.y), _signature(line))] >= threshold
            number = line.text.strip() == page.label or re.fullmatch(
                r"(page\s+)?(\d+|[ivxlc]+)(\s+of\s+\d+)?", line.text.strip(), re.I
            )
            if repeated or number:
                drop.add((page.index, i))
    return drop


def running_heads(pages: tuple[Page, ...]) -> tuple[str, ...]:
    """The distinct running header and footer texts (page numbers left out): the document's
    short title and publisher, words that describe the document rather than state a fact."""
    heads: list[str] = []
    for page_index, line_index in sorted(boilerplate(pages)):
        text = pages[page_index].lines[line_index].text.strip()
        if not re.fullmatch(r"(page\s+)?(\d+|[ivxlc]+)(\s+of\s+\d+)?", text, re.I) and text not in heads:
            heads.append(text)
    return tuple(heads)


def _in_margin(line: Line, page: Page) -> bool:
    return line.y > page.height * 0.9 or line.y < page.height * 0.1


def body_size(pages: tuple[Page, ...]) -> float:
    """The font size most of the text is set in (weighted by characters)."""
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


@dataclass
class _State:
    """Mutable state of one pass over a document (kept private to this module)."""

    body: float
    level_of_size: dict[float, int]
    stack: list[tuple[int, str]] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    nav: bool = False
    open_para: dict | None = None  # the paragraph a page break may continue

    def section(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)


def _heading_levels(pages: tuple[Page, ...], body: float) -> dict[float, int]:
    """Map heading font sizes to levels, learned from numbered headings where there are any."""
    votes: dict[float, Counter] = {}
    sizes = set()
    for page in pages:
        for line in page.lines:
            if _is_heading_line(line, body):
                size = round(line.size * 2) / 2
                sizes.add(size)
                level = _level_by_numbering(line.text)
                if level:
                    votes.setdefault(size, Counter())[level] += 1
    mapping = {size: counter.most_common(1)[0][0] for size, counter in votes.items()}
    for rank, size in enumerate(sorted(sizes, reverse=True), start=1):
        if size not in mapping:
            known = [s for s in mapping if s <= size]
            if mapping and size > max(mapping):
                mapping[size] = min(mapping.values())
            elif known:
                mapping[size] = mapping[max(known)]
            else:
                mapping[size] = min(rank, 3)
    return mapping


def _is_heading_line(line: Line, body: float) -> bool:
    if _CAPTION.match(line.text) or len(line.text) > 200:
        return False
    return line.size >= body + 0.75 or (line.bold and line.size >= body - 0.01)


def _join(left: str, right: str) -> str:
    """Join two pieces of a paragraph, rejoining a word broken at the end of ``left``."""
    if not left:
        return right
    if left.endswith("-") and right[:1].isalpha() and right[:1].islower():
        return left + right  # "multi-" + "dimensional" -> "multi-dimensional"
    return f"{left} {right}"


def _emit(state: _State, kind: str, text: str, page: int) -> dict:
    block = {"kind": kind, "text": text, "section": state.section(), "page_starts": [(0, page)]}
    state.blocks.append(block)
    return block


def _add_heading(state: _State, text: str, level: int, page: int) -> None:
    if _NAV.match(text):
        state.nav = True
        state.stack = [(level, text)]
        state.open_para = None
        return
    state.nav = False
    while state.stack and state.stack[-1][0] >= level:
        state.stack.pop()
    state.stack.append((level, text))
    _emit(state, "heading", text, page)
    state.open_para = None


def _table_rows(lines: list[Line]) -> list[list[str]]:
    """Cells of a table region: columns from the header's x positions, rows from the first column."""
    columns = sorted({round(line.x, 1) for line in lines if abs(line.y - lines[0].y) < 1.0})
    if len(columns) < 2:
        return []
    first = columns[0]
    starts = [line.y for line in lines if abs(line.x - first) < 1.0]
    rows: list[list[list[str]]] = [[[] for _ in columns] for _ in starts]
    for line in lines:
        row = max(i for i, y in enumerate(starts) if y >= line.y - 1.0) if line.y <= starts[0] + 1 else 0
        col = max(i for i, x in enumerate(columns) if x <= line.x + 1.0) if line.x >= first - 1 else 0
        rows[row][col].append(line.text)
    return [[" ".join(cell) for cell in row] for row in rows]


def _page_pass(state: _State, page: Page, drop: set[tuple[int, int]], gap_limit: float) -> None:
    lines = [line for i, line in enumerate(page.lines) if (page.index, i) not in drop]
    named = bool(page.label) and not page.label.isdigit() and not _ROMAN.match(page.label)
    if named:  # a cover or back cover: its own section, never the previous one's
        state.stack = [(0, page.label)]
        state.nav = False
        state.open_para = None
    i = 0
    previous: Line | None = None
    paragraph: dict | None = None
    first_body = True
    while i < len(lines):
        line = lines[i]
        if _CAPTION.match(line.text) and (line.bold or line.size < state.body):
            caption = [line.text]
            j = i + 1
            while (
                j < len(lines)
                and lines[j].size == line.size
                and lines[j].bold == line.bold
                and abs(lines[j].y - lines[j - 1].y) < 2 * line.size
                and not _CAPTION.match(lines[j].text)
            ):
                caption.append(lines[j].text)
                j += 1
            title = " ".join(caption)
            region = []
            while (
                j < len(lines)
                and lines[j].size < state.body - 0.01
                and not _SOURCE.match(lines[j].text)
                and not _CAPTION.match(lines[j].text)
            ):
                region.append(lines[j])
                j += 1
            source = ""
            if j < len(lines) and _SOURCE.match(lines[j].text):
                source = lines[j].text
                j += 1
            if not state.nav:
                rows = _table_rows(region) if title.lower().startswith("table") and region else []
                if rows:
                    header, body_rows = rows[0], rows[1:]
                    _emit(state, "caption", title, page.index)
                    for row in body_rows:
                        cells = [f"{h}: {c}" for h, c in zip(header, row) if c.strip()]
                        row_block = _emit(state, "table_row", "; ".join(cells), page.index)
                        row_block["caption"] = title
                        row_block["columns"] = tuple(header)
                    if source:
                        _emit(state, "source", source, page.index)["caption"] = title
                else:
                    extra = " ".join(line.text for line in region)
                    text = "\n".join(t for t in (title, extra, source) if t)
                    _emit(state, "figure", text, page.index)["caption"] = title
            i = j
            previous = None
            paragraph = None
            continue
        if _is_heading_line(line, state.body):
            text = line.text
            j = i + 1
            while (
                j < len(lines)
                and lines[j].size == line.size
                and lines[j].bold == line.bold
                and abs(lines[j].y - lines[j - 1].y) < 2 * line.size
                and not _level_by_numbering(lines[j].text)
                and not _NAV.match(lines[j].text)
            ):
                text = f"{text} {lines[j].text}"
                j += 1
            level = _level_by_numbering(text) or state.level_of_size.get(round(line.size * 2) / 2, 1)
            if named:
                level = max(level, 1)
            _add_heading(state, text, level, page.index)
            i = j
            previous = None
            paragraph = None
            first_body = False
            continue
        if state.nav:
            i += 1
            continue
        # body text
        new_para = previous is None or (previous.y - line.y) > gap_limit
        if first_body and state.open_para is not None and _continues(state.open_para["text"], line.text):
            paragraph = state.open_para
            paragraph["page_starts"].append((len(paragraph["text"]) + 1, page.index))
            if paragraph["text"].endswith("-") and line.text[:1].islower():
                paragraph["page_starts"][-1] = (len(paragraph["text"]), page.index)
            paragraph["text"] = _join(paragraph["text"], line.text)
        elif new_para or paragraph is None:
            paragraph = _emit(state, "paragraph", line.text, page.index)
        else:
            paragraph["text"] = _join(paragraph["text"], line.text)
        first_body = False
        state.open_para = paragraph
        previous = line
        i += 1
    if named:
        state.stack = []
        state.open_para = None


def _continues(text: str, next_line: str) -> bool:
    """Whether a paragraph that ends a page goes on with the first line of the next page."""
    return text.endswith("-") or not _END.search(text) or next_line[:1].islower()


def _line_gap(pages: tuple[Page, ...], body: float) -> float:
    gaps: Counter = Counter()
    for page in pages:
        body_lines = [line for line in page.lines if abs(line.size - body) < 0.3]
        for a, b in zip(body_lines, body_lines[1:]):
            gap = round(a.y - b.y, 1)
            if 0 < gap < 4 * body:
                gaps[gap] += 1
    leading = gaps.most_common(1)[0][0] if gaps else body * 1.25
    return leading * 1.3


def to_blocks(document: Document) -> tuple[Block, ...]:
    """Clean a document's pages into blocks, each with its heading path and pages."""
    pages = document.pages
    body = body_size(pages)
    state = _State(body=body, level_of_size=_heading_levels(pages, body))
    drop = boilerplate(pages) if document.kind == "pdf" else set()
    gap_limit = _line_gap(pages, body)
    for page in pages:
        _page_pass(state, page, drop, gap_limit)
    blocks = []
    for raw in state.blocks:
        text = raw["text"].strip()
        if not text:
            continue
        blocks.append(
            Block(
                kind=raw["kind"],
                text=text,
                section=raw["section"],
                page_starts=tuple(raw["page_starts"]),
                caption=raw.get("caption", ""),
                columns=raw.get("columns", ()),
            )
        )
    return tuple(blocks)
