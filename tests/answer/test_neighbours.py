"""What follows a sentence goes on into the chunk that goes on from its passage."""

from __future__ import annotations

from dataclasses import replace

from coopqa.answer.lists import list_items
from coopqa.answer.neighbours import following, successors
from coopqa.core.records import Passage

from ..factories import chunk, sentence_candidates

FIRST = "The pact will focus on three ways to engage. First, it will share information."
SECOND = "First, it will share information. Second, there will be places to meet. Third, it will build."


def _chunks(section_b=("Climate Pact",), doc_b="d.pdf"):
    """Two chunks of one section as the chunker cuts a long one: the second starts with the first's
    last sentence."""
    a = chunk(FIRST, id="a", section=("Climate Pact",))
    overlap = len("First, it will share information.")
    b = chunk(SECOND, id="b", section=section_b, doc=doc_b)
    return a, replace(b, start=a.end - overlap, end=a.end - overlap + len(SECOND))


def test_what_follows_goes_on_into_the_next_chunk_past_what_they_share():
    a, b = _chunks()
    cands = sentence_candidates(Passage(a, 0.9), Passage(b, 0.1))
    after = [c.text for c in following(cands[0], cands)]
    assert after == [
        "First, it will share information.",
        "Second, there will be places to meet.",
        "Third, it will build.",
    ]
    assert [c.text for c in list_items(cands[0], cands)] == after  # the prose list, whole


def test_another_section_or_document_does_not_go_on():
    for a, b in (_chunks(section_b=("Finance",)), _chunks(doc_b="other.pdf")):
        cands = sentence_candidates(Passage(a, 0.9), Passage(b, 0.1))
        assert [c.text for c in following(cands[0], cands)] == ["First, it will share information."]
        assert successors([a, b]) == {}


def test_a_table_row_after_a_paragraph_is_no_continuation_of_it():
    a, b = _chunks()
    row = replace(b, kind="table_row")
    cands = sentence_candidates(Passage(a, 0.9), Passage(row, 0.1))
    assert [c.text for c in following(cands[0], cands)] == ["First, it will share information."]
    assert successors([a, row]) == {}


def test_successors_of_an_index():
    a, b = _chunks()
    far = replace(chunk("Later text.", id="c", section=("Climate Pact",)), start=b.end + 40, end=b.end + 51)
    assert successors([far, b, a]) == {"a": b}  # in document order, a gap is no continuation
