"""Questions that ask for a name ("Who wrote ...?", "Which company ...?") and whether a sentence
gives one.

Such a question ("Who ...?", "Which company ...?", "What is ... called?") is answered only by a
sentence that names something the question does not: a capitalised word, an acronym, a
mixed-case name or a file's ("Autodesk", "EIP-155", "iPhone", "erc.yml"; not "MUST"), or a term
it introduces as a name ("is called photosynthesis", "the so-called 'twin parks' model"). A sentence
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
# "who" asking who gets something or whom it is meant to help: a group as often as a name ("who
# would benefit?" "citizens and NGOs"; "who gets the priority fee?" "the beneficiary address"); not
# "who gets to decide", nor a question that offers named alternatives ("..., Google or Microsoft?")
_RECIPIENT = (
    r"(?!\s+(?:(?:would|will|does|do|did|can|could|might|should|may)\s+)?(?:most\s+)?"
    r"(?:benefit|benefits|benefitt?ed|gets?(?!\s+to\b)|receives?|notices?|qualif(?:y|ies))\b"
    r"(?![^?]*\b[A-Z][\w-]*,?\s+or\s+[A-Z]))"
    r"(?!\s+(?:is|are|was|were)\s+(?:[\w-]+\s+){0,6}?(?:meant|intended|supposed|designed)\s+"
    r"(?:to\s+(?:help|serve|benefit|support)|for)\b)"
)
_ASKS = re.compile(
    rf"(?:^|[,;]\s*|\band\s+)(?:who|whom)\b{_RECIPIENT}"  # "Who wrote ...?", "..., and who funds it?"
    rf"|\b(?:which|what)\s+(?!(?:kinds?|types?|sorts?)\b)(?:[a-z-]+\s+){{0,2}}?(?:{_NAMED_KINDS})\b"
    # "Which (open-source) licence does X use?", not "What licence fee ..." nor "the licence terms"
    r"|\b(?:which|what)\s+(?:[a-z-]+\s+)?licen[cs]es?"
    r"\s+(?:is|are|was|were|does|do|did|applies|apply|governs|covers)\b"
    r"|\bwhat (?:is|was|are|were) the names? of\b|\bwhat name\b"  # "What is the name of the tool ...?"
    # "What should the archive file be called?" (not "Why was the strike called?": convened)
    r"|(?:^|[,;]\s*|\band\s+)(?:what|which)\b[^,;?]*?\b(?:called|named)\s*(?:[?,;]|$)",
    re.I,
)
# a name: capitalised ("Autodesk", "EIP-155"), an acronym ("AIS"), mixed case ("iPhone") or a
# file's ("erc.yml", "image.tar")
_NAME = re.compile(r"(?<![\w-])(?:[A-Z][\w-]+|[a-z]+[A-Z][\w-]*|[A-Za-z_][\w-]+\.[A-Za-z]\w{0,4}\b)")
# a web address ("https://pypi.python.org/...", "pypi.org/project/x"): no file, no name
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.I)
# the capitals of a specification's requirement words name nothing (RFC 2119: "MUST NOT")
_REQUIREMENT = frozenset("MUST SHOULD SHALL MAY NOT REQUIRED RECOMMENDED OPTIONAL".split())
_WORD = re.compile(r"[A-Za-z][\w-]*")
# a term a sentence introduces as a name: "is called photosynthesis", "the so-called 'twin parks'"
_INTRODUCED = re.compile(
    r"\b(?:called|named|known as|termed|referred to as|dubbed)\s+(?:(?:the|an?)\s+)?"
    r"[\"'\u201c\u2018]?([A-Za-z][\w-]*)",
    re.I,
)
_PLURAL_ACRONYM = re.compile(r"[A-Z]{1,4}s")  # "APIs", "EVs": a common noun
_MARKED = re.compile(r"[A-Z0-9]")  # after a word's first letter: an acronym, mixed case, a number


@lru_cache(maxsize=1024)
def asks_name(question: str) -> bool:
    """Whether ``question`` asks who, which of a kind of named thing (not "what kind of"), or
    the name of something."""
    return bool(_ASKS.search(question))


@lru_cache(maxsize=16384)
def gives_name(sentence: str, question: str, row: bool = False) -> bool:
    """Whether ``sentence`` names something ``question`` does not. A sentence's first word
    counts only as an acronym or mixed case ("AIS", "EIP-155": "According", "Thanks" and "Norway"
    are all capitalised there); every word of a table ``row`` counts."""
    asked = _words_of(question)
    if any(term.lower() not in asked for term in _INTRODUCED.findall(sentence)):
        return True  # "This process is called photosynthesis."
    sentence = _URL.sub(lambda m: " " * len(m.group()), sentence)  # an address names no one
    for m in _NAME.finditer(sentence):
        word = m.group()
        if word.lower() in asked or word in _REQUIREMENT:
            continue
        if not row and not sentence[: m.start()].strip() and not _MARKED.search(word, 1):
            continue
        if _PLURAL_ACRONYM.fullmatch(word) or _spelled_out(sentence, m.start(), word):
            continue
        return True
    return False


@lru_cache(maxsize=1024)
def _words_of(question: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(question))


def _spelled_out(sentence: str, start: int, word: str) -> bool:
    """Whether ``word`` is a bracketed abbreviation of the lower-case words just before it:
    "compound annual growth rate (CAGR)" abbreviates a phrase, it names nothing."""
    if not word.isupper() or not sentence[:start].endswith("("):
        return False
    before = _WORD.findall(sentence[: start - 1])[-len(word) :]
    return len(before) == len(word) and "".join(w[0] for w in before).upper() == word


def contrasted(sentence: str, question: str, names: Sequence[str]) -> bool:
    """Whether ``sentence`` says of another name what ``question`` asks of one of ``names``, and
    does not name that one: "the Shanghai hard fork was scheduled ..." for "... the Paris hard
    fork ...?" (the words after the name, up to two and no common word, give what is asked of it)."""
    for name, phrase in _said_of(question, tuple(names)):
        at = sentence.find(phrase)
        if at < 0 or name in sentence.lower():
            continue  # the cheap test first: most sentences do not hold the phrase at all
        while at >= 0:
            before = _CAPITALISED_BEFORE.search(sentence, 0, at)
            end = at + len(phrase)
            whole = end == len(sentence) or not (sentence[end].isalnum() or sentence[end] in "-_")
            other = before.group(1).lower() if before else ""
            if whole and other and other not in STOPWORDS and other not in _words_of(question):
                return True
            at = sentence.find(phrase, at + 1)
    return False


# a capitalised word (with "'s") just before a place: "the Shanghai hard fork", "Norway's exports"
_CAPITALISED_BEFORE = re.compile(r"(?<![\w-])([A-Z][\w-]*)(?:'s)?\s+$")


@lru_cache(maxsize=1024)
def _said_of(question: str, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """For each name followed in ``question`` by words: the name in lower case and those words,
    up to two and no common word (kept: a question's sentences are read in turn)."""
    out = []
    words = question.split()
    for name in names:
        size = len(name.split())
        for i in range(len(words) - size):
            said = " ".join(words[i : i + size])
            if said not in (name, name + "'s"):
                continue
            after = []
            for word in words[i + size : i + size + 2]:
                word = word.rstrip("?,.;:!")
                if not word[:1].islower() or word in STOPWORDS:
                    break
                after.append(word)
            if after:
                out.append((name.lower(), " ".join(after)))
            break
    return tuple(out)
