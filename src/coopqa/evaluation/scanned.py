"""Scanned copies of PDFs, to measure how coopqa does on scans of documents it can read as text.

``scanned_copy(source, target)`` renders every page (pypdfium2) to a greyscale image, writes
the images as an image-only PDF of the same page sizes (Pillow, JPEG like a scanner gives) and
copies the printed page labels (``/PageLabels``) across with pypdf, so that answers on the copy
cite the same printed pages as on the original. ``pages`` picks a subset (the labels are kept
when it is the first pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def scanned_copy(
    source: Path, target: Path, dpi: int = 200, pages: Sequence[int] | None = None, quality: int = 80
) -> Path:
    """Write an image-only copy of ``source`` to ``target`` (its pages ``pages``, default all)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    pdf = pdfium.PdfDocument(str(source))
    try:
        chosen = list(range(len(pdf))) if pages is None else list(pages)
        images = [pdf[i].render(scale=dpi / 72).to_pil().convert("L") for i in chosen]
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(
        target, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=quality
    )
    original = PdfReader(str(source))
    labels = original.trailer["/Root"].get("/PageLabels")
    if labels is not None and chosen == list(range(len(chosen))):  # all pages, or the first n
        writer = PdfWriter(clone_from=str(target))
        writer._root_object[NameObject("/PageLabels")] = labels.get_object().clone(writer)
        with open(target, "wb") as handle:
            writer.write(handle)
    return target


def mixed_copy(source: Path, target: Path, scanned: Sequence[int], dpi: int = 200) -> Path:
    """A copy of ``source`` whose pages ``scanned`` are images (no text layer), the rest, the
    page labels and the outline as they were."""
    import tempfile

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream

    with tempfile.TemporaryDirectory() as folder:
        scans = PdfReader(str(scanned_copy(source, Path(folder) / "scans.pdf", dpi, pages=scanned)))
        writer = PdfWriter(clone_from=str(source))
        for n, index in enumerate(scanned):
            page = writer.pages[index]
            page.replace_contents(ContentStream(None, writer))  # the text layer goes
            page.merge_page(scans.pages[n])  # the page's image comes
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            writer.write(handle)
    return target
