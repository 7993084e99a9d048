"""The chat page in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import re

import pytest

from ..pdfmaker import report_like
from .conftest import SHOTS, upload

pytestmark = pytest.mark.browser


def ask(page, question):
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()


def test_answer_with_citation_and_highlighted_page(page, server):
    page.goto(server)
    ask(page, "When does Vietnam aim to be carbon neutral?")
    bubble = page.locator("#chat .message.bot, #chat [data-testid='bot']").last
    bubble.wait_for(timeout=60_000)
    page.wait_for_function(
        "document.querySelector('#chat') && document.querySelector('#chat').innerText.includes('2050')",
        timeout=60_000,
    )
    assert "Vietnam: Carbon Neutrality 2050." in page.locator("#chat").inner_text()
    sources = page.locator("#sources")
    sources.get_by_text("p. 7").first.wait_for(timeout=30_000)
    assert "II.(i).2" in sources.inner_text() and "p. 7" in sources.inner_text()
    image = page.locator("#viewer img")
    image.wait_for(timeout=60_000)
    page.wait_for_function(
        "document.querySelector('#viewer img') && document.querySelector('#viewer img').naturalWidth > 500",
        timeout=60_000,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "answer.png"), full_page=True)


def test_example_button_asks_and_a_decline_looks_different(page, server):
    page.goto(server)
    page.get_by_role("button", name="How many EV charging posts does Laos have?").click()
    page.wait_for_function(
        "document.querySelector('#chat').innerText.includes('The indexed documents do not say.')",
        timeout=60_000,
    )
    assert "Closest sections" in page.locator("#chat").inner_text()
    assert not page.locator("#viewer img").is_visible()  # no empty page panel for a decline
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "declined.png"), full_page=True)


def test_upload_then_ask_about_it(page, server, tmp_path):
    pdf = report_like(tmp_path / "lanterns.pdf")
    page.goto(server)
    assert "Added — lanterns.pdf" in upload(page, pdf, timeout_ms=120_000)
    assert "lanterns.pdf" in page.locator("#doclist").inner_text()
    ask(page, "How many paper lanterns did the valley produce in 2023?")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('4,200')", timeout=60_000)
    assert re.search(r"lanterns\.pdf", page.locator("#sources").inner_text())
    page.locator("#viewer img").wait_for(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
