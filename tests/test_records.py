from __future__ import annotations

from coopqa.records import Passage, page_label, section_label

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
    text = Passage("t", "d.pdf", ("7",), SECTION, 0.5, "c1")
    assert text.cite() == "II.(i).2 Priorities: New energy, EVs, and digital economy emerge as ... — p. 7"
    row = Passage(
        "Country: Vietnam", "d.pdf", ("7",), SECTION, 0.5, "c2", kind="table_row", caption="Table 1 Timetable"
    )
    assert row.cite() == "Table 1 Timetable — II.(i).2, p. 7"
    assert row.to_json()["cite"] == row.cite()
