from __future__ import annotations

import json

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
