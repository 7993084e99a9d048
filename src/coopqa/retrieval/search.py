"""Hybrid retrieval: dense (FAISS, inner product of normalised vectors) + BM25, fused.

The fusion strategy is chosen by name from ``MODES`` (the keys are ``SEARCH_MODES``); an unknown
name's error lists them. An exact FAISS index is read whole, so the document and section
filters lose nothing; an approximate one gives its best candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.errors import UsageError
from ..core.records import Chunk, Passage, SearchMode, section_keys
from ..core.references import chunk_labels, question_labels
from ..core.settings import RetrievalSettings
from ..core.text import bm25_tokens
from .fusion import convex, rank, rrf


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
    ) -> None:
        self.chunks = tuple(chunks)
        self.faiss_index = faiss_index
        self.bm25 = bm25
        self.embed = embed
        self.settings = settings
        self.sentence_vectors = sentence_vectors
        # row of each chunk's first sentence in sentence_vectors; the last entry is the total
        self._first = np.concatenate([[0], np.cumsum([len(c.sentences) for c in self.chunks])]).astype(int)
        self._vectors: dict[str, np.ndarray] = {}
        self._labelled: dict[tuple[str, str], list[int]] | None = None  # built on first use

    def query_vector(self, text: str) -> np.ndarray:
        """The question's embedding, kept for the last few questions (search then answer)."""
        if text not in self._vectors:
            self.query_vectors([text])
        return self._vectors[text]

    def query_vectors(self, texts: Sequence[str]) -> None:
        """Embed the texts not kept yet in one call (the parts of a question) and keep them."""
        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if not new:
            return
        for text, vector in zip(new, self.embed(new)):
            while len(self._vectors) >= 64:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[text] = vector

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
        tokens = bm25_tokens(text)
        if not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

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
        found = MODES[query.mode](self, query, mask)
        found = self._referenced_first(query, mask, found)
        return [Passage(self.chunks[i], float(score)) for i, score in found]

    def labelled(self, label: tuple[str, str]) -> list[int]:
        """The chunks that carry ``label`` (a figure's caption, an appendix's heading, ...); a
        title matches the headings that start with it."""
        if self._labelled is None:
            self._labelled = {}
            for i, chunk in enumerate(self.chunks):
                for key in chunk_labels(chunk.caption, chunk.section):
                    self._labelled.setdefault(key, []).append(i)
        if label[0] != "title":
            return self._labelled.get(label, [])
        keys = [k for k in self._labelled if k[0] == "title" and k[1].startswith(label[1])]
        return sorted({i for k in keys for i in self._labelled[k]})

    def _referenced_first(self, query: Query, mask, found: list[tuple[int, float]]) -> list:
        """The chunks a question names ("Figure 6", "Appendix G") ahead of the rest, scored as the
        best: the reader pointed at them. Unchanged when it names none the index has."""
        named = {i for label in question_labels(query.text) for i in self.labelled(label)}
        if mask is not None:
            named = {i for i in named if mask[i]}
        if not named:
            return found
        place = {i: position for position, (i, _) in enumerate(found)}
        # those the search found in its order, then the others by their closeness to the question
        # (a label many documents carry, "Figure 1", "the Introduction section")
        if named <= place.keys():
            ordered = sorted(named, key=place.__getitem__)[: query.k]
        else:
            dense = self.dense_scores(query.text)
            ordered = sorted(named, key=lambda i: (place.get(i, len(found)), -float(dense[i]), i))[: query.k]
        top = max((score for _, score in found), default=1.0)
        kept = set(ordered)
        return ([(i, top) for i in ordered] + [(i, s) for i, s in found if i not in kept])[: query.k]


MODES: dict[str, Callable[[Retriever, Query, np.ndarray | None], list[tuple[int, float]]]] = {
    "hybrid": Retriever._hybrid,
    "rrf": Retriever._rrf,
    "dense": Retriever._dense,
    "bm25": Retriever._bm25,
}
