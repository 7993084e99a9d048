"""The ``onnx-int8`` and ``onnx-fp32`` embedding backends: onnxruntime + tokenizers, no torch.

They reproduce sentence-transformers' Transformer -> mean Pooling -> Normalize pipeline on an
ONNX copy of the encoder that :mod:`.onnx_export` builds once from the local, sha-checked
weights. fp32 matches torch to float rounding (cos > 0.99999); int8 is dynamically quantised
(cos to torch about 0.99 mean, 0.98 min) and roughly twice as fast on a CPU.

Invariants
    * Importing this module imports numpy only; building the embedder imports onnxruntime and
      tokenizers, and torch only if the cache has no verified file yet (the one-time export).
    * ``embed`` returns float32 rows in input order, L2-normalised; texts are truncated at the
      model's ``max_seq_length`` (256 for all-MiniLM-L6-v2) and never padded: the fixed padding
      and truncation stored in ``tokenizer.json`` are overridden.
    * Each text is run alone, on one of ``workers`` single-threaded sessions working side by
      side, so a vector never depends on the other texts embedded with it. (Batched, int8
      vectors moved with their batch mates, one activation scale per batch: cos 0.98-1.0
      between a text alone and in a batch. One session per CPU, one text at a time, was as fast
      as token-sized batches on two threads, or faster, on the machine the README measures.)
    * Single-segment inputs only: ``token_type_ids`` are zero.
    * :meth:`OnnxEmbedder.embed_while` runs one caller's task on a helper thread while a text is
      embedded on the calling thread (onnxruntime releases the GIL while the model runs). The
      text is tokenised before the task is handed over, so the caller reaches the model within
      microseconds and the task takes the GIL then (handed the other way round, the embedding
      waited for the task: slower than no helper). With one CPU the task runs first. The helper,
      one thread, stays with the loaded model.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import numpy as np

from ..core.errors import ModelError
from .onnx_export import OUTPUT_NAME, ensure_onnx, recorded_sha256

T = TypeVar("T")
MAX_WORKERS = 8  # sessions side by side at most (each holds the model: ~23 MB int8, ~90 MB fp32)


def _cpu_count() -> int:
    """CPUs this process may run on, at most ``OMP_NUM_THREADS`` when that is set (a Ray actor
    sets it to the CPUs it reserved)."""
    try:
        cpus = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = max(1, os.cpu_count() or 1)
    cap = os.environ.get("OMP_NUM_THREADS", "")
    return min(cpus, int(cap)) if cap.isdigit() and int(cap) > 0 else cpus


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
        self.tokenizer.no_padding()  # the file pads to a fixed 128: each text runs alone, unpadded
        self.tokenizer.enable_truncation(max_length=max_length)
        cpus = _cpu_count()
        self.workers = min(cpus, MAX_WORKERS)
        each = max(1, cpus // self.workers)  # intra-op threads of each session
        self.threads = each * self.workers  # in all, as the torch backend counts them
        self.sessions = [_session(ort, path, each) for _ in range(self.workers)]
        self.session = self.sessions[0]
        self._inputs = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self._helper: ThreadPoolExecutor | None = None  # for embed_while; made on first use
        self._helper_lock = threading.Lock()

    def _run(self, session, ids: list[int]) -> np.ndarray:
        """One text's token ids embedded: a unit row."""
        input_ids = np.asarray([ids], dtype=np.int64)
        mask = np.ones_like(input_ids)
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        (hidden,) = session.run([OUTPUT_NAME], {k: v for k, v in feeds.items() if k in self._inputs})
        return mean_pool_normalize(hidden, mask)[0]

    def embed_while(self, text: str, task: Callable[[], T]) -> tuple[np.ndarray, T]:
        """``(embedding of text, task())``, the task run on a helper thread while the model runs:
        a question's vector and the reading of its words (which needs no vector) take the time
        of the longer of the two, not of both. The task's error is raised after the model ran."""
        if self.workers == 1:  # one CPU: side by side would only take turns
            result = task()
            return self.embed([text])[0], result
        ids = self.tokenizer.encode(text.lower() if self.lower else text).ids
        with self._helper_lock:
            if self._helper is None:
                self._helper = ThreadPoolExecutor(1, thread_name_prefix="coopqa-meanwhile")
            future = self._helper.submit(task)
        try:
            vector = self._run(self.session, ids)
        finally:
            result = future.result()
        return vector, result

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """float32 [len(texts), dim], unit rows in the order of ``texts``. Texts are tokenised
        once, then run one at a time, longest first, by the sessions side by side
        (``batch_size`` is the interface's; this backend does not batch, see the module notes)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [t.lower() for t in texts] if self.lower else list(texts)
        ids = [enc.ids for enc in self.tokenizer.encode_batch(texts)]
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        if len(ids) == 1 or self.workers == 1:
            for i, row in enumerate(ids):
                out[i] = self._run(self.session, row)
            return out
        jobs = iter(sorted(range(len(ids)), key=lambda i: -len(ids[i])))  # longest first: even finish
        lock, failed = threading.Lock(), threading.Event()

        def work(session) -> None:
            while not failed.is_set():  # one session's error stops the others
                with lock:
                    i = next(jobs, None)
                if i is None:
                    return
                try:
                    out[i] = self._run(session, ids[i])
                except BaseException:
                    failed.set()
                    raise

        # threads of this call only: an ingest leaves none behind (the pipeline's tests check it)
        with ThreadPoolExecutor(self.workers, thread_name_prefix="coopqa-embed") as pool:
            errors = [f.exception() for f in [pool.submit(work, s) for s in self.sessions]]
        failure = next((e for e in errors if e is not None), None)
        if failure is not None:  # every session has stopped: raise the first error here
            raise failure
        return out


def _session(ort, path: Path, threads: int):
    """An onnxruntime CPU session of ``path`` with ``threads`` intra-op threads."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own exception types
        raise ModelError(f"cannot load {path}: {exc}; delete it to have it rebuilt") from None
