"""The page viewer, the citation links and the conversation kept in the browser."""

from __future__ import annotations

import pytest

from .conftest import SHOTS

pytestmark = pytest.mark.browser
HEAD = "document.querySelector('#viewer .coopqa-viewer-head')"


def ask(page, question):
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()


def viewer_head(page) -> str:
    return page.locator("#viewer .coopqa-viewer-head").inner_text()


def test_citation_opens_the_page_in_the_viewer_and_pages_on(page, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server)
    ask(page, "What was the China-ASEAN trade volume in 2023?")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('926.55')", timeout=60_000)
    page.locator("#viewer").get_by_text("(page ").wait_for(timeout=60_000)
    page.locator("#prev-page").click()  # move away first, then come back through the [1] link
    page.wait_for_function(f"{HEAD} && {HEAD}.innerText.includes('p. 1 ')", timeout=30_000)
    page.locator("#chat a.cite").first.click()
    page.wait_for_function(f"{HEAD} && {HEAD}.innerText.includes('p. 2 ')", timeout=30_000)
    image = page.locator("#viewer img").first
    page.wait_for_function("document.querySelector('#viewer img').naturalWidth > 1000", timeout=30_000)
    box = image.bounding_box()
    assert box["width"] >= 800  # the page's full width, readable
    focus = float(page.locator("#viewer-pages").get_attribute("data-focus"))
    assert 0 < focus < 1  # where the highlight is; the viewer scrolls there
    scrolled = page.evaluate("document.getElementById('viewer-pages').scrollTop")
    assert scrolled > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "viewer.png"), full_page=True)

    page.locator("#next-page").click()
    page.wait_for_function(f"{HEAD}.innerText.includes('p. 3 ')", timeout=30_000)
    page.locator("#prev-page").click()
    page.wait_for_function(f"{HEAD}.innerText.includes('p. 2 ')", timeout=30_000)
    page.locator("#zoom-in").click()
    page.wait_for_function(f"{HEAD}.innerText.includes('zoom 200 %')", timeout=30_000)
    page.wait_for_function("document.querySelector('#viewer img').getBoundingClientRect().width > 1100")

    page.locator("#sources button.copy-cite").first.click()
    page.wait_for_function("document.querySelector('#sources button.copy-cite').innerText === 'copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("china-asean-emerging-industries.pdf, I. ") and copied.endswith("p. 2")


def test_conversation_survives_a_reload_and_new_conversation_clears_it(page, server):
    page.goto(server)
    ask(page, "When does Vietnam aim to be carbon neutral?")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('2050')", timeout=60_000)
    page.wait_for_timeout(500)  # the browser-side copy is written after the answer is shown
    page.reload()
    page.wait_for_function(
        "document.querySelector('#chat') && document.querySelector('#chat').innerText.includes('Vietnam')",
        timeout=30_000,
    )
    assert "When does Vietnam aim to be carbon neutral?" in page.locator("#chat").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reloaded.png"), full_page=True)
    ask(page, "and Malaysia?")  # a follow-up after the reload still knows the question before
    followed = "document.querySelector('#chat').innerText.includes('Malaysia: Carbon Neutrality 2050')"
    page.wait_for_function(followed, timeout=60_000)
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_timeout(500)
    page.reload()
    page.locator("#question textarea").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert "Vietnam" not in page.locator("#chat").inner_text()
