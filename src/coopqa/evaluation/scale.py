"""The ``scale`` section of ``coopqa bench``: FAISS, BM25 and index loading at 10k to 1M chunks.

Each measurement runs in a fresh child process, so its peak memory is its own. The vectors are
synthetic (``synthetic``: clustered, normalised, 384-d); exact search over them is the oracle
for the approximate index. BM25 is built over pseudo-chunks of real-shaped text: ~150 words a
chunk, drawn with a Zipf law over the words of a real document, ranked by their frequency.
Loading is timed in a fresh process after the files' pages are dropped from the page cache.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..core.settings import PROJECT_ROOT
from . import metrics
from .processes import in_child, peak_mb

# its words, ranked by frequency and drawn with a Zipf law, make the pseudo-chunks BM25 indexes
SCALE_TEXT = PROJECT_ROOT / "ingest" / "china-asean-emerging-industries.txt"


def synthetic(n: int, dim: int = 384, seed: int = 0, centers: np.ndarray | None = None) -> np.ndarray:
    """Clustered, L2-normalised vectors (embeddings of real text cluster by topic, loosely:
    each point lies closer to the noise than to its topic: cosine about 0.45 to its centre)."""
    rng = np.random.default_rng(seed)
    if centers is None:
        centers = topic_centers(n, dim)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        out[start:stop] = centers[rng.integers(0, len(centers), stop - start)]
        out[start:stop] += 2.0 * rng.standard_normal((stop - start, dim)).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def topic_centers(n: int, dim: int = 384) -> np.ndarray:
    return np.random.default_rng(12345).standard_normal((max(n // 500, 20), dim)).astype(np.float32)


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _timed_queries(index, queries: np.ndarray) -> tuple[list[float], list[np.ndarray]]:
    latencies, found = [], []
    for row in queries:
        started = time.perf_counter()
        _, ids = index.search(row[None, :], 10)
        latencies.append(time.perf_counter() - started)
        found.append(ids[0])
    return latencies, found


def faiss_job(n: int, queries: int, nprobe: int, probe_share: float) -> list[dict]:
    """In a fresh process: exact and IVF indexes over n vectors, one query at a time."""
    from ..index.structures import make_faiss_index

    centers = topic_centers(n)
    vectors = synthetic(n, centers=centers)
    q = synthetic(queries, seed=1, centers=centers)  # new questions from the same topics
    rows, truth = [], None
    for name, threshold in (("exact", 10**12), ("ivf", 0)):
        before = _rss_mb()
        started = time.perf_counter()
        index = make_faiss_index(vectors, threshold, nprobe, probe_share)
        build = time.perf_counter() - started
        latencies, found = _timed_queries(index, q)
        truth = truth or found
        rows.append(
            {
                "chunks": n,
                "index": name,
                "query_ms": 1000 * metrics.median(latencies),
                "query_ms_p95": 1000 * metrics.percentile(latencies, 95),
                "recall_at_10": float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found)])),
                "build_s": build,
                "rss_mb": _rss_mb() - before,  # what the index adds to the process
                "nprobe": getattr(index, "nprobe", 0),
                "nlist": getattr(index, "nlist", 0),
            }
        )
        del index
    return rows


def zipf_chunks(n: int, source: Path, words: int = 150, seed: int = 0) -> list[list[str]]:
    """``n`` pseudo-chunks of about ``words`` words: Zipf-distributed over ``source``'s words."""
    counts = Counter(re.findall(r"[a-z0-9]+", source.read_text(encoding="utf-8").lower()))
    vocab = np.array([w for w, _ in counts.most_common()], dtype=object)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(words * 2 // 3, words * 4 // 3 + 1, n)
    ranks = rng.zipf(1.1, int(lengths.sum()))
    ranks = (ranks - 1) % len(vocab)  # the long tail folds back over the vocabulary
    tokens = vocab[ranks].tolist()
    ends = np.cumsum(lengths)
    return [tokens[a:b] for a, b in zip(np.concatenate([[0], ends[:-1]]), ends)]


def bm25_job(n: int, source: str) -> dict:
    """In a fresh process: build bm25s over n Zipf pseudo-chunks; time and peak memory."""
    import bm25s

    started = time.perf_counter()
    corpus = zipf_chunks(n, Path(source))
    made = time.perf_counter() - started
    before = _rss_mb()
    started = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index(corpus, show_progress=False)
    return {
        "chunks": n,
        "tokens": sum(map(len, corpus)),
        "build_s": time.perf_counter() - started,
        "corpus_s": made,
        "corpus_rss_mb": before,
        "peak_rss_mb": peak_mb(),
    }


def _drop_cache(paths: Sequence[Path]) -> None:
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def load_job(folder: str) -> dict:
    """In a fresh process: what ``store.read_index`` does with vectors and FAISS, step by step."""
    import faiss

    from ..core.files import sha256_file

    gen, out = Path(folder), {}
    started = time.perf_counter()
    for name in ("vectors.npy", "faiss.index"):
        sha256_file(gen / name)
    out["checksum_s"] = time.perf_counter() - started
    out["after_checksum_rss_mb"] = _rss_mb()
    started = time.perf_counter()
    vectors = np.load(gen / "vectors.npy", mmap_mode="r", allow_pickle=False)
    out["vectors_mmap_s"] = time.perf_counter() - started
    started = time.perf_counter()
    index = faiss.read_index(str(gen / "faiss.index"))
    out["faiss_s"] = time.perf_counter() - started
    out["rss_mb"] = _rss_mb()
    del index
    started = time.perf_counter()
    mapped = faiss.read_index(str(gen / "faiss.index"), faiss.IO_FLAG_MMAP)
    out["faiss_io_flag_mmap_s"] = time.perf_counter() - started
    out["faiss_io_flag_mmap_rss_mb"] = _rss_mb()
    out["chunks"], out["peak_rss_mb"] = int(mapped.ntotal), peak_mb()
    out["vectors_rows"] = int(vectors.shape[0])
    return out


def _write_for_load(n: int, folder: Path, nprobe: int, probe_share: float) -> float:
    """vectors.npy and faiss.index of n synthetic vectors, written as an ingest writes them."""
    import faiss

    from ..index.structures import make_faiss_index

    vectors = synthetic(n)
    np.save(folder / "vectors.npy", vectors)
    started = time.perf_counter()
    faiss.write_index(make_faiss_index(vectors, 50_000, nprobe, probe_share), str(folder / "faiss.index"))
    _drop_cache([folder / "vectors.npy", folder / "faiss.index"])
    return time.perf_counter() - started


def load_measure(n: int, nprobe: int, probe_share: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        in_child(_write_for_load, n, Path(tmp), nprobe, probe_share)
        return in_child(load_job, tmp)


def run_scale(
    sizes: Sequence[int], nprobe: int, probe_share: float, source: Path = SCALE_TEXT, bar=None
) -> dict:
    """FAISS rows at every size; BM25 at every size; loading at the largest."""
    out: dict = {"rows": [], "bm25": [], "load": None}
    for n in sizes:
        if bar is not None:
            bar.set_postfix_str(f"scale {n:,}")
        out["rows"] += in_child(faiss_job, n, 100, nprobe, probe_share)
        out["bm25"].append(in_child(bm25_job, n, str(source)))
        if bar is not None:
            bar.update(1)
    if sizes:
        out["load"] = load_measure(max(sizes), nprobe, probe_share)
    return out


def format_scale(s: dict) -> list[str]:
    head = f"{'chunks':>10} {'index':<6}{'build s':>9}{'MB':>8}{'query ms':>10}{'p95 ms':>9}{'recall@10':>10}"
    lines = [head]
    for row in s["rows"]:
        recall = f"{row['recall_at_10']:.3f}" if row["index"] != "exact" else "1 (oracle)"
        lines.append(
            f"{row['chunks']:>10,} {row['index']:<6}{row['build_s']:>9.2f}{row['rss_mb']:>8.0f}"
            f"{row['query_ms']:>10.2f}{row['query_ms_p95']:>9.2f}{recall:>10}"
            + (f"  nlist {row['nlist']}, nprobe {row['nprobe']}" if row["nlist"] else "")
        )
    for b in s["bm25"]:
        lines.append(
            f"BM25 (bm25s), {b['chunks']:,} Zipf pseudo-chunks ({b['tokens'] / b['chunks']:.0f} words): "
            f"build {b['build_s']:.1f} s, peak RSS {b['peak_rss_mb']:.0f} MB "
            f"({b['corpus_rss_mb']:.0f} MB with the corpus alone)"
        )
    if s["load"]:
        ld = s["load"]
        lines.append(
            f"load at {ld['chunks']:,} chunks, fresh process, cold page cache: "
            f"checksums {ld['checksum_s']:.1f} s, vectors (mmap) {ld['vectors_mmap_s'] * 1000:.1f} ms, "
            f"faiss {ld['faiss_s']:.1f} s, RSS {ld['rss_mb']:.0f} MB (faiss with IO_FLAG_MMAP, "
            f"page cache warm: {ld['faiss_io_flag_mmap_s']:.1f} s, "
            f"RSS {ld['faiss_io_flag_mmap_rss_mb']:.0f} MB)"
        )
    return lines
