from __future__ import annotations

import pytest

from coopqa.core.records import Line, section_label
from coopqa.core.text import normalize
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.furniture import boilerplate, running_heads
from coopqa.ingest.layout import body_size, heading_levels, is_heading_line, level_by_numbering
from coopqa.ingest.reader import read_document

from ..conftest import REPORT_PDF, REPORT_TXT
from ..pdfmaker import guide_like, make_pdf, report_like


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


def _notebook(path):
    """Twelve pages: "Field Notes" on even pages and "Kilns and Glazes" on odd ones (the top
    line alternates), "Page n of 12" at the foot, a chapter's own running head with its page
    number on three pages only, and lines that repeat without being furniture."""
    pages = []
    for index in range(12):
        top = (
            (56, 812, 7.5, "R", "Field Notes")
            if index % 2 == 0
            else (400, 812.6, 7.5, "R", "Kilns and Glazes")
        )
        lines = [top, (280, 30 + 0.4 * (index % 3), 7.5, "R", f"Page {index + 1} of 12")]
        lines.append((62, 700, 9.5, "R", f"Firing number {index} went well on day {index * 3}."))
        lines.append((62, 688, 9.5, "R", "The kiln was then left to cool."))
        if index in (6, 7, 8):
            lines.append((56, 60, 7.5, "R", f"Chapter 3: Glazes {index + 1}"))
        if index in (1, 5, 9):
            lines.append((62, 60, 9.5, "R", "Table 2 (continued)"))
        if index == 4:
            lines.append((262, 70, 9.5, "R", "x"))
        pages.append(lines)
    return make_pdf(path, pages)


def test_running_heads_alternating_numbered_and_chapter_are_dropped(tmp_path):
    doc = read_document(_notebook(tmp_path / "notes.pdf"))
    dropped = {doc.pages[p].lines[i].text for p, i in boilerplate(doc.pages)}
    assert {"Field Notes", "Kilns and Glazes", "Page 1 of 12", "Page 12 of 12"} <= dropped
    assert {"Chapter 3: Glazes 7", "Chapter 3: Glazes 9"} <= dropped
    assert not {"Table 2 (continued)", "x"} & dropped  # repeated, but nothing follows the page
    text = " ".join(b.text for b in to_blocks(doc))
    for furniture in ("Field Notes", "Kilns", "Page ", "Chapter 3"):
        assert furniture not in text
    assert "Table 2 (continued)" in text and "Firing number 11 went well on day 33." in text
    # the document's own heads only: a chapter's head names the chapter, not the document
    assert running_heads(doc.pages) == ("Field Notes", "Kilns and Glazes")


def test_running_header_with_varying_number_removed(tmp_path):
    doc = read_document(guide_like(tmp_path / "guide.pdf"))
    assert not any("Lantern Guide" in b.text for b in to_blocks(doc))
    assert running_heads(doc.pages) == ("Lantern Guide",)


def test_report_running_heads_unchanged():
    assert running_heads(read_document(REPORT_PDF).pages) == (
        "China-ASEAN Cooperation in Emerging Industries",
        "EV100plus",
    )


def test_unnumbered_heading_sizes_nest_by_size(tmp_path):
    """Four heading sizes and no numbering: each smaller size nests under the larger one above
    it, so a bold section heading does not take its chapter's place in the path."""
    body = "The harbour keeps its boats in the inner basin all winter long."
    pages = [
        [
            (56, 780, 24, "B", "Harbour Guide"),
            (56, 740, 20, "B", "Part One: Vessels"),
            (56, 700, 16, "B", "Boats"),
            (56, 680, 9.5, "R", body),
            (56, 650, 12, "B", "Sail boats"),
            (56, 630, 9.5, "R", "Sail boats leave at dawn when the wind is steady."),
        ],
        [
            (56, 780, 16, "B", "Ferries"),
            (56, 760, 9.5, "R", "Ferries run every hour from the stone pier."),
            (56, 730, 12, "B", "Night ferries"),
            (56, 710, 9.5, "R", "Night ferries stop at midnight in the low season."),
        ],
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "harbour.pdf", pages)))
    section_of = {b.text: b.section for b in blocks if b.kind == "paragraph"}
    vessels = ("Harbour Guide", "Part One: Vessels")
    assert section_of[body] == (*vessels, "Boats")
    sail = section_of["Sail boats leave at dawn when the wind is steady."]
    assert sail == (*vessels, "Boats", "Sail boats")
    assert section_of["Ferries run every hour from the stone pier."] == (*vessels, "Ferries")
    night = section_of["Night ferries stop at midnight in the low season."]
    assert night == (*vessels, "Ferries", "Night ferries")


@pytest.mark.parametrize(
    "text, heading",
    [
        ("How to Prevent", True),
        ("Part One: Vessels", True),
        ("Step 2: Fill the tank", True),
        ("Q1: 2023 and Q2: 2024 results", True),  # numbers that run on into words
        ("Scenario A: 1.5°C vs Scenario B: 2°C", True),
        ("Pathways to <1.5°C", True),  # a comparison, not a tag
        ("Findings; next steps", True),
        ("E = mc²", True),
        ("Exploitability: 3 Prevalence: 2 Detectability: 3", False),  # a row of values
        ('String query = "SELECT * FROM boats";', False),  # code
        ("<boat id='1'>", False),
        ("<!DOCTYPE harbour [", False),  # a line that opens a tag
        ("pier.open(); boat.sail();", False),
        ("https://example.org/harbour", False),
        ("\uf0e8", False),  # an icon: no letter or digit
    ],
)
def test_bold_rows_of_values_and_code_are_not_headings(text, heading):
    assert is_heading_line(Line(text, x=56, y=700, size=9.5, bold=True), body=9.5) is heading


def test_a_bulleted_line_is_a_heading_only_when_set_larger_than_the_body():
    assert not is_heading_line(Line("• Source Code Management", 56, 700, 9.5, bold=True), body=9.5)
    assert is_heading_line(Line("■ Key findings", 56, 700, 14, bold=True), body=9.5)


def test_title_wrapped_over_lines_a_hair_apart_in_size_is_one_heading(tmp_path):
    """The lines of one title can differ in the second decimal of their size (27.96 / 27.98)."""
    pages = [
        [
            (56, 780, 27.96, "B", "Using Components"),
            (56, 750, 27.98, "B", "with Known Flaws"),
            (56, 720, 9.5, "R", "Components run with the same privileges as the application itself."),
        ]
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "title.pdf", pages)))
    assert [b.text for b in blocks if b.kind == "heading"] == ["Using Components with Known Flaws"]
    assert blocks[-1].section == ("Using Components with Known Flaws",)


def test_an_unnumbered_size_below_the_numbered_ones_nests_under_them(tmp_path):
    """A bold line smaller than every numbered heading sits one level below the smallest of
    them, not at its rank among sizes (which would put it above "1. Boats")."""
    pages = [
        [
            (56, 780, 14, "B", "1. Boats"),
            (56, 760, 9.5, "R", "Boats of every size moor in the basin through the year."),
            (56, 730, 12, "B", "Sail boats"),
            (56, 710, 9.5, "R", "Sail boats leave at dawn when the wind is steady."),
            (56, 680, 14, "B", "2. Ferries"),
            (56, 660, 9.5, "R", "Ferries run every hour from the stone pier."),
        ]
    ]
    doc = read_document(make_pdf(tmp_path / "numbered.pdf", pages))
    levels = heading_levels(doc.pages, body_size(doc.pages))
    assert levels[12.0] == levels[14.0] + 1
    section_of = {b.text: b.section for b in to_blocks(doc) if b.kind == "paragraph"}
    assert section_of["Sail boats leave at dawn when the wind is steady."] == ("1. Boats", "Sail boats")


def test_decimal_numbering_gives_levels_where_sizes_do_not(tmp_path):
    """ "1.1" and "1.1.1" set alike: the numbering nests the second under the first; an unnumbered
    chapter title set larger stands over both."""
    text = "Boats of every size moor in the basin through the year."
    pages = [
        [
            (56, 780, 16, "B", "Introduction"),
            (56, 750, 12, "B", "1.1 Scope"),
            (56, 730, 9.5, "R", text),
            (56, 700, 12, "B", "1.1.1 Limits of the scope"),
            (56, 680, 9.5, "R", "Ferries are out of scope for this guide."),
            (56, 650, 12, "B", "1.2 Terms"),
            (56, 630, 9.5, "R", "A berth is a place for one boat."),
        ]
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "decimal.pdf", pages)))
    section_of = {b.text: b.section for b in blocks if b.kind == "paragraph"}
    assert section_of["Ferries are out of scope for this guide."] == (
        "Introduction",
        "1.1 Scope",
        "1.1.1 Limits of the scope",
    )
    assert section_of["A berth is a place for one boat."] == ("Introduction", "1.2 Terms")
    assert level_by_numbering("2.5 million boats") == 0  # a figure, not a number of a section


def test_a_chapter_number_without_a_dot_is_over_its_decimal_sections(tmp_path):
    """ "2 Methods" over "2.1 Data", all set alike: numbering nests them; "3 AVERAGE" (a rating
    cell) is no chapter."""
    pages = [
        [
            (56, 760, 12, "B", "1 Scope"),
            (56, 740, 9.5, "R", "This guide is about small harbours."),
            (56, 715, 12, "B", "2 Methods"),
            (56, 695, 12, "B", "2.1 Data"),
            (56, 675, 9.5, "R", "Berths were counted by hand."),
            (56, 650, 12, "B", "2.2 Checks"),
            (56, 630, 9.5, "R", "Every count was made twice."),
        ]
    ]
    blocks = to_blocks(read_document(make_pdf(tmp_path / "chapters.pdf", pages)))
    section_of = {b.text: b.section for b in blocks if b.kind == "paragraph"}
    assert section_of["Berths were counted by hand."] == ("2 Methods", "2.1 Data")
    assert section_of["Every count was made twice."] == ("2 Methods", "2.2 Checks")
    assert section_of["This guide is about small harbours."] == ("1 Scope",)
    assert level_by_numbering("3 AVERAGE") == 0


@pytest.mark.parametrize(
    ("heads", "nested"),
    [
        # a count, not a chapter: no chapter 4 before it, no 5.1 or 6 after
        ([(14, "1. Overview"), (12, "5 Key Findings"), (12, "Next Steps")], ("1. Overview", "Next Steps")),
        # between "2.1" and "2.2": not chapter 3
        ([(14, "2.1 Setup"), (12, "3 Things to Check"), (14, "2.2 Usage")], ("2.2 Usage",)),
        # a date under a version: no numbering at all
        ([(13, "Version 2.0"), (11, "12 March 2024"), (11, "Known issues")], ("Version 2.0", "Known issues")),
        # steps set smaller than the decimal headings: no chapters
        (
            [(14, "3.2 Cleaning"), (10, "1 Open the lid"), (10, "2 Remove the filter"), (14, "3.3 Storage")],
            ("3.3 Storage",),
        ),
        # a date after chapter 12: no chapter 12 again
        (
            [(14, "12 Release notes"), (12, "12 March 2024"), (14, "12.1 Known issues")],
            ("12 Release notes", "12.1 Known issues"),
        ),
    ],
)
def test_a_number_and_a_title_is_a_chapter_only_where_the_numbering_goes_on(tmp_path, heads, nested):
    page, y = [], 780
    for size, text in heads:
        page += [(56, y, size, "B", text), (56, y - 18, 9.5, "R", f"Text under {text}.")]
        y -= 50
    blocks = to_blocks(read_document(make_pdf(tmp_path / "n.pdf", [page])))
    section_of = {b.text: b.section for b in blocks if b.kind == "paragraph"}
    assert section_of[f"Text under {heads[-1][1]}."] == nested


def _tabbed(path):
    """Eight pages under a small running head "Risk Guide" and a page number; pages 2-7 open with
    a big tab, "A1" to "A6" over ":2024", beside their own title; page 8 has a title only."""
    titles = ["Injection", "Weak Sessions", "Open Buckets", "Stale Parts", "Thin Logs", "Loose Keys"]
    pages = []
    for index in range(8):
        lines = [(60, 815, 8, "R", "Risk Guide"), (290, 30, 8, "R", str(index + 1))]
        if 1 <= index <= 6:
            lines += [(30, 790, 40, "B", f"A{index}"), (30, 768, 20, "B", ":2024")]
            lines += [(115, 784, 28, "B", titles[index - 1])]
        elif index == 7:
            lines += [(115, 784, 28, "B", "Next Steps")]
        else:
            lines += [(60, 784, 28, "B", "Overview")]
        for row in range(6):
            lines.append((60, 700 - 14 * row, 10, "R", f"Body line {row} of page {index + 1} says it."))
        pages.append(lines)
    return make_pdf(path, pages)


def test_a_big_repeated_tab_names_its_pages_title_and_is_no_running_head(tmp_path):
    """ "A1" ... "A6" repeat at one height with a number (digits masked, like a running head's
    page number), but set four times the body they are the pages' titles' numbers: the page's
    section is "A3:2024 Open Buckets", and a later title stands beside them, not under "A6"."""
    doc = read_document(_tabbed(tmp_path / "tabbed.pdf"))
    dropped = {doc.pages[p].lines[i].text for p, i in boilerplate(doc.pages)}
    assert "Risk Guide" in dropped and not {"A1", "A6", ":2024"} & dropped
    sections = {b.text.split()[5]: b.section for b in to_blocks(doc) if b.text.startswith("Body line 0")}
    assert sections["3"] == ("A2:2024 Weak Sessions",)
    assert sections["7"] == ("A6:2024 Loose Keys",)
    assert sections["8"] == ("Next Steps",)


@pytest.mark.parametrize(
    "head",
    [
        (60, 815, 18, "B", "ACME"),
        (60, 815, 16, "R", "Annual Report 2023"),
        (60, 45, 18, "B", "Chapter 1 | {n}"),
    ],
)
def test_a_big_running_head_alone_is_still_furniture(tmp_path, head):
    """Set large but beside no title of its page: a wordmark, a short title, a footer."""
    pages, titles = [], ["Scope", "Methods", "Results", "Discussion", "Annex"]
    for n in range(1, 6):
        x, y, size, font, text = head
        lines = [(x, y, size, font, text.format(n=n)), (60, 740, 24, "B", titles[n - 1])]
        lines += [(60, 700 - 14 * row, 10, "R", f"Body line {row} of page {n} says it.") for row in range(6)]
        pages.append(lines)
    doc = read_document(make_pdf(tmp_path / "heads.pdf", pages))
    blocks = to_blocks(doc)
    assert [b.section for b in blocks if b.kind == "heading"] == [(t,) for t in titles]
    assert not any(head[4].split()[0] in b.text for b in blocks)


def test_a_chapter_head_on_one_or_two_pages_is_dropped_where_running_heads_stand(tmp_path):
    """A Texinfo manual: "Chapter N: Title  page" at the top of odd pages, "page  Manual" on even
    ones. A chapter one page long shows its head once, too rarely to repeat; it opens on its
    page's printed number at the height of the other pages' heads, so it is furniture too."""
    pages = []
    for index in range(10):
        label = index + 1
        if index % 2:  # even printed pages: the manual's own head
            top = (56, 800, 9, "R", f"{label} The Manual")
        else:
            chapter = (
                "Chapter 1: Start" if index == 0 else "Chapter 2: Files" if index < 4 else "Chapter 3: API"
            )
            top = (56, 800.5, 9, "R", f"{chapter} {label}")
        lines = [top, (62, 700, 10, "R", f"Body text of page {label} says a thing.")]
        if index == 7:  # a body line that ends on the page's number, not at the heads' height
            lines.append((62, 650, 10, "R", "Errors are listed in table 8"))
        pages.append(lines)
    doc = read_document(make_pdf(tmp_path / "manual.pdf", pages))
    dropped = {doc.pages[p].lines[i].text for p, i in boilerplate(doc.pages)}
    assert {"Chapter 1: Start 1", "Chapter 2: Files 3", "Chapter 3: API 5", "2 The Manual"} <= dropped
    assert "Errors are listed in table 8" not in dropped
    text = " ".join(b.text for b in to_blocks(doc))
    assert "Chapter" not in text and "Errors are listed in table 8" in text


def test_a_head_set_apart_from_its_page_number_on_the_same_line_is_furniture(tmp_path):
    """A book's heads: "120     CHAPTER 5. RECURSION" on even pages, "5.2. DATA TYPES     121" on odd
    ones, each head and its number drawn as two runs far apart. A chapter's head repeats too
    rarely for a document's head (5 of 30 pages), and a section's stands on one page: standing
    level with the page's number, at the height of the other heads, makes them furniture."""
    chapters, words = ["KILNS", "GLAZES", "FIRING"], ["CLAY", "ASH", "WOOD", "SALT", "SODA"]
    pages = []
    for index in range(30):
        label, chapter = str(index + 1), 1 + index // 10
        if index % 2:  # even printed pages: number left, the chapter's head right of it
            top = [
                (56, 800, 9, "R", label),
                (250, 800, 9, "R", f"CHAPTER {chapter}. {chapters[chapter - 1]}"),
            ]
        else:  # odd printed pages: the section's head left, number right
            head = f"{chapter}.{1 + index % 10 // 2}. {words[index % 10 // 2]} AND {chapters[chapter - 1]}"
            top = [(56, 800, 9, "R", head), (520, 800, 9, "R", label)]
        if index == 5:  # at the heads' height, a row level with a number that is not the page's
            top = [(56, 800, 9, "R", "Kiln number three fired hot"), (520, 800, 9, "R", "3")]
        pages.append([*top, (62, 700, 10, "R", f"Body text of page {label} says a thing about firing.")])
    doc = read_document(make_pdf(tmp_path / "book.pdf", pages))
    dropped = {doc.pages[p].lines[i].text for p, i in boilerplate(doc.pages)}
    assert {"CHAPTER 1. KILNS", "CHAPTER 3. FIRING", "1.1. CLAY AND KILNS", "3.5. SODA AND FIRING"} <= dropped
    text = " ".join(b.text for b in to_blocks(doc))
    assert "CHAPTER" not in text and " AND " not in text and "page 7 says a thing" in text
    assert "Kiln number three fired hot" in text


def test_a_body_line_at_the_top_ending_on_the_page_number_is_no_chapter_head(tmp_path):
    """A table's header row repeated at the top of each page stands where running heads stand; a
    body line at that height on another page that ends on the page's number ("... at most 4") is
    text, since it stands no farther from the line under it than lines of text do."""
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    pages = []
    for index in range(8):
        head = "Each worker thread keeps a queue of at most 4" if index == 3 else "Parameter Default Unit"
        lines = [(72, 780, 10, "R", head)]
        lines += [
            (72, 766 - 14 * k, 10, "R", f"{words[(index + k) % 10].title()} runs with {words[k]} set to {k}.")
            for k in range(5)
        ]
        lines.append((290, 40, 9, "R", str(index + 1)))
        pages.append(lines)
    doc = read_document(make_pdf(tmp_path / "table.pdf", pages))
    dropped = {doc.pages[p].lines[i].text for p, i in boilerplate(doc.pages)}
    assert "Each worker thread keeps a queue of at most 4" not in dropped
    assert any("at most 4" in b.text for b in to_blocks(doc))
