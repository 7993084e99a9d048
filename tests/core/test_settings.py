from __future__ import annotations

from pathlib import Path

import pytest

from coopqa.core.errors import UsageError
from coopqa.core.settings import Settings, describe


def test_defaults_are_written_once_and_read_from_the_dataclass():
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.ingest.max_tokens == 220 and settings.answer.passages == 6


def test_from_env_reads_the_named_variables():
    env = {
        "COOPQA_MAX_TOKENS": "300",
        "COOPQA_INDEX": "/tmp/x",
        "COOPQA_LLM_TIMEOUT": "2.5",
        "COOPQA_LLM_URL": "",
    }
    settings = Settings.from_env(env)
    assert settings.ingest.max_tokens == 300 and settings.index_dir == Path("/tmp/x")
    assert settings.llm.timeout == 2.5 and settings.llm.url == ""


@pytest.mark.parametrize(
    "env, message",
    [
        ({"COOPQA_MAX_TOKENS": "lots"}, "COOPQA_MAX_TOKENS='lots': not a number"),
        ({"COOPQA_MAX_TOKENS": "8"}, "COOPQA_MAX_TOKENS=8: must be at least 32"),
    ],
)
def test_bad_variables_say_which_and_why(env, message):
    with pytest.raises(UsageError, match=message):
        Settings.from_env(env)


def test_override_finds_the_group_by_field_name():
    settings = Settings().override(max_tokens=100, alpha=0.7, index_dir="/tmp/i")
    assert settings.ingest.max_tokens == 100 and settings.retrieval.alpha == 0.7
    assert settings.index.index_dir == Path("/tmp/i")
    with pytest.raises(UsageError, match="no setting named 'nope'"):
        settings.override(nope=1)


def test_describe_lists_every_group_field_and_variable():
    text = describe(Settings())
    for group in ("[ingest]", "[index]", "[retrieval]", "[answer]", "[llm]", "[serve]"):
        assert group in text
    assert "max_tokens = 220  (COOPQA_MAX_TOKENS)" in text and "threshold = 0.44" in text
