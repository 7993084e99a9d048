"""Declines: the closest sections, and the names no indexed document mentions."""

from __future__ import annotations

from coopqa.answer.declines import unmentioned, unused_noun, vocabulary
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
    assert unmentioned(analyze("What does the fork's R&D cost?"), words) == ()  # no word to look up


def test_the_decline_says_which_names_no_document_mentions(qa):
    answer = qa.ask("What is Atlantis's carbon neutrality target?")
    assert not answer.answered and not answer.citations
    assert answer.note == "No indexed document mentions Atlantis."
    assert qa.ask("When does Vietnam aim to be carbon neutral?").answered  # a mentioned name answers


def test_a_noun_asked_for_that_no_text_uses_is_named():
    words = _words()
    assert unused_noun("What are the main challenges of the Istanbul fork?", words) == "challenges"
    assert unused_noun("Which drawbacks do forks have?", words) == "drawbacks"
    assert unused_noun("What is the history of the fork?", words) == ""  # a heading uses it
    assert unused_noun("When did the challenges start?", words) == ""  # not a noun asked for
    assert unused_noun("What is meant by a fork?", words) == ""  # a verb, not the noun asked for
    assert unused_noun("What is being done about forks?", words) == ""


def test_an_answer_to_a_noun_no_text_uses_says_it_is_only_the_closest_statement(qa):
    answer = qa.ask("What are the main challenges for China-ASEAN cooperation in new energy vehicles?")
    assert answer.answered and answer.quotes  # still quoted and cited ...
    assert answer.note == 'No indexed document uses the word "challenges": the closest statement is quoted.'
    assert not qa.ask("What are the main priorities of China-ASEAN cooperation?").note  # the report says it


def test_a_name_no_document_mentions_gets_the_closest_written_name():
    from coopqa.answer.declines import did_you_mean

    names = {"vietnam": "Vietnam", "asean": "ASEAN", "laos": "Laos"}
    assert did_you_mean(("Vietnma",), names) == " Did you mean Vietnam?"
    assert did_you_mean(("Vietnma", "Loas"), names) == " Did you mean Vietnam or Laos?"
    assert did_you_mean(("Cancun",), names) == ""  # nothing close: the name is simply not there
    assert did_you_mean(("TSTORE",), {"sstore": "SSTORE"}) == ""  # another opcode, not a misspelling
