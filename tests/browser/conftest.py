from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from ..serving import serving

CHROMIUM = os.environ.get("COOPQA_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "tests" / "screenshots"


@pytest.fixture(scope="session")
def server(report_index, tmp_path_factory):
    """`coopqa serve` on a free port over a copy of the session's report index."""
    index = tmp_path_factory.mktemp("served") / "index"
    shutil.copytree(report_index, index)
    with serving(index) as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    tab = context.new_page()
    yield tab
    context.close()


def upload(page, path: Path, timeout_ms: int = 300_000) -> str:
    """Add ``path`` through the Documents panel and wait for its outcome; the status text."""
    page.locator("#documents").get_by_text("Documents").first.click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    page.locator("#add").click()
    outcome = f"/(Added|Not added) — {re.escape(path.name)}/"
    page.wait_for_function(
        f"document.querySelector('#upload-status') && "
        f"{outcome}.test(document.querySelector('#upload-status').innerText)",
        timeout=timeout_ms,
    )
    return page.locator("#upload-status").inner_text()
