from __future__ import annotations

import faiss
import numpy as np

from coopqa.core.settings import RetrievalSettings
from coopqa.retrieval.search import Query, Retriever

from ..factories import chunk

AGENDA = "1. Housekeeping 2. What is the Top Ten 3. How the list was built"


def _retriever(texts: list[str], vectors: np.ndarray, question: np.ndarray) -> Retriever:
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors.astype(np.float32))
    chunks = [chunk(t, id=f"c{i}", pages=(str(i + 1),)) for i, t in enumerate(texts)]
    return Retriever(chunks, index, None, lambda _: question[None, :], RetrievalSettings())


def test_copies_of_one_text_are_one_passage_and_the_list_is_filled():
    # an agenda slide printed on pages 1, 3 and 5 is what the question is closest to
    texts = [AGENDA, "Access control", AGENDA, "Misconfiguration", AGENDA, "Injection", "Design"]
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(len(texts), 8))
    vectors[[2, 4]] = vectors[0]
    question = vectors[0] + 0.01 * rng.normal(size=8)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    retriever = _retriever(texts, vectors, question / np.linalg.norm(question))
    found = retriever.search(Query("agenda", k=4, mode="dense"))
    assert [p.text for p in found].count(AGENDA) == 1 and found[0].text == AGENDA
    assert found[0].pages == ("1",)  # the best-ranked copy (ties: the first page)
    assert len(found) == 4 and len({p.text for p in found}) == 4


def test_prepare_runs_the_task_while_the_question_is_embedded_and_keeps_both():
    texts = ["Access control rules", "Injection flaws", "Insecure design"]
    vectors = np.eye(3, 8, dtype=np.float32)
    calls = []

    def embed_while(text, task):
        calls.append(text)
        return vectors[1], task()

    index = faiss.IndexFlatIP(8)
    index.add(vectors)
    chunks = [chunk(t, id=f"c{i}", pages=(str(i + 1),)) for i, t in enumerate(texts)]
    bm25 = _Counting()
    retriever = Retriever(chunks, index, bm25, lambda _: 1 / 0, RetrievalSettings(), None, embed_while)
    assert retriever.prepare("injection flaws", lambda: "read") == "read"
    found = retriever.search(Query("injection flaws", k=1))  # neither embedded nor scored again
    assert found[0].text == "Injection flaws" and calls == ["injection flaws"] and bm25.calls == 1
    assert retriever.prepare("injection flaws", lambda: "again") == "again" and calls == ["injection flaws"]
    retriever.forget()
    retriever.prepare("injection flaws", lambda: None)
    assert calls == ["injection flaws"] * 2 and bm25.calls == 2


class _Counting:
    """A BM25 index that counts its scorings: word "injection" in the second chunk only."""

    calls = 0

    def get_scores(self, tokens):
        self.calls += 1
        return np.array([0.0, 2.0 if "injection" in tokens else 0.0, 0.0])


def test_likely_gives_the_chunks_the_words_rank_first_from_the_kept_scores():
    texts = ["Access control rules", "Injection flaws", "Insecure design"]
    chunks = [chunk(t, id=f"c{i}", pages=(str(i + 1),)) for i, t in enumerate(texts)]
    bm25 = _Counting()
    retriever = Retriever(chunks, None, bm25, lambda _: 1 / 0, RetrievalSettings())
    assert [c.id for c in retriever.likely("injection flaws", 2)] == ["c1"]  # no chunk of score 0
    assert retriever.likely("injection flaws", 2) and bm25.calls == 1  # the kept scores
    assert retriever.likely("design", 3) == []
