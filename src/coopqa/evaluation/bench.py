"""``coopqa bench``: speed, memory and scale, measured on this machine and written to JSON.

Timings are medians and p95s of one run; ratios compare steps measured in the same run, which
is what stays meaningful on a shared, noisy machine. Heavy steps run in child processes so that
each one's peak memory is its own. The ``backends`` section puts every embedding backend side
by side in that one run: question and batch speed with cosine to torch (``evaluation.backends``),
a fresh ingest and fresh ``coopqa ask`` processes per backend (whether they imported torch), and
the quality gate: recall@1 and @5 of the question set on each backend's own index.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..core.profile import load_profile
from ..core.settings import Settings
from ..index.embedding import BACKENDS
from ..retrieval.search import Query
from . import metrics
from .backends import add_speedups, compare_backends, format_backends, gate_quality
from .corpus_bench import bench_corpus, format_corpus
from .ocr_bench import bench_ocr, format_ocr
from .processes import in_child, peak_mb
from .scale import format_scale, run_scale, synthetic  # noqa: F401  (synthetic: for callers)
from .sentences import bench_sentences, format_sentences


def _ingest_job(pdf: str, index: str, backend: str, cache: str) -> dict:
    """In a fresh process: ingest one document, report times and peak memory."""
    from ..index.collection import ingest

    settings = Settings.from_env().with_index(index).override(backend=backend, onnx_cache=cache)
    started = time.perf_counter()
    report = ingest([Path(pdf)], settings, rebuild=True)
    return {
        "seconds": time.perf_counter() - started,
        "model_seconds": report.model_seconds,
        "chunks": report.chunks,
        "peak_rss_mb": peak_mb(),
    }


def _quality_job(load, index: str, backend: str, cache: str, gate: Sequence) -> dict:
    """In a fresh process: recall@1 and @5 (hybrid) of ``gate``'s questions on an index that
    ``backend`` built, searched with ``backend``'s question vectors (``load``: ``load`` of the
    benched assistant's class, so the evaluation layer does not import the app layer)."""
    from .report import run_eval

    settings = Settings.from_env().with_index(index).override(backend=backend, onnx_cache=cache)
    qa = load(settings=settings)
    summary = run_eval(qa, gate, ["hybrid"], progress=False, with_answers=False)["modes"]["hybrid"]
    return {"questions": len(gate), "recall@1": summary["recall@1"], "recall@5": summary["recall@5"]}


def bench_ingest(pdf: Path, runs: int, folder: Path, settings: Settings, backend: str) -> dict:
    """``runs`` fresh ingests of ``pdf`` with ``backend``, into ``folder/idx<i>``."""
    cache = str(settings.index.onnx_cache)
    results = [in_child(_ingest_job, str(pdf), str(folder / f"idx{i}"), backend, cache) for i in range(runs)]
    wall = [r["seconds"] for r in results]
    without = [r["seconds"] - r["model_seconds"] for r in results]
    return {
        "runs": runs,
        "chunks": results[0]["chunks"],
        "wall_s_median": metrics.median(wall),
        "without_model_load_s_median": metrics.median(without),
        "model_load_s_median": metrics.median([r["model_seconds"] for r in results]),
        "peak_rss_mb_max": max(r["peak_rss_mb"] for r in results),
    }


def bench_warm(qa, questions: Sequence[str], progress) -> dict:
    """Median and p95 of question embedding, search and ask over the same questions."""
    qa.ask(questions[0])  # warm up
    embed_t, search_t, ask_t, answer_t = [], [], [], []
    for question in questions:
        started = time.perf_counter()
        qa.embedder.embed([question])
        embed_t.append(time.perf_counter() - started)
        qa.retriever.forget()  # measure the real search, not the kept embedding and BM25 scores
        started = time.perf_counter()
        qa.retriever.search(Query(question, k=6))  # retrieval alone (Assistant.search also answers)
        search_t.append(time.perf_counter() - started)
        qa.retriever.forget()
        started = time.perf_counter()
        qa.ask(question)
        ask_t.append(time.perf_counter() - started)
        answer_t.append(ask_t[-1] - search_t[-1])
        progress.update(1)
    embed_median = metrics.median(embed_t)

    def row(values):
        return {
            "median_ms": 1000 * metrics.median(values),
            "p95_ms": 1000 * metrics.percentile(values, 95),
            "ratio_to_embedding": metrics.median(values) / embed_median,
        }

    return {
        "questions": len(questions),
        "embed": row(embed_t),
        "search": row(search_t),
        "ask": row(ask_t),
        "answer_step_median_ms": 1000 * metrics.median(answer_t),
        "answer_step_share_of_search": metrics.median(answer_t) / metrics.median(search_t),
    }


# what ``python -m coopqa ask <question>`` runs, then whether torch was imported, on a last line
_COLD_ASK = (
    "import sys; from coopqa.app.cli import main; code = main(sys.argv[1:]); "
    "print('\\ncoopqa-bench torch imported:', 'torch' in sys.modules); sys.exit(code)"
)


def bench_cold(index: Path, runs: int, settings: Settings, backend: str) -> dict:
    """A fresh ``coopqa ask`` process, from start to the printed answer, with ``backend``."""
    times, imported = [], []
    env = {**os.environ, "COOPQA_INDEX": str(index), "COOPQA_EMBED_BACKEND": backend}
    env["COOPQA_ONNX_CACHE"] = str(settings.index.onnx_cache)
    question = load_profile(settings.serve.profile).bench_question  # a question about the collection
    command = [sys.executable, "-c", _COLD_ASK, "ask", question]
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise RuntimeError(f"coopqa ask failed: {proc.stderr.strip()[:200]}")
        answer, _, flag = proc.stdout.rstrip().rpartition("\n")
        imported.append(flag.endswith("True"))
    return {
        "runs": runs,
        "backend": backend,
        "median_s": metrics.median(times),
        "max_s": max(times),
        "torch_imported": any(imported),
        "answer": answer.strip()[:200],
    }


def real_chunks(qa, count: int) -> list[str]:
    """``count`` distinct ~200-token windows of the indexed documents' real text."""
    from ..core import tokens

    enc = tokens.encoding()
    ids = [t for doc in qa.documents for t in enc.encode(qa.text(doc.name), disallowed_special=())]
    out, step = [], max(1, (len(ids) - 200) // max(count, 1))
    offset = 0
    while len(out) < count:
        start = (offset * step + offset // max(1, len(ids) // step)) % max(1, len(ids) - 200)
        out.append(enc.decode(ids[start : start + 200]))
        offset += 1
    return out


def bench_embedding(qa, row: dict, vectors: np.ndarray, questions: Sequence[str]) -> dict:
    """The configured backend's throughput (its ``backends`` row); IVF against exact on its vectors."""
    from ..index.structures import make_faiss_index

    nprobe = qa.settings.index.nprobe
    queries = qa.embedder.embed(list(questions))
    _, truth = make_faiss_index(vectors, 10**12, nprobe).search(queries, 10)
    _, found = make_faiss_index(vectors, 0, nprobe).search(queries, 10)
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found)]))
    return {
        "chunks": row["texts"],
        "seconds": row["texts_seconds"],
        "chunks_per_s": row["texts_per_s"],
        "backend": qa.embedder.backend,
        "threads": row["threads"],
        "ivf_recall@10_on_these_vectors": recall,
        "recall_queries": len(questions),
    }


def bench_backends(qa, pdf: Path, texts, asked, backends, ingest_runs: int, cold_runs: int, bar, gate=()):
    """``({backend: row}, {backend: vectors of texts})``: each backend's speeds and cosine to
    torch in this process, then its fresh ingests and fresh ``coopqa ask`` processes, and the
    recall of the ``gate`` questions on its own index (the quality gate), in a fresh process."""
    bar.set_postfix_str("backends: embedding")
    rows, vectors = compare_backends(qa.settings, texts, asked, qa.settings.index.batch_size, backends)
    bar.update(len(backends))
    with tempfile.TemporaryDirectory() as tmp:
        for backend, row in rows.items():
            bar.set_postfix_str(f"backends: ingest and cold start, {backend}")
            folder = Path(tmp) / backend
            row["ingest"] = bench_ingest(pdf, ingest_runs, folder, qa.settings, backend)
            row["cold_start"] = bench_cold(folder / "idx0", cold_runs, qa.settings, backend)
            if gate:
                cache = str(qa.settings.index.onnx_cache)
                job = (type(qa).load, str(folder / "idx0"), backend, cache, list(gate))
                row["quality"] = in_child(_quality_job, *job)
            bar.update(ingest_runs + cold_runs)
    add_speedups(rows)
    gate_quality(rows)
    return rows, vectors


def run_bench(
    qa,
    pdf: Path,
    questions: Sequence[str],
    sizes: Sequence[int],
    n_questions: int,
    embed_chunks: int,
    ingest_runs: int,
    cold_runs: int,
    progress: bool = True,
    backends: Sequence[str] = BACKENDS,
    ocr_pages: int = 6,
    corpus_copies: Sequence[int] = (),
    gate: Sequence = (),
) -> dict:
    """Every section in one run; ``ingest`` is the configured backend's, from ``backends``;
    ``gate``: question records whose recall each backend's own index is measured on."""
    from tqdm import tqdm

    configured = qa.embedder.backend
    backends = tuple(dict.fromkeys([*backends, configured]))
    steps = len(backends) * (1 + ingest_runs + cold_runs) + n_questions + cold_runs + len(sizes)
    bar = tqdm(total=steps, desc="bench", file=sys.stderr, disable=not progress)
    result: dict = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "configured_backend": configured,
    }
    asked = [questions[i % len(questions)] for i in range(n_questions)]
    texts = real_chunks(qa, embed_chunks)
    rows, vectors = bench_backends(qa, pdf, texts, asked, backends, ingest_runs, cold_runs, bar, gate)
    result["backends"] = rows
    result["ingest"] = rows[configured]["ingest"]
    bar.set_postfix_str("warm search/ask")
    result["warm"] = bench_warm(qa, asked, bar)
    bar.set_postfix_str("sentence vectors")
    result["sentences"] = bench_sentences(qa, asked[:50])
    bar.set_postfix_str("cold start")
    result["cold_start"] = bench_cold(qa.settings.index_dir, cold_runs, qa.settings, configured)
    bar.update(cold_runs)
    ix = qa.settings.index
    result["scale"] = run_scale(sizes, ix.nprobe, ix.probe_share, bar=bar)
    result["embedding"] = bench_embedding(qa, rows[configured], vectors[configured], questions)
    if corpus_copies:
        bar.set_postfix_str("corpus ingest")
        with tempfile.TemporaryDirectory() as tmp:
            hows = list(dict.fromkeys([configured, *(["torch"] if "torch" in backends else [])]))
            result["corpus"] = bench_corpus(pdf, corpus_copies, Path(tmp), qa.settings, hows, ray=True)
    if ocr_pages:
        bar.set_postfix_str("OCR")
        result["ocr"] = bench_ocr(pdf, ocr_pages, qa.settings.ingest.ocr_dpi)
    bar.close()
    return result


def format_bench(r: dict) -> str:
    i, w, c, e = r["ingest"], r["warm"], r["cold_start"], r["embedding"]
    lines = [
        f"machine: {r['machine']['cpus']} CPUs, Python {r['machine']['python']}",
        "",
        f"ingest of the report ({i['chunks']} chunks, median of {i['runs']} fresh processes): "
        f"{i['wall_s_median']:.1f} s wall, {i['without_model_load_s_median']:.1f} s without model load "
        f"({i['model_load_s_median']:.1f} s load), peak RSS {i['peak_rss_mb_max']:.0f} MB",
        "",
        f"{'warm, ' + str(w['questions']) + ' questions':<28}{'median ms':>10}{'p95 ms':>10}{'x embed':>9}",
    ]
    for name in ("embed", "search", "ask"):
        row = w[name]
        lines.append(
            f"{name:<28}{row['median_ms']:>10.1f}{row['p95_ms']:>10.1f}{row['ratio_to_embedding']:>9.2f}"
        )
    lines += [
        f"answer step (ask - search): median {w['answer_step_median_ms']:.1f} ms = "
        f"{w['answer_step_share_of_search']:.2f} of search",
        "",
        f"cold start (fresh `coopqa ask` to printed answer, {c['runs']} runs): median {c['median_s']:.1f} s, "
        f"max {c['max_s']:.1f} s, torch imported: {'yes' if c['torch_imported'] else 'no'}",
        "",
        *format_backends(r["backends"], r["configured_backend"]),
        "",
        *format_scale(r["scale"]),
    ]
    lines += [
        "",
        f"embedding throughput ({e['backend']}): {e['chunks']} real-text chunks of ~200 tokens in "
        f"{e['seconds']:.1f} s = {e['chunks_per_s']:.1f} chunks/s ({e['threads']} threads)",
        f"IVF recall@10 against exact on those {e['chunks']} real vectors, {e['recall_queries']} real "
        f"questions: {e['ivf_recall@10_on_these_vectors']:.3f}",
    ]
    if r.get("sentences"):
        lines += ["", *format_sentences(r["sentences"])]
    if r.get("corpus"):
        lines += ["", *format_corpus(r["corpus"])]
    if r.get("ocr"):
        lines += ["", *format_ocr(r["ocr"])]
    return "\n".join(lines)


def write_bench(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return path
