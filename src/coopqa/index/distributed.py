"""Ray Data ingest for collections that outgrow one machine: ``coopqa ingest PATH --ray [ADDRESS]``.

Two stages run on the cluster; the driver streams each into Parquet shards in a staging folder.
1. Parse: ``read_binary_files``, then tasks running ``parse_documents`` (the local parser child
   and its limits) on batches of files, written under their own names to a temporary folder.
2. Embed: the driver plans the generation (``collection._plan``) and runs ``collection._vectors``
   with an embedder that records each ``embed`` call's texts: the local path's exact batches.
   Actors that load the model once (``load_embedder``) embed those calls; ``collection._index_data``
   runs again with an embedder replaying them, and ``store.write_index`` writes the generation.

Invariants: the generation is the one a local ingest of the same files writes (documents in
order, chunks, texts, pages, one ``added`` stamp, vectors of the same batches: int8 scales depend
on the batch). A file that cannot be read is reported with its reason and the others go on. All
actors use one model and backend, the index's own. Only the driver writes the index folder, a
whole generation. What this module starts it stops, even on failure: the local cluster
(127.0.0.1 only, no dashboard, no usage stats) and the staging folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import logging
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..core import errors
from ..core.errors import CoopQAError, IndexFolderError, IndexStaleError, UsageError
from ..core.records import Chunk, DocInfo, OcrBox
from ..core.settings import Settings
from ..ingest.documents import ParsedDocument, ParseResult, collect_files, parse_documents
from . import collection, store
from .embedding import load_embedder

OBJECT_STORE_MB = 512  # a local cluster's shared memory: ten files at the 50 MB limit; spills beyond
ACTOR_MEMORY_MB = 1024  # reserved per embedding actor: the model and its runtime (MiniLM: under 1 GiB)
_WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
STALE = "embedding model weights differ from the ones configured"
_IDENTITY = ("name", "weights_sha256", "dim", "backend", "file_sha256")  # of an Embedder
_PARSED = ("name", "status", "reason", "info", "text", "chunks", "ocr", "warnings")


@dataclass(frozen=True)
class RayShape:
    """How the work is spread over the cluster (see :func:`plan_shape`)."""

    cpus: int
    parse_batch: int  # files per parse task (1 CPU and one parser child each)
    actors: int
    threads: int  # intra-op threads of an actor, and the CPUs it reserves


def plan_shape(cpus: int, files: int, calls: int) -> RayShape:
    """The stages run one after the other, so each may use every CPU.

    A parse task takes ``files / (2 x CPUs)`` files (1 to 32): two rounds of tasks per CPU,
    each paying the parser child's start-up (about 1 s) once. An actor gets up to 4 threads
    (a small model gains little from more; below that, several actors share the CPUs), and
    there are no more actors than embedding calls.
    """
    cpus = max(1, cpus)
    threads = min(4, cpus)
    actors = max(1, min(cpus // threads, calls))
    return RayShape(cpus, min(32, math.ceil(max(1, files) / (2 * cpus))), actors, threads)


def ingest_ray(
    paths: Sequence[Path] | None,
    settings: Settings,
    address: str | None = None,
    rebuild: bool = False,
    progress: bool = False,
) -> collection.IngestReport:
    """:func:`collection.ingest` (add, replace, sync; not remove) with the parsing and embedding
    on a Ray cluster: the one at ``address``, or (``None``) a local one started for this run."""
    started, sync = time.perf_counter(), paths is None
    files = collect_files([settings.corpus_dir] if sync else list(paths))
    with store.write_lock(settings.index_dir):
        old = _old_index(settings, rebuild)
        docs = {d.name: d for d in old.documents} if old else {}
        for stale in settings.index_dir.glob(".staging-*"):  # a killed writer's (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        staging = settings.index_dir / f".staging-{os.getpid()}"
        staging.mkdir()
        work = collection.assembly_folder(settings.index_dir)  # the vectors, assembled on disk
        try:
            try:
                with ray_cluster(address) if files else contextlib.nullcontext(0) as cpus:
                    result = _parse(files, docs, settings, cpus, staging, progress)
                    removed = collection._gone_from_corpus(settings, docs, files, ()) if sync and old else []
                    report = collection.change_report(result, docs, removed)
                    if not (result.parsed or removed or old is None):
                        return collection._finish(report, old, started, 0.0, 0, written=False)
                    plan = collection._plan(old, docs, result.parsed, removed, result.failed)
                    calls = _Calls(old)
                    batch = settings.index.batch_size
                    collection._vectors(plan, old, calls, batch, False, work=work)  # records
                    if calls.texts:
                        _embed(calls, settings, cpus, staging, progress)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            if old is not None and calls.weights_sha256 != old.model_sha256:
                raise IndexStaleError(f"index is stale: {STALE}; run `coopqa ingest --rebuild`")
            data = collection._index_data(plan, old, calls, settings, False, work=work)  # replays
            collection.write_generation(settings, data, result.parsed)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        embedded = sum(source is None for source in plan.sources)
        return collection._finish(report, data, started, calls.seconds, embedded, written=True)


def _old_index(settings: Settings, rebuild: bool) -> store.IndexData | None:
    """The live index, checked but for its weights (checked once the actors have loaded theirs)."""
    if rebuild or not (settings.index_dir / "CURRENT").exists():
        return None
    try:
        model_sha = str(store.read_manifest(settings.index_dir)[1].get("model_sha256", ""))
    except IndexFolderError:
        model_sha = ""  # collection._existing reports what is wrong with the folder
    return collection._existing(settings, rebuild, model_sha)


@contextlib.contextmanager
def ray_cluster(address: str | None) -> Iterator[int]:
    """Connect to ``address``, or start a local cluster bound to 127.0.0.1; yield its CPUs; shut
    down. A Ray session the process already had is used and left running."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    if address is None:  # Ray then takes 127.0.0.1 as the node address and binds only that
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    try:
        import ray
    except ImportError:
        raise UsageError("--ray needs Ray: pip install 'coopqa[ray]'") from None
    if ray.is_initialized():
        yield int(ray.cluster_resources().get("CPU", 1))
        return
    if address is None:  # the variable is read when Ray is imported, which may have been earlier
        importlib.import_module("ray._private.ray_constants").ENABLE_RAY_CLUSTER = False
    ray.init(**_init_args(address))
    try:
        nodes = {node["NodeManagerAddress"] for node in ray.nodes() if node.get("Alive")}
        if address is None and nodes != {"127.0.0.1"}:
            raise CoopQAError(f"the local Ray cluster is not bound to 127.0.0.1 only ({', '.join(nodes)})")
        yield int(ray.cluster_resources().get("CPU", 1))
    finally:
        ray.shutdown()


def _init_args(address: str | None) -> dict:
    common = dict(log_to_driver=False, logging_level="warning", runtime_env={"env_vars": _WORKER_ENV})
    if address is not None:
        print(f"coopqa: ray: connecting to {address}", file=sys.stderr)
        return dict(address=address, **common)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    mib = OBJECT_STORE_MB
    print(f"coopqa: ray: local cluster on 127.0.0.1, {cpus} CPUs, object store {mib} MiB", file=sys.stderr)
    local = dict(num_cpus=cpus, object_store_memory=mib * 2**20, include_dashboard=False)
    return dict(address="local", _node_ip_address="127.0.0.1", **local, **common)


def _shards(ds, staging: Path, stage: str, progress: bool) -> list[dict]:
    """Stream a dataset's batches into ``staging/<stage>-<n>.parquet``, then read their rows back."""
    import pyarrow.parquet as pq
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = context.print_on_execution_start = progress
    logging.getLogger("ray.data").setLevel(logging.INFO if progress else logging.CRITICAL)
    started = time.perf_counter()
    try:
        for n, batch in enumerate(ds.iter_batches(batch_size=None, batch_format="pyarrow")):
            pq.write_table(batch, staging / f"{stage}-{n:05d}.parquet")
    except Exception as exc:  # noqa: BLE001 - the CoopQAError a task raised is the message
        raise _cause(exc) from None
    parts = sorted(staging.glob(f"{stage}-*.parquet"))
    print(
        f"coopqa: ray: {stage}: {len(parts)} shards in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )
    return [row for part in parts for row in pq.read_table(part).to_pylist()]


def _cause(exc: BaseException) -> CoopQAError:
    """The ``CoopQAError`` a task raised (Ray wraps it), else one naming Ray's error."""
    seen, current = set(), exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CoopQAError) and type(current).__module__.startswith("coopqa"):
            return current
        current = getattr(current, "cause", None) or current.__cause__
    first = (str(exc).strip().splitlines() or [""])[0]
    return CoopQAError(f"the Ray pipeline failed: {type(exc).__name__}: {first}"[:500])


def _parse(files, known, settings: Settings, cpus: int, staging: Path, progress: bool) -> ParseResult:
    """Stage 1: the local path's ``ParseResult`` of ``files`` (in their order), parsed on the cluster."""
    if not files:
        return ParseResult({}, (), ())
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")  # one for the run, as parse_documents has
    import ray.data

    shape = plan_shape(cpus, len(files), 0)
    print(f"coopqa: ray: parse: {cpus} CPUs, tasks of {shape.parse_batch} files, 1 CPU each", file=sys.stderr)
    paths, blocks = [str(f.absolute()) for f in files], math.ceil(len(files) / shape.parse_batch)
    ds = ray.data.read_binary_files(
        paths, include_paths=True, ignore_missing_paths=True, override_num_blocks=blocks
    )
    args = dict(fn_kwargs={"known": dict(known), "settings": settings}, num_cpus=1)
    ds = ds.map_batches(_parse_batch, batch_size=shape.parse_batch, batch_format="pyarrow", **args)
    rows = {row["name"]: row for row in _shards(ds, staging, "parsed", progress)}
    parsed, unchanged, failed = {}, [], []
    for path in files:
        row = rows.get(path.name) or {"status": "failed", "reason": "not read on the cluster (file gone?)"}
        if row["status"] == "unchanged":
            unchanged.append(path.name)
        elif row["status"] != "parsed":
            failed.append((path.name, row["reason"]))
        else:
            info = {key: tuple(v) if isinstance(v, list) else v for key, v in json.loads(row["info"]).items()}
            info.update(path=str(path.resolve()), added=stamp)  # as a local ingest records them
            chunks = tuple(Chunk.from_json(item) for item in json.loads(row["chunks"]))
            boxes = {
                int(n): tuple(OcrBox.from_json(b) for b in page) for n, page in json.loads(row["ocr"]).items()
            }
            warnings = tuple(json.loads(row["warnings"]))
            parsed[path.name] = ParsedDocument(DocInfo(**info), row["text"], chunks, boxes, warnings)
    return ParseResult(parsed, tuple(unchanged), tuple(failed))


def _parse_batch(batch, known: Mapping[str, DocInfo], settings: Settings):
    """Ray task: files (bytes, path) -> a row per file: parsed (info, text, chunks), unchanged or failed."""
    import pyarrow as pa

    with tempfile.TemporaryDirectory(prefix="coopqa-ray-") as folder:
        files = [Path(folder) / Path(path).name for path in batch.column("path").to_pylist()]
        for file, data in zip(files, batch.column("bytes").to_pylist()):
            file.write_bytes(data)
        names = [f.name for f in files]
        result = parse_documents(files, {n: known[n] for n in names if n in known}, settings, progress=False)
    reasons, rows = dict(result.failed), []
    for name in names:
        doc = result.parsed.get(name)
        status = "parsed" if doc else "unchanged" if name in result.unchanged else "failed"
        reason = reasons.get(name, "not parsed" if status == "failed" else "")
        if doc is None:
            rows.append((name, status, reason, "", "", "[]", "{}", "[]"))
        else:
            chunks = json.dumps([c.to_json() for c in doc.chunks])
            boxes = json.dumps({n: [b.to_json() for b in page] for n, page in doc.ocr_boxes.items()})
            info, warnings = json.dumps(asdict(doc.info)), json.dumps(list(doc.warnings))
            rows.append((name, status, reason, info, doc.text, chunks, boxes, warnings))
    return pa.table({key: pa.array(values, pa.large_string()) for key, values in zip(_PARSED, zip(*rows))})


def _embed(calls: _Calls, settings: Settings, cpus: int, staging: Path, progress: bool) -> None:
    """Stage 2: each recorded ``embed`` call's texts embedded by an actor; ``calls`` then replays them."""
    import ray.data

    count, batch = len(calls.texts), settings.index.batch_size
    shape = plan_shape(cpus, 0, count)
    actors = f"{shape.actors} actor(s) x {shape.threads} thread(s) ({ACTOR_MEMORY_MB} MiB each)"
    print(f"coopqa: ray: embed: {count} calls, {actors}, model batches of {batch}", file=sys.stderr)
    items = [{"call": n, "texts": texts} for n, texts in enumerate(calls.texts)]
    ds = ray.data.from_items(items, override_num_blocks=min(len(items), 4 * shape.actors))
    pool = ray.data.ActorPoolStrategy(size=shape.actors)
    args = {"settings": settings, "threads": shape.threads}
    actor = dict(fn_constructor_kwargs=args, num_cpus=shape.threads, memory=ACTOR_MEMORY_MB * 2**20)
    ds = ds.map_batches(_EmbedActor, batch_size=1, batch_format="pyarrow", compute=pool, **actor)
    rows = sorted(_shards(ds, staging, "vectors", progress), key=lambda row: row["call"])
    failures = sorted(row["error"] for row in rows if row["error"])
    if failures:  # the model could not be loaded: ModelError or UsageError, one message each
        kind, _, message = failures[0].partition(": ")
        raise getattr(errors, kind, CoopQAError)(message)
    identities = {tuple(row[key] for key in _IDENTITY) for row in rows}
    if len(identities) > 1 or len(rows) != count:
        raise CoopQAError(f"the Ray actors embedded {len(rows)} of {count} calls, with {identities}")
    identity = dict(zip(_IDENTITY, identities.pop()), load_seconds=max(row["load_seconds"] for row in rows))
    shapes = [(len(texts), identity["dim"]) for texts in calls.texts]
    calls.replay(identity, [np.frombuffer(r["vectors"], np.float32).reshape(s) for r, s in zip(rows, shapes)])


class _EmbedActor:
    """Ray actor: loads the embedding model once, then embeds one recorded call per batch row. A
    model it cannot load is reported in the rows (``error``): Ray would pass on only a traceback."""

    def __init__(self, settings: Settings, threads: int) -> None:
        os.environ.update(_WORKER_ENV, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        started, error, self.embedder = time.perf_counter(), "", None
        self.batch_size = settings.index.batch_size
        try:
            self.embedder = load_embedder(settings)
        except CoopQAError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if "torch" in sys.modules:  # the torch backend's intra-op threads (ONNX sizes its own)
            sys.modules["torch"].set_num_threads(threads)
        e = self.embedder  # (backend and file_sha256: newer Embedders only)
        self.identity = {key: getattr(e, key, "torch" if key == "backend" else "") for key in _IDENTITY}
        seconds = time.perf_counter() - started
        self.identity.update(dim=getattr(e, "dim", 0), load_seconds=seconds, error=error)

    def __call__(self, batch):
        import pyarrow as pa

        texts, embed = batch.column("texts").to_pylist(), self.embedder and self.embedder.embed
        vectors = [embed(t, batch_size=self.batch_size).tobytes() if embed else b"" for t in texts]
        table = {"call": batch.column("call"), "vectors": pa.array(vectors, pa.large_binary())}
        return pa.table(table | {key: [value] * len(texts) for key, value in self.identity.items()})


def _digest(texts: Sequence[str]) -> str:
    return hashlib.sha256("\x00".join(texts).encode("utf-8", "surrogatepass")).hexdigest()


class _Calls:
    """Stands in for the embedder of ``collection._vectors``: first records the texts of each
    ``embed`` call (the local path's exact batches) and returns zeros; after :meth:`replay`, hands
    back the cluster's vectors call by call, checking that each call asks for the recorded texts."""

    def __init__(self, old: store.IndexData | None) -> None:
        self.dim, self.texts, self.vectors, self.seconds = old.dim if old else 1, [], None, 0.0
        if old is not None:  # nothing may be left to embed: then the index's own identity
            backend = (getattr(old, "backend", "torch"), getattr(old, "backend_sha256", ""))
            self.replay(dict(zip(_IDENTITY, (old.model, old.model_sha256, old.dim, *backend))), None)

    def replay(self, identity: dict, vectors: list[np.ndarray] | None) -> None:
        vars(self).update((key, identity[key]) for key in _IDENTITY)
        self.seconds, self.vectors = identity.get("load_seconds", 0.0), vectors
        if vectors is not None:
            self.digests, self.texts, self.done = [_digest(texts) for texts in self.texts], [], 0

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if self.vectors is None:
            self.texts.append(list(texts))
            return np.zeros((len(texts), self.dim), dtype=np.float32)
        n, self.done = self.done, self.done + 1
        if n >= len(self.digests) or _digest(texts) != self.digests[n]:
            raise CoopQAError("the texts to embed differ from those embedded on the cluster")
        return self.vectors[n]
