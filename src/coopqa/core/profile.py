"""The profile: what is specific to one collection (its title, the chat page's wording, example
questions), kept in a small JSON file under ``coopqa/profiles/`` instead of in code.

``load_profile(name)`` reads ``profiles/<name>.json`` (or a path to such a file); every field has
a neutral default, so a profile may give only some of them. The bundled report's is ``ev100plus``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from .errors import UsageError

PROFILES = Path(__file__).resolve().parent.parent / "profiles"


@dataclass(frozen=True)
class Profile:
    """A collection's wording: the page title and heading, the introduction under it, the
    question box's placeholder, the CLI description, example questions."""

    title: str = "coopqa"
    heading: str = "coopqa — ask the documents"
    intro: str = "Answers quote the indexed documents, each sentence cited with its section and printed page."
    placeholder: str = "Ask a question about the documents"
    description: str = "Offline question answering with page-cited passages from your PDFs."
    example_question: str = "What does the document say about this?"
    bench_question: str = "What is this document about?"
    examples: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def load_profile(name: str) -> Profile:
    """The profile called ``name`` (a file of ``coopqa/profiles``), or the JSON file at that path.

    Raises:
        UsageError: no such profile, or it is not a JSON object of known fields.
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
    values = {k: tuple(v) if k == "examples" else str(v) for k, v in raw.items() if k in names}
    return Profile(**values)
