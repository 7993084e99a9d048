"""Small frozen records passed from one stage of the pipeline to the next.

document -> ``Page`` (lines with printed label) -> ``Block`` (cleaned, with heading path)
-> ``Chunk`` (token-bounded, stored in the index) -> ``Passage`` (a chunk found by a search,
with its score). ``DocInfo`` is a document of the collection as the index's manifest lists it.

Section paths are tuples of headings, outermost first; ``section_key`` is the one way a path
becomes a short key (``"II.(i).2"``, or an unnumbered heading's own title).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Literal, get_args

BlockKind = Literal["heading", "paragraph", "caption", "table_row", "figure", "source"]
ChunkKind = Literal["text", "table_row", "figure", "source"]
SearchMode = Literal["hybrid", "rrf", "dense", "bm25"]
SEARCH_MODES: tuple[str, ...] = get_args(SearchMode)
_NUMBER = re.compile(r"^\s*((?:[IVXLC]+\.)|(?:\([ivxlc]+\))|(?:\d+(?:\.\d+)*\.?))\s+(.*)$")


@dataclass(frozen=True)
class Line:
    """One printed line of a page, with where and how it was set."""

    text: str
    x: float
    y: float
    size: float
    bold: bool = False


@dataclass(frozen=True)
class OcrBox:
    """A run of text the OCR engine read on a page: PDF points, origin bottom left, and the
    engine's confidence (0..1)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    confidence: float

    def to_json(self) -> list:
        return [self.text, self.left, self.bottom, self.right, self.top, self.confidence]

    @classmethod
    def from_json(cls, row: list) -> OcrBox:
        text, left, bottom, right, top, confidence = row
        return cls(str(text), float(left), float(bottom), float(right), float(top), float(confidence))


@dataclass(frozen=True)
class Page:
    """A physical page: its printed label (``"7"``, ``"iv"``) and its lines, top to bottom.

    Attributes:
        height, width: the page's size in points (a page wider than tall is a slide's).
        ocr: the lines were read by OCR (the page has no text layer); ``boxes`` are what the
            engine read, ``ocr_error`` why a page could not be read (it then has no lines).
    """

    index: int
    label: str
    lines: tuple[Line, ...]
    height: float = 842.0
    has_images: bool = False
    width: float = 595.0
    ocr: bool = False
    boxes: tuple[OcrBox, ...] = ()
    ocr_error: str = ""


@dataclass(frozen=True)
class OutlineEntry:
    """One entry of a PDF's outline (bookmarks), as the PDF spells its title.

    Attributes:
        level: 1 for a top-level entry, 2 for its children, and so on.
        page: the physical page index the entry points at.
        top: the destination's top coordinate in page space (``/XYZ``, ``/FitH``), or None.
    """

    title: str
    level: int
    page: int
    top: float | None = None


@dataclass(frozen=True)
class Document:
    """A source file read into pages; ``outline`` is the PDF's outline (empty if it has none)."""

    name: str
    path: str
    sha256: str
    pages: tuple[Page, ...]
    kind: str = "pdf"
    outline: tuple[OutlineEntry, ...] = ()


@dataclass(frozen=True)
class Block:
    """A cleaned unit of text: a heading, a paragraph, a table row or a figure caption.

    Attributes:
        page_starts: ``(offset, physical page)`` pairs: the block's text from ``offset`` on
            was printed on that page. A paragraph broken across a page break has two.
    """

    kind: BlockKind
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
    kind: ChunkKind = "text"
    caption: str = ""
    sentences: tuple[tuple[int, int], ...] = ()
    columns: tuple[str, ...] = ()
    page_breaks: tuple[int, ...] = ()  # offsets in text where pages[1], pages[2], ... begin

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Chunk:
        """The inverse of :meth:`to_json` (JSON lists back to tuples, absent fields to defaults)."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: _tuples(value) for key, value in data.items() if key in known})


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def unnumbered(heading: str) -> str:
    """A heading without its numbering: ``"3 Release history"`` -> ``"Release history"``; a year
    that opens it stays (``"2023 Results"``)."""
    match = _NUMBER.match(heading)
    return match.group(2) if match and not re.match(r"\d{4}", match.group(1)) else heading


def section_number(heading: str) -> str:
    """The numbering of a heading as printed: ``"(i) Strong ..."`` -> ``"(i)"``; else ``""``."""
    match = _NUMBER.match(heading)
    return match.group(1).rstrip(".") if match else ""


def _path_numbers(section: tuple[str, ...]) -> list[str]:
    """The numbers of a path's headings, a parent's left out where the child's repeats it
    (``"4."`` > ``"4.1."`` gives ``["4.1"]``, ``"II."`` > ``"(i)"`` gives ``["II", "(i)"]``)."""
    numbers: list[str] = []
    for number in filter(None, map(section_number, section)):
        if numbers and number.startswith(numbers[-1] + "."):
            numbers[-1] = number
        else:
            numbers.append(number)
    return numbers


def section_label(section: tuple[str, ...], width: int = 60) -> str:
    """Compact path of a section: ``II.(i).2 Priorities: New energy, EVs, ...``.

    The numbers of all levels are joined with dots; the innermost heading's title follows,
    cut at ``width`` characters with an ellipsis.
    """
    if not section:
        return ""
    leaf = section[-1]
    match = _NUMBER.match(leaf)
    title = match.group(2) if match else leaf
    if len(title) > width:
        title = title[:width].rsplit(" ", 1)[0] + " ..."
    numbers = _path_numbers(section)
    if len(numbers) == 1 and "." not in numbers[0]:
        numbered = [heading for heading in section if section_number(heading)]
        numbers = [_NUMBER.match(numbered[-1]).group(1)]
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


def section_key(section: tuple[str, ...]) -> str:
    """``("II. ...", "(i) ...", "2. ...")`` -> ``"II.(i).2"``; an unnumbered section -> its title."""
    numbers = _path_numbers(section)
    if numbers:
        return ".".join(numbers)
    return section[-1] if section else ""


def section_keys(section: tuple[str, ...]) -> set[str]:
    """Lower-cased keys of a section and of each of its parents: ``{"ii", "ii.(i)", "ii.(i).2"}``."""
    return {section_key(section[:depth]).lower() for depth in range(1, len(section) + 1)}


@dataclass(frozen=True)
class Passage:
    """A search result: a chunk and how well it matched. The chunk's fields read through."""

    chunk: Chunk
    score: float

    text = property(lambda self: self.chunk.text)
    doc = property(lambda self: self.chunk.doc)
    pages = property(lambda self: self.chunk.pages)
    section = property(lambda self: self.chunk.section)
    physical_pages = property(lambda self: self.chunk.physical_pages)
    start = property(lambda self: self.chunk.start)
    end = property(lambda self: self.chunk.end)
    kind = property(lambda self: self.chunk.kind)
    caption = property(lambda self: self.chunk.caption)
    columns = property(lambda self: self.chunk.columns)
    page_breaks = property(lambda self: self.chunk.page_breaks)
    chunk_id = property(lambda self: self.chunk.id)

    def pages_of(self, start: int, end: int) -> tuple[str, ...]:
        """Printed pages of the span ``text[start:end]`` (a sentence may sit on one page only)."""
        first = sum(1 for b in self.page_breaks if b <= start)
        last = sum(1 for b in self.page_breaks if b < end)
        return self.pages[first : last + 1] or self.pages

    def cite(self, pages: tuple[str, ...] | None = None) -> str:
        """Where the passage stands, as a reader would look it up: ``II.(i).2 Priorities ... — p. 7``.

        ``pages`` narrows the printed pages to those of the quoted sentences.
        """
        where = section_label(self.section)
        if self.caption:
            number = ".".join(_path_numbers(self.section))
            where = f"{self.caption} — {number}" if number else self.caption
        printed = page_label(self.pages if pages is None else pages)
        if not where:
            return printed
        return f"{where}, {printed}" if self.caption else f"{where} — {printed}"

    def to_json(self) -> dict:
        data = self.chunk.to_json()
        for name in ("id", "tokens", "sentences"):
            data.pop(name)
        return {**data, "score": self.score, "chunk_id": self.chunk.id, "cite": self.cite()}


@dataclass(frozen=True)
class DocInfo:
    """A document of the collection as the manifest records it.

    Attributes:
        running: its running header and footer texts (title, publisher): words that describe
            the document rather than state a fact.
        reader: the revision of the code that read it (``coopqa.ingest.revision``): a file read
            by another revision counts as changed, so an upgrade that reads PDFs differently
            reads it again on the next ingest.
    """

    name: str
    path: str
    sha256: str
    pages: int
    labels: tuple[str, ...]
    chunks: int
    added: str
    kind: str = "pdf"
    running: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()  # physical pages whose text was read by OCR
    reader: str = ""  # the revision of the code that read it ("": an index older than the field)
