"""The chat page's event handlers: plain functions over ``Assistant`` (no gradio here).

Tests call these directly; :mod:`coopqa.app.page` wires them to gradio components. They read
what they show from the ``Answer`` record (its citations, cited pages, scope), never from its text.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ..answer.records import DECLINED, NO_QUESTION, Answer, AskRequest
from ..core.errors import CoopQAError
from ..core.files import SUPPORTED_SUFFIXES, sha256_file
from ..core.records import SEARCH_MODES, section_label
from ..index.collection import ingest
from .assistant import Assistant
from .session import Session, open_session
from .viewer import open_view

__all__ = ["Session", "open_session"]  # the page and the tests reach them here


# --- rendering answers --------------------------------------------------------------------


def chat_markdown(answer: Answer, index: int | None = None) -> str:
    """An answer as its chat bubble: the text with [n] markers; a decline looks different (its
    sentence, as the CLI and the API give it, in bold). With ``index`` (the answer's place in the
    conversation), each marker is a link that opens its page in the viewer."""
    if not answer.answered:
        if not answer.question.strip():
            return NO_QUESTION
        closest = "".join(f"\n- {html.escape(c)}" for c in answer.closest)
        note = f"\n\n<small><i>{html.escape(answer.note)}</i></small>" if answer.note else ""
        return f"**{DECLINED}**" + (f"\n\nClosest sections:{closest}" if closest else "") + note
    lines = [_linked(html.escape(answer.text), index)]
    lines.append(
        "<small>"
        + "<br>".join(html.escape(f"[{n}] {answer.cite(n)}") for n in range(1, len(answer.citations) + 1))
        + "</small>"
    )
    if answer.note:
        lines.append(f"<small><i>{html.escape(answer.note)}</i></small>")
    return "\n\n".join(lines)


def _linked(text: str, index: int | None) -> str:
    if index is None:
        return text
    return re.sub(
        r"\[(\d+)\]", lambda m: f'<a class="cite" href="#cite-{index}-{m.group(1)}">[{m.group(1)}]</a>', text
    )


def citation_text(answer: Answer, n: int) -> str:
    """Citation ``[n]`` to paste elsewhere: ``document, section, p. N``."""
    passage = answer.citations[n - 1]
    where = section_label(passage.section, width=200)
    return ", ".join(part for part in (passage.doc, where, answer.page_text(n)) if part)


def open_citation(session: Session, target: str, answers: list[Answer] | None, zoom: float = 1.5):
    """The viewer's ``View`` for a clicked marker ``"<answer index>-<n>"``, or None."""
    match = re.fullmatch(r"(\d+)-(\d+)", (target or "").strip())
    answers = list(answers or [])
    if not match or int(match.group(1)) >= len(answers):
        return None
    return open_view(session, answers[int(match.group(1))], int(match.group(2)), zoom)


def _highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out).replace("\n\n", "<br><br>")


def sources_html(answer: Answer | None, index: int | None = None) -> str:
    """The sources of an answer: number, section, page, document, passage with the quote marked,
    and (with the answer's ``index`` in the conversation) links to open the page and copy the citation."""
    if answer is None or not answer.citations:
        if answer is not None and answer.closest:
            items = "".join(f"<li>{html.escape(c)}</li>" for c in answer.closest)
            return (
                "<div class='coopqa-sources declined'><p>No passage answers this. Closest sections:</p>"
                f"<ul>{items}</ul></div>"
            )
        return "<div class='coopqa-sources'><p>Sources of the latest answer appear here.</p></div>"
    cards = []
    for n, passage in enumerate(answer.citations, start=1):
        spans = [(q.start, q.end) for q in answer.quotes if q.citation == n and q.end > q.start]
        where = section_label(passage.section, width=90) or passage.doc
        caption = f"<div class='cap'>{html.escape(passage.caption)}</div>" if passage.caption else ""
        unsupported = [q.text for q in answer.quotes if not q.supported]
        ocr = (
            " · <span class='ocr' title='this page is a scan: its text was read by OCR and may hold "
            "recognition errors'>read by OCR</span>"
            if n in answer.ocr_citations
            else ""
        )
        cards.append(
            f"<div class='coopqa-source' data-n='{n}'><div class='head'><b>[{n}]</b> "
            f"<span class='section'>{html.escape(where)}</span> · <span class='page'>"
            f"{html.escape(answer.page_text(n))}"
            f"</span> · <span class='doc'>{html.escape(passage.doc)}</span>{ocr}</div>{caption}"
            f"<div class='passage'>{_highlighted(passage.text, spans)}</div>{_tools(answer, n, index)}</div>"
        )
        if unsupported and n == 1:
            cards.append(
                "<div class='coopqa-unsupported'>Not backed by any passage: "
                + " ".join(html.escape(t) for t in unsupported)
                + "</div>"
            )
    return "<div class='coopqa-sources'>" + "".join(cards) + "</div>"


def _tools(answer: Answer, n: int, index: int | None) -> str:
    if index is None:
        return ""
    cite = html.escape(citation_text(answer, n), quote=True)
    return (
        f"<div class='tools'><a class='cite' href='#cite-{index}-{n}'>open page</a>"
        f"<button class='copy-cite' data-cite=\"{cite}\">copy citation</button></div>"
    )


def citation_choices(answer: Answer | None) -> list[str]:
    if answer is None:
        return []
    return [f"[{n}] {answer.page_text(n)}" for n in range(1, len(answer.citations) + 1)]


# --- events -------------------------------------------------------------------------------


def ask(session: Session, request: AskRequest, history: list[dict] | None, answers: list[Answer] | None):
    """One chat turn: returns the new history, the answers so far, and the latest answer."""
    result = (list(history or []), list(answers or []), None)
    for event in ask_stream(session, request, history, answers):
        result = event
    return result


def ask_stream(
    session: Session, request: AskRequest, history: list[dict] | None, answers: list[Answer] | None
):
    """One chat turn, streamed: ``(history, answers, None)`` while an LLM writes, then the answer.

    ``request`` carries the question and the page's settings; the chat's earlier questions
    become its history here.
    """
    history = list(history or [])
    answers = list(answers or [])
    question = (request.question or "").strip()
    if not question:
        yield history + [{"role": "assistant", "content": NO_QUESTION}], answers, None
        return
    past = [message_text(m.get("content")) for m in history if m.get("role") == "user"]
    turn = history + [{"role": "user", "content": question}]
    mode = request.mode if request.mode in SEARCH_MODES else "hybrid"
    events = session.qa.ask_stream(
        replace(
            request,
            question=question,
            history=past,
            mode=mode,
            doc=request.doc or None,
            section=request.section or None,
        )
    )
    for event in events:
        if isinstance(event, str):  # the LLM's reply so far, not yet checked
            yield turn + [{"role": "assistant", "content": html.escape(event) + " ▍"}], answers, None
            continue
        answers.append(event)
        content = chat_markdown(event, len(answers) - 1)
        yield turn + [{"role": "assistant", "content": content}], answers, event


def message_text(content) -> str:
    """A chat message's text: gradio gives it as a string, or as parts ``[{"type": "text", "text": ...}]``."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, (list, tuple)):
        return " ".join(message_text(part) for part in content)
    return ""


def document_rows(session: Session) -> list[list[str]]:
    return library(session)[0]


def add_documents(session: Session, paths: list[str], progress: bool = False) -> str:
    """Copy uploaded files into the index's uploads folder and ingest them; a Markdown report.

    A file over the size limit or of another type is refused before it is parsed; a file that
    cannot be read is named with the reason; documents already indexed are never lost.
    """
    if not paths:
        return "Choose one or more PDF, .txt or .md files first."
    lines, accepted = _keep_uploads(session, [Path(p) for p in paths])
    if accepted:
        with session.lock:
            try:
                report = ingest([kept for _, kept in accepted], session.settings, progress=progress)
            except CoopQAError as exc:
                return "\n".join(lines + [f"**Not added**: {exc}"])
            lines += _upload_outcomes(report, accepted)
            if report.written:
                session.qa = Assistant.load(settings=session.settings)
    lines.append(
        f"\n{len(session.qa.documents)} documents, {len(session.qa.data.chunks)} passages in the collection."
    )
    return "\n".join(lines)


def remove_document(session: Session, name: str | None) -> str:
    """Drop one document from the collection (its chunks, vectors and OCR boxes); a Markdown line."""
    if not name:
        return "Nothing removed."
    with session.lock:
        try:
            ingest([], session.settings, remove=[name])
        except CoopQAError as exc:
            return f"**Not removed — {name}**: {exc}"
        session.qa = Assistant.load(settings=session.settings)
    count = len(session.qa.documents)
    return f"**Removed — {name}**\n\n{count} document{'' if count == 1 else 's'} in the collection."


def library(session: Session) -> tuple[list[list[str]], list, list, list[str]]:
    """What the page lists of the live collection: document rows, section and document choices
    for the filters, and the names a document can be removed by."""
    qa = session.qa
    names = [d.name for d in qa.documents]
    rows = [[d.name, str(d.pages), str(d.chunks), d.added.replace("T", " ")] for d in qa.documents]
    documents = [("All documents", "")] + [(n, n) for n in names]
    return rows, [("All sections", "")] + qa.sections(), documents, names


def _keep_uploads(session: Session, paths: list[Path]) -> tuple[list[str], list[tuple[str, Path]]]:
    """Refuse wrong types and oversize files; copy the rest, content-addressed, for page images."""
    limit_mb = session.settings.ingest.max_file_mb
    lines, accepted = [], []
    session.uploads.mkdir(parents=True, exist_ok=True)
    for path in paths:
        name = _safe_name(path.name)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            lines.append(
                f"**Not added — {name}**: unsupported file type {path.suffix or '(none)'} (PDF, .txt or .md)"
            )
            continue
        size = path.stat().st_size
        if size > limit_mb * 1e6:
            lines.append(f"**Not added — {name}**: {size / 1e6:.1f} MB is over the {limit_mb:.0f} MB limit")
            continue
        kept = session.uploads / sha256_file(path)[:16] / name
        kept.parent.mkdir(parents=True, exist_ok=True)
        if not kept.is_file():
            shutil.copyfile(path, kept)
        accepted.append((name, kept))
    return lines, accepted


def _upload_outcomes(report, accepted: list[tuple[str, Path]]) -> list[str]:
    """One line per accepted upload: added, updated, already indexed, or not added and why."""
    failed = dict(report.failed)
    lines = []
    for name, kept in accepted:
        if name in failed:
            lines.append(f"**Not added — {name}**: {failed[name]}")
            shutil.rmtree(kept.parent, ignore_errors=True)
        elif name in report.replaced:
            lines.append(f"**Updated — {name}**")
        elif name in report.unchanged:
            lines.append(f"**Already indexed — {name}**")
        else:
            lines.append(f"**Added — {name}**")
    return lines


def _safe_name(name: str) -> str:
    name = Path(name).name
    return re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "upload"


def export_markdown(history: list[dict] | None, answers: list[Answer] | None, folder: Path) -> str | None:
    """The conversation with its citations as a Markdown file; returns its path."""
    answers = list(answers or [])
    if not answers:
        return None
    out = ["# coopqa conversation", "", f"_Exported {time.strftime('%Y-%m-%d %H:%M')}_", ""]
    for answer in answers:
        out += [f"## Q: {answer.question}", "", answer.text, ""]
        for n in range(1, len(answer.citations) + 1):
            passage = answer.citations[n - 1]
            quoted = " … ".join(q.text for q in answer.quotes if q.citation == n)
            out.append(f"- [{n}] {answer.cite(n)} ({passage.doc})" + (f": “{quoted}”" if quoted else ""))
        if answer.note:
            out.append(f"- note: {answer.note}")
        out.append("")
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=folder)) / "coopqa-conversation.md"
    path.write_text("\n".join(out), encoding="utf-8")
    return str(path)
