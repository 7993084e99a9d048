from __future__ import annotations

from coopqa.core.text import (
    bm25_tokens,
    clean_question,
    normalize,
    normalized_with_offsets,
    sentence_spans,
    stem,
)


def test_tokens_fold_plurals_and_drop_stop_words():
    assert bm25_tokens("What are the countries' EV plants?") == ["country", "ev", "plant"]
    assert stem("bus") == "bus" and stem("analysis") == "analysis"
    assert stem("sponsored") == stem("sponsoring") == stem("sponsors") == "sponsor"  # one word
    assert stem("embedded") == "embed" and stem("installed") == "install" and stem("stopped") == "stop"
    assert [stem(w) for w in ("based", "during", "speed", "using")] == ["based", "during", "speed", "using"]
    assert stem("hundreds") == stem("hundred") == "hundred"  # a number word, not a verb
    assert bm25_tokens("grew 3.5% in 2023") == ["grew", "3.5", "2023"]


def test_normalize_keeps_letters_and_digits_with_their_offsets():
    assert normalize("Multi-\ndimensional, 2023!") == "multidimensional2023"
    text, where = normalized_with_offsets("a-B c")
    assert text == "abc" and where == [0, 2, 4]


def test_clean_question_folds_space_and_control_characters_and_cuts():
    assert clean_question("  When\x00 does\n\tit   end? ", 100) == "When does it end?"
    assert clean_question(None, 10) == "" and clean_question("x" * 50, 10) == "x" * 10


def test_a_numbered_list_run_into_one_line_is_split_at_its_markers():
    text = "1. Housekeeping 2. What is the Top Ten 3. How the 2025 List Was Built 4. Overview of it"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "1. Housekeeping",
        "2. What is the Top Ten",
        "3. How the 2025 List Was Built",
        "4. Overview of it",
    ]
    # a number ending a sentence, or two markers in a row, is no list: prose rules as before
    prose = "We use version 2. The next one is 3. Then more."
    expected = ["We use version 2.", "The next one is 3.", "Then more."]
    assert [prose[a:b] for a, b in sentence_spans(prose)] == expected


def test_an_abbreviation_after_a_bracket_or_quote_ends_no_sentence():
    text = "Mandatory: Upload Type (e.g. Publication) and Title. It holds (i.e. Zenodo) data. Done."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Mandatory: Upload Type (e.g. Publication) and Title.",
        "It holds (i.e. Zenodo) data.",
        "Done.",
    ]


def test_a_sentence_ends_after_a_footnote_mark():
    text = "The land is destroyed.¹ The Union will act.²³ It acts.¹²,¹³ Then 10¹⁸ Wei."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The land is destroyed.¹",
        "The Union will act.²³",
        "It acts.¹²,¹³",
        "Then 10¹⁸ Wei.",
    ]
