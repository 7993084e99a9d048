"""The records of an answer: ``AskRequest`` in, ``Answer`` (with its ``Quote`` per sentence) out.

Invariants of an ``Answer``: every ``[n]`` marker in ``text`` names ``citations[n - 1]``; each
quote's ``start:end`` is a span of that passage's ``text``; ``answered`` is False exactly for a
decline, which has no citations, opens with ``DECLINED`` and names the closest sections in
``closest`` (or, for an empty question, is ``NO_QUESTION``). The CLI, the Python API and the chat
page all use these two sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from ..core.records import Passage, SearchMode, page_label

DECLINED = "The indexed documents do not say."  # how every decline opens
NO_QUESTION = "Type a question."  # the answer to an empty question


@dataclass(frozen=True)
class AskRequest:
    """One question as the CLI, the chat page and Python callers ask it.

    Attributes:
        question: any text; the assistant folds control characters and cuts it to
            ``settings.retrieval.max_query_chars``.
        history: earlier turns of a chat (questions, (question, answer) pairs or
            ``{"role", "content"}`` messages); a short follow-up is resolved against them.
        k: how many passages the answer may draw on (None: ``settings.answer.passages``).
        mode, doc, section: retrieval mode and filters, as for ``Assistant.search``.
    """

    question: str
    history: Sequence = ()
    k: int | None = None
    mode: SearchMode = "hybrid"
    doc: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class Quote:
    """One answer sentence: the citation it rests on and where it stands in that passage.

    Attributes:
        sentence: index of the answer sentence.
        citation: its marker ``[n]``; ``citations[n - 1]`` is the passage.
        start, end: character span of the quoted text in the passage's ``text``.
        text: the sentence as the answer shows it (a table row as ``Country: header cell``).
        supported: False for a generated sentence that no passage backs.
        kind: ``quote`` (verbatim), ``table_row`` (built from one row's cells) or ``generated``.
        pages: printed pages of the quoted span.
    """

    sentence: int
    citation: int
    start: int
    end: int
    text: str
    supported: bool = True
    kind: str = "quote"
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What ``Assistant.ask`` returns.

    Attributes:
        ocr_citations: the citations whose passage is on pages read by OCR (a recognition
            error is possible there); ``note`` says so when a quote's line was read with low
            confidence.
        scope: what a decline speaks for: ``"report"`` (one document indexed) or
            ``"documents"``; empty for an answer and for an empty question.
    """

    question: str
    text: str
    citations: tuple[Passage, ...]
    quotes: tuple[Quote, ...]
    answered: bool
    note: str = ""
    query: str = ""
    closest: tuple[str, ...] = field(default=())
    scope: str = ""
    ocr_citations: tuple[int, ...] = ()  # citations [n] whose passage was read from a scan by OCR

    def to_json(self) -> dict:
        data = asdict(self)
        data["citations"] = [p.to_json() for p in self.citations]
        return data

    def cited_pages(self, n: int) -> tuple[str, ...]:
        """Printed pages of the sentences quoted from citation ``[n]``, in the passage's order
        (the passage's pages when no quote names any)."""
        passage = self.citations[n - 1]
        pages: list[str] = []
        for quote in self.quotes:
            if quote.citation == n:
                pages.extend(p for p in quote.pages if p not in pages)
        order = {label: i for i, label in enumerate(passage.pages)}
        return tuple(sorted(pages, key=lambda p: order.get(p, 0))) or passage.pages

    def page_text(self, n: int) -> str:
        """``p. 7`` / ``pp. 1–2``: the pages of citation ``[n]`` as printed."""
        return page_label(self.cited_pages(n))

    def cite(self, n: int) -> str:
        """Citation ``[n]`` as printed: its section, and the pages of the sentences quoted from it."""
        return self.citations[n - 1].cite(self.cited_pages(n))

    def sources(self) -> str:
        """The citation list as printed under an answer: ``[1] section — p. 7``."""
        return "\n".join(f"[{n}] {self.cite(n)}" for n in range(1, len(self.citations) + 1))
