"""Declines: the closest sections, and the names no indexed document mentions."""

from __future__ import annotations

from coopqa.answer.declines import unmentioned, vocabulary
from coopqa.answer.question import analyze
from coopqa.core.text import bm25_tokens

from ..factories import chunk


def _words():
    chunks = [
        chunk("The Istanbul fork came at block 9069000.", section=("2.2 Which History?",)),
        chunk("Country: Laos; Neutrality: 2050", caption="Table 1 Timetable of Commitments"),
    ]
    return vocabulary(chunks, [w for c in chunks for a, b in c.sentences for w in bm25_tokens(c.text[a:b])])


def test_vocabulary_holds_texts_captions_and_headings():
    assert {"istanbul", "9069000", "lao", "timetable", "history"} <= _words()  # words as BM25 has them


def test_a_question_about_only_unmentioned_names_is_named():
    words = _words()
    assert unmentioned(analyze("At which block did the Cancun fork activate?"), words) == ("Cancun",)
    assert unmentioned(analyze("Which came first, Cancun or Istanbul?"), words) == ()  # one is there
    assert unmentioned(analyze("When did the Istanbul fork come?"), words) == ()
    assert unmentioned(analyze("when did the fork come?"), words) == ()  # no names: nothing to say


def test_the_decline_says_which_names_no_document_mentions(qa):
    answer = qa.ask("What is Atlantis's carbon neutrality target?")
    assert not answer.answered and not answer.citations
    assert answer.note == "No indexed document mentions Atlantis."
    assert qa.ask("When does Vietnam aim to be carbon neutral?").answered  # a mentioned name answers
