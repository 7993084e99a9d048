"""The ``onnx-int8`` and ``onnx-fp32`` embedding backends: onnxruntime + tokenizers, no torch.

They reproduce sentence-transformers' Transformer -> mean Pooling -> Normalize pipeline on an
ONNX copy of the encoder that :mod:`.onnx_export` builds once from the local, sha-checked
weights. fp32 matches torch to float rounding (cos > 0.99999); int8 is dynamically quantised
(cos to torch about 0.99 mean, 0.98 min) and roughly twice as fast on a CPU.

Invariants
    * Importing this module imports numpy only; building the embedder imports onnxruntime and
      tokenizers, and torch only if the cache has no verified file yet (the one-time export).
    * ``embed`` returns float32 rows in input order, L2-normalised; texts are truncated at the
      model's ``max_seq_length`` (256 for all-MiniLM-L6-v2) and padded per batch: the fixed
      padding and truncation stored in ``tokenizer.json`` are overridden.
    * int8 vectors depend slightly on their batch mates (one activation scale per batch:
      cos 0.98-1.0 between a text alone and in a batch); fp32 is batch-invariant.
    * Single-segment inputs only: ``token_type_ids`` are zero.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from ..core.errors import ModelError
from .embedding import token_batches
from .onnx_export import OUTPUT_NAME, ensure_onnx, recorded_sha256


def _cpu_count() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path} is unreadable ({exc})") from None


def model_config(model_dir: Path) -> tuple[int, bool]:
    """``(max_seq_length, do_lower_case)`` of a sentence-transformers folder, refusing a model
    whose pooling is not the mean (the only pooling the ONNX backends implement)."""
    config = _read_json(model_dir / "sentence_bert_config.json")
    pooling = _read_json(model_dir / "1_Pooling" / "config.json")
    if pooling and not pooling.get("pooling_mode_mean_tokens", False):
        raise ModelError(
            f"{model_dir}: the ONNX backends do mean pooling only, this model pools otherwise; "
            "set COOPQA_EMBED_BACKEND=torch"
        )
    if not (model_dir / "tokenizer.json").is_file():
        raise ModelError(f"{model_dir} has no tokenizer.json; set COOPQA_EMBED_BACKEND=torch")
    return int(config.get("max_seq_length") or 256), bool(config.get("do_lower_case", False))


def mean_pool_normalize(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of ``hidden`` [b, s, d] over the unmasked tokens, rows L2-normalised (float32 [b, d])."""
    weights = mask.astype(np.float32)[:, :, None]
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class OnnxEmbedder:
    """A sentence-transformers folder's model run by onnxruntime (``variant`` "int8" or "fp32")."""

    def __init__(
        self, model_path: str, weights_sha256: str, name: str, variant: str, cache_dir: Path
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(model_path)
        max_length, self.lower = model_config(folder)
        path = ensure_onnx(folder, Path(cache_dir), variant, weights_sha256)
        self.backend = f"onnx-{variant}"
        self.name = name
        self.weights_sha256 = weights_sha256
        self.file_sha256 = recorded_sha256(path)  # verified against the file by ensure_onnx
        self.path = path
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()  # the file pads to a fixed 128: pad per batch instead
        self.tokenizer.enable_truncation(max_length=max_length)
        options = ort.SessionOptions()
        self.threads = _cpu_count()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own exception types
            raise ModelError(f"cannot load {path}: {exc}; delete it to have it rebuilt") from None
        self._inputs = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        """One batch of token id lists, padded to its longest, embedded."""
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        (hidden,) = self.session.run([OUTPUT_NAME], {k: v for k, v in feeds.items() if k in self._inputs})
        return mean_pool_normalize(hidden, mask)

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """float32 [len(texts), dim], unit rows in the order of ``texts``. Texts are tokenised
        once and batched by :func:`~.embedding.token_batches` (longest first: little padding)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [t.lower() for t in texts] if self.lower else list(texts)
        ids = [enc.ids for enc in self.tokenizer.encode_batch(texts)]
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        for rows in token_batches([len(row) for row in ids], batch_size):
            out[rows] = self._run([ids[i] for i in rows])
        return out
