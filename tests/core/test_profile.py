from __future__ import annotations

import json
import re

import pytest

from coopqa.core.errors import UsageError
from coopqa.core.profile import PROFILES, Profile, load_profile


def test_the_bundled_profile_gives_the_page_its_wording_and_examples():
    profile = load_profile("ev100plus")
    assert profile.examples and all(q.endswith("?") for q in profile.examples)
    assert "EV100plus" in profile.intro and profile.placeholder


def test_a_profile_may_give_only_some_fields(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"title": "Lanterns", "examples": ["How many lanterns?"], "unknown": 1}))
    profile = load_profile(str(path))
    assert profile.title == "Lanterns" and profile.examples == ("How many lanterns?",)
    assert profile.intro == Profile().intro


def test_a_missing_profile_names_the_bundled_ones(tmp_path):
    with pytest.raises(UsageError, match="bundled profiles: ev100plus"):
        load_profile("nope")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(UsageError, match="not a JSON object"):
        load_profile(str(tmp_path / "list.json"))
    assert (PROFILES / "ev100plus.json").is_file()


def test_the_bundled_profile_says_how_its_questions_are_read():
    profile = load_profile("ev100plus")
    assert "asean" in profile.generic_words and ("thailand", ("thai",)) in profile.aliases
    assert any(replacement == "carbon neutrality" for _, replacement in profile.synonyms)
    assert Profile().generic_words == () and Profile().synonyms == () and Profile().aliases == ()


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("generic_words", "asean", "'generic_words' must be a list of strings"),
        ("synonyms", [["net zero"]], "'synonyms' must be a list of [pattern, replacement] pairs"),
        ("synonyms", {"net zero": "neutrality"}, "'synonyms' must be a list of [pattern, replacement] pairs"),
        ("synonyms", [["(unclosed", "x"]], "'synonyms' must be regular expressions"),
        ("aliases", [["thailand", "thai"]], "'aliases' must be an object of name -> list of other forms"),
        ("aliases", {"thailand": "thai"}, "'aliases' must be an object of name -> list of other forms"),
        ("examples", [1, 2], "'examples' must be a list of strings"),
        ("title", ["x"], "'title' must be a string"),
    ],
)
def test_a_field_of_the_wrong_type_is_named_in_one_line(tmp_path, field, value, says):
    path = tmp_path / f"{field}.json"
    path.write_text(json.dumps({field: value}))
    with pytest.raises(UsageError, match=re.escape(says)) as caught:
        load_profile(str(path))
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
