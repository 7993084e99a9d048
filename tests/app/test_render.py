from __future__ import annotations

from pathlib import Path

from PIL import Image

from coopqa.app.render import find_spans, highlight_boxes, render_page

from ..conftest import REPORT_PDF


def test_find_spans_ignores_line_breaks_and_hyphen_joins():
    page = "It aims for NEVs to constitute 15% of total\r\nautomobile"
    assert find_spans(page, "It aims for NEVs to constitute 15% of total automobile") == [(0, len(page))]
    # a quote that goes on over the page break: its longest prefix on this page
    ((start, end),) = find_spans(
        page, "It aims for NEVs to constitute 15% of total automobile production by 2025"
    )
    assert page[start:end] == page
    assert find_spans(page, "nothing of the sort is printed here") == []


def test_boxes_follow_the_quote_across_lines_and_pages(tmp_path):
    quote = (
        "It aims for NEVs to constitute 15% of total automobile production by 2025, 30% by 2030, "
        "and 100% by 2035, gradually enhancing the localized production capacity and industrial scale."
    )
    first, _ = highlight_boxes(REPORT_PDF, 14, quote)  # printed page 10: the start of the sentence
    second, _ = highlight_boxes(REPORT_PDF, 15, quote)  # printed page 11: the rest, over two lines
    assert len(first) == 1 and len(second) == 2
    assert second[0][1] > second[1][1]  # top line first
    images = [
        render_page(REPORT_PDF, 14, first, tmp_path, "k"),
        render_page(REPORT_PDF, 15, second, tmp_path, "k"),
    ]
    page = Image.open(images[0])  # the whole page, its highlight drawn in the quote's place
    assert abs(page.width - 595.28 * 2) < 3 and abs(page.height - 841.89 * 2) < 3
    left, bottom, right, top = first[0]
    x, y = int((left + right) / 2 * 2), int((841.89 - (bottom + top) / 2) * 2)
    red, green, blue = page.convert("RGB").getpixel((x, y))
    assert red > 200 and green > 180 and blue < 200  # yellow over the quote
    assert render_page(REPORT_PDF, 14, first, tmp_path, "k") == images[0]  # cached


def test_table_row_cells_are_boxed_on_their_row():
    cells = ["Vietnam", "9% reduction from BAU by 2030", "2050"]
    boxes, _ = highlight_boxes(REPORT_PDF, 11, "", cells)
    assert len(boxes) == 3
    rows = {round(b[1]) for b in boxes}
    assert max(rows) - min(rows) <= 3  # the three cells sit on one row, not on the other "2050" rows
    assert Path(REPORT_PDF).is_file()
