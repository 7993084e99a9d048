from __future__ import annotations

import os
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
