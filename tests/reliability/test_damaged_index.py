"""A truncated or bit-flipped index file is found on load (checksums) and named, never crashing faiss."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from coopqa import Assistant, Settings
from coopqa.core.errors import IndexDamagedError, IndexMissingError
from coopqa.index.collection import ingest
from coopqa.index.store import current_generation

from ..pdfmaker import report_like

FILES = [
    "faiss.index",
    "chunks.jsonl",
    "manifest.json",
    "vectors.npy",
    "sentence_vectors.npy",
    "bm25/vocab.index.json",
    "texts/0.txt",
]


@pytest.fixture
def settings(tmp_path):
    settings = Settings.from_env().override(index_dir=tmp_path / "index")
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)
    return settings


def flip(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x20
    path.write_bytes(bytes(data))


def truncate(path):
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])


@pytest.mark.parametrize("damage", [flip, truncate])
@pytest.mark.parametrize("name", FILES)
def test_damage_is_detected_with_what_to_run(settings, name, damage):
    damage(current_generation(settings.index_dir) / name)
    with pytest.raises(IndexDamagedError, match=r"(damaged|missing).*run `coopqa ingest --rebuild`"):
        Assistant.load(settings=settings)


def test_missing_file_and_garbage_pointer(settings):
    (current_generation(settings.index_dir) / "faiss.index").unlink()
    with pytest.raises(IndexDamagedError, match="faiss.index is missing"):
        Assistant.load(settings=settings)
    (settings.index_dir / "CURRENT").write_bytes(b"\xff\xfe garbage")
    with pytest.raises(IndexDamagedError, match="CURRENT is damaged"):
        Assistant.load(settings=settings)
    (settings.index_dir / "CURRENT").unlink()
    with pytest.raises(IndexMissingError):
        Assistant.load(settings=settings)


def test_cli_on_a_damaged_faiss_file_exits_cleanly(settings):
    path = current_generation(settings.index_dir) / "faiss.index"
    path.write_bytes(b"IxFI" + os.urandom(200))  # a hostile header that would crash faiss
    proc = subprocess.run(
        [sys.executable, "-m", "coopqa", "ask", "anything"],
        capture_output=True,
        text=True,
        env={**os.environ, "COOPQA_INDEX": str(settings.index_dir)},
        timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "coopqa: error: index file faiss.index is damaged (checksum mismatch); "
        "run `coopqa ingest --rebuild` to rebuild it"
    )


def test_rebuild_repairs(settings, tmp_path):
    flip(current_generation(settings.index_dir) / "chunks.jsonl")
    report = ingest([tmp_path / "lanterns.pdf"], settings, rebuild=True)
    assert report.written and Assistant.load(settings=settings).documents[0].name == "lanterns.pdf"
