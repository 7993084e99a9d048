"""The profile: what is specific to one collection (its title, the chat page's wording, example
questions, the words its questions use), kept in a small JSON file under ``coopqa/profiles/``
instead of in code.

``load_profile(name)`` reads ``profiles/<name>.json`` (or a path to such a file); every field has
a neutral default, so a profile may give only some of them. The bundled report's is ``ev100plus``;
``configured_profile()`` is the one ``COOPQA_PROFILE`` (``settings.serve.profile``) names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from .errors import UsageError
from .settings import Settings

PROFILES = Path(__file__).resolve().parent.parent / "profiles"


@dataclass(frozen=True)
class Profile:
    """A collection's wording: the page title and heading, the introduction under it, the
    question box's placeholder, the CLI description, example questions; and how its questions
    are read.

    Attributes:
        generic_words: capitalised words its questions use that name nothing specific (the
            region, the field's acronyms), so a sentence need not mention them.
        synonyms: ``(pattern, replacement)`` pairs (case-insensitive regular expressions) that
            bring a question's wording to the documents' (``"net zero"`` -> their term).
        aliases: ``(name, other forms)`` of the names the documents are organised by (say
            countries, with their adjectives): a sentence answers a question naming one only if
            it names it too, in any form; other names only lower a sentence's score. In JSON an
            object of name -> list of forms.
    """

    title: str = "coopqa"
    heading: str = "coopqa — ask the documents"
    intro: str = "Answers quote the indexed documents, each sentence cited with its section and printed page."
    placeholder: str = "Ask a question about the documents"
    description: str = "Offline question answering with page-cited passages from your PDFs."
    example_question: str = "What does the document say about this?"
    bench_question: str = "What is this document about?"
    examples: tuple[str, ...] = ()
    generic_words: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()


@lru_cache(maxsize=8)
def load_profile(name: str) -> Profile:
    """The profile called ``name`` (a file of ``coopqa/profiles``), or the JSON file at that path.

    Raises:
        UsageError: no such profile, it is not a JSON object, or a field has the wrong type.
    """
    path = Path(name) if name.endswith(".json") else PROFILES / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.json")))
        raise UsageError(f"profile {name!r} unreadable ({exc}); bundled profiles: {known}") from None
    if not isinstance(raw, dict):
        raise UsageError(f"profile {name!r} is not a JSON object")
    names = {f.name for f in fields(Profile)}
    values = {k: _READERS.get(k, _text)(name, k, v) for k, v in raw.items() if k in names}
    return Profile(**values)


def configured_profile() -> Profile:
    """The profile ``COOPQA_PROFILE`` names (``settings.serve.profile``; ``ev100plus`` unless set)."""
    return load_profile(Settings.from_env().serve.profile)


def _wrong(name: str, key: str, wanted: str) -> UsageError:
    return UsageError(f"profile {name!r}: {key!r} must be {wanted}")


def _text(name: str, key: str, value) -> str:
    if not isinstance(value, str):
        raise _wrong(name, key, "a string")
    return value


def _strings(name: str, key: str, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _wrong(name, key, "a list of strings")
    return tuple(value)


def _synonyms(name: str, key: str, value) -> tuple[tuple[str, str], ...]:
    pairs = value if isinstance(value, list) else [None]
    if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p) for p in pairs):
        raise _wrong(name, key, "a list of [pattern, replacement] pairs of strings")
    for pattern, _ in pairs:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _wrong(name, key, f"regular expressions; {pattern!r}: {exc}") from None
    return tuple((pattern, replacement) for pattern, replacement in pairs)


def _aliases(name: str, key: str, value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(forms, list) and all(isinstance(f, str) for f in forms) for forms in value.values()
    ):
        raise _wrong(name, key, "an object of name -> list of other forms (strings)")
    return tuple((str(k), tuple(forms)) for k, forms in value.items())


_READERS = {"examples": _strings, "generic_words": _strings, "synonyms": _synonyms, "aliases": _aliases}
