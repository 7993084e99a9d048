"""Hybrid retrieval: dense (FAISS, inner product of normalised vectors) + BM25, fused.

A search returns no two passages of the same text (the best-ranked copy stands for them all).
The fusion strategy is chosen by name from ``MODES`` (the keys are ``SEARCH_MODES``); an unknown
name's error lists them. An exact FAISS index is read whole, so the document and section
filters lose nothing; an approximate one gives its best candidates.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from ..core.errors import UsageError
from ..core.records import Chunk, Passage, SearchMode, section_keys
from ..core.references import chunk_labels, question_labels, title_matches
from ..core.settings import RetrievalSettings
from ..core.text import bm25_tokens
from .fusion import convex, rank, rrf

# words a question uses for the document itself ("according to the report", "does the paper say"):
# left out of the BM25 query, where they match every passage that mentions "this report"
SELF_REFERENCE = frozenset(bm25_tokens("report paper document spec specification slides deck article"))
T = TypeVar("T")
DUPLICATE_SLACK = 8  # a search ranks 2k + this many, so that copies of one text do not leave it short


@dataclass(frozen=True)
class Query:
    """One retrieval request."""

    text: str
    k: int = 5
    mode: SearchMode = "hybrid"
    doc: str | None = None
    section: str | None = None


class Retriever:
    """Searches one loaded index: a FAISS index, a BM25 index and the chunk records."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        faiss_index,
        bm25,
        embed: Callable[[list[str]], np.ndarray],
        settings: RetrievalSettings,
        sentence_vectors: np.ndarray | None = None,
        embed_while: Callable[[str, Callable[[], T]], tuple[np.ndarray, T]] | None = None,
    ) -> None:
        self.chunks = tuple(chunks)
        self.faiss_index = faiss_index
        self.bm25 = bm25
        self.embed = embed
        self.embed_while = embed_while
        self.settings = settings
        # a plain array over the same memory map: rows taken from a np.memmap cost ~0.06 ms more a search
        self.sentence_vectors = None if sentence_vectors is None else np.asarray(sentence_vectors)
        # row of each chunk's first sentence in sentence_vectors; the last entry is the total
        self._first = np.concatenate([[0], np.cumsum([len(c.sentences) for c in self.chunks])]).astype(int)
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._last_dense: tuple[str, np.ndarray] = ("", np.zeros(0, dtype=np.float32))
        self._last_bm25: tuple[str, np.ndarray] | None = None  # the latest question's, see prepare
        self._labelled: tuple[dict, list[str]] | None = None  # chunks by label, titles; on first use
        self._tables: dict[tuple[str, str], list[int]] | None = None  # a table's row chunks; on first use

    def prepare(self, text: str, task: Callable[[], T]) -> T:
        """``task()``, run while ``text`` is embedded (kept for its search) and its BM25 scores are
        computed (kept too), when the retriever has ``embed_while``; without it, or when the vector
        is kept already, only ``task()`` (the search embeds and scores as it always does)."""
        if self.kept(text) or self.embed_while is None:
            return task()

        def words_then_task() -> T:
            self.bm25_scores(text)
            return task()

        vector, result = self.embed_while(text, words_then_task)
        with self._lock:
            self._keep(text, vector)
        return result

    def kept(self, text: str) -> bool:
        """Whether ``text``'s vector is kept: its search will not embed it again."""
        with self._lock:
            return text in self._vectors

    def forget(self) -> None:
        """Drop what is kept of earlier questions (vectors, BM25 scores): the next search of any
        question does all its work (``coopqa bench`` times it so)."""
        with self._lock:
            self._vectors.clear()
            self._last_bm25 = None

    def _keep(self, text: str, vector: np.ndarray) -> None:
        """Keep ``vector`` as ``text``'s, the 64 most recent (the caller holds the lock)."""
        self._vectors[text] = vector
        while len(self._vectors) > 64:
            self._vectors.pop(next(iter(self._vectors)), None)

    def query_vector(self, text: str) -> np.ndarray:
        """The question's embedding, kept for the last few questions (search then answer)."""
        return self.query_vectors([text])[0]

    def query_vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The texts' embeddings; those not kept yet are embedded in one call (the parts of a
        question) and kept, the 64 most recent. Safe when the page answers several at once."""
        with self._lock:
            known = {t: self._vectors.get(t) for t in texts}
        new = [t for t in known if known[t] is None]
        if new:
            vectors = self.embed(new)
            with self._lock:
                for text, vector in zip(new, vectors):
                    known[text] = vector
                    self._keep(text, vector)
        return [known[t] for t in texts]

    def _mask(self, query: Query) -> np.ndarray | None:
        if not query.doc and not query.section:
            return None
        wanted = (query.section or "").strip().lower()
        allowed = []
        for chunk in self.chunks:
            ok = not query.doc or chunk.doc == query.doc
            if ok and wanted:
                ok = wanted in section_keys(chunk.section) or any(
                    len(wanted) > 3 and h.lower().startswith(wanted) for h in chunk.section
                )
            allowed.append(ok)
        return np.array(allowed, dtype=bool)

    def dense_scores(self, text: str) -> np.ndarray:
        vector = self.query_vector(text)[None, :]
        # an exact index is read whole (every chunk gets a score, so filters lose nothing);
        # an approximate one (IVF, see index.structures.make_faiss_index) gives its best candidates
        exact = not hasattr(self.faiss_index, "nprobe")
        wanted = (
            self.faiss_index.ntotal if exact else min(self.faiss_index.ntotal, self.settings.candidates * 20)
        )
        scores, ids = self.faiss_index.search(vector, wanted)
        out = np.full(len(self.chunks), -1.0, dtype=np.float32)
        valid = ids[0] >= 0
        out[ids[0][valid]] = scores[0][valid]
        self._last_dense = (text, out)  # for the chunks a question names (see _referenced_first)
        return out

    def sentence_max(self, text: str, pool: Sequence[int]) -> np.ndarray:
        """For each chunk of ``pool``: the best cosine of the question to one of its sentences
        (a chunk whose one sentence answers scores high even when the rest is about other things)."""
        starts, ends = self._first[pool], self._first[np.asarray(pool) + 1]
        rows = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)]) if len(pool) else []
        sims = self.sentence_vectors[rows] @ self.query_vector(text) if len(rows) else np.zeros(0)
        out = np.full(len(pool), -1.0, dtype=np.float32)
        has = ends > starts
        if has.any():
            offsets = np.concatenate([[0], np.cumsum((ends - starts)[has])[:-1]])
            out[has] = np.maximum.reduceat(sims, offsets)
        return out

    def _pool_dense(self, text: str, dense_scores: np.ndarray, pool: list[int]) -> np.ndarray:
        """Dense scores of the pooled chunks: the chunk's cosine, mixed with its best sentence's
        (``settings.sentence_weight``; 0 keeps the chunk's alone)."""
        weight = self.settings.sentence_weight
        if weight <= 0 or self.sentence_vectors is None or not pool:
            return dense_scores[pool]
        return (1 - weight) * dense_scores[pool] + weight * self.sentence_max(text, pool)

    def bm25_scores(self, text: str) -> np.ndarray:
        """Every chunk's BM25 score for ``text``; the latest question's are kept."""
        last = self._last_bm25
        if last is not None and last[0] == text:
            return last[1]
        words = bm25_tokens(text)
        tokens = [t for t in words if t not in SELF_REFERENCE] or words
        if not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        scores = np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
        scores.flags.writeable = False  # kept and shared: read only
        self._last_bm25 = (text, scores)
        return scores

    def likely(self, text: str, n: int) -> list[Chunk]:
        """The ``n`` chunks whose words fit ``text`` best (its BM25 scores, kept): those a hybrid
        search of ``text`` will most likely return, known before its vector is (filters and the
        search mode are not applied: a guess, never a result)."""
        scores = self.bm25_scores(text)
        return [self.chunks[i] for i in rank(scores, None, n) if scores[i] > 0]

    def _dense(self, query: Query, mask) -> list[tuple[int, float]]:
        scores = self.dense_scores(query.text)
        return [(i, float(scores[i])) for i in rank(scores, mask, query.k)]

    def _bm25(self, query: Query, mask) -> list[tuple[int, float]]:
        scores = self.bm25_scores(query.text)
        return [(i, float(scores[i])) for i in rank(scores, mask, query.k) if scores[i] > 0]

    def _candidates(self, query: Query, mask) -> tuple[np.ndarray, np.ndarray, list[int], list[int]]:
        n = max(self.settings.candidates, query.k)
        dense_scores = self.dense_scores(query.text)
        lexical_scores = self.bm25_scores(query.text)
        dense = rank(dense_scores, mask, n)
        lexical = [i for i in rank(lexical_scores, mask, n) if lexical_scores[i] > 0]
        return dense_scores, lexical_scores, dense, lexical

    def _hybrid(self, query: Query, mask) -> list[tuple[int, float]]:
        """Convex fusion (``alpha`` x min-max dense + the rest x BM25 / max) over both candidate lists.

        It beat reciprocal rank fusion on the question set (the README's eval table): RRF throws
        away how far ahead the best match is, which matters when one chunk holds the exact figure.
        """
        dense_scores, lexical_scores, dense, lexical = self._candidates(query, mask)
        pool = sorted(set(dense) | set(lexical))
        pooled = self._pool_dense(query.text, dense_scores, pool)
        fused = convex(pooled, lexical_scores[pool], self.settings.alpha)
        best = sorted(zip(pool, fused.tolist()), key=lambda item: (-item[1], item[0]))
        return best[: query.k]

    def _rrf(self, query: Query, mask) -> list[tuple[int, float]]:
        _, _, dense, lexical = self._candidates(query, mask)
        fused = rrf([dense, lexical], self.settings.rrf_k)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        return best[: query.k]

    def search(self, query: Query) -> list[Passage]:
        if query.mode not in MODES:
            raise UsageError(f"unknown retrieval mode {query.mode!r}; choose one of: {', '.join(MODES)}")
        if query.k < 1:
            raise UsageError(f"k must be at least 1, got {query.k}")
        if not query.text.strip() or not self.chunks:
            return []
        mask = self._mask(query)
        if mask is not None and not mask.any():
            return []
        wide = replace(query, k=2 * query.k + DUPLICATE_SLACK)  # room for copies of one text
        found = MODES[query.mode](self, wide, mask)
        found = self._referenced_first(wide, mask, found)
        return [Passage(self.chunks[i], float(score)) for i, score in self._distinct(found, query.k)]

    def _distinct(self, found: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
        """The first ``k`` of ``found``, no two of the same text: a slide or a boilerplate
        paragraph printed on ten pages is one passage, its best-ranked copy (the copies would
        push everything else out of the top k)."""
        seen: set[str] = set()
        out = []
        for i, score in found:
            text = self.chunks[i].text
            if text not in seen:
                seen.add(text)
                out.append((i, score))
                if len(out) == k:
                    break
        return out

    def labelled(self, label: tuple[str, str]) -> list[int]:
        """The chunks that carry ``label`` (a figure's caption, an appendix's heading, ...); a
        title matches the headings whose title is it or starts with its words."""
        labelled, titles = self._labels()
        if label[0] != "title":
            return labelled.get(label, [])
        first = bisect.bisect_left(titles, label[1])
        found: set[int] = set()
        for title in titles[first:]:
            if not title.startswith(label[1]):
                break
            if title_matches(label[1], title):
                found.update(labelled[("title", title)])
        return sorted(found)

    def with_table_rows(self, passages: list[Passage]) -> list[Passage]:
        """``passages``, then the other rows of each table that one of them is a row of (a table's
        rows are chunks of their own; a question asking for a list may need every row). The rows
        added come in the table's order, scored as the lowest passage found."""
        if self._tables is None:
            tables: dict[tuple[str, str], list[int]] = {}
            for i, chunk in enumerate(self.chunks):
                if chunk.kind == "table_row":
                    tables.setdefault((chunk.doc, chunk.caption), []).append(i)
            self._tables = tables
        have = {p.chunk_id for p in passages}
        floor = min((p.score for p in passages), default=0.0)
        out = list(passages)
        for passage in passages:
            if passage.kind != "table_row":
                continue
            for i in self._tables.get((passage.doc, passage.caption), []):
                if self.chunks[i].id not in have:
                    have.add(self.chunks[i].id)
                    out.append(Passage(self.chunks[i], floor))
        return out

    def _labels(self) -> tuple[dict[tuple[str, str], list[int]], list[str]]:
        """Label -> the chunks carrying it, and the titles sorted; built once, then only read
        (built whole before it is shared, so threads answering at once never see it half made)."""
        if self._labelled is None:
            labelled: dict[tuple[str, str], list[int]] = {}
            for i, chunk in enumerate(self.chunks):
                for key in chunk_labels(chunk.caption, chunk.section):
                    labelled.setdefault(key, []).append(i)
            titles = sorted(name for kind, name in labelled if kind == "title")
            self._labelled = (labelled, titles)
        return self._labelled

    def _referenced_first(self, query: Query, mask, found: list[tuple[int, float]]) -> list:
        """The chunks a question names ("Figure 6", "Appendix G") ahead of the rest, scored as the
        best: the reader pointed at them. Unchanged when it names none the index has."""
        named = {i for label in question_labels(query.text) for i in self.labelled(label)}
        if mask is not None:
            named = {i for i in named if mask[i]}
        if not named:
            return found
        # those the search found in its order, then the others by their closeness to the question
        # (a label many documents carry, "Figure 1", "the Introduction section")
        ordered = [i for i, _ in found if i in named][: query.k]
        if len(ordered) < query.k and len(named) > len(ordered):
            text, dense = self._last_dense
            dense = dense if text == query.text else self.dense_scores(query.text)
            rest = np.setdiff1d(np.fromiter(named, dtype=np.int64), ordered)  # sorted: ties to the lower
            ordered += [int(rest[j]) for j in rank(dense[rest], None, query.k - len(ordered))]
        top = max((score for _, score in found), default=1.0)
        kept = set(ordered)
        return ([(i, top) for i in ordered] + [(i, s) for i, s in found if i not in kept])[: query.k]


MODES: dict[str, Callable[[Retriever, Query, np.ndarray | None], list[tuple[int, float]]]] = {
    "hybrid": Retriever._hybrid,
    "rrf": Retriever._rrf,
    "dense": Retriever._dense,
    "bm25": Retriever._bm25,
}
