"""Scanned pages are read by OCR (rapidocr, offline) and cited like text pages.

The scanned PDFs are made here: a small report drawn by hand (``report_like``), rendered to
images and written back as an image-only PDF with the same page labels (``scanned_copy``), or
with only some pages scanned (``mixed_copy``).
"""

from __future__ import annotations

import re
import socket

import pytest

from coopqa import Assistant, Settings
from coopqa.app import handlers as h
from coopqa.app.render import ocr_highlight_boxes
from coopqa.app.viewer import page_renders
from coopqa.core.errors import DocumentError
from coopqa.core.records import OcrBox
from coopqa.evaluation.scanned import mixed_copy, scanned_copy
from coopqa.index import ocr_store
from coopqa.index.collection import ingest
from coopqa.ingest.ocr import OcrEngine, OcrOptions, render_scale
from coopqa.ingest.ocr_layout import quote_boxes, quote_confidence
from coopqa.ingest.reader import UNREADABLE, read_document

from ..pdfmaker import make_pdf, report_like


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scanned")
    return scanned_copy(report_like(folder / "source.pdf"), folder / "lanterns-scan.pdf")


@pytest.fixture(scope="module")
def scanned_index(scanned, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scanned-index")
    settings = Settings.from_env().override(index_dir=folder / "index", corpus_dir=folder)
    report = ingest([scanned], settings)
    return settings, report


def test_engine_reads_a_page_with_the_network_unreachable(scanned, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(scanned))
    try:
        page = pdf[0]
        scale = render_scale(*page.get_size(), dpi=100)
        boxes = OcrEngine().read(page.render(scale=scale).to_numpy(), scale, page.get_height())
    finally:
        pdf.close()
    text = " ".join(box.text for box in boxes)
    assert "4,200 paper lanterns in 2023" in text
    assert all(0 < box.confidence <= 1 and box.left < box.right and box.bottom < box.top for box in boxes)


def test_scanned_copy_ingests_with_page_labels_sections_and_ocr_boxes(scanned_index):
    settings, report = scanned_index
    assert report.ocr_pages == 4 and not report.failed
    assert "4 pages read by OCR" in report.summary()
    qa = Assistant.load(settings=settings)
    (info,) = qa.documents
    assert info.labels == ("1", "2", "3", "4") and info.ocr_pages == (0, 1, 2, 3)
    sections = " | ".join(label for label, _ in qa.sections())
    assert "I. Lanterns Are of Strategic Importance" in sections and "II. Suggestions" in sections
    assert not any("Tiny Report on Lanterns" in chunk.text for chunk in qa.data.chunks)  # running header
    boxes = ocr_store.read_boxes(settings.index_dir, info.sha256)
    assert set(boxes) == {0, 1, 2, 3} and any("kiln" in b.text for b in boxes[3])


def test_answer_on_a_scanned_page_is_cited_marked_and_highlighted(scanned_index):
    settings, _ = scanned_index
    qa = Assistant.load(settings=settings)
    answer = qa.ask("By when should the guild build a second kiln?")
    assert answer.answered and "2027" in answer.text
    assert answer.cite(1).endswith("p. 4") and answer.ocr_citations == (1,)
    session = h.Session(settings=settings, qa=qa)
    assert "read by OCR" in h.sources_html(answer)
    boxes = ocr_store.read_boxes(settings.index_dir, qa.documents[0].sha256)[3]
    quote = answer.citations[0].text[answer.quotes[0].start : answer.quotes[0].end]
    rects = ocr_highlight_boxes(boxes, quote)
    assert rects and all(left < right and bottom < top for left, bottom, right, top in rects)
    (image,) = page_renders(session, h.open_citation(session, "0-1", [answer]))
    assert image.suffix == ".png" and image.is_file()


def test_low_confidence_quote_is_flagged(scanned_index):
    settings, _ = scanned_index
    strict = settings.override(ocr_min_confidence=1.01)  # every line is below this
    qa = Assistant.load(settings=strict)
    answer = qa.ask("By when should the guild build a second kiln?")
    assert "Read by OCR with low confidence: [1]" in answer.note
    relaxed = Assistant.load(settings=settings.override(ocr_min_confidence=0.0))
    assert "low confidence" not in relaxed.ask("By when should the guild build a second kiln?").note


def test_no_ocr_keeps_the_old_refusal(scanned):
    with pytest.raises(DocumentError, match=re.escape("no text layer (a scanned PDF?): OCR is needed first")):
        read_document(scanned)


def test_mixed_pdf_cites_the_right_printed_page_on_both_kinds(tmp_path, settings):
    mixed = mixed_copy(report_like(tmp_path / "source.pdf"), tmp_path / "mixed.pdf", scanned=[3])
    report = ingest([mixed], settings)
    assert report.ocr_pages == 1
    qa = Assistant.load(settings=settings)
    assert qa.documents[0].ocr_pages == (3,)
    scanned_answer = qa.ask("By when should the guild build a second kiln?")
    assert scanned_answer.cite(1).endswith("p. 4") and scanned_answer.ocr_citations == (1,)
    text_answer = qa.ask("How many paper lanterns did the valley produce in 2023?")
    assert "4,200" in text_answer.text and text_answer.cite(1).endswith("p. 1")
    assert text_answer.ocr_citations == ()


def _image_pdf(path, width: int, height: int, corrupt: bool = False):
    """Page 1 text, page 2 one image (declared ``width`` x ``height``, or a damaged stream)."""
    text = [(62, 770, 9.5, "R", "The harbour handled 310 ships in 2024.")]
    make_pdf(path, [text, []], image_pages=(1,))
    data = path.read_bytes().replace(b"/Width 64 /Height 64", f"/Width {width} /Height {height}".encode())
    if corrupt:
        start = data.index(b"stream\n", data.index(b"/Subtype /Image")) + 7
        data = data[:start] + b"\x00garbage!" + data[start + 9 :]
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "kind, reason",
    [("huge", "over the 100-megapixel limit"), ("corrupt", "damaged image stream")],
)
def test_hostile_image_page_fails_that_page_only(kind, reason, tmp_path, settings):
    path = (
        _image_pdf(tmp_path / "huge.pdf", 200_000, 200_000)
        if kind == "huge"
        else _image_pdf(tmp_path / "corrupt.pdf", 64, 64, corrupt=True)
    )
    document = read_document(path, ocr=OcrOptions(page_timeout=30))
    assert reason in document.pages[1].ocr_error and not document.pages[1].lines
    report = ingest([path], settings)
    assert not report.failed and report.warnings and reason in report.warnings[0][1]
    assert "310 ships" in Assistant.load(settings=settings).ask("How many ships did the harbour handle?").text


def test_a_jbig2_image_is_left_to_pdfium_not_judged_by_pypdf(tmp_path):
    """pypdf decodes JBIG2 only with the outside program jbig2dec; pdfium renders it itself, so
    the check before OCR does not decode it (it used to call every such page damaged)."""
    from pypdf import PdfReader

    from coopqa.ingest.ocr import image_problem

    path = _image_pdf(tmp_path / "fax.pdf", 64, 64)
    image = path.read_bytes().index(b"/Subtype /Image")
    data = path.read_bytes()
    start = data.index(b"/FlateDecode", image)
    path.write_bytes(data[:start] + b"/JBIG2Decode" + data[start + len(b"/FlateDecode") :])
    assert image_problem(PdfReader(path).pages[1]) == ""
    assert "damaged image stream" in image_problem(
        PdfReader(_image_pdf(tmp_path / "bad.pdf", 64, 64, True)).pages[1]
    )


# drawn in a font whose text reads back as noise (a wrong /ToUnicode), as some papers' fonts do
NOISE = [
    (62, 770, 16, "G", "Lanterns are lit at dusk during the festival."),
    (62, 740, 16, "G", "The guild sells nine hundred lanterns a year."),
]


def _garbled_pdf(path):
    """Page 1 text; page 2 whose text layer is noise (its letters drawn right)."""
    return make_pdf(path, [[(62, 770, 9.5, "R", "The harbour handled 310 ships in 2024.")], NOISE])


def test_a_page_whose_text_layer_is_noise_is_read_by_ocr(tmp_path, settings):
    path = _garbled_pdf(tmp_path / "noise.pdf")
    document = read_document(path, ocr=OcrOptions(page_timeout=30))
    assert not document.pages[0].ocr and document.pages[1].ocr
    assert "lit at dusk" in " ".join(line.text for line in document.pages[1].lines)
    report = ingest([path], settings)
    assert report.ocr_pages == 1 and not report.warnings
    answer = Assistant.load(settings=settings).ask("What is lit at dusk during the festival?")
    assert "dusk" in answer.text and answer.cite(1).endswith("p. 2") and answer.ocr_citations == (1,)


def test_with_ocr_off_a_noise_page_keeps_its_readable_lines_or_says_why(tmp_path):
    document = read_document(_garbled_pdf(tmp_path / "noise.pdf"))
    assert [bool(page.lines) for page in document.pages] == [True, False]
    assert document.pages[1].ocr_error == UNREADABLE
    text = [(62, 700 - 14 * k, 10, "R", "The harbour handled 310 ships in 2024.") for k in range(2)]
    mixed = read_document(make_pdf(tmp_path / "mixed.pdf", [[*NOISE, *text]]))
    assert [line.text for line in mixed.pages[0].lines] == [t[4] for t in text]
    with pytest.raises(DocumentError, match="text layer unreadable"):
        read_document(make_pdf(tmp_path / "only.pdf", [NOISE]))


def test_blank_scan_adds_nothing(tmp_path):
    path = make_pdf(tmp_path / "grey.pdf", [[], []], image_pages=(0, 1))
    with pytest.raises(DocumentError, match="OCR found no text on any page"):
        read_document(path, ocr=OcrOptions())


def test_quote_boxes_cover_part_of_a_box_and_cross_boxes():
    boxes = (
        OcrBox("The guild sells 900", 10, 100, 110, 110, 0.99),
        OcrBox("lanterns a night.", 10, 85, 95, 95, 0.7),
    )
    found = quote_boxes(boxes, "sells 900 lanterns")
    assert [box.text for box, _, _ in found] == ["The guild sells 900", "lanterns a night."]
    assert 0.4 < found[0][1] < 0.6 and found[0][2] == 1.0 and found[1][1] == 0.0
    assert quote_confidence(boxes, "sells 900 lanterns") == 0.7
    assert quote_confidence(boxes, "The guild") == 0.99
    assert quote_boxes(boxes, "not on this page") == []
