"""Sentences read with their neighbours in the passage: what follows a sentence, the sentence a
pronoun points back to, the one that says which thing a sentence introduces, and the order an
answer gives its sentences in.

Invariants: a function that adds sentences adds only sentences of ``pool`` (the candidates of
the retrieved passages) next to the chosen ones, never drops one and never adds one twice;
:func:`reading_order` only reorders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .candidates import Candidate

# a sentence that opens with a pronoun, or a connective that points back ("Due to this, ...", "For
# this reason", "As a result"): read with the one before it, which says who "it" is, or what "this"
PRONOUN_START = re.compile(
    r"^(It|Its|They|Their|This|These|He|She|His|Her|The country|The government"
    r"|(?:Due to|Because of|Owing to|Despite|As a result of) (?:this|that|these|those|it)"
    r"|For (?:this|that|these|those) reasons?|As a result(?!\s+of\b)"
    r"|In (?:this|that|such a) case(?!\s+stud))\b"
)
# a sentence that speaks of "this option", "these functions" near its start: the one before says which
REFERS_BACK = re.compile(r"^(?:[\w,()-]+\s+){0,3}?(?:this|these|such)\s+(?!as\b)[a-z][\w-]*", re.I)
# a sentence that ends on a thing it introduces ("... is filled with an appropriate default value.")
_INTRODUCES = re.compile(r"\b(?:an?|some)\s+(?:[A-Za-z-]+\s+){0,3}?([A-Za-z-]{3,}?)s?\W*$")


def following(cand: Candidate, pool: Sequence[Candidate]) -> list[Candidate]:
    """The sentences after ``cand`` in its passage, in reading order."""
    return sorted(
        (c for c in pool if c.passage.chunk_id == cand.passage.chunk_id and c.start >= cand.end),
        key=lambda c: c.start,
    )


def takes_up(before: str, after: str) -> bool:
    """Whether ``after`` opens on the thing ``before`` ends by introducing: "... filled with an
    appropriate default value." then "The default value for A is 1.0." (the first says there is
    one, the next says which)."""
    found = _INTRODUCES.search(before)
    words = after.split()[:4]
    if not found or not words or words[0] != "The":
        return False
    head, last = found.group(1).lower(), re.findall(r"[A-Za-z-]+", before)[-1].lower()
    # the word itself or its plural ("value", "values"; "class", "classes"), not a longer word
    # ("set" / "settings")
    forms = {head, head + "s", head + "es", last, last + "es"}
    return any(word.lower().strip(".,;:") in forms for word in words[1:])


def with_taken_up(chosen: list[Candidate], pool: Sequence[Candidate]) -> list[Candidate]:
    """Each chosen sentence that ends by introducing a thing the next sentence of its passage
    opens on (:func:`takes_up`) brings that sentence right after it: it says what the thing is."""
    out: list[Candidate] = []
    for cand in chosen:
        if cand in out:
            continue
        out.append(cand)
        after = following(cand, pool)[:1]
        if after and after[0] not in chosen and takes_up(cand.text, after[0].text):
            out.append(after[0])
    return out


def with_referents(chosen: list[Candidate], pool: Sequence[Candidate]) -> list[Candidate]:
    """Add the sentence before each chosen one that opens with a pronoun ("This involves ..."),
    so the answer says what "this" is."""
    out = list(chosen)
    for cand in chosen:
        if not PRONOUN_START.match(cand.text) or cand.context_start == cand.start:
            continue
        before = next(
            (
                c
                for c in pool
                if c.passage.chunk_id == cand.passage.chunk_id and c.start == cand.context_start
            ),
            None,
        )
        if before is not None and before not in out:
            out.insert(out.index(cand), before)
    return out


def reading_order(chosen: list[Candidate]) -> list[Candidate]:
    """Passages in the order of their best sentence; sentences of one passage as the text has them."""
    order = list(dict.fromkeys(c.passage.chunk_id for c in chosen))
    return sorted(chosen, key=lambda c: (order.index(c.passage.chunk_id), c.start))
