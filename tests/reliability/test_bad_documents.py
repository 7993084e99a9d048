"""Every bad document gets one line naming it and the reason; the others are ingested; nothing is lost."""

from __future__ import annotations

import re

import pytest

from coopqa import Assistant, Settings
from coopqa.app import handlers as h
from coopqa.app.cli import main
from coopqa.index.collection import ingest

from ..pdfmaker import report_like
from .hostile import make_all

REASONS = {
    "zero-byte": "empty file (0 bytes)",
    "random": "not a PDF (no %PDF- header)",
    "encrypted": "encrypted PDF: a password is needed",
    "grey-scan": "OCR found no text on any page",
    "blank": "no text on any page",
    "oversize": "over the 2 MB limit",
    "bomb": "decompression limit",
    "hang": "parsing took longer than 3 s and was stopped",
}
INGESTED = {"empty-password", "latin-1", "utf-16", "broken-xref", "scanned"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return make_all(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def limits(monkeypatch):
    monkeypatch.setenv("COOPQA_MAX_FILE_MB", "2")
    monkeypatch.setenv("COOPQA_PARSE_TIMEOUT", "3")


def test_cli_reports_each_bad_file_in_one_line_and_keeps_the_rest(hostile, limits, tmp_path, capsys):
    first = report_like(tmp_path / "lanterns.pdf")
    assert main(["ingest", str(first), "--quiet"]) == 0
    capsys.readouterr()
    code = main(["ingest", "--quiet", *map(str, hostile.values())])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    skipped = {
        m.group(1): m.group(2)
        for m in (re.match(r"coopqa: skipped (\S+): (.*)", line) for line in lines)
        if m
    }
    assert len(lines) == len(skipped)  # nothing else on stderr: one line per bad file
    for kind, reason in REASONS.items():
        assert reason in skipped[hostile[kind].name], (kind, skipped.get(hostile[kind].name))
    for kind in INGESTED:
        assert hostile[kind].name not in skipped, (kind, skipped.get(hostile[kind].name))
    # the truncated report either recovers its first pages or is refused with a reason
    truncated = skipped.get(hostile["truncated"].name)
    assert truncated is None or truncated.startswith(("damaged PDF", "no text"))
    qa = Assistant.load(settings=Settings.from_env())
    names = {d.name for d in qa.documents}
    assert "lanterns.pdf" in names and {hostile[k].name for k in INGESTED} <= names
    assert "café tax rose 7%" in qa.search("How much did the cafe tax rise?", k=1)[0].text
    assert "12,000 riders" in qa.search("river ferries riders per day", k=1)[0].text


def test_no_ocr_refuses_the_scan_in_one_line(hostile, limits, tmp_path, capsys):
    assert main(["ingest", str(report_like(tmp_path / "lanterns.pdf")), "--quiet"]) == 0
    capsys.readouterr()
    code = main(["ingest", "--quiet", "--no-ocr", str(hostile["scanned"])])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == "coopqa: skipped scanned.pdf: no text layer (a scanned PDF?): OCR is needed first"


def test_only_bad_files_leave_the_index_as_it_was(hostile, limits, tmp_path):
    settings = Settings.from_env()
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)
    before = (settings.index_dir / "CURRENT").read_text()
    bad = [hostile[k] for k in REASONS]
    report = ingest(bad, settings)
    assert not report.written and len(report.failed) == len(bad)
    assert (settings.index_dir / "CURRENT").read_text() == before
    assert [d.name for d in Assistant.load(settings=settings).documents] == ["lanterns.pdf"]


def test_ui_upload_says_what_is_wrong_and_keeps_the_collection(hostile, limits, tmp_path):
    settings = Settings.from_env()
    ingest([report_like(tmp_path / "lanterns.pdf")], settings)
    session = h.Session(settings=settings.override(max_file_mb=2.0), qa=Assistant.load(settings=settings))
    message = h.add_documents(session, [str(p) for p in hostile.values()])
    for kind, reason in REASONS.items():
        assert f"**Not added — {hostile[kind].name}**" in message, kind
        assert reason.split(" (")[0] in message
    assert "over the 2 MB limit" in message
    names = {row[0] for row in h.document_rows(session)}
    assert "lanterns.pdf" in names and hostile["utf-16"].name in names
