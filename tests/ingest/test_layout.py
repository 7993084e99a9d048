from __future__ import annotations

import pytest

from coopqa.core.records import section_label
from coopqa.core.text import normalize
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.layout import boilerplate
from coopqa.ingest.reader import read_document

from ..conftest import REPORT_PDF, REPORT_TXT
from ..pdfmaker import report_like


@pytest.fixture(scope="module")
def report_blocks():
    return to_blocks(read_document(REPORT_PDF))


def test_running_header_and_page_numbers_are_found():
    doc = read_document(REPORT_PDF)
    drop = boilerplate(doc.pages)
    dropped = {doc.pages[p].lines[i].text for p, i in drop}
    assert {"China-ASEAN Cooperation in Emerging Industries", "EV100plus", "7", "iv"} <= dropped
    # every inner page loses exactly its header pair and its footer
    assert all(sum(1 for p, _ in drop if p == page) == 3 for page in range(1, 29))


def test_no_header_or_footer_text_in_any_block(report_blocks):
    """Each block's text stands in the publisher's plain text as it is: nothing was added."""
    reference = normalize(REPORT_TXT.read_text(encoding="utf-8"))
    for block in report_blocks:
        if block.kind in ("paragraph", "heading") and block.section[0] != "Cover":
            assert normalize(block.text) in reference, block.text[:80]
            assert "Emerging Industries EV100plus" not in block.text


def test_word_broken_across_pages_is_rejoined(report_blocks):
    block = next(b for b in report_blocks if "multi-dimensional dialogues" in b.text)
    assert [page for _, page in block.page_starts] == [5, 6]  # printed pages 1 and 2
    assert "multi- dimensional" not in block.text


def test_paragraph_across_page_break_is_one_block(report_blocks):
    block = next(b for b in report_blocks if "a place to absorb global industrial transfer" in b.text)
    assert len(block.page_starts) == 2


def test_heading_paths(report_blocks):
    labels = {section_label(b.section) for b in report_blocks}
    for expected in (
        "Abstract",
        "II.(i).2 Priorities: New energy, EVs, and digital economy",
        "III.(iv) Model: Committing to In-depth Localized Development and",
        "IV.(iii) Establishing Financial, Logistic and Human Resources",
    ):
        assert any(label.startswith(expected) for label in labels), expected
    wrapped = next(b for b in report_blocks if b.kind == "heading" and b.text.startswith("I. "))
    assert wrapped.text.endswith("Is of Strategic Importance for Win-Win Development Between China and ASEAN")


def test_contents_and_lists_are_not_sections(report_blocks):
    for block in report_blocks:
        assert not {"Contents", "List of Figures", "List of Tables"} & set(block.section)
    # the list of figures' entries are not indexed as text
    assert sum(1 for b in report_blocks if b.text.startswith("Figure 3 Total Renewables")) == 1


def test_table_rows_keep_headers_and_caption(report_blocks):
    rows = [b for b in report_blocks if b.kind == "table_row"]
    assert len(rows) == 9
    vietnam = next(b for b in rows if "Vietnam" in b.text)
    assert (
        vietnam.text
        == "Country: Vietnam; Carbon Peaking: 9% reduction from BAU by 2030; Carbon Neutrality: 2050"
    )
    assert vietnam.caption.startswith("Table 1 Timetable of Carbon Peaking")
    assert vietnam.page_starts == ((0, 11),)
    assert section_label(vietnam.section).startswith("II.(i).2")
    myanmar = next(b for b in rows if "Myanmar" in b.text)
    assert myanmar.text == "Country: Myanmar; Carbon Neutrality: 2050"  # empty cell left out, not invented
    malaysia = next(b for b in rows if "Malaysia" in b.text)
    assert "45% reduction in carbon emissions intensity by 2030 from 2005 baseline" in malaysia.text


def test_figure_captions_keep_source_and_page(report_blocks):
    figures = [b for b in report_blocks if b.kind == "figure"]
    assert len(figures) == 6
    fig6 = figures[5]
    assert fig6.text.startswith(
        "Figure 6 2020-2023 China's Exports of Goods in 6 Industrial Categories "
        "to 7 ASEAN Countries (in USD 100 Million)\nSource: General Administration"
    )
    assert fig6.page_starts == ((0, 19),)  # printed page 15


def test_blank_page_adds_nothing(report_blocks):
    assert not any(page == 8 for b in report_blocks for _, page in b.page_starts)  # printed page 4


def test_made_report(tmp_path):
    blocks = to_blocks(read_document(report_like(tmp_path / "r.pdf")))
    kinds = [b.kind for b in blocks]
    assert kinds == [
        "heading",
        "paragraph",
        "heading",
        "paragraph",
        "caption",
        "table_row",
        "table_row",
        "table_row",
        "source",
        "figure",
        "heading",
        "paragraph",
    ]
    text = " ".join(b.text for b in blocks)
    assert "Tiny Report on Lanterns" not in text and "ACME" not in text
    assert "multi-generational membership" in text
    assert blocks[1].page_starts == ((0, 0), (blocks[1].text.index("generational"), 1))
    lakeside = blocks[7]
    assert lakeside.text == "Town: Lakeside; Output: none yet; Colour: blue and gold"
    assert blocks[-1].section == ("II. Suggestions",)
