"""The page viewer: a cited page at a readable size, its quote highlighted, paged and zoomed.

A ``View`` is what the viewer shows: pages of one document (the cited one, or the two a quote
runs across), the highlight boxes of the cited pages, and the zoom. Moving and zooming make a
new ``View``; :func:`view_html` renders it as HTML: full pages as PNG (cached under
``<index>/renders``, the only folder the server serves files from), drawn ``zoom`` x the page's
width in points, with ``data-focus`` saying where the first highlight is so the page scrolls to it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from ..answer.records import Answer
from ..answer.tables import row_cells
from ..core.records import DocInfo
from ..index import ocr_store
from .render import highlight_boxes, ocr_highlight_boxes, render_page

ZOOMS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0)  # CSS pixels per point; 1.5 puts an A4 page 893 px wide
PIXEL_RATIO = 2.0  # renders are this many times sharper than they are drawn


@dataclass(frozen=True)
class View:
    """Pages of one document as the viewer shows them."""

    doc: str
    pages: tuple[int, ...]  # physical pages shown, in order
    count: int  # pages in the document
    labels: tuple[str, ...]  # printed label of every page
    highlights: tuple[tuple[int, tuple], ...] = ()  # (physical page, PDF-space boxes)
    zoom: float = 1.5

    def boxes(self, page: int) -> list:
        return [box for p, boxes in self.highlights if p == page for box in boxes]


def _document(session, name: str) -> DocInfo | None:
    info = next((d for d in session.qa.documents if d.name == name), None)
    if info is None or info.kind != "pdf" or not Path(info.path).is_file():
        return None
    return info


def cited_boxes(session, answer: Answer, n: int) -> tuple[DocInfo | None, list[tuple[int, list]]]:
    """The document of citation ``[n]`` and, for each cited page, the boxes its quotes cover
    (a table row: its cells); from the text layer, or from what OCR read on a scanned page."""
    passage = answer.citations[n - 1]
    info = _document(session, passage.doc)
    if info is None:
        return None, []
    quotes = [q for q in answer.quotes if q.citation == n and q.supported]
    wanted = {p for q in quotes for p in q.pages} or set(passage.pages)
    pages = []
    for physical, label in zip(passage.physical_pages, passage.pages):
        if label not in wanted:
            continue
        boxes = []
        ocr = ocr_store.read_boxes(session.settings.index_dir, info.sha256).get(physical)
        for quote in quotes or [None]:
            cells = [v for _, v in row_cells(passage.text) if v] if passage.kind == "table_row" else []
            text = "" if cells else passage.text[quote.start : quote.end] if quote else passage.text
            if ocr is not None:
                boxes += ocr_highlight_boxes(ocr, text, cells)
            else:
                boxes += highlight_boxes(Path(info.path), physical, text, cells)[0]
        pages.append((physical, boxes))
    return info, pages


def open_view(session, answer: Answer | None, n: int, zoom: float = 1.5) -> View | None:
    """The view of citation ``[n]``: its page (both pages when the quote crosses a page break)."""
    if answer is None or not 1 <= n <= len(answer.citations):
        return None
    info, pages = cited_boxes(session, answer, n)
    if info is None or not pages:
        return None
    highlights = tuple((physical, tuple(boxes)) for physical, boxes in pages)
    shown = tuple(physical for physical, _ in pages)
    return View(info.name, shown, info.pages, info.labels, highlights, zoom)


def step(view: View | None, delta: int) -> View | None:
    """The page before (``-1``) or after (``+1``) what is shown, if there is one."""
    if view is None:
        return None
    target = (view.pages[0] if delta < 0 else view.pages[-1]) + delta
    if not 0 <= target < view.count:
        return view
    return replace(view, pages=(target,))


def zoomed(view: View | None, delta: int) -> View | None:
    """One zoom step in (``+1``) or out (``-1``)."""
    if view is None:
        return None
    at = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - view.zoom))
    return replace(view, zoom=ZOOMS[max(0, min(len(ZOOMS) - 1, at + delta))])


def page_renders(session, view: View) -> list[Path]:
    """The PNG of each page the view shows, its highlights drawn, ``PIXEL_RATIO`` x sharper than shown."""
    info = _document(session, view.doc)
    if info is None:
        return []
    scale = view.zoom * PIXEL_RATIO
    key = info.sha256
    return [render_page(Path(info.path), p, view.boxes(p), session.renders, key, scale) for p in view.pages]


def view_html(session, view: View | None) -> str:
    """The viewer's HTML: a heading (document, printed page, page i of n, zoom) and the pages."""
    if view is None:
        return "<div class='coopqa-viewer-empty'>Click a citation [n] to open its page here.</div>"
    info = _document(session, view.doc)
    if info is None:
        gone = f"{html.escape(view.doc)} is no longer in the collection."
        return f"<div class='coopqa-viewer-empty'>{gone}</div>"
    first = view.pages[0]
    label = " and ".join(f"p. {view.labels[p]}" for p in view.pages)
    head = (
        f"<div class='coopqa-viewer-head'><b>{html.escape(view.doc)}</b> — {html.escape(label)} "
        f"<span class='where'>(page {first + 1} of {view.count}, zoom {int(view.zoom * 100)} %)</span></div>"
    )
    images, focus = [], ""
    for page, path in zip(view.pages, page_renders(session, view)):
        boxes = view.boxes(page)
        scale = view.zoom * PIXEL_RATIO
        with Image.open(path) as image:
            width, page_height = image.width / PIXEL_RATIO, image.height / scale
        if boxes and not focus:
            share = max(0.0, (page_height - max(b[3] for b in boxes)) / page_height)
            focus = f" data-focus-page='{page}' data-focus='{share:.4f}'"
        images.append(
            f"<img src='/gradio_api/file={html.escape(str(path))}' data-page='{page}' "
            f"style='width:{width:.0f}px' alt='page {html.escape(view.labels[page])}'>"
        )
    return f"{head}<div class='coopqa-viewer' id='viewer-pages'{focus}>{''.join(images)}</div>"


SCROLL_JS = """() => {
  const box = document.getElementById('viewer-pages');
  if (!box || !box.dataset.focus) return;
  const img = box.querySelector(`img[data-page='${box.dataset.focusPage}']`);
  const go = () => { box.scrollTop = Math.max(0, img.offsetTop - box.offsetTop
      + parseFloat(box.dataset.focus) * img.clientHeight - 120); };
  if (img.complete) go(); else img.addEventListener('load', go, {once: true});
}"""
