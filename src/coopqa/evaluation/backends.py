"""The embedding backends side by side, for ``coopqa bench``: speed and agreement with torch.

``compare_backends`` embeds the same real texts and the same questions with every backend in
one process, one backend after the other: the median time to embed one question (after a
warm-up, one question a call, as a search does), texts per second over the texts in batches,
and the cosine of each backend's vectors to torch's, row by row (mean and min over the texts
and the questions). ``add_speedups`` turns those and the ingest and cold-start times the bench
adds into "times faster than torch"; ``gate_quality`` marks whether each backend's recall on its
own index (measured by the bench) stays within ``GATE`` of torch's; ``format_backends`` prints
the table.

Invariants
    * Every backend sees the same texts, questions and batch size; torch is the reference, and
      ratios are only taken between numbers of the same run (a shared machine's noise is shared).
    * Loading the torch backend here imports torch into the measuring process; the cold starts
      that matter run in fresh processes (the bench's ``bench_cold``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from ..core.settings import Settings
from ..index.embedding import BACKENDS, load_embedder
from .metrics import median

# the quality gate: how far below torch's recall the default backend may be
GATE = {"recall@1": 0.02, "recall@5": 0.01}

# (row key, sub-key or "", True when a larger value is faster)
SPEEDS = {
    "question": ("question_ms_median", "", False),
    "texts": ("texts_per_s", "", True),
    "ingest": ("ingest", "wall_s_median", False),
    "cold_start": ("cold_start", "median_s", False),
}


def measure_backend(embedder, texts: Sequence[str], questions: Sequence[str], batch_size: int):
    """``(row, text vectors, question vectors)`` of one embedder."""
    embedder.embed([questions[0]])  # warm up both paths
    embedder.embed(list(texts[:batch_size]), batch_size=batch_size)
    times, question_vectors = [], []
    for question in questions:
        started = time.perf_counter()
        question_vectors.append(embedder.embed([question])[0])
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    text_vectors = embedder.embed(list(texts), batch_size=batch_size)
    seconds = time.perf_counter() - started
    row = {
        "questions": len(questions),
        "question_ms_median": 1000 * median(times),
        "question_ms_p95": 1000 * float(np.percentile(times, 95)),
        "texts": len(texts),
        "texts_seconds": seconds,
        "texts_per_s": len(texts) / seconds,
        "threads": getattr(embedder, "threads", None),
        "onnx_sha256": getattr(embedder, "file_sha256", "") or None,
    }
    return row, text_vectors, np.vstack(question_vectors)


def compare_backends(
    settings: Settings,
    texts: Sequence[str],
    questions: Sequence[str],
    batch_size: int,
    backends: Sequence[str] = BACKENDS,
) -> tuple[dict, dict[str, np.ndarray]]:
    """``({backend: row}, {backend: text vectors})``; rows carry ``cos_to_torch`` when torch is
    among the backends."""
    rows, text_vectors, question_vectors = {}, {}, {}
    for backend in backends:
        embedder = load_embedder(settings.override(backend=backend))
        rows[backend], text_vectors[backend], question_vectors[backend] = measure_backend(
            embedder, texts, questions, batch_size
        )
    if "torch" in rows:
        for backend, row in rows.items():
            on_texts = np.sum(text_vectors[backend] * text_vectors["torch"], axis=1)
            on_questions = np.sum(question_vectors[backend] * question_vectors["torch"], axis=1)
            both = np.concatenate([on_texts, on_questions])
            row["cos_to_torch"] = {
                "mean": float(both.mean()),
                "min": float(both.min()),
                "min_questions": float(on_questions.min()),
            }
    return rows, text_vectors


def add_speedups(rows: dict) -> None:
    """Each row's ``speedup_vs_torch``: torch's time over its time (or its rate over torch's)."""
    reference = rows.get("torch")
    if reference is None:
        return
    for row in rows.values():
        row["speedup_vs_torch"] = {}
        for name, (key, sub, larger_is_faster) in SPEEDS.items():
            mine, ref = row.get(key), reference.get(key)
            if sub:
                mine, ref = (mine or {}).get(sub), (ref or {}).get(sub)
            if mine and ref:
                row["speedup_vs_torch"][name] = mine / ref if larger_is_faster else ref / mine


def gate_quality(rows: dict) -> None:
    """Each row's ``quality.holds``: recall@1 and @5 at most ``GATE`` below torch's."""
    reference = (rows.get("torch") or {}).get("quality")
    for row in rows.values():
        mine = row.get("quality")
        if mine and reference:
            mine["holds"] = all(reference[key] - mine[key] <= allowed + 1e-9 for key, allowed in GATE.items())


def _cell(value, width: int, spec: str) -> str:
    return f"{'-' if value is None else format(value, spec):>{width}}"


def format_backends(rows: dict, configured: str) -> list[str]:
    """The backends table (``x torch``: times faster than torch in this run)."""
    lines = [
        "embedding backends, one run (x torch = times faster than torch; * = configured)",
        f"{'backend':<11}{'1q ms':>7}{'x torch':>9}{'texts/s':>9}{'x torch':>9}{'cos mean':>10}"
        f"{'cos min':>9}{'ingest s':>10}{'x torch':>9}{'cold s':>8}{'x torch':>9}{'R@1':>7}{'R@5':>7}"
        "  torch loaded",
    ]
    for backend, row in rows.items():
        speed, cos = row.get("speedup_vs_torch", {}), row.get("cos_to_torch") or {}
        ingest, cold, quality = row.get("ingest", {}), row.get("cold_start", {}), row.get("quality", {})
        loaded = cold.get("torch_imported")
        lines.append(
            f"{backend + ('*' if backend == configured else ''):<11}"
            + _cell(row["question_ms_median"], 7, ".2f")
            + _cell(speed.get("question"), 9, ".2f")
            + _cell(row["texts_per_s"], 9, ".1f")
            + _cell(speed.get("texts"), 9, ".2f")
            + _cell(cos.get("mean"), 10, ".4f")
            + _cell(cos.get("min"), 9, ".4f")
            + _cell(ingest.get("wall_s_median"), 10, ".1f")
            + _cell(speed.get("ingest"), 9, ".2f")
            + _cell(cold.get("median_s"), 8, ".2f")
            + _cell(speed.get("cold_start"), 9, ".2f")
            + _cell(quality.get("recall@1"), 7, ".3f")
            + _cell(quality.get("recall@5"), 7, ".3f")
            + f"  {'-' if loaded is None else 'yes' if loaded else 'no'}"
        )
    first = next(iter(rows.values()), {})
    lines.append(
        f"1q: median of {first.get('questions', 0)} single questions after a warm-up; texts/s over "
        f"{first.get('texts', 0)} real ~200-token chunks; cos: row by row against torch, texts and questions"
    )
    gated = {name: row["quality"] for name, row in rows.items() if "holds" in row.get("quality", {})}
    if gated:
        n = next(iter(gated.values()))["questions"]
        verdicts = ", ".join(f"{name} {'holds' if q['holds'] else 'FAILS'}" for name, q in gated.items())
        lines.append(
            f"R@1, R@5: hybrid search of {n} questions on each backend's own index; quality gate "
            f"(at most {GATE['recall@1']} / {GATE['recall@5']} below torch): {verdicts}"
        )
    return lines
