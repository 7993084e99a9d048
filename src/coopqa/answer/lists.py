"""Lists in a passage: the sentences that lead in to a list ("The stages are:", "... the
following 3 failings;", a sentence cut off at "if"), the items that follow one, the number of
items it announces, and the run of like-marked items a bulleted or numbered sentence stands in.

Plain English patterns only: nothing here knows a collection's words.

Invariants
    * A list is its lead-in with the items that follow it (:func:`list_items`), or with no
      lead-in the run of like-marked items around one item (:func:`item_run`), at most
      ``MAX_ITEMS``.
    * Items are returned in reading order and are sentences of the pool given, never new text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..core.text import BULLETS
from .neighbours import following

if TYPE_CHECKING:
    from .candidates import Candidate

ITEM = re.compile(rf"^(?:[{BULLETS}]|\(?\d{{1,2}}[.)]|\(?[a-h][.)])\s")  # a bulleted or numbered item
# a sentence opening with a short label and a colon ("Reflected XSS: The ...", "Scenario #3 : ...")
LABELLED = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w#'’-]+){0,3}\s?:\s+\S")
LEAD_IN = re.compile(
    r"(:|\bas follows\.?|\bthe following\.?|\bfollowing\b[^.:;]{0,40};"
    # "The crucial difference is this." (what it is, the sentences after it say)
    r"|\b(?:is|are|was|were) (?:this|these)\.$"
    # "... MUST contain the following string nodes at the root level." (not "the following year")
    r"|\bthe following (?!(?:years?|months?|days?|weeks?|decades?|times?)\b)[^.:;]{1,60}\."
    # a sentence cut off at a word that cannot end one: "... acts as a full TLB flush if" (its
    # conditions follow as bullets); four words at least, so that a short title is no lead-in, and
    # not an item's closing "; and" / ", or"
    r"|(?:\S+\s+){2}[^\s,;:]+\s+(?-i:if|when|whenever|unless|where|whereas|because|that|whether|and|or|of|to"
    r"|with|for|by|from|the|a|an|includes?|including))\s*$",
    re.I,
)
MAX_ITEMS = 8  # items an answer may list after a lead-in
# a sentence that opens an item of a list told in prose ("First, it will ...", "Secondly, ...")
ORDINAL = re.compile(
    r"^(?:(?:the|a)\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|finally|lastly)(?:ly)?\b",
    re.I,
)
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight")
_COUNT = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)}|\d{{1,2}})\s+(?!percent\b|per\b|%)[A-Za-z]", re.I)


@lru_cache(maxsize=8192)
def leads_in(text: str) -> bool:
    """Whether a sentence announces what follows it (:data:`LEAD_IN`); kept, as sentences recur."""
    return LEAD_IN.search(text) is not None


def list_items(head: Candidate, pool: Sequence[Candidate]) -> list[Candidate]:
    """The items right after a lead-in sentence ("The stages are:", "... the following 3
    failings;"), else none: the bulleted or numbered items that follow it, or the sentences that
    open with a label ("Reflected XSS: ..."), an item's later sentences skipped; or, when the
    lead-in says how many ("three forms"), that many sentences; or, after a sentence that says
    how many with no lead-in, the prose items that open with an ordinal ("First, ...",
    :func:`_ordinal_items`). A count the lead-in
    states caps the items; ``MAX_ITEMS`` always does; a sentence that leads in to a list of its
    own ("Monitoring needs:", "• Cons:") ends this one, an item leading in to sub-items does not."""
    if not leads_in(head.text):
        return _ordinal_items(head, pool)
    count = stated_count(head.text)
    after = following(head, pool)[: 3 * MAX_ITEMS]
    if not after:
        return []
    kind = next((k for k in (ITEM, LABELLED) if k.match(after[0].text)), None)
    if kind is None:
        return after[: count or 0]
    items, gap = [], 0
    for cand in after:  # an item's later sentences are skipped; more than three, or a lead-in, end it
        gap = 0 if kind.match(cand.text) else gap + 1
        if gap > 3 or leads_in(cand.text) and (not kind.match(cand.text) or len(cand.text.split()) <= 3):
            break  # an item that leads in to sub-items ("• Encode output, including:") stays
        items += [] if gap else [cand]
    return items[: min(count or MAX_ITEMS, MAX_ITEMS)]


def _ordinal_items(head: Candidate, pool: Sequence[Candidate]) -> list[Candidate]:
    """The items of a list told in prose after a sentence that says how many ("... three ways to
    engage the public."): the sentences that open with an ordinal ("First, ...", "Second, ...")
    right after it, an item's later sentences skipped; none unless the very next one is such."""
    count = stated_count(head.text)
    if not count:
        return []
    after = following(head, pool)[: 3 * count]
    if not after or not ORDINAL.match(after[0].text):
        return []
    return [c for c in after if ORDINAL.match(c.text)][:count]


def stated_count(text: str) -> int | None:
    """The number of things a lead-in announces ("three forms", "the following 3 failings"), from
    two to ``MAX_ITEMS``, or None."""
    for match in _COUNT.finditer(text):
        word = match.group(1).lower()
        number = int(word) if word.isdigit() else _NUMBER_WORDS.index(word) + 2
        if 2 <= number <= MAX_ITEMS:
            return number
    return None


def item_run(item: Candidate, pool: Sequence[Candidate]) -> list[Candidate]:
    """The items next to one another in ``item``'s passage that ``item`` is one of, in reading
    order: marked as it is (a bullet, a number, a letter); a sentence that is no such item ends
    the run, and so does an item that leads in to a list of its own ("• Cons:")."""
    own = sorted((c for c in pool if c.passage.chunk_id == item.passage.chunk_id), key=lambda c: c.start)
    marker = _marker(item.text)

    def same(cand: Candidate) -> bool:
        return _marker(cand.text) == marker and not leads_in(cand.text)

    at = own.index(item)
    start, end = at, at + 1
    while start > 0 and same(own[start - 1]):
        start -= 1
    while end < len(own) and same(own[end]):
        end += 1
    return own[start:end]


def _marker(text: str) -> str:
    """What marks an item: ``"bullet"``, ``"number"``, ``"letter"``, or ``""`` for no item."""
    if not ITEM.match(text):
        return ""
    head = text.lstrip("(")
    if head[:1].isdigit():
        return "number"
    return "letter" if head[:1].isalpha() and head[1:2] in ".)" else "bullet"
