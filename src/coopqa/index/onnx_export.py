"""The ONNX copies of the embedding model: exported from the local, sha-checked weights, cached.

``ensure_onnx(model_dir, cache_dir, variant, source_sha256)`` returns the path of a verified
``.onnx`` file (``"fp32"``, or ``"int8"`` dynamically quantised with this CPU's preset), building
it on first use. Nothing is downloaded: the export reads the same local folder the torch backend
loads, with ``HF_HUB_OFFLINE`` set and ``local_files_only=True``.

Invariants
    * torch and transformers are imported only inside :func:`export_onnx`, i.e. only while a
      cache entry is built; a verified cache is used without them.
    * Cache layout: ``cache_dir/<sha256 of the weights>/fp32-r<RECIPE>.onnx`` and
      ``int8-<cpu>-pc<0|1>-rr<0|1>-r<RECIPE>.onnx``, each with ``<file>.sha256`` beside it
      (``sha256sum`` format). Other weights, another recipe or another CPU preset never reuse a
      file; a file whose digest does not match its ``.sha256`` (or has none) is rebuilt.
    * Every file is written under a temporary name in its folder and moved into place with
      ``os.replace``; builders of one folder are serialised by a lock file, so a reader never
      sees half a file and two processes never build the same file at once.
    * The export and the quantisation are deterministic for given library versions (the same
      bytes, hence the same sha256, on a rebuild).
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import ModelError
from ..core.files import sha256_file

RECIPE = 1  # bump when the export or quantisation settings change: old cache entries are then ignored
OPSET = 17  # LayerNormalization is a native op from 17
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "last_hidden_state"
VARIANTS = ("fp32", "int8")

# Dynamic int8 settings per CPU flavour; weights are QInt8 (activations QUInt8, the only choice of
# quantize_dynamic). After optimum's AutoQuantizationConfig: per_channel=True everywhere (without
# it the cosine to torch falls to 0.96 mean, 0.90 min on this model), reduce_range=False on
# arm64, AVX-512 VNNI and AVX2 (7-bit weights did not help on an AVX2 machine); an unknown or
# SSE-only x86 CPU takes reduce_range=True, onnxruntime's advice for x86 without VNNI.
QUANT_PRESETS: dict[str, dict[str, bool]] = {
    "avx512_vnni": {"per_channel": True, "reduce_range": False},
    "arm64": {"per_channel": True, "reduce_range": False},
    "avx2": {"per_channel": True, "reduce_range": False},
    "other": {"per_channel": True, "reduce_range": True},
}

# Warnings of the TorchScript exporter for this graph, checked and harmless (the fp32 export
# matches torch to cos > 0.99999, padded rows included): the exporter's deprecation notice;
# transformers' padding-mask length test, a Python bool under tracing whose both sides are the
# same dynamic axis; aten::index with aranges, never negative.
_BENIGN_EXPORT_WARNINGS = (  # (message regex, module regex)
    (r"You are using the legacy TorchScript-based ONNX export", r""),
    (r"The feature will be removed", r"torch\."),
    (r"Converting a tensor to a Python boolean", r"transformers\."),
    (r"Exporting aten::index operator of advanced indexing", r"torch\.onnx\."),
)


@contextlib.contextmanager
def _atomic_path(out_path: Path) -> Iterator[Path]:
    """A temporary path beside ``out_path``, moved into place only if the block succeeds."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def export_onnx(model_dir: Path, out_path: Path) -> Path:
    """The BERT encoder of ``model_dir`` as ONNX at ``out_path``: inputs ``input_ids``,
    ``attention_mask``, ``token_type_ids`` (int64, batch and sequence axes dynamic), output
    ``last_hidden_state``. TorchScript exporter (``dynamo=False``), eager attention; the dummy
    batch has a padded row so that tracing keeps the padding mask."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")

    class Encoder(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    input_ids = torch.full((2, 16), 1000, dtype=torch.long)
    attention_mask = torch.ones((2, 16), dtype=torch.long)
    attention_mask[1, 10:] = 0
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUT_NAMES, OUTPUT_NAME)}
    with _atomic_path(out_path) as tmp, torch.no_grad(), warnings.catch_warnings():
        for message, module in _BENIGN_EXPORT_WARNINGS:
            warnings.filterwarnings("ignore", message=message, module=module)
        torch.onnx.export(
            Encoder(model.eval()).eval(),
            (input_ids, attention_mask, torch.zeros_like(input_ids)),
            str(tmp),
            dynamo=False,
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )
    return out_path


def _cpu_flags() -> set[str]:
    """The flags of the first processor in /proc/cpuinfo; empty where there is none."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_flavour() -> str:
    """``"avx512_vnni"``, ``"avx2"``, ``"arm64"`` or ``"other"`` (no /proc/cpuinfo, other CPUs)."""
    machine = platform.machine().lower()
    if machine in ("arm64", "aarch64", "armv8l"):
        return "arm64"
    flags = _cpu_flags() if machine in ("x86_64", "amd64", "i386", "i686", "x86") else set()
    if "avx512_vnni" in flags or "avx512vnni" in flags:
        return "avx512_vnni"
    return "avx2" if "avx2" in flags else "other"


def quantize_int8(fp32_path: Path, out_path: Path, cpu: str | None = None) -> Path:
    """Dynamic int8 quantisation of ``fp32_path`` into ``out_path`` with the ``cpu`` preset."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    flavour = cpu or cpu_flavour()
    if flavour not in QUANT_PRESETS:
        raise ValueError(f"unknown cpu flavour {flavour!r}; expected one of {sorted(QUANT_PRESETS)}")
    root = logging.getLogger()  # quantize_dynamic advises pre-processing on the root logger and
    level, handlers = root.level, list(root.handlers)  # adds a handler there (basicConfig)
    root.setLevel(max(level, logging.ERROR))
    try:
        with _atomic_path(out_path) as tmp:
            quantize_dynamic(fp32_path, tmp, weight_type=QuantType.QInt8, **QUANT_PRESETS[flavour])
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    return out_path


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _write_sidecar(path: Path) -> None:
    with _atomic_path(_sidecar(path)) as tmp:
        tmp.write_text(f"{sha256_file(path)}  {path.name}\n", encoding="utf-8")


def recorded_sha256(path: Path) -> str:
    """The digest in ``path``'s ``.sha256`` file, or ``""`` when it has none."""
    try:
        return _sidecar(path).read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return ""


def verified(path: Path) -> bool:
    """True when ``path`` and its ``.sha256`` exist and the file's digest matches."""
    expected = recorded_sha256(path)
    return bool(expected) and path.is_file() and sha256_file(path) == expected


@contextlib.contextmanager
def _cache_lock(folder: Path) -> Iterator[None]:
    """Serialise the builders of one cache folder across processes."""
    import fcntl

    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cache_file(cache_dir: Path, source_sha256: str, variant: str) -> Path:
    """Where the ``variant`` of the weights with ``source_sha256`` is cached on this CPU."""
    folder = Path(cache_dir) / source_sha256
    if variant == "fp32":
        return folder / f"fp32-r{RECIPE}.onnx"
    flavour = cpu_flavour()
    preset = QUANT_PRESETS[flavour]
    return folder / f"int8-{flavour}-pc{preset['per_channel']:d}-rr{preset['reduce_range']:d}-r{RECIPE}.onnx"


def ensure_onnx(model_dir: Path, cache_dir: Path, variant: str, source_sha256: str) -> Path:
    """A verified ``.onnx`` of the ``variant`` for ``model_dir`` (whose weights have been checked
    to have ``source_sha256``), built into ``cache_dir`` if missing or damaged.

    Raises:
        ModelError: the export or the quantisation failed (with what to do instead).
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    target = cache_file(cache_dir, source_sha256, variant)
    fp32 = cache_file(cache_dir, source_sha256, "fp32")
    if verified(target):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _cache_lock(target.parent):
            if verified(target):  # another process built it while this one waited
                return target
            print(f"coopqa: building the {variant} ONNX model once, into {target.parent}", file=sys.stderr)
            if not verified(fp32):
                export_onnx(Path(model_dir), fp32)
                _write_sidecar(fp32)
            if target != fp32:
                quantize_int8(fp32, target)
                _write_sidecar(target)
    except Exception as exc:  # noqa: BLE001 - every build failure is reported the same way
        raise ModelError(
            f"cannot build the ONNX model in {target.parent}: {exc}; "
            "set COOPQA_EMBED_BACKEND=torch to embed without it"
        ) from None
    return target
