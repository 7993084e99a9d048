"""Ingest of a many-document corpus, per embedding backend and through Ray, for ``coopqa bench``.

``make_corpus`` writes ``copies`` distinct copies of a PDF (the same pages, a different
``/Subject``, so each has its own sha256 and is read and embedded as a document of its own):
real-shaped text at any size without shipping more PDFs. ``bench_corpus`` ingests the corpus in a
fresh process per backend (and once with ``--ray`` on a local cluster, when Ray is installed),
each into its own index: wall time, pages a second, texts embedded, and the main process's peak
memory. Run at two sizes, the peaks show how ingest memory grows with the number of documents.

Invariants
    * Every run starts from an empty index (``rebuild``) and sees the same files.
    * Ray runs on a cluster it starts on 127.0.0.1 and stops (``index.distributed``).
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Sequence
from pathlib import Path

from ..core.settings import Settings
from .processes import in_child, peak_mb


def make_corpus(pdf: Path, copies: int, folder: Path) -> list[Path]:
    """``copies`` copies of ``pdf`` in ``folder``, each with its own ``/Subject`` (and sha256)."""
    from pypdf import PdfWriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(copies):
        writer = PdfWriter(clone_from=str(pdf))
        writer.add_metadata({"/Subject": f"coopqa bench copy {n}"})
        path = folder / f"{pdf.stem}-{n:03d}.pdf"
        with open(path, "wb") as handle:
            writer.write(handle)
        paths.append(path)
    return paths


def _corpus_job(folder: str, index: str, backend: str, cache: str, ray: bool) -> dict:
    """In a fresh process: ingest every PDF of ``folder`` into a new index."""
    settings = Settings.from_env().with_index(index).override(backend=backend, onnx_cache=cache)
    started = time.perf_counter()
    if ray:
        from ..index.distributed import ingest_ray

        report = ingest_ray([Path(folder)], settings, None, rebuild=True)
    else:
        from ..index.collection import ingest

        report = ingest([Path(folder)], settings, rebuild=True)
    seconds = time.perf_counter() - started
    return {
        "documents": report.documents,
        "pages": report.pages,
        "chunks": report.chunks,
        "seconds": seconds,
        "pages_per_s": report.pages / seconds,
        "model_seconds": report.model_seconds,
        "peak_rss_mb": peak_mb(),
    }


def bench_corpus(
    pdf: Path, copies: Sequence[int], folder: Path, settings: Settings, backends: Sequence[str], ray: bool
) -> dict:
    """``{"copies": {n: {backend or "ray:<backend>": row}}}``: the first backend at every size (how
    memory grows), the others and Ray (with the first backend) at the largest size only."""
    cache = str(settings.index.onnx_cache)
    ray = ray and importlib.util.find_spec("ray") is not None
    out: dict = {"pdf": pdf.name, "ray_installed": importlib.util.find_spec("ray") is not None, "copies": {}}
    for n in copies:
        corpus = folder / f"corpus-{n}"
        make_corpus(pdf, n, corpus)
        rows = {}
        for backend in backends if n == max(copies) else backends[:1]:
            index = str(folder / f"idx-{n}-{backend}")
            rows[backend] = in_child(_corpus_job, str(corpus), index, backend, cache, False)
        if ray and n == max(copies):
            backend = backends[0]
            index = str(folder / f"idx-{n}-ray")
            rows[f"ray:{backend}"] = in_child(_corpus_job, str(corpus), index, backend, cache, True)
        out["copies"][str(n)] = rows
    return out


def format_corpus(c: dict) -> list[str]:
    lines = [
        f"corpus ingest (copies of {c['pdf']}, each its own document; fresh process per row)",
        f"{'copies':>6}  {'how':<16}{'pages':>7}{'chunks':>8}{'wall s':>8}{'pages/s':>9}{'peak MB':>9}",
    ]
    for n, rows in c["copies"].items():
        for how, row in rows.items():
            lines.append(
                f"{n:>6}  {how:<16}{row['pages']:>7}{row['chunks']:>8}{row['seconds']:>8.1f}"
                f"{row['pages_per_s']:>9.1f}{row['peak_rss_mb']:>9.0f}"
            )
    if not c["ray_installed"]:
        lines.append("Ray is not installed here (pip install -e '.[ray]'): no Ray row")
    return lines
