"""What the stored sentence vectors cost at ingest and what they save when a question is asked.

Ingest embeds every chunk and every sentence of it; the answer step scores the sentences of the
retrieved passages by their stored vectors. ``bench_sentences`` measures, in one process with the
configured backend: the time to embed the index's chunk texts and its sentence texts (the share
of ingest's embedding the sentences take), their bytes on disk, and the alternative that stores
no sentence vectors: embedding the candidate sentences of each question's passages when it is
asked, against looking their vectors up.

Invariants
    * The texts are exactly what ingest embeds (``chunk_context``, ``sentence_texts``), in the
      configured batch size; timings of one run only, compared with each other.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from ..index.structures import chunk_context, sentence_texts
from . import metrics


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def _scores(vectors, rows: list[int], vector: np.ndarray) -> np.ndarray:
    return np.asarray(vectors[rows]) @ vector


def bench_sentences(qa, questions: Sequence[str]) -> dict:
    """Ingest-side and ask-side cost of the sentence vectors of ``qa``'s index (``questions``:
    at least one)."""
    if not questions:
        raise ValueError("bench_sentences needs at least one question")
    chunks = qa.data.chunks
    batch = qa.settings.index.batch_size
    chunk_texts = [chunk_context(c) for c in chunks]
    sentences = [t for c in chunks for t in sentence_texts(c)]
    embed = qa.embedder.embed
    embed(chunk_texts[:batch], batch_size=batch)  # warm up
    chunk_s = _timed(embed, chunk_texts, batch)
    sentence_s = _timed(embed, sentences, batch)
    lookup, live, counts = [], [], []
    first = qa.extractor.rows
    by_id = {c.id: c for c in chunks}
    for question in questions:
        passages = qa.search(question, k=qa.settings.answer.passages)
        texts = [t for p in passages for t in sentence_texts(by_id[p.chunk_id])]
        rows = [first[p.chunk_id][0] + j for p in passages for j in range(len(first[p.chunk_id][1]))]
        vector = qa.retriever.query_vector(question)
        lookup.append(_timed(_scores, qa.data.sentence_vectors, rows, vector))
        live.append(_timed(embed, texts, batch))
        counts.append(len(texts))
    dim = qa.embedder.dim
    return {
        "backend": qa.embedder.backend,
        "chunks": len(chunk_texts),
        "sentences": len(sentences),
        "chunk_embed_s": chunk_s,
        "sentence_embed_s": sentence_s,
        "sentence_share_of_embedding": sentence_s / (chunk_s + sentence_s),
        "chunk_vectors_mb": len(chunk_texts) * dim * 4 / 2**20,
        "sentence_vectors_mb": len(sentences) * dim * 4 / 2**20,
        "questions": len(questions),
        "candidates_median": metrics.median(counts),
        "lookup_ms_median": 1000 * metrics.median(lookup),
        "embed_at_ask_ms_median": 1000 * metrics.median(live),
    }


def format_sentences(s: dict) -> list[str]:
    return [
        f"sentence vectors ({s['backend']}): {s['sentences']} sentences of {s['chunks']} chunks; embedding "
        f"them took {s['sentence_embed_s']:.1f} s against {s['chunk_embed_s']:.1f} s for the chunks "
        f"({s['sentence_share_of_embedding']:.0%} of ingest's embedding), "
        f"{s['sentence_vectors_mb']:.1f} MB against {s['chunk_vectors_mb']:.1f} MB on disk",
        f"at ask time ({s['questions']} questions, median {s['candidates_median']:.0f} candidate sentences): "
        f"stored vectors {s['lookup_ms_median']:.2f} ms, embedding them instead "
        f"{s['embed_at_ask_ms_median']:.1f} ms",
    ]
