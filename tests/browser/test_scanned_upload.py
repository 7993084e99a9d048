"""A scanned PDF uploaded in the chat page is read by OCR, answered from, cited and highlighted."""

from __future__ import annotations

import pytest

from coopqa import Settings
from coopqa.evaluation.scanned import scanned_copy
from coopqa.index.collection import ingest

from ..conftest import REPORT_PDF
from ..pdfmaker import report_like
from ..serving import serving
from .conftest import SHOTS, upload

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """A server over a one-document index (a small text PDF), so answers can only come from the scan."""
    folder = tmp_path_factory.mktemp("scan-served")
    settings = Settings.from_env().override(index_dir=folder / "index", corpus_dir=folder)
    ingest([report_like(folder / "lanterns.pdf")], settings)
    with serving(folder / "index") as (url, _):
        yield url


def test_upload_a_scanned_report_then_ask(page, small_server, tmp_path):
    scan = scanned_copy(REPORT_PDF, tmp_path / "report-scan.pdf", pages=range(8))  # Cover .. p. 3
    page.goto(small_server)
    assert "Added — report-scan.pdf" in upload(page, scan)
    page.locator("#question textarea").fill("What was the trade volume between China and ASEAN in 2023?")
    page.locator("#ask").click()
    page.wait_for_function("document.querySelector('#chat').innerText.includes('926.55')", timeout=60_000)
    sources = page.locator("#sources").inner_text()
    assert "report-scan.pdf" in sources and "read by OCR" in sources and "p. 2" in sources
    page.wait_for_function(
        "document.querySelector('#viewer img') && document.querySelector('#viewer img').naturalWidth > 500",
        timeout=60_000,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "scanned.png"), full_page=True)
