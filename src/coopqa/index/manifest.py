"""The manifest of a generation: what the index was built with and the sha256 of every file.

``build_manifest`` writes it; ``check_compatible`` refuses an index built with another format,
model, embedding backend, tokenizer or chunk size; ``doc_infos`` reads back the documents it
lists. A manifest is plain JSON so that a person can read what an index holds.

The embedding backend (``backend``, and ``onnx_sha256``: the sha256 of the ``.onnx`` file an
ONNX backend ran) is recorded because the backends' vectors differ slightly: questions must be
embedded the way the index was. A manifest without ``backend`` was written before there was a
choice, by the torch backend. ``onnx_sha256`` is a record, not a check: the int8 file depends on
the CPU's quantisation preset, and two presets' vectors differ less than int8's from torch's.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from ..core.errors import IndexStaleError
from ..core.records import DocInfo
from ..core.settings import INDEX_FORMAT, TOKENIZER, Settings
from .embedding import check_backend
from .structures import faiss_kind

RERUN = "run `coopqa ingest --rebuild` to rebuild it"


def build_manifest(data, files: dict[str, str], text_files: dict[str, str], ann_threshold: int) -> dict:
    """The manifest of ``data`` (an ``IndexData``) whose files have the given sha256."""
    return {
        "format": INDEX_FORMAT,
        "model": data.model,
        "model_sha256": data.model_sha256,
        "dim": data.dim,
        "backend": data.backend,
        "onnx_sha256": data.backend_sha256 or None,
        "tokenizer": TOKENIZER,
        "chunking": {"max_tokens": data.max_tokens},
        "faiss": faiss_kind(len(data.chunks), ann_threshold),
        "documents": [
            {
                **asdict(doc),
                "labels": list(doc.labels),
                "running": list(doc.running),
                "ocr_pages": list(doc.ocr_pages),
                "text": text_files[doc.name],
            }
            for doc in data.documents
        ],
        "counts": {
            "documents": len(data.documents),
            "pages": sum(d.pages for d in data.documents),
            "chunks": len(data.chunks),
            "tokens": sum(c.tokens for c in data.chunks),
        },
        "files": files,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def recorded_backend(manifest: dict) -> str:
    """The embedding backend an index was built with (``torch`` before the choice existed)."""
    return manifest.get("backend") or "torch"


def check_compatible(manifest: dict, settings: Settings, model_sha256: str) -> None:
    """Refuse an index built with another format, model, backend, tokenizer or chunk size."""
    problems = []
    backend, configured = recorded_backend(manifest), check_backend(settings.index.backend)
    if backend != configured:
        problems.append(f"it was embedded by the {backend} backend, the configured one is {configured}")
    if manifest.get("format") != INDEX_FORMAT:
        problems.append(f"format {manifest.get('format')} (this coopqa reads {INDEX_FORMAT})")
    if manifest.get("model_sha256") != model_sha256:
        problems.append("embedding model weights differ from the ones configured")
    if manifest.get("tokenizer") != TOKENIZER:
        problems.append(f"tokenizer {manifest.get('tokenizer')} (expected {TOKENIZER})")
    if manifest.get("chunking", {}).get("max_tokens") != settings.ingest.max_tokens:
        problems.append(
            f"chunk size {manifest.get('chunking', {}).get('max_tokens')} "
            f"(settings say {settings.ingest.max_tokens})"
        )
    if problems:
        fix = "run `coopqa ingest --rebuild`"
        if len(problems) == 1 and backend != configured:
            fix += f" to re-embed it, or set COOPQA_EMBED_BACKEND={backend}"
        raise IndexStaleError("index is stale: " + "; ".join(problems) + "; " + fix)


def doc_infos(manifest: dict) -> tuple[DocInfo, ...]:
    """The documents a manifest lists."""
    return tuple(
        DocInfo(
            name=d["name"],
            path=d["path"],
            sha256=d["sha256"],
            pages=d["pages"],
            labels=tuple(d["labels"]),
            chunks=d["chunks"],
            added=d["added"],
            kind=d.get("kind", "pdf"),
            running=tuple(d.get("running", ())),
            ocr_pages=tuple(d.get("ocr_pages", ())),
            reader=d.get("reader", ""),
        )
        for d in manifest["documents"]
    )
