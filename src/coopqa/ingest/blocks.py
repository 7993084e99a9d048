"""Pages -> cleaned blocks with heading paths.

What this stage removes: running headers and footers and page numbers (found by
:mod:`coopqa.ingest.layout`). What it repairs: paragraphs and words broken across lines and
page breaks. What it recognises: headings, the contents page and lists of figures and tables
(dropped: they are navigation, not content), tables (one block per row, cells labelled with
their column headers), and figure captions with their source lines.

Headings come from the PDF's outline when it has a usable one: each entry's title, exactly as
the outline spells it, at the line that prints it (those lines are not repeated as text; a
run-in heading's own paragraph keeps the rest of its line), and the section path is the chain
of outline titles. Otherwise headings are found by font size and weight and numbering ``I.``,
``(i)``, ``1.`` (wrapped headings joined); a line set like a heading is text when it is a cell
of a table's row (:mod:`.rows`) or part of a bold table or list (:mod:`.stacks`). In a deck
(:mod:`.slides`) each page's first heading is a top-level section. Text and Markdown files have
no outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..core.records import Block, Document, Line, OutlineEntry, Page
from ..core.text import BULLETED
from .furniture import boilerplate
from .hyphens import line_words, rejoin
from .layout import (
    CAPTION,
    NAV,
    ROMAN,
    SOURCE,
    body_size,
    chapters,
    heading_levels,
    is_heading_line,
    level_by_numbering,
    line_gap,
    set_alike,
)
from .outline import HeadingPlace, outline_places
from .pagebreak import continues, left_edges
from .rows import captioned_cells, level_cells, table_rows
from .slides import is_deck, title_ahead
from .stacks import glued, is_tab, stacked, title_text


@dataclass
class _State:
    """Mutable state of one pass over a document (kept private to this module)."""

    body: float
    level_of_size: dict[float, int]
    stack: list[tuple[int, str]] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    nav: bool = False
    open_para: dict | None = None  # the paragraph a page break may continue
    open_indent: float = 0.0  # how far in from its pages' left edge its last line stood
    edges: dict[int, float] = field(default_factory=dict)  # left edge of the text, by page parity
    deck: bool = False  # slides without a usable outline: each page's first heading is top-level
    chapters: frozenset[str] = frozenset()  # chapters numbered without a dot (:func:`~.layout.chapters`)

    def section(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)


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
    if NAV.match(text):
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


def _outlined_lines(
    page: Page, drop: set[tuple[int, int]], places: list[HeadingPlace]
) -> tuple[list[Line], dict[int, list[OutlineEntry]]]:
    """The page's lines without furniture and without the lines that print outline headings (a
    run-in heading's line keeps its rest), and the entries to open before each kept line."""
    before: dict[int, list[OutlineEntry]] = {}
    printed: set[int] = set()
    rests: dict[int, str] = {}
    for place in places:
        before.setdefault(place.line, []).append(place.entry)
        printed.update(place.printed)
        if place.rest:
            rests[place.printed[-1]] = place.rest
    lines: list[Line] = []
    marks: dict[int, list[OutlineEntry]] = {}
    for i, line in enumerate(page.lines):
        marks.setdefault(len(lines), []).extend(before.pop(i, []))
        if (page.index, i) in drop or (i in printed and i not in rests):
            continue
        lines.append(replace(line, text=rests[i]) if i in rests else line)
    marks.setdefault(len(lines), []).extend(entry for i in sorted(before) for entry in before[i])
    return lines, {k: v for k, v in marks.items() if v}


def _run_while(lines: list[Line], j: int, keep) -> int:
    """The first index from ``j`` on whose line ``keep(j)`` rejects."""
    while j < len(lines) and keep(j):
        j += 1
    return j


class _PagePass:
    """One page's lines -> blocks, in order: captions with their tables or figures, headings
    (wrapped lines joined), and body lines joined into paragraphs (across the page break too)."""

    def __init__(
        self,
        state: _State,
        page: Page,
        drop: set[tuple[int, int]],
        gap_limit: float,
        places: list[HeadingPlace] | None = None,
    ) -> None:
        self.state = state
        self.page = page
        self.outlined = places is not None  # headings from the outline, not from type
        self.marks: dict[int, list[OutlineEntry]] = {}
        self.titled = False  # a slide's first heading was read (the title, :func:`.slides.title_ahead`)
        if places is None:
            self.lines = [line for i, line in enumerate(page.lines) if (page.index, i) not in drop]
            if state.deck:
                self.lines = title_ahead(self.lines, state.body)
        else:
            self.lines, self.marks = _outlined_lines(page, drop, places)
        self.rows = table_rows(self.lines)
        self.level = level_cells(self.lines)
        self.stacked = set() if self.outlined else stacked(self.lines, state.body)
        self.gap_limit = gap_limit
        self.edge = state.edges.get(page.index % 2, 0.0)
        self.named = bool(page.label) and not page.label.isdigit() and not ROMAN.match(page.label)
        self.previous: Line | None = None
        self.paragraph: dict | None = None
        self.first_body = True

    def run(self) -> None:
        outer = list(self.state.stack)
        if self.named:  # a cover or back cover: its own section, never the previous one's
            self.state.stack = [(0, self.page.label)]
            self.state.nav = False
            self.state.open_para = None
        i = 0
        while i < len(self.lines):
            self._open_outline(i)
            line = self.lines[i]
            heading_like = self._heads(i)
            if CAPTION.match(line.text) and (line.bold or line.size < self.state.body):
                i = self._caption(i)
            elif heading_like and not self.outlined:
                i = self._heading(i)
            elif heading_like and NAV.match(line.text):  # a contents page the outline leaves out
                self.state.nav, self.state.open_para = True, None
                i += 1
            else:
                if not self.state.nav:
                    self._body(line, i)
                i += 1
        self._open_outline(len(self.lines))
        if self.named:
            self.state.stack = outer if self.outlined else []
            self.state.open_para = None

    def _heads(self, i: int) -> bool:
        """Line ``i`` is set like a heading and is not a cell or a bold list (:mod:`.stacks`), nor,
        when only its size makes it one, a cell set larger than the prose (:func:`~.rows.level_cells`)."""
        line = self.lines[i]
        heading = is_heading_line(line, self.state.body)
        if heading and not line.bold and i in self.level:
            return False
        return heading and i not in self.stacked and not self._in_row(i)

    def _in_row(self, i: int) -> bool:
        """Line ``i`` is a cell of a table row of two cells or more (:mod:`.rows`): a bold header
        row ("Rank Survey Vulnerability Categories" | "Score") is the table's, not a heading."""
        return i in self.rows.cells or (i in self.rows.starts and i + 1 in self.rows.cells)

    def _open_outline(self, i: int) -> None:
        """Open the outline headings that stand before line ``i`` (and any passed over)."""
        for k in sorted(k for k in self.marks if k <= i):
            for entry in self.marks.pop(k):
                _add_heading(self.state, entry.title, entry.level, self.page.index)
                self.previous = self.paragraph = None
                self.first_body = False

    def _same_style(self, j: int) -> bool:
        """Line ``j`` is set like the line before it and close below it (a wrapped title)."""
        line, before = self.lines[j], self.lines[j - 1]
        return set_alike(line, before) and abs(line.y - before.y) < 2 * line.size

    def _caption(self, i: int) -> int:
        """A caption, the small-print region under it, and its source line; returns the next index."""
        lines = self.lines
        j = _run_while(lines, i + 1, lambda j: self._same_style(j) and not CAPTION.match(lines[j].text))
        title = " ".join(line.text for line in lines[i:j])
        k = _run_while(
            lines,
            j,
            lambda k: (
                lines[k].size < self.state.body - 0.01
                and not SOURCE.match(lines[k].text)
                and not CAPTION.match(lines[k].text)
            ),
        )
        region, source = lines[j:k], ""
        if k < len(lines) and SOURCE.match(lines[k].text):
            source = lines[k].text
            k += 1
        if not self.state.nav:
            self._table_or_figure(title, region, source)
        self.previous = self.paragraph = None
        return k

    def _table_or_figure(self, title: str, region: list[Line], source: str) -> None:
        state, page = self.state, self.page.index
        rows = captioned_cells(region) if title.lower().startswith("table") and region else []
        if not rows:
            extra = " ".join(line.text for line in region)
            text = "\n".join(t for t in (title, extra, source) if t)
            _emit(state, "figure", text, page)["caption"] = title
            return
        header, body_rows = rows[0], rows[1:]
        _emit(state, "caption", title, page)
        for row in body_rows:
            cells = [f"{h}: {c}" for h, c in zip(header, row) if c.strip()]
            row_block = _emit(state, "table_row", "; ".join(cells), page)
            row_block["caption"] = title
            row_block["columns"] = tuple(header)
        if source:
            _emit(state, "source", source, page)["caption"] = title

    def _heading(self, i: int, tab: str = "") -> int:
        """The title starting at line ``i`` (its wrapped and :func:`.stacks.glued` lines), opened as a
        heading; a :func:`.stacks.is_tab` ("A1:2017") goes before the heading set right after it."""
        lines = self.lines
        j = _run_while(
            lines,
            i + 1,
            lambda j: (
                (self._same_style(j) or (glued(lines[j - 1], lines[j]) and self._heads(j)))
                and not level_by_numbering(lines[j].text, self.state.chapters)
                and not NAV.match(lines[j].text)
                and not BULLETED.match(lines[j].text)
                and j not in self.stacked
            ),
        )
        text = f"{tab} {title_text(lines[i:j])}".strip()
        if not tab and j < len(lines) and is_tab(text, lines[j - 1], lines[j]) and self._heads(j):
            return self._heading(j, tab=text)
        numbered = level_by_numbering(text, self.state.chapters)
        level = numbered or self.state.level_of_size.get(round(lines[i].size * 2) / 2, 1)
        if self.state.deck and not numbered:  # a slide's title opens a top-level section
            level = max(level, 2) if self.titled else 1
        self.titled = True
        if self.named:
            level = max(level, 1)
        _add_heading(self.state, text, level, self.page.index)
        self.previous = self.paragraph = None
        self.first_body = False
        return j

    def _body(self, line: Line, i: int) -> None:
        """Line ``i`` into the open paragraph or a new one; a table row (:mod:`.rows`) is a
        paragraph of its own, its cells joined. On a slide, a line that stands above the one
        before it starts a paragraph, and no paragraph goes on from the slide before (a slide's
        text flows neither from column to column nor from slide to slide)."""
        state, page = self.state, self.page.index
        row_start = i in self.rows.starts
        new_para = (
            self.previous is None
            or (self.previous.y - line.y) > self.gap_limit
            or (state.deck and line.y > self.previous.y + 1)
            or row_start
            or i in self.rows.ends
        ) and i not in self.rows.cells
        if (
            self.first_body
            and not row_start
            and not state.deck  # a slide's text never runs on to the next slide
            and state.open_para is not None
            and continues(state.open_para, state.open_indent, line.text, line.x - self.edge)
        ):
            paragraph = self.paragraph = state.open_para
            paragraph["page_starts"].append((len(paragraph["text"]) + 1, page))
            if paragraph["text"].endswith("-") and line.text[:1].islower():
                paragraph["page_starts"][-1] = (len(paragraph["text"]), page)
            paragraph["text"] = _join(paragraph["text"], line.text)
        elif new_para or self.paragraph is None:
            self.paragraph = _emit(state, "paragraph", line.text, page)
        else:
            self.paragraph["text"] = _join(self.paragraph["text"], line.text)
        self.first_body = False
        if BULLETED.match(line.text):
            self.paragraph["item"] = True  # it holds a bulleted item (:mod:`.pagebreak`)
        state.open_para, state.open_indent = self.paragraph, line.x - self.edge
        self.previous = line


def to_blocks(document: Document) -> tuple[Block, ...]:
    """Clean a document's pages into blocks, each with its heading path and pages."""
    pages = document.pages
    body = body_size(pages)
    numbers = chapters(pages, body)
    state = _State(
        body, heading_levels(pages, body, numbers), edges=left_edges(pages, body), chapters=numbers
    )
    drop = boilerplate(pages, document.outline, body) if document.kind == "pdf" else set()
    places = outline_places(pages, document.outline, drop) if document.outline else None
    state.deck = places is None and is_deck(document)
    gap_limit = line_gap(pages, body)
    for page in pages:
        _PagePass(state, page, drop, gap_limit, None if places is None else places.get(page.index, [])).run()
    blocks, words = [], line_words(pages)  # the words it prints whole: "han-dlers" is "handlers"
    for raw in state.blocks:
        text, starts = rejoin(raw["text"].strip(), tuple(raw["page_starts"]), words)
        if text:
            extra = {"caption": raw.get("caption", ""), "columns": raw.get("columns", ())}
            blocks.append(
                Block(kind=raw["kind"], text=text, section=raw["section"], page_starts=starts, **extra)
            )
    return tuple(blocks)
