"""The chat page's handlers, called as plain functions (no server, no browser)."""

from __future__ import annotations

import copy
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from coopqa import Assistant
from coopqa.answer.records import AskRequest
from coopqa.app import handlers as h
from coopqa.app.viewer import page_renders, view_html

from ..pdfmaker import report_like


@pytest.fixture
def session(report_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(report_index, index)
    settings = Assistant.load(index).settings.override(index_dir=index, max_file_mb=1.0)
    return h.Session(settings=settings, qa=Assistant.load(settings=settings))


def test_ask_builds_history_sources_and_page(session):
    history, answers, answer = h.ask(
        session, AskRequest("When does Vietnam aim to be carbon neutral?"), [], []
    )
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[1]["content"].startswith(  # the marker opens its page in the viewer
        'Vietnam: Carbon Neutrality 2050. <a class="cite" href="#cite-0-1">[1]</a>'
    )
    html = h.sources_html(answer)
    assert (
        "<mark>Country: Vietnam; Carbon Peaking: 9% reduction from BAU by 2030; "
        "Carbon Neutrality: 2050</mark>" in html
    )
    assert "p. 7" in html and "II.(i).2" in html
    assert h.citation_choices(answer) == ["[1] p. 7"]
    (image,) = page_renders(session, h.open_citation(session, "0-1", answers))
    assert image.parent == session.renders and Image.open(image).size[0] > 1000
    # a follow-up uses the chat history
    history, answers, follow = h.ask(session, AskRequest("and Malaysia?"), history, answers)
    assert follow.text == "Malaysia: Carbon Neutrality 2050. [1]" and len(answers) == 2


def test_quote_across_a_page_break_shows_both_pages(session):
    _, _, answer = h.ask(
        session, AskRequest("What share of EV production does Thailand target by 2030?"), [], []
    )
    choices = h.citation_choices(answer)
    assert choices == ["[1] p. 13", "[2] pp. 10–11"]
    assert len(page_renders(session, h.open_citation(session, "0-1", [answer]))) == 1
    view = h.open_citation(session, "0-2", [answer])  # the viewer shows both pages, both highlighted
    assert [view.labels[p] for p in view.pages] == ["10", "11"]
    assert all(view.boxes(p) for p in view.pages)
    assert view_html(session, view).count("<img ") == 2


def test_declined_answer_looks_different(session):
    history, _, answer = h.ask(session, AskRequest("How many EV charging posts does Laos have?"), [], [])
    assert history[1]["content"].startswith("**The indexed documents do not say.**")
    assert answer.text.startswith("The indexed documents do not say.")  # as the CLI and the API say it
    assert "Closest sections:" in history[1]["content"]
    assert "declined" in h.sources_html(answer) and h.citation_choices(answer) == []
    assert h.open_citation(session, "0-1", [answer]) is None  # no citation, no page
    history, _, answer = h.ask(session, AskRequest("What is Atlantis's carbon neutrality target?"), [], [])
    assert answer.note == "No indexed document mentions Atlantis."  # said in the bubble, as the CLI says it
    assert history[1]["content"].endswith("<small><i>No indexed document mentions Atlantis.</i></small>")


@pytest.mark.parametrize("question", ["", "  \t\n "])
def test_an_empty_question_gets_asked_for_one(session, question):
    earlier = [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello"}]
    history, answers, answer = h.ask(session, AskRequest(question), earlier, [])
    assert history == earlier + [{"role": "assistant", "content": "Type a question."}]
    assert answers == [] and answer is None


def test_html_is_escaped(session):
    qa = copy.copy(session.qa)
    answer = qa.ask("What was the China-ASEAN trade volume in 2023?")
    evil = replace(
        answer,
        citations=(
            replace(
                answer.citations[0],
                chunk=replace(
                    answer.citations[0].chunk, text="<script>alert(1)</script>" + answer.citations[0].text
                ),
            ),
        ),
    )
    assert "<script>" not in h.sources_html(evil) and "&lt;script&gt;" in h.sources_html(evil)
    assert "<script>" not in h.chat_markdown(replace(answer, text="<script>x</script> [1]"))


def test_upload_good_bad_and_oversized(session, tmp_path):
    good = report_like(tmp_path / "lanterns.pdf")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 1_200_000)
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK")
    message = h.add_documents(session, [str(good), str(bad), str(big), str(sheet)])
    assert "**Added — lanterns.pdf**" in message
    assert (
        "**Not added — broken.pdf**: damaged PDF" in message
        or "**Not added — broken.pdf**: not a PDF" in message
    )
    assert "**Not added — big.pdf**: 1.2 MB is over the 1 MB limit" in message
    assert "**Not added — table.xlsx**: unsupported file type .xlsx" in message
    names = [row[0] for row in h.document_rows(session)]
    assert names == ["china-asean-emerging-industries.pdf", "lanterns.pdf"]
    assert not any(p.name == "broken.pdf" for p in session.uploads.rglob("*.pdf"))
    # the upload is kept under the index and its pages render
    request = AskRequest("How many paper lanterns did the valley produce in 2023?", doc="lanterns.pdf")
    _, _, answer = h.ask(session, request, [], [])
    assert answer.citations[0].doc == "lanterns.pdf"
    assert all(p.is_file() for p in page_renders(session, h.open_citation(session, "0-1", [answer])))
    assert h.add_documents(session, []).startswith("Choose one or more")


def test_export_markdown(session, tmp_path):
    history, answers, _ = h.ask(
        session, AskRequest("When do Thailand and Vietnam aim to be carbon neutral?"), [], []
    )
    path = Path(h.export_markdown(history, answers, tmp_path))
    text = path.read_text()
    assert text.startswith("# coopqa conversation")
    assert "## Q: When do Thailand and Vietnam aim to be carbon neutral?" in text
    assert (
        "- [2] Table 1 Timetable of Carbon Peaking" in text and "“Vietnam: Carbon Neutrality 2050.”" in text
    )
    assert h.export_markdown([], [], tmp_path) is None


def test_filters_reach_the_answer(session):
    _, _, answer = h.ask(session, AskRequest("carbon neutrality", k=3, mode="bm25", section="IV"), [], [])
    assert all(p.section[0].startswith("IV.") for p in answer.citations)


def test_session_follows_a_generation_written_beside_it_and_removes(session, tmp_path):
    from coopqa.index.collection import ingest

    before = session.qa
    ingest([report_like(tmp_path / "lanterns.pdf")], session.settings)  # as `coopqa ingest` would
    assert session.qa is not before  # reopened on the next request, no restart
    assert "lanterns.pdf" in [row[0] for row in h.library(session)[0]]
    answer = session.qa.ask("How many paper lanterns did the valley produce in 2023?")
    assert answer.answered and answer.citations[0].doc == "lanterns.pdf"
    assert h.remove_document(session, "lanterns.pdf").startswith("**Removed — lanterns.pdf**")
    assert [d.name for d in session.qa.documents] == ["china-asean-emerging-industries.pdf"]
    assert h.remove_document(session, "nothing.pdf").startswith("**Not removed — nothing.pdf**")
    assert h.remove_document(session, None) == "Nothing removed."


def test_follow_up_with_the_chat_history_gradio_sends(session):
    """gradio hands the chat back as messages whose content is a list of text parts."""
    first = "When does Vietnam aim to be carbon neutral?"
    history = [
        {"role": "user", "content": [{"type": "text", "text": first}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Vietnam: Carbon Neutrality 2050."}]},
    ]
    _, _, answer = h.ask(session, AskRequest("and Malaysia?"), history, [])
    assert answer.text.startswith("Malaysia: Carbon Neutrality 2050.")


def test_citation_links_open_views_and_page_on(session):
    from coopqa.app import viewer

    _, answers, answer = h.ask(session, AskRequest("What was the China-ASEAN trade volume in 2023?"), [], [])
    assert h.open_citation(session, "5-1", answers) is None and h.open_citation(session, "x", answers) is None
    view = h.open_citation(session, "0-1", answers)
    assert view.labels[view.pages[0]] == "2" and view.boxes(view.pages[0])
    html = viewer.view_html(session, view)
    assert "p. 2" in html and "data-focus=" in html and "/gradio_api/file=" in html
    assert viewer.step(view, 1).pages == (view.pages[0] + 1,)
    assert viewer.step(replace(view, pages=(0,)), -1).pages == (0,)  # no page before the first
    assert viewer.zoomed(view, 1).zoom == 2.0 and viewer.zoomed(replace(view, zoom=3.0), 1).zoom == 3.0
    assert h.citation_text(answer, 1).endswith(", p. 2")
    assert "copy-cite" in h.sources_html(answer, 0) and "copy-cite" not in h.sources_html(answer)
