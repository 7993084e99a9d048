"""``coopqa ingest --ray`` writes the index a local ingest of the same files writes.

The slow tests start real Ray clusters on 127.0.0.1 (a small object store, no dashboard) and
always shut them down: ``ray.shutdown()`` ends the processes the test's own ``ray.init`` started.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coopqa import Settings
from coopqa.app.cli import build_parser, main
from coopqa.index import store
from coopqa.index.collection import ingest
from coopqa.index.distributed import RayShape, plan_shape

from ..pdfmaker import make_pdf

TOWNS = ("Riverton", "Hillford", "Lakeside", "Stonebridge", "Marsh End", "Oakvale", "Northgate", "Saltmere")
GOODS = ("lanterns", "kites", "baskets", "drums", "fans", "umbrellas", "bells", "ropes")
TOPICS = ("Markets", "Workshops", "Apprentices", "Exports", "Materials", "Festivals")


def guild_note(path: Path, seed: int) -> Path:
    """A two-page note with a running header, numbered headings and sentences of its own."""
    rng, good = random.Random(seed), GOODS[seed % len(GOODS)]
    pages = []
    for page in range(2):
        lines, y = [(56, 808, 7.5, "R", f"Guild Note {seed}"), (295, 31, 7.5, "R", str(page + 1))], 770
        for section in range(2):
            heading = f"{page * 2 + section + 1}. {rng.choice(TOPICS)} of the {rng.choice(TOWNS)} {good}"
            lines.append((62, y, 13, "B", heading))
            y -= 24
            for _ in range(3):
                town, made, year = rng.choice(TOWNS), rng.randint(10, 9999), rng.randint(1990, 2030)
                trade = rng.choice(TOPICS).lower()
                lines.append(
                    (62, y, 9.5, "R", f"In {year} {town} made {made:,} {good} for the {trade} trade.")
                )
                price = f"sold at {rng.randint(2, 99)} coins each"
                lines.append(
                    (62, y - 12, 9.5, "R", f"Note {seed}.{page}.{section}: {town}'s {good} {price}.")
                )
                y -= 24
            y -= 14
        pages.append(lines)
    return make_pdf(path, pages, labels=[(0, "D", 1)])


def corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for seed in range(count):
        guild_note(folder / f"note-{seed:02d}.pdf", seed)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF")
    return folder


def load(index_dir: Path) -> store.IndexData:
    settings = Settings.from_env().override(index_dir=index_dir)
    _, manifest = store.read_manifest(index_dir)
    return store.read_index(index_dir, settings, manifest["model_sha256"])[0]


def assert_same_index(ray_dir: Path, local_dir: Path) -> None:
    got, want = load(ray_dir), load(local_dir)
    assert [c.id for c in got.chunks] == [c.id for c in want.chunks]
    assert [c.text for c in got.chunks] == [c.text for c in want.chunks]
    assert [(c.pages, c.physical_pages) for c in got.chunks] == [
        (c.pages, c.physical_pages) for c in want.chunks
    ]
    assert got.chunks == want.chunks and got.texts == want.texts
    assert [d.name for d in got.documents] == [d.name for d in want.documents]
    assert (got.model_sha256, got.dim, got.backend) == (want.model_sha256, want.dim, want.backend)
    np.testing.assert_allclose(got.vectors, want.vectors, atol=1e-4, rtol=0)
    np.testing.assert_allclose(got.sentence_vectors, want.sentence_vectors, atol=1e-4, rtol=0)


@pytest.fixture
def ray_module(monkeypatch):
    """Ray, loopback-only and without usage stats; whatever Ray session is left is shut down."""
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    monkeypatch.setenv("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # Ray's node address: 127.0.0.1
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    yield ray
    if ray.is_initialized():
        ray.shutdown()


def test_plan_shape_sizes_tasks_and_actors_for_the_cluster():
    assert plan_shape(2, 50, 7) == RayShape(cpus=2, parse_batch=13, actors=1, threads=2)
    assert plan_shape(1, 3, 1) == RayShape(cpus=1, parse_batch=2, actors=1, threads=1)
    assert plan_shape(32, 10_000, 500) == RayShape(cpus=32, parse_batch=32, actors=8, threads=4)
    assert plan_shape(32, 10, 2).actors == 2  # no more actors than embedding calls


def test_ray_option_takes_an_optional_address():
    parse = build_parser().parse_args
    assert parse(["ingest", "docs"]).ray is None
    assert parse(["ingest", "docs", "--ray"]).ray == ""
    assert parse(["ingest", "docs", "--ray", "10.0.0.5:6379"]).ray == "10.0.0.5:6379"


@pytest.mark.slow
def test_ray_ingest_writes_the_index_of_a_local_ingest(tmp_path, capsys, ray_module):
    """50 PDFs and a broken one through `coopqa ingest --ray` (a local cluster it starts and stops)."""
    folder = corpus(tmp_path / "corpus", 50)
    local = ingest([folder], Settings.from_env().override(index_dir=tmp_path / "local"))
    assert local.failed and local.failed[0][0] == "broken.pdf" and local.documents == 50

    # `--ray` before the folder: the folder is taken as the path to ingest, not as an address
    code = main(["ingest", "--ray", str(folder), "--index", str(tmp_path / "ray"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1  # a file was skipped, as with a local ingest
    assert f"coopqa: skipped broken.pdf: {local.failed[0][1]}" in err
    assert "local cluster on 127.0.0.1" in err and "actor(s)" in err
    assert "50 documents, 100 pages" in out
    assert not ray_module.is_initialized()  # the cluster it started is shut down
    assert not list((tmp_path / "ray").glob(".staging-*"))
    assert_same_index(tmp_path / "ray", tmp_path / "local")


@pytest.mark.slow
def test_ray_ingest_on_a_running_cluster_given_by_address(tmp_path, ray_module):
    """A cluster the test starts; the CLI, in another process, connects to it by its address and
    updates an index: the kept documents' vectors are copied, only the new ones are embedded."""
    folder = corpus(tmp_path / "corpus", 6)
    first = sorted(folder.glob("note-0[0-3].pdf"))
    local = Settings.from_env().override(index_dir=tmp_path / "local")
    ingest(first, local)
    update = ingest([folder], local)
    context = ray_module.init(
        address="local",
        num_cpus=2,
        object_store_memory=100 * 2**20,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
    )
    address = context.address_info["gcs_address"]
    assert address.startswith("127.0.0.1:")

    def coopqa_ingest(*paths: Path) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "coopqa", "ingest", *map(str, paths), "--ray", address, "--quiet"]
        return subprocess.run(
            [*command, "--index", str(tmp_path / "ray")],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )

    done = coopqa_ingest(*first)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"connecting to {address}" in done.stderr and "4 documents" in done.stdout
    done = coopqa_ingest(folder)
    assert done.returncode == 1, done.stderr[-2000:]  # broken.pdf is skipped
    assert "added: note-04.pdf, note-05.pdf" in done.stdout
    assert "unchanged: note-00.pdf, note-01.pdf, note-02.pdf, note-03.pdf" in done.stdout
    assert f", {update.embedded} chunks embedded)" in done.stdout  # the new documents' chunks only
    assert ray_module.is_initialized()  # the driver only disconnected from the test's cluster
    assert_same_index(tmp_path / "ray", tmp_path / "local")
