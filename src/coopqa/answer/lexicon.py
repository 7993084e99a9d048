"""A collection's words for reading questions, taken from its profile (``core.profile``).

``Lexicon`` holds what the question step needs from a profile, ready to use: the capitalised
words that name nothing specific, the synonym rewrites (compiled) and each key name's forms.
``NEUTRAL`` knows none of them; ``lexicon_of(profile)`` builds (once) the lexicon of a profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..core.profile import Profile, configured_profile


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Words of one collection.

    Attributes:
        generic: lower-case words that, capitalised in a question, still name nothing.
        synonyms: ``(pattern, replacement)`` rewrites applied to a question in order.
        forms: each key name (lower case) -> all its forms, itself first (``laos`` -> ``laos,
            lao, laotian``); a question naming one needs a sentence that names it.
        owner: each form -> its key name.
    """

    generic: frozenset[str] = frozenset()
    synonyms: tuple[tuple[re.Pattern[str], str], ...] = ()
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """The key names, as the profile lists them."""
        return tuple(self.forms)

    @cached_property
    def _any_form(self) -> re.Pattern[str] | None:
        forms = sorted(self.owner, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + ")") if forms else None

    def names_any(self, text: str) -> bool:
        """Whether ``text`` names any key name in any of its forms (one search, not one a name)."""
        return bool(self._any_form) and _names_any(self, text)

    def is_key_name(self, name: str) -> bool:
        """Whether ``name`` is a key name or one of its forms (``Thai`` for a profile that says so)."""
        return name.lower() in self.owner


@lru_cache(maxsize=16384)
def _names_any(lexicon: Lexicon, text: str) -> bool:
    """``Lexicon.names_any``, kept: the same sentences come back question after question."""
    return bool(lexicon._any_form.search(text.lower()))


NEUTRAL = Lexicon()


@lru_cache(maxsize=8)
def lexicon_of(profile: Profile) -> Lexicon:
    """The lexicon of a profile's ``generic_words``, ``synonyms`` and ``aliases``."""
    forms = {
        name.lower(): tuple(dict.fromkeys((name.lower(), *(f.lower() for f in others))))
        for name, others in profile.aliases
    }
    return Lexicon(
        generic=frozenset(w.lower() for w in profile.generic_words),
        synonyms=tuple((re.compile(p, re.I), r) for p, r in profile.synonyms),
        forms=forms,
        owner={form: name for name, all_forms in forms.items() for form in all_forms},
    )


def configured_lexicon() -> Lexicon:
    """The lexicon of the profile ``COOPQA_PROFILE`` names (for callers given no profile)."""
    return lexicon_of(configured_profile())
