"""Two ingests at once on one index: one stops with a clear message, the result is a valid index."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from coopqa import Assistant, Settings

from ..pdfmaker import report_like


def test_second_writer_stops_with_a_clear_message(tmp_path):
    index = tmp_path / "index"
    env = {**os.environ, "COOPQA_INDEX": str(index)}
    first_doc = report_like(tmp_path / "lanterns.pdf")
    second_doc = tmp_path / "notes.md"
    second_doc.write_text("# Notes\n\nA second document.\n")
    first = subprocess.Popen(
        [sys.executable, "-m", "coopqa", "ingest", "--quiet", str(first_doc)],
        env={**env, "COOPQA_FAULT_PAUSE": "1.5"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    for line in first.stdout:  # the first holds the lock and is writing
        if "coopqa-fault: generation started" in line:
            break
        assert time.monotonic() < deadline
    second = subprocess.run(
        [sys.executable, "-m", "coopqa", "ingest", "--quiet", str(second_doc)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    first.stdout.read()
    assert first.wait(120) == 0
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"coopqa: error: {index}: another `coopqa ingest` is writing this index; wait for it to finish"
    )
    qa = Assistant.load(settings=Settings.from_env().with_index(index))
    assert [d.name for d in qa.documents] == ["lanterns.pdf"]
