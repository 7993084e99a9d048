"""A question typed without capitals ("when did norway ban petrol cars?") or in
capitals, written as the indexed documents write its words.

Question analysis finds names by their capitals (:func:`coopqa.answer.question.entities`), and the
checks that keep an answer to what was asked read those names: a value asked about a named
thing comes from a passage that names it, a key name must stand near the sentence. A question in
lower case names nothing, so it loses those checks and answers questions it should decline. What
the collection itself writes tells which words are names: :func:`written_names` reads the
indexed text once, :func:`recased` gives each word of a question the form the collection uses.

Invariants
    * Only a question with no capital after its first word, or one typed in capitals, is
      recased; a question whose writer capitalised names is the writer's.
    * A word is a name when the documents write it capitalised (or as an acronym) at least
      ``MIN_SEEN`` times after a lower-case word, and in at least ``SHARE`` of the times it
      stands there: mid-sentence, where only names take capitals. Headings, sentence starts
      and title-case table cells, where every word may be capitalised, do not count (so a name
      seen only in lists of names is missed; the profile's key names are added by the caller).
      The two constants were set before any measurement, not fitted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..core.text import STOPWORDS

MIN_SEEN = 2
SHARE = 0.8
# a word after a lower-case word (a comma or a bracket between allowed), as the documents write it;
# not after a capitalised word and a comma: a title-case table cell ("2030, Carbon Neutrality")
_MID = re.compile(r"\b[a-z][a-z'’-]*[,;]? \(?(?=([A-Za-z][A-Za-z0-9&-]*[A-Za-z0-9]|[A-Z])[\s,.;:)'’?!])")
# a word of a question, not a piece of a file name, an address or a code ("erc.yml", "spec_version")
_WORD = re.compile(r"(?<![\w./@#])[A-Za-z][A-Za-z0-9&'’-]*(?![\w/@]|\.\w)")
_CAPITAL_AFTER_FIRST = re.compile(r"\S\s+[^\sA-Za-z]*[A-Z]")


def written_names(texts: Iterable[str]) -> dict[str, str]:
    """Lower-case word -> the form the texts give it, for each word they write as a name."""
    forms: dict[str, dict[str, int]] = {}
    for text in texts:
        for word in _MID.findall(text):
            seen = forms.setdefault(word.lower(), {})
            seen[word] = seen.get(word, 0) + 1
    names = {}
    for low, seen in forms.items():
        form, count = max(seen.items(), key=lambda item: (item[1], item[0]))
        if low in STOPWORDS or len(low) < 2 or (len(low) == 2 and not form.isupper()):
            continue  # "A" of "type A", "He" of a formula's "H_e": no name for a question's "a", "he"
        if form != low and count >= MIN_SEEN and count >= SHARE * sum(seen.values()):
            names[low] = form
    return names


def shouted(question: str) -> bool:
    """Whether ``question`` is typed in capitals: most of its words of two letters or more."""
    words = [w for w in _WORD.findall(question) if len(w) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) >= 0.6 * len(words)


def needs_casing(question: str) -> bool:
    """Whether :func:`recased` may change ``question``: in capitals, or no capital after its first word."""
    return shouted(question) or not _CAPITAL_AFTER_FIRST.search(question)


def recased(question: str, names: Mapping[str, str]) -> str:
    """``question`` with each word the collection writes as a name in that form, when it is typed
    in lower case (no capital after its first word) or in capitals; else unchanged."""
    if shouted(question):
        question = question.lower()
    elif _CAPITAL_AFTER_FIRST.search(question):
        return question
    if not names:
        return question
    return _WORD.sub(lambda m: _as_written(m[0], names) if m[0].islower() else m[0], question)


def _as_written(word: str, names: Mapping[str, str]) -> str:
    """``word`` (lower case) as the collection writes it, a possessive's "'s" kept."""
    base, mark = (word[:-2], word[-2:]) if word.endswith(("'s", "’s")) else (word, "")
    return names[base] + mark if base in names else word
