"""``Assistant``: the one facade the CLI, the UI and Python users go through."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import answer as answering
from . import store
from .answer import Answer
from .embed import load_embedder, weights_sha256
from .ingest import IngestReport, ingest
from .qparse import analyze, resolve_followup
from .records import Passage, section_label, section_number
from .search import Query, Retriever
from .settings import Settings


class Assistant:
    """Questions over one index folder.

    Use :meth:`load` to open an index; :meth:`build` to ingest and then open.
    """

    def __init__(self, settings: Settings, data: store.IndexData, faiss_index, bm25) -> None:
        self.settings = settings
        self.data = data
        self.embedder = load_embedder(settings)
        self.retriever = Retriever(
            data.chunks,
            faiss_index,
            bm25,
            self.embedder.embed,
            rrf_k=settings.rrf_k,
            candidates=settings.candidates,
        )
        self._sentence_rows: dict[str, tuple[int, tuple]] = {}
        row = 0
        token_lists = []
        for chunk in data.chunks:
            self._sentence_rows[chunk.id] = (row, chunk.sentences)
            row += len(chunk.sentences)
            token_lists.extend(answering.bm25_tokens(chunk.text[a:b]) for a, b in chunk.sentences)
        self._idf = answering.idf_table(token_lists)
        self._generic = frozenset(
            word.lower()
            for doc in data.documents
            for head in doc.running
            for word in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", head)
            for word in (word, *word.split("-"))
        )

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

    def search(
        self,
        question: str,
        k: int = 5,
        mode: str = "hybrid",
        doc: str | None = None,
        section: str | None = None,
    ) -> list[Passage]:
        """The ``k`` best passages for ``question``, best first.

        Args:
            question: any text; an empty question finds nothing.
            k: how many passages.
            mode: ``hybrid`` (default, convex fusion), ``rrf``, ``dense`` or ``bm25``.
            doc: only passages of this document.
            section: only passages whose section path starts with this (``"II.(i)"`` or a title).
        """
        return self.retriever.search(Query(question, k=k, mode=mode, doc=doc, section=section))

    def ask(
        self,
        question: str,
        history=None,
        k: int = 6,
        mode: str = "hybrid",
        doc: str | None = None,
        section: str | None = None,
    ) -> Answer:
        """Answer from the report's own sentences, each cited; decline when it does not say.

        Args:
            question: any text; it is cut to the first 2,000 characters.
            history: earlier turns of a chat (questions, (question, answer) pairs or
                ``{"role", "content"}`` messages); a short follow-up is resolved against them.
            k: how many passages the answer may draw on.
            mode, doc, section: as for :meth:`search`.
        """
        extractive, passages = self._extractive(question, history, k, mode, doc, section)
        if self.llm is None or not extractive.answered:
            return extractive
        from .llm import llm_answer

        return llm_answer(self.llm, extractive.question, passages, extractive)

    def ask_stream(
        self,
        question: str,
        history=None,
        k: int = 6,
        mode: str = "hybrid",
        doc: str | None = None,
        section: str | None = None,
    ):
        """:meth:`ask`, streamed: in LLM mode the reply's text as it grows; the ``Answer`` always last."""
        extractive, passages = self._extractive(question, history, k, mode, doc, section)
        if self.llm is None or not extractive.answered:
            yield extractive
            return
        from .llm import llm_stream

        yield from llm_stream(self.llm, extractive.question, passages, extractive)

    def _extractive(self, question, history, k, mode, doc, section) -> tuple[Answer, list[Passage]]:
        """The default answer, made of verified quotes, and the passages it was chosen from."""
        question = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", question or "")
        question = re.sub(r"\s+", " ", question).strip()[:2000]
        many = len(self.documents) > 1
        if not question:
            return answering.decline("", "", [], many), []
        query = resolve_followup(question, history)
        info = analyze(query, self._generic)
        passages = self.search(query, k=k, mode=mode, doc=doc, section=section)
        if not passages:
            return answering.decline(question, query, passages, many), passages
        cands = answering.candidates(passages, self._sentence_rows)
        qvec = self.retriever.query_vector(query)
        cosines = self.data.sentence_vectors[[c.row for c in cands]] @ qvec if cands else np.zeros(0)
        scores = answering.score(info, cands, cosines, self._idf)
        ranked = sorted(zip(scores, cands), key=lambda sc: (-sc[0], sc[1].rank, sc[1].start))
        chosen = answering.select(info, ranked, self.settings.answer_threshold)
        if not chosen:
            return answering.decline(question, query, passages, many), passages
        return answering.build(question, query, info, chosen), passages

    @property
    def llm(self):
        """The chat backend when ``COOPQA_LLM_URL`` is set, else None (the default, offline path)."""
        if not self.settings.llm_url:
            return None
        if getattr(self, "_llm", None) is None:
            from .llm import OpenAICompatible

            self._llm = OpenAICompatible(
                self.settings.llm_url,
                self.settings.llm_model,
                self.settings.llm_api_key,
                self.settings.llm_timeout,
            )
        return self._llm

    @property
    def documents(self) -> tuple[store.DocInfo, ...]:
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
                key = ".".join(n for n in map(section_number, part) if n) or part[-1]
                seen.setdefault(key, section_label(part, width=70))
        return [(label, key) for key, label in seen.items()]

    def text(self, doc: str) -> str:
        """The cleaned text of a document (passage offsets point into it)."""
        return self.data.texts[doc]
