"""Sentences read with their neighbours in the passage: what follows a sentence (in its passage,
then in the chunk that goes on from it), the sentence a pronoun points back to, the one that
says which thing a sentence introduces, and the order an answer gives its sentences in.

Invariants: a function that adds sentences adds only sentences of ``pool`` (the candidates of
the retrieved passages, and of the chunks that go on from them) next to the chosen ones, never
drops one and never adds one twice; :func:`reading_order` only reorders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.records import Chunk, Passage
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


ADJACENT = 2  # characters at most between a chunk's end and the start of the chunk that goes on from it


def following(cand: Candidate, pool: Sequence[Candidate]) -> list[Candidate]:
    """The sentences after ``cand`` in its passage, in reading order, then those of the passage
    that goes on from it when ``pool`` holds that one too (:func:`goes_on`) past what the two
    share (a chunk cut for length repeats the last sentence of the one before): a list, a lead-in
    or a sentence that goes on from another runs over a chunk's end into the next."""
    here = cand.passage
    after = sorted(
        (c for c in pool if c.passage.chunk_id == here.chunk_id and c.start >= cand.end), key=_start
    )
    passages = {c.passage.chunk_id: c.passage for c in pool}
    nxt = next((p for p in passages.values() if goes_on(here, p)), None)
    if nxt is not None:
        after += sorted(
            (c for c in pool if c.passage.chunk_id == nxt.chunk_id and nxt.start + c.start >= here.end),
            key=_start,
        )
    return after


def just_before(cand: Candidate, pool: Sequence[Candidate]) -> Candidate | None:
    """The sentence of ``pool`` right before ``cand`` in its passage (None: none there)."""
    here = cand.passage.chunk_id
    before = [c for c in pool if c.passage.chunk_id == here and c.end <= cand.start]
    return max(before, key=_start) if before else None


def _start(cand: Candidate) -> int:
    return cand.start


def goes_on(before: Passage | Chunk, after: Passage | Chunk) -> bool:
    """Whether ``after`` is the chunk that goes on where ``before`` ends: both text (a table's
    rows are chunks of their own, read by the table steps), the same document and section,
    starting inside it (the repeated last sentence) or within ``ADJACENT`` characters of its end."""
    return (
        before.kind == after.kind == "text"
        and after.doc == before.doc
        and after.section == before.section
        and before.start < after.start <= before.end + ADJACENT
    )


def successors(chunks: Sequence[Chunk]) -> dict[str, Chunk]:
    """Chunk id -> the chunk that goes on from it (:func:`goes_on`), the first such in order."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc, []).append(chunk)
    out = {}
    for group in by_doc.values():
        group.sort(key=lambda c: c.start)
        for before, after in zip(group, group[1:]):
            if goes_on(before, after):
                out[before.id] = after
    return out


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
