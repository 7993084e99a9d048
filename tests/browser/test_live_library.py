"""The page follows the index folder: a document ingested from the CLI while the server runs is
answered from without a restart, and a document removed from the page is gone from answers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ..pdfmaker import report_like
from ..serving import serving
from .conftest import SHOTS

pytestmark = pytest.mark.browser
QUESTION = "How many paper lanterns did the valley produce in 2023?"


@pytest.fixture(scope="module")
def served(report_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("live") / "index"
    shutil.copytree(report_index, index)
    with serving(index) as (url, _):
        yield url, index


def ask(page, question):
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()


def test_cli_ingest_while_serving_then_remove_from_the_page(page, served, tmp_path):
    url, index = served
    page.goto(url)
    pdf = report_like(tmp_path / "lanterns.pdf")
    env = {**os.environ, "COOPQA_INDEX": str(index)}
    command = [sys.executable, "-m", "coopqa", "ingest", "--quiet", str(pdf)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ask(page, QUESTION)  # the page was opened before the ingest: no reload, no restart
    page.wait_for_function("document.querySelector('#chat').innerText.includes('4,200')", timeout=60_000)
    assert "lanterns.pdf" in page.locator("#sources").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "live-ingest.png"), full_page=True)

    page.reload()  # the Documents panel lists the collection as it is now
    page.locator("#documents").get_by_text("Documents").first.click()
    page.wait_for_function(
        "document.querySelector('#doclist').innerText.includes('lanterns.pdf')", timeout=30_000
    )
    page.locator("#remove-pick input").click()
    page.get_by_role("option", name="lanterns.pdf").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#remove").click()
    page.wait_for_function(
        "document.querySelector('#upload-status').innerText.includes('Removed — lanterns.pdf')",
        timeout=60_000,
    )
    assert "lanterns.pdf" not in page.locator("#doclist").inner_text()
    ask(page, QUESTION)
    page.wait_for_function(
        "document.querySelectorAll('#chat .message.bot, #chat [data-testid=\"bot\"]').length >= 1 && "
        "document.querySelector('#chat').innerText.includes('The indexed documents do not say')",
        timeout=60_000,
    )
    assert "lanterns.pdf" not in page.locator("#sources").inner_text()
    page.screenshot(path=str(SHOTS / "live-remove.png"), full_page=True)
