"""The gradio Blocks of the chat page; every handler is a thin call into :mod:`coopqa.app.handlers`."""

from __future__ import annotations

import os
from pathlib import Path

from ..answer.records import AskRequest
from ..core.records import SEARCH_MODES
from ..core.settings import Settings
from . import handlers as h
from .viewer import SCROLL_JS, open_view, step, view_html, zoomed

# a readable system font stack: nothing is fetched, and a capital E reads as an E
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
CSS = """
.coopqa-sources { font-size: 0.92rem; }
.coopqa-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; }
.coopqa-source .head { margin-bottom: 4px; }
.coopqa-source .page { font-weight: 600; }
.coopqa-source .doc, .coopqa-source .cap { color: #57606a; font-size: 0.85rem; }
.coopqa-source .passage { line-height: 1.45; }
.coopqa-source mark { background: #ffe066; padding: 0 1px; }
.coopqa-sources.declined { color: #8a4b00; }
.coopqa-unsupported { color: #b00020; font-size: 0.85rem; }
#examples button.example { white-space: normal; text-align: left; flex: 1 1 45%; }
.coopqa-hidden { display: none !important; }
.coopqa-viewer { max-height: 85vh; overflow: auto; background: #8a8f98; padding: 10px; text-align: center; }
.coopqa-viewer img { display: block; margin: 0 auto 10px auto; max-width: none; box-shadow: 0 1px 4px #0005; }
.coopqa-viewer-head { margin: 4px 0 6px 0; } .coopqa-viewer-head .where { color: #57606a; }
.coopqa-source .tools a, .coopqa-source .tools button {
  font-size: 0.8rem; margin-right: 8px; cursor: pointer; }
.coopqa-source .tools button {
  border: 1px solid #d0d7de; border-radius: 4px; background: #f6f8fa; padding: 0 6px; }
a.cite { text-decoration: none; font-weight: 600; }
"""
# clicks on citation markers ([n] in an answer, "open page" on a source) open the viewer through a
# hidden textbox and button; "copy citation" copies the card's citation
CLICKS_JS = """() => {
  if (window.coopqaClicks) return; window.coopqaClicks = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#cite-"]');
    if (link) {
      event.preventDefault();
      const box = document.querySelector('#cite-target textarea, #cite-target input');
      box.value = link.getAttribute('href').slice(6);
      box.dispatchEvent(new Event('input', {bubbles: true}));
      setTimeout(() => document.querySelector('#cite-go').click(), 100);
      return;
    }
    const copy = event.target.closest('button.copy-cite');
    if (copy) {
      navigator.clipboard.writeText(copy.dataset.cite).then(() => { copy.textContent = 'copied'; });
    }
  });
}"""
REVEAL_JS = "document.getElementById('viewer-panel').scrollIntoView({block: 'start'});"


def build_blocks(session: h.Session):
    import gradio as gr

    qa = session.qa
    profile = session.profile
    # an upload is copied into the index's uploads folder: gradio's own copy (in GRADIO_TEMP_DIR)
    # is transit only, so a day-old one is deleted, and all of them when the server starts again
    with gr.Blocks(title=profile.title, analytics_enabled=False, delete_cache=(86400, 86400)) as demo:
        answers = gr.State([])
        latest = gr.State(None)
        view = gr.State(None)
        kept_chat = gr.BrowserState([], storage_key="coopqa-conversation")
        gr.Markdown(f"## {profile.heading}\n{profile.intro}")
        with gr.Row():
            with gr.Column(scale=5):
                chat = gr.Chatbot(
                    label="Conversation", height=520, elem_id="chat", buttons=["copy"], sanitize_html=True
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder=profile.placeholder,
                        show_label=False,
                        scale=8,
                        elem_id="question",
                        max_lines=4,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                gr.Markdown("**Try one:**")
                with gr.Row(elem_id="examples"):
                    example_buttons = [
                        gr.Button(q, size="sm", elem_classes="example") for q in profile.examples
                    ]
                with gr.Row():
                    clear = gr.Button("New conversation", size="sm")
                    export = gr.Button("Export conversation (Markdown)", size="sm", elem_id="export")
                download = gr.File(label="Conversation", visible=False, interactive=False)
            with gr.Column(scale=6):
                sources = gr.HTML(h.sources_html(None), label="Sources", elem_id="sources")
                pick = gr.Radio(choices=[], label="Open cited page", elem_id="pick", visible=False)
        with gr.Column(elem_id="viewer-panel"):
            with gr.Row(elem_id="viewer-tools"):
                back = gr.Button("◀ Previous page", size="sm", elem_id="prev-page")
                forward = gr.Button("Next page ▶", size="sm", elem_id="next-page")
                smaller = gr.Button("Zoom out −", size="sm", elem_id="zoom-out")
                larger = gr.Button("Zoom in +", size="sm", elem_id="zoom-in")
            viewer = gr.HTML(view_html(session, None), elem_id="viewer")
        cite_target = gr.Textbox(elem_id="cite-target", elem_classes=["coopqa-hidden"], show_label=False)
        cite_go = gr.Button("open citation", elem_id="cite-go", elem_classes=["coopqa-hidden"])
        with gr.Accordion("Settings", open=False):
            with gr.Row():
                k = gr.Slider(1, 10, value=6, step=1, label="Passages the answer may draw on")
                mode = gr.Radio(
                    list(SEARCH_MODES),
                    value="hybrid",
                    label="Retrieval",
                    info="hybrid: meaning and keywords (best); rrf: the same, fused by rank; "
                    "dense: meaning only; bm25: keywords only",
                )
            with gr.Row():
                section = gr.Dropdown(
                    choices=[("All sections", "")] + qa.sections(),
                    value="",
                    label="Only this section",
                    elem_id="section",
                )
                doc = gr.Dropdown(
                    choices=[("All documents", "")] + [(d.name, d.name) for d in qa.documents],
                    value="",
                    label="Only this document",
                    elem_id="doc",
                )
        with gr.Accordion("Documents", open=False, elem_id="documents"):
            docs = gr.Dataframe(
                value=h.document_rows(session),
                headers=["document", "pages", "passages", "added"],
                interactive=False,
                elem_id="doclist",
            )
            files = gr.File(
                label=f"Add PDF, .txt or .md (up to {session.settings.ingest.max_file_mb:.0f} MB each)",
                file_count="multiple",
                file_types=[".pdf", ".txt", ".md"],
                elem_id="upload",
            )
            add = gr.Button("Add to the collection", elem_id="add")
            with gr.Row():
                drop = gr.Dropdown(
                    choices=[d.name for d in qa.documents],
                    value=None,
                    label="Remove a document",
                    elem_id="remove-pick",
                    scale=4,
                )
                remove = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)
            status = gr.Markdown(elem_id="upload-status")

        def shown(new_view):
            return new_view, view_html(session, new_view)

        def on_ask(question, history, kept, k_value, mode_value, section_value, doc_value):
            request = AskRequest(question or "", (), int(k_value), mode_value, doc_value, section_value)
            turns = h.ask_stream(session, request, history, kept)
            for new_history, new_kept, answer in turns:
                if answer is None:  # an LLM is still writing, or there was no question
                    yield "", new_history, new_kept, None, gr.update(), gr.update(), gr.update(), gr.update()
                    continue
                choices = h.citation_choices(answer)
                pick_update = gr.update(
                    choices=choices, value=choices[0] if choices else None, visible=bool(choices)
                )
                index = len(new_kept) - 1
                new_view = open_view(session, answer, 1) if choices else None
                sources_update = h.sources_html(answer, index)
                yield ("", new_history, new_kept, answer, sources_update, pick_update, *shown(new_view))

        outputs = [box, chat, answers, latest, sources, pick, view, viewer]
        inputs = [box, chat, answers, k, mode, section, doc]
        scroll = dict(fn=None, inputs=None, outputs=None, js=SCROLL_JS)
        send.click(on_ask, inputs, outputs, concurrency_id="read").then(**scroll)
        for button, question in zip(example_buttons, profile.examples):
            button.click(on_ask, [gr.State(question), *inputs[1:]], outputs, concurrency_id="read").then(
                **scroll
            )
        box.submit(on_ask, inputs, outputs, concurrency_id="read").then(**scroll)

        def on_pick(answer, choice, current):
            n = int(choice.split("]")[0].strip("[")) if choice else 1
            return shown(open_view(session, answer, n, current.zoom if current else 1.5))

        pick.input(on_pick, [latest, pick, view], [view, viewer], concurrency_id="read").then(**scroll)

        def on_cite(target, kept, current):
            opened = h.open_citation(session, target, kept, current.zoom if current else 1.5)
            return shown(opened) if opened else (current, gr.update())

        cite_go.click(on_cite, [cite_target, answers, view], [view, viewer], concurrency_id="read").then(
            None, None, None, js=SCROLL_JS.replace("() => {", "() => { " + REVEAL_JS, 1)
        )
        for button, move in ((back, -1), (forward, 1)):
            button.click(lambda v, m=move: shown(step(v, m)), [view], [view, viewer], concurrency_id="read")
        for button, change in ((smaller, -1), (larger, 1)):
            button.click(
                lambda v, c=change: shown(zoomed(v, c)), [view], [view, viewer], concurrency_id="read"
            )

        def on_clear():
            return (
                [],
                [],
                None,
                h.sources_html(None),
                gr.update(choices=[], value=None, visible=False),
                *shown(None),
            )

        clear.click(on_clear, None, [chat, answers, latest, sources, pick, view, viewer])
        chat.change(lambda history: history, [chat], [kept_chat])  # the conversation survives a reload
        demo.load(lambda saved: saved or [], [kept_chat], [chat])
        demo.load(None, None, None, js=CLICKS_JS)

        def on_export(history, kept):
            path = h.export_markdown(history, kept, session.settings.index_dir / "renders" / "exports")
            return gr.update(value=path, visible=path is not None)

        export.click(on_export, [chat, answers], [download])

        def refreshed():
            rows, sections, documents, names = h.library(session)
            return (
                rows,
                gr.update(choices=sections),
                gr.update(choices=documents),
                gr.update(choices=names, value=None),
            )

        def on_add(paths, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 - gradio's idiom
            progress(0, desc="reading")
            message = h.add_documents(session, list(paths or []), progress=True)
            return (message, *refreshed(), None)

        def on_remove(name):
            return (h.remove_document(session, name), *refreshed())

        library_parts = [docs, section, doc, drop]
        demo.load(refreshed, None, library_parts)  # the collection as it is now, not at start

        def api_ask(question: str) -> dict:
            """Ask the collection; the answer as JSON (text, answered, citations)."""
            answer = session.qa.ask(question or "")
            return {
                "text": answer.text,
                "answered": answer.answered,
                "citations": [answer.cite(n) for n in range(1, len(answer.citations) + 1)],
            }

        gr.api(api_ask, api_name="ask", concurrency_id="read")

        writes = dict(concurrency_limit=1, concurrency_id="write")
        add.click(on_add, [files], [status, *library_parts, files], **writes)
        remove.click(
            on_remove,
            [drop],
            [status, *library_parts],
            js="(name) => (name && confirm(`Remove ${name} from the collection?`)) ? name : ''",
            **writes,
        )
    return demo


def launch(settings: Settings, auth: str | None = None, block: bool = True):
    """Open the index (building it on first run) and serve the chat page on
    ``settings.serve.host``:``settings.serve.port``."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    session = h.open_session(settings)
    demo = build_blocks(session)
    host, port = settings.serve.host, settings.serve.port
    demo.queue(default_concurrency_limit=settings.serve.concurrency, max_size=settings.serve.queue_size)
    credentials = None
    if auth:
        user, _, password = auth.partition(":")
        credentials = (user, password)
    renders = settings.index_dir / "renders"
    renders.mkdir(parents=True, exist_ok=True)
    import gradio as gr

    count = len(session.qa.documents)
    print(f"coopqa: serving {count} document{'' if count == 1 else 's'} on http://{host}:{port}")
    demo.launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        share=False,
        allowed_paths=[str(renders)],
        blocked_paths=[str(Path(settings.index_dir).resolve() / "uploads")],
        max_file_size=f"{int(settings.ingest.max_file_mb)}mb",
        ssr_mode=False,
        footer_links=["api"],
        prevent_thread_lock=not block,
        quiet=True,
        css=CSS,
        theme=gr.themes.Soft(font=SYSTEM_FONTS, font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"]),
        show_error=True,
    )
    return demo, session
