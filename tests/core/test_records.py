from __future__ import annotations

from coopqa.core.records import page_label, section_key, section_keys, section_label, unnumbered

from ..factories import passage

SECTION = (
    "II. Foundation for the Development of China-ASEAN Cooperation in Emerging Industries",
    "(i) Strong Momentum and Bright Future for Emerging Industries in ASEAN Countries",
    "2. Priorities: New energy, EVs, and digital economy emerge as significant directions of "
    "emerging industries in ASEAN",
)


def test_section_label_compacts_numbering():
    assert section_label(SECTION) == "II.(i).2 Priorities: New energy, EVs, and digital economy emerge as ..."
    assert section_label(SECTION[:1], width=200).startswith("II. Foundation")
    assert section_label(("Abstract",)) == "Abstract"
    assert section_label(()) == ""


def test_page_label():
    assert page_label(("7",)) == "p. 7"
    assert page_label(("1", "2")) == "pp. 1–2"
    assert page_label(()) == ""


def test_cite_for_text_and_table_row():
    text = passage("t", section=SECTION, id="c1")
    assert text.cite() == "II.(i).2 Priorities: New energy, EVs, and digital economy emerge as ... — p. 7"
    row = passage("Country: Vietnam", section=SECTION, id="c2", kind="table_row", caption="Table 1 Timetable")
    assert row.cite() == "Table 1 Timetable — II.(i).2, p. 7"
    assert row.to_json()["cite"] == row.cite()


def test_cite_narrows_to_the_quoted_pages():
    two = passage("a. b.", pages=("1", "2"), section=SECTION, page_breaks=(3,))
    assert two.pages_of(3, 5) == ("2",) and two.pages_of(0, 2) == ("1",)
    assert two.cite(pages=("2",)).endswith("— p. 2") and two.cite().endswith("— pp. 1–2")
    assert two.to_json()["chunk_id"] == "c" and two.to_json()["score"] == 0.5


def test_section_key_is_the_numbering_or_the_title():
    assert section_key(SECTION) == "II.(i).2"
    assert section_key(("Abstract",)) == "Abstract" and section_key(()) == ""
    assert section_keys(SECTION) == {"ii", "ii.(i)", "ii.(i).2"}


def test_unnumbered_drops_a_headings_numbering_only():
    assert unnumbered("3 Release history") == "Release history"
    assert unnumbered("II.(i).2 Priorities") == "II.(i).2 Priorities"  # a key, not a printed number
    assert unnumbered("(ii) Trade") == "Trade" and unnumbered("4.1. Norway") == "Norway"
    assert unnumbered("A10:2017 Thin Logs") == "A10:2017 Thin Logs"
    assert unnumbered("2023 Results") == "2023 Results"  # a year, not a number of the section
