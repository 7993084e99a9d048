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

from . import tokens
from .records import Block, Chunk

BLOCK_SEPARATOR = "\n\n"
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "no",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "inc",
    "ltd",
    "co",
    "corp",
    "fig",
    "u.s",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "st",
    "approx",
    "al",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9])")
_SOLO_KINDS = {"table_row", "figure", "source"}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (abbreviations and decimals do not end one)."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip('"”’)')
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        word = last.rstrip(".!?").lower()
        if (
            word in _ABBREVIATIONS
            or re.fullmatch(r"[A-Za-z]", word)
            or re.fullmatch(r"[IVX]+", last.rstrip("."))
        ):
            continue
        end = match.start() + len(match.group(0).rstrip())
        spans.append((start, end if text[end - 1 : end].strip() else match.start()))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


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
    # (start, end, block, sentence spans) of each chunk, in order
    spans: list[tuple[int, int, Block, list[tuple[int, int]]]] = []
    run: list[tuple[int, int]] = []
    run_block: Block | None = None

    def close_run():
        nonlocal run
        if run and run_block is not None:
            spans.append((run[0][0], run[-1][1], run_block, list(run)))
        run = []

    for block, offset in zip(blocks, offsets):
        if block.kind == "heading" or block.kind == "caption":
            close_run()
            continue
        if block.kind in _SOLO_KINDS:  # a row or a figure (caption and source) is one sentence
            close_run()
            spans.append((offset, offset + len(block.text), block, [(offset, offset + len(block.text))]))
            continue
        if run_block is not None and block.section != run_block.section:
            close_run()
        run_block = block
        for s_start, s_end in sentence_spans(block.text):
            a, b = offset + s_start, offset + s_end
            pieces = [(a, b)]
            if tokens.count(text[a:b]) > max_tokens:
                pieces = _split_long(text, a, b, max_tokens)
            for p_start, p_end in pieces:
                if run and tokens.count(text[run[0][0] : p_end]) > max_tokens:
                    last = run[-1]
                    close_run()
                    # carry the last sentence over when it is short, so a chunk that starts
                    # with "It aims for ..." still says who "it" is
                    if (
                        tokens.count(text[last[0] : last[1]]) <= max_tokens // overlap_share
                        and tokens.count(text[last[0] : p_end]) <= max_tokens
                    ):
                        run = [last]
                    run_block = block
                run.append((p_start, p_end))
    close_run()

    chunks = []
    for start, end, block, sentences in spans:
        body = text[start:end]
        physical = pages_between(page_starts, start, end)
        breaks = tuple(
            offset - start for offset, page in page_starts if start < offset < end and page in physical[1:]
        )
        chunks.append(
            Chunk(
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
        )
    return text, tuple(chunks)
