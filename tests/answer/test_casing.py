from __future__ import annotations

from coopqa.answer.casing import needs_casing, recased, shouted, written_names

TEXTS = [
    "Trade with Vietnam grew, and Vietnam signed the RCEP. The park in Vietnam opened.",
    "Exports to the Philippines rose; the RCEP helped the Philippines. Trade rose in the park.",
    "Park rangers work there. Visitors like the park. Use type A or type A for it.",
]


def test_written_names_are_words_the_texts_capitalise_mid_sentence():
    names = written_names(TEXTS)
    assert names["vietnam"] == "Vietnam" and names["rcep"] == "RCEP" and names["philippines"] == "Philippines"
    assert "park" not in names  # capitalised only where a sentence starts
    assert "a" not in names  # a common word, whatever the texts capitalise
    assert "trade" not in names and "exports" not in names


def test_a_question_in_lower_case_or_in_capitals_takes_the_collections_forms():
    names = written_names(TEXTS)
    assert recased("when did vietnam sign the rcep?", names) == "when did Vietnam sign the RCEP?"
    assert recased("WHEN DID VIETNAM SIGN THE RCEP?", names) == "when did Vietnam sign the RCEP?"
    assert recased("When did vietnam's park open?", names) == "When did Vietnam's park open?"
    assert recased("what goes in rcep.yml and rcep_id?", names) == "what goes in rcep.yml and rcep_id?"
    kept = "When did Vietnam sign the rcep?"  # its writer capitalised a name: left as written
    assert recased(kept, names) == kept and not needs_casing(kept)
    assert needs_casing("when did vietnam sign?") and needs_casing("WHEN DID VIETNAM SIGN?")


def test_shouted_needs_most_words_in_capitals():
    assert shouted("WHAT IS THE GDP OF VIETNAM?")
    assert not shouted("What do ASEAN, RCEP and BRI mean?")
    assert not shouted("EV sales in 2023?")  # too few words to tell
