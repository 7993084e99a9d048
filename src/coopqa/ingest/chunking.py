"""Blocks -> token-bounded chunks that never cross a section and never cut a sentence.

Paragraphs of one section are packed sentence by sentence up to ``max_tokens``; a sentence
longer than the limit is cut at word boundaries. When a section runs over several chunks, the
next chunk repeats the previous one's last sentence if it is short (context for pronouns).
Table rows and figure captions are chunks of their own, so a citation points at exactly the
row or figure. Every chunk knows its character
span in the cleaned document text (``document_text``), its printed and physical pages.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence

from ..core import tokens
from ..core.records import Block, Chunk
from ..core.text import sentence_spans

BLOCK_SEPARATOR = "\n\n"
_SOLO_KINDS = {"table_row", "figure", "source"}


def document_text(blocks: Sequence[Block]) -> tuple[str, list[int], list[tuple[int, int]]]:
    """The cleaned text of a document: blocks joined by blank lines.

    Returns:
        The text, each block's start offset, and ``(offset, physical page)`` page starts.
    """
    parts, offsets, page_starts = [], [], []
    position = 0
    for block in blocks:
        offsets.append(position)
        for offset, page in block.page_starts:
            if not page_starts or page_starts[-1][1] != page:
                page_starts.append((position + offset, page))
        parts.append(block.text)
        position += len(block.text) + len(BLOCK_SEPARATOR)
    return BLOCK_SEPARATOR.join(parts), offsets, page_starts


def pages_between(page_starts: list[tuple[int, int]], start: int, end: int) -> tuple[int, ...]:
    """Physical pages that the text span ``[start, end)`` was printed on."""
    keys = [offset for offset, _ in page_starts]
    first = max(bisect_right(keys, start) - 1, 0)
    last = max(bisect_right(keys, max(end - 1, start)) - 1, 0)
    pages = []
    for _, page in page_starts[first : last + 1]:
        if page not in pages:
            pages.append(page)
    return tuple(pages)


def _split_long(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at word boundaries into pieces of at most ``max_tokens``."""
    pieces = []
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    piece_start = words[0][0]
    last_end = words[0][0]
    for w_start, w_end in words:
        if tokens.count(text[piece_start:w_end]) > max_tokens and last_end > piece_start:
            pieces.append((piece_start, last_end))
            piece_start = w_start
        last_end = w_end
    pieces.append((piece_start, last_end))
    return pieces


def chunk_id(doc: str, start: int, text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", doc.lower()).strip("-")[:40] or "doc"
    digest = hashlib.sha1(f"{start}:{text}".encode()).hexdigest()[:10]
    return f"{slug}-{digest}"


_Span = tuple[int, int, Block, list[tuple[int, int]]]  # (start, end, block, sentence spans) of a chunk


def make_chunks(
    doc: str,
    blocks: Sequence[Block],
    labels: Sequence[str],
    max_tokens: int = 220,
    overlap_share: int = 4,
) -> tuple[str, tuple[Chunk, ...]]:
    """Chunk a document's blocks.

    Args:
        doc: the document name chunks are filed under.
        blocks: cleaned blocks, in reading order.
        labels: printed page label of every physical page.
        max_tokens: upper bound of a chunk in cl100k tokens.
        overlap_share: a chunk cut for length starts with the previous chunk's last sentence
            when that sentence is at most ``max_tokens // overlap_share`` tokens.

    Returns:
        The cleaned document text and its chunks, in reading order.
    """
    text, offsets, page_starts = document_text(blocks)
    spans = _Packer(text, max_tokens, overlap_share).pack(blocks, offsets)
    return text, tuple(_chunk(doc, text, span, labels, page_starts) for span in spans)


class _Packer:
    """Packs the sentences of one section's paragraphs into runs of at most ``max_tokens``."""

    def __init__(self, text: str, max_tokens: int, overlap_share: int) -> None:
        self.text = text
        self.max_tokens = max_tokens
        self.overlap_share = overlap_share
        self.spans: list[_Span] = []
        self.run: list[tuple[int, int]] = []
        self.block: Block | None = None

    def pack(self, blocks: Sequence[Block], offsets: Sequence[int]) -> list[_Span]:
        for block, offset in zip(blocks, offsets):
            if block.kind in ("heading", "caption"):
                self._close()
            elif block.kind in _SOLO_KINDS:  # a row or a figure (caption and source) is one sentence
                self._close()
                end = offset + len(block.text)
                self.spans.append((offset, end, block, [(offset, end)]))
            else:
                self._paragraph(block, offset)
        self._close()
        return self.spans

    def _close(self) -> None:
        if self.run and self.block is not None:
            self.spans.append((self.run[0][0], self.run[-1][1], self.block, list(self.run)))
        self.run = []

    def _paragraph(self, block: Block, offset: int) -> None:
        if self.block is not None and block.section != self.block.section:
            self._close()
        self.block = block
        for s_start, s_end in sentence_spans(block.text):
            a, b = offset + s_start, offset + s_end
            pieces = [(a, b)]
            if tokens.count(self.text[a:b]) > self.max_tokens:
                pieces = _split_long(self.text, a, b, self.max_tokens)
            for piece in pieces:
                self._add(piece, block)

    def _add(self, piece: tuple[int, int], block: Block) -> None:
        count = tokens.count
        if self.run and count(self.text[self.run[0][0] : piece[1]]) > self.max_tokens:
            last = self.run[-1]
            self._close()
            # carry the last sentence over when it is short, so a chunk that starts with
            # "It aims for ..." still says who "it" is
            if (
                count(self.text[last[0] : last[1]]) <= self.max_tokens // self.overlap_share
                and count(self.text[last[0] : piece[1]]) <= self.max_tokens
            ):
                self.run = [last]
            self.block = block
        self.run.append(piece)


def _chunk(doc: str, text: str, span: _Span, labels: Sequence[str], page_starts) -> Chunk:
    start, end, block, sentences = span
    body = text[start:end]
    physical = pages_between(page_starts, start, end)
    breaks = tuple(
        offset - start for offset, page in page_starts if start < offset < end and page in physical[1:]
    )
    return Chunk(
        id=chunk_id(doc, start, body),
        doc=doc,
        text=body,
        section=block.section,
        pages=tuple(labels[p] for p in physical),
        physical_pages=physical,
        start=start,
        end=end,
        tokens=tokens.count(body),
        kind="text" if block.kind == "paragraph" else block.kind,
        caption=block.caption,
        columns=block.columns,
        page_breaks=breaks,
        sentences=tuple((a - start, b - start) for a, b in sentences if b > a),
    )
