"""The search structures of a generation, built side by side from the same chunks.

FAISS holds the chunk vectors (exact inner product, or IVF-Flat past a size, probing a share of
its lists); BM25 (bm25s) holds each chunk's words with its full heading path. ``chunk_context``
and ``sentence_texts`` are the one definition of what text a chunk and its sentences are
embedded and indexed with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.records import Chunk, section_label
from ..core.text import bm25_tokens


def chunk_context(chunk: Chunk, full_path: bool = False) -> str:
    """The text a chunk is embedded and indexed with: its heading (or caption) and its body."""
    if chunk.caption:
        head = chunk.caption
    elif full_path:
        head = " / ".join(chunk.section)
    else:
        head = section_label(chunk.section, width=200)
    return f"{head}\n{chunk.text}" if head and head not in chunk.text else chunk.text


def sentence_texts(chunk: Chunk) -> list[str]:
    """The texts a chunk's sentences are embedded with (a table row or figure line with its caption)."""
    texts = [chunk.text[a:b] for a, b in chunk.sentences]
    if chunk.caption:
        texts = [t if t.startswith(chunk.caption) else f"{chunk.caption}\n{t}" for t in texts]
    return texts


def faiss_kind(n: int, threshold: int) -> str:
    return "IVFFlat" if n > threshold else "FlatIP"


def ivf_lists(n: int) -> int:
    """IVF lists for ``n`` vectors: about 2 x sqrt(n), and at least 39 vectors a list to train on."""
    return max(1, min(int(2 * np.sqrt(n)), n // 39))


def ivf_probes(nlist: int, nprobe: int, probe_share: float = 0.05) -> int:
    """Lists searched per query: ``probe_share`` of them, at least ``nprobe``, at most all.

    Probing a fixed share keeps recall from falling as the index grows: the lists grow as
    sqrt(n), and so does the number searched (on the bench's clustered vectors, 5 % of 2,000
    lists gives recall@10 about 0.95 against exact search at 1M vectors; 16 of 632 lists, 0.99+
    at 100k). The cost is a query time that grows as sqrt(n) too.
    """
    return max(1, min(nlist, max(nprobe, int(round(probe_share * nlist)))))


def set_probes(index, nprobe: int, probe_share: float = 0.05) -> None:
    """Set an IVF index's probes (:func:`ivf_probes`), and spread one query's lists over the cores.

    coopqa searches one question at a time, and FAISS's default (``parallel_mode`` 0) splits
    the work of a batch by query, so a single query used one core. Mode 1 splits a query's
    lists over the OpenMP threads: at 1M vectors and 100 lists probed, measured here on 2 cores,
    6.6 ms a query fell to 3.5 ms with the same results. Neither setting is stored in the file,
    so the loader calls this again (``store.read_index``).
    """
    index.nprobe = ivf_probes(index.nlist, nprobe, probe_share)
    index.parallel_mode = 1


def make_faiss_index(vectors: np.ndarray, threshold: int, nprobe: int, probe_share: float = 0.05):
    """Exact inner product up to ``threshold`` vectors; above it IVF-Flat.

    IVF-Flat (:func:`ivf_lists` lists, k-means trained on a sample, :func:`ivf_probes` lists
    probed per query) builds in seconds where HNSW takes many minutes on two cores;
    `coopqa bench` measures its recall@10 against exact search (the oracle) at 10k, 100k and 1M
    vectors. The loader sets the probes again from the settings (``store.read_index``).
    """
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    if faiss_kind(n, threshold) == "FlatIP":
        index = faiss.IndexFlatIP(dim)
    else:
        nlist = ivf_lists(n)
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = vectors[np.random.default_rng(0).choice(n, min(n, 64 * nlist), replace=False)]
        index.train(sample)
        set_probes(index, nprobe, probe_share)
    if n:
        index.add(vectors)
    return index


def import_search_libraries() -> None:
    """Import faiss and bm25s (0.3 s here), so a caller can do it while it waits on other work."""
    import bm25s  # noqa: F401
    import faiss  # noqa: F401


def build_bm25(chunks: Sequence[Chunk]):
    """A bm25s index over each chunk's words and its full heading path (``∅`` for a chunk with none)."""
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index([bm25_tokens(chunk_context(c, full_path=True)) or ["∅"] for c in chunks], show_progress=False)
    return bm25
