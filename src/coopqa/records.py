"""Small frozen records passed from one stage of the pipeline to the next.

document -> ``Page`` (lines with printed label) -> ``Block`` (cleaned, with heading path)
-> ``Chunk`` (token-bounded, stored in the index) -> ``Passage`` (a search result).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

_NUMBER = re.compile(r"^\s*((?:[IVXLC]+\.)|(?:\([ivxlc]+\))|(?:\d+(?:\.\d+)*\.?))\s+(.*)$")


@dataclass(frozen=True)
class Line:
    """One printed line of a page, with where and how it was set."""

    text: str
    x: float
    y: float
    size: float
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Page:
    """A physical page: its printed label (``"7"``, ``"iv"``) and its lines, top to bottom."""

    index: int
    label: str
    lines: tuple[Line, ...]
    height: float = 842.0
    has_images: bool = False


@dataclass(frozen=True)
class Document:
    """A source file read into pages."""

    name: str
    path: str
    sha256: str
    pages: tuple[Page, ...]
    kind: str = "pdf"


@dataclass(frozen=True)
class Block:
    """A cleaned unit of text: a heading, a paragraph, a table row or a figure caption.

    Attributes:
        page_starts: ``(offset, physical page)`` pairs: the block's text from ``offset`` on
            was printed on that page. A paragraph broken across a page break has two.
    """

    kind: str
    text: str
    section: tuple[str, ...]
    page_starts: tuple[tuple[int, int], ...]
    caption: str = ""
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A token-bounded piece of one section of one document, as stored in the index."""

    id: str
    doc: str
    text: str
    section: tuple[str, ...]
    pages: tuple[str, ...]
    physical_pages: tuple[int, ...]
    start: int
    end: int
    tokens: int
    kind: str = "text"
    caption: str = ""
    sentences: tuple[tuple[int, int], ...] = ()
    columns: tuple[str, ...] = ()
    page_breaks: tuple[int, ...] = ()  # offsets in text where pages[1], pages[2], ... begin

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Chunk:
        return cls(
            id=data["id"],
            doc=data["doc"],
            text=data["text"],
            section=tuple(data["section"]),
            pages=tuple(data["pages"]),
            physical_pages=tuple(data["physical_pages"]),
            start=int(data["start"]),
            end=int(data["end"]),
            tokens=int(data["tokens"]),
            kind=data.get("kind", "text"),
            caption=data.get("caption", ""),
            sentences=tuple((int(a), int(b)) for a, b in data.get("sentences", ())),
            columns=tuple(data.get("columns", ())),
            page_breaks=tuple(int(b) for b in data.get("page_breaks", ())),
        )


def section_number(heading: str) -> str:
    """The numbering of a heading as printed: ``"(i) Strong ..."`` -> ``"(i)"``; else ``""``."""
    match = _NUMBER.match(heading)
    return match.group(1).rstrip(".") if match else ""


def section_label(section: tuple[str, ...], width: int = 60) -> str:
    """Compact path of a section: ``II.(i).2 Priorities: New energy, EVs, ...``.

    The numbers of all levels are joined with dots; the innermost heading's title follows,
    cut at ``width`` characters with an ellipsis.
    """
    if not section:
        return ""
    numbers = [section_number(h) for h in section]
    leaf = section[-1]
    match = _NUMBER.match(leaf)
    title = match.group(2) if match else leaf
    if len(title) > width:
        title = title[:width].rsplit(" ", 1)[0] + " ..."
    numbers = [n for n in numbers if n]
    if len(numbers) == 1:
        numbers = [_NUMBER.match(section[-1] if section_number(section[-1]) else section[0]).group(1)]
    path = ".".join(numbers)
    return f"{path} {title}" if path else title


def page_label(pages: tuple[str, ...]) -> str:
    """``p. 7`` for one page, ``pp. 1–2`` for a run of pages, ``pp. 7, 11`` for pages apart."""
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    numeric = all(p.isdigit() for p in pages)
    if not numeric or all(int(b) - int(a) == 1 for a, b in zip(pages, pages[1:])):
        return f"pp. {pages[0]}–{pages[-1]}"
    return "pp. " + ", ".join(pages)


@dataclass(frozen=True)
class Passage:
    """A search result: a chunk's text with where it stands and how well it matched."""

    text: str
    doc: str
    pages: tuple[str, ...]
    section: tuple[str, ...]
    score: float
    chunk_id: str
    physical_pages: tuple[int, ...] = field(default=())
    start: int = 0
    end: int = 0
    kind: str = "text"
    caption: str = ""
    columns: tuple[str, ...] = ()
    page_breaks: tuple[int, ...] = ()

    def pages_of(self, start: int, end: int) -> tuple[str, ...]:
        """Printed pages of the span ``text[start:end]`` (a sentence may sit on one page only)."""
        first = sum(1 for b in self.page_breaks if b <= start)
        last = sum(1 for b in self.page_breaks if b < end)
        return self.pages[first : last + 1] or self.pages

    def cite(self) -> str:
        """Where the passage stands, as a reader would look it up: ``II.(i).2 Priorities ... — p. 7``."""
        where = section_label(self.section)
        if self.caption:
            number = ".".join(n for n in map(section_number, self.section) if n)
            where = f"{self.caption} — {number}" if number else self.caption
        pages = page_label(self.pages)
        if not where:
            return pages
        return f"{where}, {pages}" if self.caption else f"{where} — {pages}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["cite"] = self.cite()
        return data

    @classmethod
    def from_chunk(cls, chunk: Chunk, score: float) -> Passage:
        return cls(
            text=chunk.text,
            doc=chunk.doc,
            pages=chunk.pages,
            section=chunk.section,
            score=float(score),
            chunk_id=chunk.id,
            physical_pages=chunk.physical_pages,
            start=chunk.start,
            end=chunk.end,
            kind=chunk.kind,
            caption=chunk.caption,
            columns=chunk.columns,
            page_breaks=chunk.page_breaks,
        )
