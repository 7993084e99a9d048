"""References to a document's own labels: what a question names and what a chunk carries."""

from __future__ import annotations

import pytest

from coopqa.core.references import carries, chunk_labels, conflicts, question_labels, title_key


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("What period and unit does Figure 6 use?", (("figure", "6"),)),
        ("What is in fig. 3, and in Fig 4?", (("figure", "3"), ("figure", "4"))),
        ("What does Table 1. list?", (("table", "1"),)),
        ("What is in Appendix G?", (("appendix", "g"),)),
        ("What does section 4.2 say, and § 2.1?", (("section", "4.2"), ("section", "2.1"))),
        ("What does Chapter 3 cover?", (("section", "3"),)),
        ("Which figure compares GDP?", ()),  # no name after the word
        ("Which table has the most rows?", ()),  # a lower-case letter names nothing
        ("What does the figure in the License section show?", (("title", "license"),)),
        ("What does the Random Numbers chapter advise?", (("title", "random numbers"),)),
        ("Which section is the longest?", ()),
        ("What share does the US part of the portfolio hold?", ()),  # "part" names no title
    ],
)
def test_question_labels(question, labels):
    assert question_labels(question) == labels


def test_chunk_labels_come_from_the_caption_and_the_headings_above():
    labels = chunk_labels("Figure 6 2020-2023 Exports", ("II. Foundation", "(ii) Sound base", "2. Economy"))
    assert labels == {("figure", "6"), ("section", "ii"), ("section", "2")} | {
        ("title", t) for t in ("foundation", "sound base", "economy")
    }
    fees = chunk_labels("Table 1: Fees", ("Appendix G. Fee Schedule",))
    assert fees == {("table", "1"), ("appendix", "g"), ("title", "fee schedule")}
    assert chunk_labels("", ("4.2. The Transaction",)) == {("section", "4.2"), ("title", "the transaction")}
    assert chunk_labels("", ()) == frozenset()


def test_a_title_named_in_a_question_matches_the_heading_it_starts():
    assert title_key("13.2. Random Numbers") == "random numbers"
    assert title_key("Chapter 3: Utilities") == "utilities"
    under = chunk_labels("", ("13. Implementing Contracts", "13.2. Random Numbers and Seeds"))
    assert carries(question_labels("What does the Random Numbers section say?"), under)
    assert not carries(question_labels("What does the Data Feeds section say?"), under)
    assert not carries([("title", "random")], chunk_labels("", ("Randomness",)))  # whole words only


def test_another_figure_of_the_kind_asked_conflicts():
    figure_1 = chunk_labels("Figure 1: CC-0 Button", ("License",))
    assert conflicts([("figure", "2")], figure_1)
    assert not conflicts([("figure", "1")], figure_1)
    assert not conflicts([("table", "2")], figure_1)  # another kind: not known to be wrong
    assert not conflicts([("section", "3")], chunk_labels("", ("4. Blocks",)))  # headings never conflict
