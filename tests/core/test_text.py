from __future__ import annotations

from coopqa.core.text import bm25_tokens, clean_question, normalize, normalized_with_offsets, stem


def test_tokens_fold_plurals_and_drop_stop_words():
    assert bm25_tokens("What are the countries' EV plants?") == ["country", "ev", "plant"]
    assert stem("bus") == "bus" and stem("analysis") == "analysis"
    assert bm25_tokens("grew 3.5% in 2023") == ["grew", "3.5", "2023"]


def test_normalize_keeps_letters_and_digits_with_their_offsets():
    assert normalize("Multi-\ndimensional, 2023!") == "multidimensional2023"
    text, where = normalized_with_offsets("a-B c")
    assert text == "abc" and where == [0, 2, 4]


def test_clean_question_folds_space_and_control_characters_and_cuts():
    assert clean_question("  When\x00 does\n\tit   end? ", 100) == "When does it end?"
    assert clean_question(None, 10) == "" and clean_question("x" * 50, 10) == "x" * 10
