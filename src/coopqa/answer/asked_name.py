"""Questions that ask for a name ("Who wrote ...?", "Which company ...?") and whether a sentence
gives one.

Such a question is answered only by a sentence that names something the question does not: a
capitalised word, an acronym or a mixed-case name ("Autodesk", "EIP-155", "iPhone"). A sentence
that only repeats the question's own names ("The publication "Solving The Bottom Turtle" is an
excellent resource ...") says what the question is about, not who or which. Plain English, no
collection words: the nouns below are kinds of named things in any document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..core.text import STOPWORDS

# nouns whose instances have names: "which company", "which two universities"
_NAMED_KINDS = (
    r"organi[sz]ations?|compan(?:y|ies)|firms?|universit(?:y|ies)|agenc(?:y|ies)|institutions?"
    r"|institutes?|publishers?|authors?|persons?|people|vendors?|manufacturers?|banks?"
    r"|governments?|ministr(?:y|ies)|countr(?:y|ies)|cit(?:y|ies)|sponsors?|partners?"
)
_ASKS = re.compile(
    r"(?:^|[,;]\s*|\band\s+)(?:who|whom)\b"  # "Who wrote ...?", "..., and who funds it?"
    rf"|\b(?:which|what)\s+(?!(?:kinds?|types?|sorts?)\b)(?:[a-z-]+\s+){{0,2}}?(?:{_NAMED_KINDS})\b",
    re.I,
)
# a name: capitalised ("Autodesk", "EIP-155"), an acronym ("AIS") or mixed case ("iPhone")
_NAME = re.compile(r"(?<![\w-])(?:[A-Z][\w-]+|[a-z]+[A-Z][\w-]*)")
_WORD = re.compile(r"[A-Za-z][\w-]*")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{1,4}s")  # "APIs", "EVs": a common noun
_MARKED = re.compile(r"[A-Z0-9]")  # after a word's first letter: an acronym, mixed case, a number


@lru_cache(maxsize=1024)
def asks_name(question: str) -> bool:
    """Whether ``question`` asks who, or which of a kind of named thing (not "what kind of")."""
    return bool(_ASKS.search(question))


@lru_cache(maxsize=16384)
def gives_name(sentence: str, question: str, row: bool = False) -> bool:
    """Whether ``sentence`` names something ``question`` does not. A sentence's first word
    counts only as an acronym or mixed case ("AIS", "EIP-155": "According", "Thanks" and "Laos"
    are all capitalised there); every word of a table ``row`` counts."""
    asked = {w.lower() for w in _WORD.findall(question)}
    for m in _NAME.finditer(sentence):
        word = m.group()
        if word.lower() in asked:
            continue
        if not row and not sentence[: m.start()].strip() and not _MARKED.search(word, 1):
            continue
        if _PLURAL_ACRONYM.fullmatch(word) or _spelled_out(sentence, m.start(), word):
            continue
        return True
    return False


def _spelled_out(sentence: str, start: int, word: str) -> bool:
    """Whether ``word`` is a bracketed abbreviation of the lower-case words just before it:
    "compound annual growth rate (CAGR)" abbreviates a phrase, it names nothing."""
    if not word.isupper() or not sentence[:start].endswith("("):
        return False
    before = _WORD.findall(sentence[: start - 1])[-len(word) :]
    return len(before) == len(word) and "".join(w[0] for w in before).upper() == word


@lru_cache(maxsize=16384)
def contrasted(sentence: str, question: str, names: Sequence[str]) -> bool:
    """Whether ``sentence`` says of another name what ``question`` asks of one of ``names``, and
    does not name that one: "the Shanghai hard fork was scheduled ..." for "... the Paris hard
    fork ...?" (the words after the name, up to two and no common word, give what is asked of it)."""
    low, asked = sentence.lower(), question.lower()
    for name in names:
        if name.lower() in low:
            continue
        after = re.search(rf"\b{re.escape(name)}(?:'s)?((?:\s+[a-z][\w-]*){{1,2}})", question)
        words = [w for w in after.group(1).split()] if after else []
        words = words[: next((i for i, w in enumerate(words) if w in STOPWORDS), len(words))]
        if not words:
            continue
        said = re.compile(rf"\b([A-Z][\w-]*)(?:'s)?\s+{re.escape(' '.join(words))}\b")
        if any(m.group(1).lower() not in asked for m in said.finditer(sentence)):
            return True
    return False
