from __future__ import annotations

import re
import subprocess
import sys

from coopqa.ingest.revision import reader_revision


def test_the_reader_revision_names_the_reading_code_alone():
    revision = reader_revision()
    assert re.fullmatch(r"[0-9a-f]{16}", revision)
    code = "from coopqa.ingest.revision import reader_revision; print(reader_revision())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == revision  # another process, another time: the same revision
