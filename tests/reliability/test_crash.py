"""SIGKILL an ingest at many moments of its write: the previous index must always still load and answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from coopqa import Assistant, Settings
from coopqa.index.collection import ingest

from ..pdfmaker import report_like

pytestmark = pytest.mark.slow

WRITE_STEPS = [
    "generation started",
    "chunks written",
    "vectors written",
    "faiss written",
    "bm25 written",
    "texts written",
    "manifest written",
    "switched",
]
KNOWN = "How many paper lanterns did the valley produce in 2023?"


def answers_known_question(settings) -> bool:
    qa = Assistant.load(settings=settings)
    return "4,200" in qa.ask(KNOWN).text


def start_ingest(settings, path, pause: str | None):
    env = {**os.environ, "COOPQA_INDEX": str(settings.index_dir)}
    env.pop("COOPQA_FAULT_PAUSE", None)
    if pause:
        env["COOPQA_FAULT_PAUSE"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "coopqa", "ingest", "--quiet", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    settings = Settings.from_env().override(index_dir=folder / "index")
    ingest([report_like(folder / "lanterns.pdf")], settings)
    return settings, folder


@pytest.mark.parametrize("step", WRITE_STEPS)
def test_kill_during_write_step(base, step):
    settings, folder = base
    notes = folder / f"notes-{WRITE_STEPS.index(step)}.md"
    notes.write_text(f"# Kilns\n\nKiln number {WRITE_STEPS.index(step)} burns bamboo offcuts.\n")
    proc = start_ingest(settings, notes, pause="0.5")
    deadline = time.monotonic() + 120
    for line in proc.stdout:
        if line.strip() == f"coopqa-fault: {step}":
            break
        assert time.monotonic() < deadline
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert answers_known_question(settings)


@pytest.mark.parametrize("delay", [0.2, 1.0, 2.5, 4.0])
def test_kill_at_a_random_moment(base, delay):
    settings, folder = base
    notes = folder / f"later-{delay}.md"
    notes.write_text(f"# Later\n\nA note written {delay} seconds in.\n")
    proc = start_ingest(settings, notes, pause=None)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert answers_known_question(settings)


def test_after_the_crashes_a_normal_ingest_works_and_cleans_up(base):
    settings, folder = base
    final = folder / "final.md"
    final.write_text("# Final\n\nThe final note.\n")
    report = ingest([final], settings)
    assert report.written and answers_known_question(settings)
    assert len(list(settings.index_dir.glob("gen-*"))) == 1
    assert not list(settings.index_dir.glob(".CURRENT.*"))
