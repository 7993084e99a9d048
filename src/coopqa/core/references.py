"""Explicit references to a document's own labels: "Figure 6", "Table 1", "Appendix G", "Section 4.2".

A reader who names a figure, a table or a part of a document points at one place; the words
around the name ("What period and unit does Figure 6 use?") may share little with its caption.
A chunk carries the labels of its caption ("Figure 6 2020-2023 ...", "Table 1: ...") and of the
headings above it ("Appendix G. Fee Schedule", "4.2. The Transaction", "II. Foundation ...");
a question's reference resolves to the chunks that carry the same label.

Invariants
    * A label is ``(kind, name)``, both lower case; kinds are ``figure`` (also "Fig.", "Chart"),
      ``table``, ``box``, ``exhibit`` (caption kinds), ``appendix`` (also "Annex"),
      ``section`` (also "Chapter", "Part", "§", and every numbered heading: "4.2. The
      Transaction" is ``section 4.2``, "II. Foundation" is ``section ii``) and ``title``: every
      heading's title without its numbering, named in a question as "the License section".
    * A single-letter or Roman name counts only in capitals ("Appendix G", "Part II"), so
      "which figure compares ..." names nothing (a capital "I" after "figure" still reads as
      Figure I).
    * Pure functions of text and headings; no collection words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .records import section_number

Label = tuple[str, str]

CAPTION_KINDS = frozenset({"figure", "table", "box", "exhibit"})
_KIND = {
    "figure": "figure",
    "fig.": "figure",
    "fig": "figure",
    "chart": "figure",
    "table": "table",
    "box": "box",
    "exhibit": "exhibit",
    "appendix": "appendix",
    "annex": "appendix",
    "chapter": "section",
    "section": "section",
    "part": "section",
    "§": "section",
}
_NAME = r"(\d+(?:\.\d+)*[a-z]?|[A-Z](?![\w'])|[IVXLC]+(?![\w']))"
_KINDS = r"figure|fig\.|fig|chart|table|box|exhibit|appendix|annex|chapter|section|part"
_IN_QUESTION = re.compile(rf"(?<![\w])(?i:({_KINDS})|§)\s*" + _NAME)
_CAPTION = re.compile(r"\s*(?i:(figure|fig\.|fig|chart|table|box|exhibit))\s*" + _NAME)
_HEADING = re.compile(r"\s*(?i:(appendix|annex|chapter|section|part))\s+" + _NAME)
# "the License section", "in the Random Numbers chapter": a part named by its title ("the US
# part of ..." is ordinary English, so "part" does not count here)
_TITLED = re.compile(
    r"\b(?:the|in|under)\s+((?:[A-Z][\w'/-]*\s+){0,5}?[A-Z][\w'/-]*)\s+(?:section|chapter)\b"
)
# numbering before a heading's title: "4.2.", "II.", "(ii)", "Appendix G.", "Chapter 3:"
_NUMBERING = re.compile(
    r"^\s*(?:(?:appendix|annex|chapter|section|part)\s+\w+[.:]?\s+|\(?[0-9ivxlc]+(?:\.\d+)*[.)]\s*)+",
    re.I,
)


def _label(kind: str, name: str) -> Label:
    return _KIND[kind.lower()], name.lower()


def question_labels(text: str) -> tuple[Label, ...]:
    """The labels a question names, in order, without repeats."""
    found = []
    for match in _IN_QUESTION.finditer(text):
        kind = match.group(1) or "§"
        found.append(_label(kind, match.group(2)))
    found += [("title", title_key(match.group(1))) for match in _TITLED.finditer(text)]
    return tuple(dict.fromkeys(found))


def title_key(heading: str) -> str:
    """A heading's title without its numbering, lower case: "13.2. Random Numbers" -> "random numbers"."""
    return " ".join(_NUMBERING.sub("", heading).lower().split()).rstrip(".:")


@lru_cache(maxsize=65536)
def chunk_labels(caption: str, section: Sequence[str]) -> frozenset[Label]:
    """The labels a chunk carries: its caption's and those of the headings above it."""
    labels = set()
    match = _CAPTION.match(caption or "")
    if match:
        labels.add(_label(match.group(1), match.group(2)))
    for heading in section:
        if title_key(heading):
            labels.add(("title", title_key(heading)))
        named = _HEADING.match(heading)
        if named:
            labels.add(_label(named.group(1), named.group(2)))
            continue
        number = section_number(heading)  # "4.2", "II"; a bracketed "(ii)" is named no section
        if number and not number.startswith("("):
            labels.add(("section", number.lower()))
    return frozenset(labels)


def title_matches(named: str, title: str) -> bool:
    """Whether a title named in a question is a heading's title or its first words ("random
    numbers" ~ "random numbers and seeds", not "us" ~ "usage")."""
    return title == named or title.startswith(named + " ")


def carries(wanted: Iterable[Label], carried: frozenset[Label]) -> bool:
    """Whether a chunk carries one of the labels a question names (a title: by its first words)."""
    for label in wanted:
        if label in carried:
            return True
        if label[0] == "title" and any(k == "title" and title_matches(label[1], t) for k, t in carried):
            return True
    return False


def conflicts(wanted: Iterable[Label], carried: frozenset[Label]) -> bool:
    """Whether a chunk is captioned as another figure or table of a kind the question names
    ("Figure 1" when "Figure 2" is asked): it is certainly not what the question points at."""
    wanted = set(wanted)
    kinds = {kind for kind, _ in wanted if kind in CAPTION_KINDS}
    return any(label[0] in kinds and label not in wanted for label in carried)
