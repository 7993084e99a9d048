"""Reading and embedding side by side: a document's vectors do not depend on the documents read
with it, and an ingest killed half-way resumes from the documents it had finished."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from coopqa import Assistant, Settings
from coopqa.core.errors import ModelError
from coopqa.index.collection import ingest
from coopqa.index.embedding import load_embedder
from coopqa.index.pipeline import FOLDER, Preload, Staging, parse_workers, read_and_embed, staging_key
from coopqa.index.store import current_generation

from ..pdfmaker import make_pdf, report_like


def _notes(folder, count: int) -> list:
    """``count`` one-page PDFs, each about its own harbour."""
    paths = []
    for n in range(count):
        lines = [(62, 770, 9.5, "R", f"Harbour {n} handled {310 + n} ships in 2024 and built a new quay.")]
        paths.append(make_pdf(folder / f"harbour-{n}.pdf", [lines]))
    return paths


def _open_files() -> list[str]:
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            out.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return out


def _vectors_of(settings, name: str) -> np.ndarray:
    qa = Assistant.load(settings=settings)
    rows = [i for i, c in enumerate(qa.data.chunks) if c.doc == name]
    return np.array(qa.data.vectors[rows])


def test_a_documents_vectors_do_not_depend_on_its_company(tmp_path):
    lanterns = report_like(tmp_path / "lanterns.pdf")
    alone = Settings.from_env().override(index_dir=tmp_path / "alone")
    together = Settings.from_env().override(index_dir=tmp_path / "together", parse_workers=2)
    ingest([lanterns], alone)
    ingest([*_notes(tmp_path, 3), lanterns], together)
    assert np.array_equal(_vectors_of(alone, "lanterns.pdf"), _vectors_of(together, "lanterns.pdf"))
    assert parse_workers(together) == 2 and parse_workers(alone) >= 1


def test_killed_ingest_resumes_from_the_documents_it_finished(tmp_path):
    settings = Settings.from_env().override(index_dir=tmp_path / "index")
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)
    before = (settings.index_dir / "CURRENT").read_text()
    folder = tmp_path / "harbours"
    folder.mkdir()
    _notes(folder, 4)
    env = {**os.environ, "COOPQA_INDEX": str(settings.index_dir), "COOPQA_FAULT_PAUSE": "30"}
    command = [sys.executable, "-m", "coopqa", "ingest", "--quiet", str(folder)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        staged = 0
        for line in child.stdout:  # each step pauses 30 s: kill it after two documents are staged
            staged += line.strip() == "coopqa-fault: document staged"
            if staged == 2:
                break
    finally:
        child.kill()
        child.wait(30)
    assert staged == 2
    assert (settings.index_dir / "CURRENT").read_text() == before  # the live index is untouched
    assert len(list((settings.index_dir / FOLDER).iterdir())) == 2
    report = ingest([folder], settings)
    assert len(report.resumed) == 2 and set(report.added) == {f"harbour-{n}.pdf" for n in range(4)}
    harbours = {d.name: d.chunks for d in Assistant.load(settings=settings).documents}
    assert report.embedded == sum(harbours[f"harbour-{n}.pdf"] for n in range(4)) - sum(
        harbours[name] for name in report.resumed
    )
    assert "resumed from an unfinished run" in report.summary()
    assert not (settings.index_dir / FOLDER).exists()  # the generation holds them now
    assert current_generation(settings.index_dir).name != before.split()[0]
    answer = Assistant.load(settings=settings).ask("How many ships did harbour 2 handle in 2024?")
    assert "312 ships" in answer.text


def test_staged_vectors_hold_no_file_open_and_the_assembly_is_removed(tmp_path):
    settings = Settings.from_env().override(index_dir=tmp_path / "index")
    staging = Staging(settings.index_dir, staging_key(settings, "weights"))
    paths = _notes(tmp_path, 3)
    embedder = load_embedder(settings)
    run = read_and_embed(paths, {}, settings, lambda: embedder, staging, False)
    assert sorted(run.vectors) == sorted(p.name for p in paths)
    assert not [f for f in _open_files() if str(staging.folder) in f]  # none kept open per document
    vectors, sentences = run.vectors["harbour-1.pdf"]  # read back from staging on demand
    assert vectors.shape == (1, embedder.dim) and len(sentences) >= 1
    ingest(paths, settings)
    assert not list(settings.index_dir.glob(".assembly-*")) and not staging.folder.exists()
    known = {d.name: d for d in Assistant.load(settings.index_dir, settings=settings).documents}
    loads = []
    again = read_and_embed(paths, known, settings, lambda: loads.append(1), staging, False)
    assert loads == [] and not again.result.parsed  # nothing new or changed: the model is not loaded
    # no thread left (a loaded embedder's one helper for questions, embed_while, stays with the model)
    left = [t for t in threading.enumerate() if t.name.startswith("coopqa-")]
    assert not [t for t in left if not t.name.startswith("coopqa-meanwhile")]


def test_the_model_loads_beside_the_first_read_and_its_error_reaches_the_caller():
    loaded_in = []

    def load():
        loaded_in.append(threading.current_thread().name)
        return "model"

    value, seconds = Preload(load, "coopqa-model-load").result()
    assert value == "model" and seconds >= 0 and loaded_in == ["coopqa-model-load"]

    def broken():
        raise ModelError("weights fail their checksum")

    with pytest.raises(ModelError, match="checksum"):
        Preload(broken).result()
