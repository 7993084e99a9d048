"""``Assistant``: the one facade the CLI, the UI and Python users go through.

It opens one index generation (checked against the configured model and settings), and answers
``search`` and ``ask`` over it. Every question goes through :meth:`Assistant.request`, the one
place a question is cleaned and cut to ``settings.retrieval.max_query_chars``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from ..answer.candidates import spells_out
from ..answer.extractive import Extractor
from ..answer.followups import plain_question, resolve_followup
from ..answer.records import Answer, AskRequest
from ..answer.tables import superlative
from ..core.profile import load_profile
from ..core.records import DocInfo, Passage, SearchMode, section_key, section_label
from ..core.settings import Settings
from ..core.text import clean_question
from ..index import ocr_store, store
from ..index.collection import IngestReport, ingest
from ..index.embedding import embed_while, load_embedder, side_by_side, weights_sha256
from ..ingest.ocr_layout import quote_confidence
from ..retrieval.search import Query, Retriever


class Assistant:
    """Questions over one index folder.

    Use :meth:`load` to open an index; :meth:`build` to ingest and then open.
    """

    def __init__(self, settings: Settings, data: store.IndexData, faiss_index, bm25) -> None:
        self.settings = settings
        self.data = data
        self._by_name = {d.name: d for d in data.documents}  # read on every ask: built once
        self.embedder = load_embedder(settings)
        profile = load_profile(settings.serve.profile)
        data_args = (data.chunks, data.sentence_vectors, data.documents)
        self.extractor = Extractor(*data_args, settings.answer, profile)
        self.retriever = Retriever(
            data.chunks,
            faiss_index,
            bm25,
            self.embedder.embed,
            settings.retrieval,
            data.sentence_vectors,
            partial(embed_while, self.embedder),
        )
        self._side_by_side = side_by_side(self.embedder)
        self._llm = None

    @classmethod
    def load(cls, index: str | Path | None = None, settings: Settings | None = None) -> Assistant:
        """Open an index folder, checking it against the configured model and settings.

        Raises:
            IndexMissingError, IndexStaleError, IndexDamagedError: with what to run.
            ModelError: the embedding model cannot be found or fails its checksum.
        """
        settings = (settings or Settings.from_env()).with_index(index)
        _, model_sha = weights_sha256(settings.model_path)
        data, faiss_index, bm25 = store.read_index(settings.index_dir, settings, model_sha)
        return cls(settings, data, faiss_index, bm25)

    @classmethod
    def build(
        cls,
        paths: Sequence[str | Path] | None = None,
        index: str | Path | None = None,
        settings: Settings | None = None,
        rebuild: bool = False,
        progress: bool = False,
    ) -> tuple[Assistant, IngestReport]:
        """Ingest ``paths`` (``None``: the bundled ``ingest/`` folder), then open the index."""
        settings = (settings or Settings.from_env()).with_index(index)
        report = ingest(
            None if paths is None else [Path(p) for p in paths], settings, rebuild=rebuild, progress=progress
        )
        return cls.load(settings=settings), report

    def request(self, question: str | AskRequest, history=None, **options) -> AskRequest:
        """An ``AskRequest`` with its question cleaned and cut (``options``: k, mode, doc, section)."""
        base = question if isinstance(question, AskRequest) else AskRequest(question, history or ())
        request = replace(base, **options) if options else base
        cut = clean_question(request.question, self.settings.retrieval.max_query_chars)
        k = self.settings.answer.passages if request.k is None else request.k
        return replace(request, question=cut, k=k)

    def search(
        self,
        question: str,
        k: int = 5,
        mode: SearchMode = "hybrid",
        doc: str | None = None,
        section: str | None = None,
    ) -> list[Passage]:
        """The ``k`` best passages for ``question``, best first: the one the answer would quote
        first leads (``settings.retrieval.answer_first``), and no two have the same text.

        Args:
            question: any text; an empty question finds nothing.
            k: how many passages.
            mode: ``hybrid`` (default, convex fusion), ``rrf``, ``dense`` or ``bm25``.
            doc: only passages of this document.
            section: only passages whose section path starts with this (``"II.(i)"`` or a title).
        """
        request = self.request(question, k=k, mode=mode, doc=doc, section=section)
        query = plain_question(request.question, lambda: self.extractor.names)
        if query.strip() and self.settings.retrieval.answer_first:  # the answer reads it: side by side
            self.retriever.prepare(query, self._reading(query, self.settings.answer.passages))
        return self._answer_first(query, request, self._search(query, request))

    def _reading(self, query: str, k: int) -> Callable[[], None]:
        """What is done while ``query`` is embedded: the extractor reads the question and, when
        the two run side by side (an ONNX model on more than one CPU, and a question not embedded
        already), the sentences of the ``2k`` chunks its words rank first, the passages the
        search will most likely return. Run in turn, reading those would only add to the wait."""

        def task() -> None:
            beside = self._side_by_side and not self.retriever.kept(query)
            self.extractor.prepare(query, self.retriever.likely(query, 2 * k) if beside else [])

        return task

    def _search(self, text: str, request: AskRequest) -> list[Passage]:
        query = Query(text, k=request.k, mode=request.mode, doc=request.doc, section=request.section)
        return self.retriever.search(query)

    def ask(self, question: str | AskRequest, history=None, **options) -> Answer:
        """Answer from the documents' own sentences, each cited; decline when they do not say.

        Args:
            question: any text (cut to ``settings.retrieval.max_query_chars``), or an ``AskRequest``.
            history: earlier turns of a chat (questions, (question, answer) pairs or
                ``{"role", "content"}`` messages); a short follow-up is resolved against them.
            options: ``k`` (passages the answer may draw on), ``mode``, ``doc``, ``section``,
                as for :meth:`search`.
        """
        extractive, passages = self._extractive(self.request(question, history, **options))
        if self.llm is None or not extractive.answered:
            return self._mark_ocr(extractive)
        from ..answer.llm import llm_answer

        return self._mark_ocr(llm_answer(self.llm, extractive.question, passages, extractive))

    def ask_stream(self, question: str | AskRequest, history=None, **options) -> Iterator[str | Answer]:
        """:meth:`ask`, streamed: in LLM mode the reply's text as it grows; the ``Answer`` always last."""
        extractive, passages = self._extractive(self.request(question, history, **options))
        if self.llm is None or not extractive.answered:
            yield self._mark_ocr(extractive)
            return
        from ..answer.llm import llm_stream

        for event in llm_stream(self.llm, extractive.question, passages, extractive):
            yield self._mark_ocr(event) if isinstance(event, Answer) else event

    def _mark_ocr(self, answer: Answer) -> Answer:
        """Which citations rest on pages read by OCR, and a note naming any quote read there
        with a confidence under ``settings.answer.ocr_min_confidence``."""
        docs = self._by_name
        marked, doubtful = [], []
        for n, passage in enumerate(answer.citations, start=1):
            info = docs.get(passage.doc)
            pages = [p for p in passage.physical_pages if info and p in info.ocr_pages]
            if not pages:
                continue
            marked.append(n)
            boxes = ocr_store.read_boxes(self.settings.index_dir, info.sha256)
            on_pages = [box for page in pages for box in boxes.get(page, ())]
            for quote in answer.quotes:
                if quote.citation == n and quote.end > quote.start:
                    text = passage.text[quote.start : quote.end]
                    confidence = quote_confidence(on_pages, text)
                    if confidence < self.settings.answer.ocr_min_confidence:
                        doubtful.append(f"[{n}] ({confidence:.2f})")
        if not marked:
            return answer
        note = answer.note
        if doubtful:
            warning = (
                f"Read by OCR with low confidence: {', '.join(dict.fromkeys(doubtful))}; "
                "check the quote against the page image."
            )
            note = f"{note} {warning}".strip()
        return replace(answer, ocr_citations=tuple(marked), note=note)

    def _extractive(self, request: AskRequest) -> tuple[Answer, list[Passage]]:
        """The default answer, made of verified quotes, and the passages it was chosen from."""
        question = request.question
        if not question:
            return self.extractor.decline("", "", []), []
        typed = plain_question(question, lambda: self.extractor.names)  # read only if it needs them
        query = resolve_followup(typed, request.history, self.extractor.lexicon)
        self.retriever.prepare(query, self._reading(query, request.k))
        passages = self._with_expansion(query, request, self._search(query, request))
        return self._answer_from(question, query, passages)

    def _with_expansion(self, query: str, request: AskRequest, passages: list[Passage]) -> list[Passage]:
        """For "What does OWASP stand for?" when no passage spells the acronym out: ``passages``
        and the best-ranked one that does among four times as many (the words an acronym stands
        for are often written once, where the acronym is not)."""
        info = self.extractor.analyze(query)
        if not info.expansions or any(spells_out(info, p.text) for p in passages):
            return passages
        deeper = self._search(query, replace(request, k=4 * request.k))
        found = next((p for p in deeper if spells_out(info, p.text)), None)
        return passages if found is None else [*passages, found]

    def _answer_from(self, question: str, query: str, passages: list[Passage]) -> tuple[Answer, list]:
        """The answer to ``query`` from ``passages`` (every row of a found table, for a list or a
        superlative over it), and the passages it was chosen from."""
        tabular = any(p.kind == "table_row" for p in passages)
        if tabular and (superlative(query) or self.extractor.analyze(query).shape == "list"):
            passages = self.retriever.with_table_rows(passages)  # "which countries ...": every row
        vectors = self.retriever
        answer = self.extractor.answer(question, query, passages, vectors.query_vector, vectors.query_vectors)
        return answer, passages

    def _answer_first(self, query: str, request: AskRequest, passages: list[Passage]) -> list[Passage]:
        """``passages`` with the one the answer would quote first moved ahead of the rest.

        The answer step is the finer ranker: it weighs each sentence, the kind of value asked
        for and the names, where the fusion sees whole passages. It reads the first
        ``settings.answer.passages`` (and a passage that spells out an acronym asked about),
        as :meth:`ask` does, so a search's first passage is the answer's first citation; a
        passage brought in so leads, and the last one goes. Unchanged when the answer declines,
        or when ``settings.retrieval.answer_first`` is off. The passage moved up takes the best
        score.
        """
        if not self.settings.retrieval.answer_first or not passages:
            return passages
        count = self.settings.answer.passages
        read = self._with_expansion(query, replace(request, k=count), passages[:count])
        if len(read) < 2:
            return passages
        answer, _ = self._answer_from(query, query, read)
        if not answer.answered or not answer.citations:
            return passages
        first = next((p for p in read if p.chunk_id == answer.citations[0].chunk_id), None)
        if first is None or first is passages[0]:  # a table row the answer brought in, or no change
            return passages
        rest = [p for p in passages if p.chunk_id != first.chunk_id]
        return [Passage(first.chunk, passages[0].score), *rest][: len(passages)]

    @property
    def llm(self):
        """The chat backend when ``COOPQA_LLM_URL`` is set, else None (the default, offline path)."""
        if not self.settings.llm.url:
            return None
        if self._llm is None:
            from ..answer.llm import OpenAICompatible

            llm = self.settings.llm
            self._llm = OpenAICompatible(llm.url, llm.model, llm.api_key, llm.timeout)
        return self._llm

    @property
    def documents(self) -> tuple[DocInfo, ...]:
        return self.data.documents

    def sections(self, doc: str | None = None) -> list[tuple[str, str]]:
        """``(label, filter key)`` of every section in reading order, outer sections first:
        ``("II.(i).2 Priorities: New energy ...", "II.(i).2")``; the key works as ``section=``."""
        seen: dict[str, str] = {}
        for chunk in self.data.chunks:
            if doc and chunk.doc != doc:
                continue
            for depth in range(1, len(chunk.section) + 1):
                part = chunk.section[:depth]
                seen.setdefault(section_key(part), section_label(part, width=70))
        return [(label, key) for key, label in seen.items()]

    def text(self, doc: str) -> str:
        """The cleaned text of a document (passage offsets point into it)."""
        return self.data.texts[doc]
