"""Answers of a shape: a list for a question asking for several things, a reason for a "why",
the sentences that go on about the topic for a "why" or a "how".

A question's ``shape`` (``question.answer_shape``) says what a good answer looks like beyond its
words. Two steps use it: scoring (:func:`shape_bonus`, a sentence that lists gains a little)
and completion after the best sentence is chosen (:func:`with_list`, :func:`with_siblings`,
:func:`with_reason`, :func:`with_explanation`), which add the sentences that carry the list (the
other items of the list the best sentence is one item of), the reason or the how when the best
one only names the topic.
For explain and list questions, :func:`with_continuation` adds what goes on from the best
sentence and :func:`with_led_items` what a chosen lead-in announces. For every answer,
:func:`~.neighbours.with_taken_up` adds the sentence that says which thing a chosen one ends by
introducing (the sentences read with their neighbours are :mod:`.neighbours`').
Plain English patterns only: nothing here knows a collection's words.

Invariants
    * Completion only adds sentences of the retrieved passages that passed the answer's checks
      (or the bulleted items right after a lead-in among them); it never drops the best sentence.
    * A list block is what :mod:`.lists` finds: a lead-in with its items, or the run of
      like-marked items around the best one, at most ``MAX_ITEMS``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..core.settings import AnswerSettings
from ..core.text import BULLETED, BULLETS, bm25_tokens
from .lists import ITEM, LABELLED, MAX_ITEMS, item_run, leads_in, list_items
from .neighbours import PRONOUN_START, following, just_before, with_taken_up
from .tables import extreme_row, same_rows

if TYPE_CHECKING:
    from .candidates import Candidate
    from .question import QuestionInfo

# words that give a reason or a purpose
REASON = re.compile(
    r"\b(because|since(?!\s+\d)|due to|owing to|as a result|thanks to|so that|in order to|therefore"
    r"|thus|hence|consequently|makes? it|made it|leads? to|led to|reasons?|caus(?:e|es|ed)|given that"
    r"|results? in|resulted in)\b",
    re.I,
)
# "as" opening a clause of a subject and a modal gives a reason too ("This is NOT RECOMMENDED as
# this might create conflicts"; not "as it is known", "just as it does", "as we can see")
_REASON_AS = re.compile(
    r"(?<!just )(?<!such )(?<!same )\bas (?:this|it|they|there|these|those) (?:might|may|could|can(?:not)?"
    r"|must|would|will|does not|do not|did not|has no|have no)\b(?! (?:be )?(?:seen|shown|noted|expected)\b)",
    re.I,
)
# the first "as" of a comparison just before: "as long as it may", "not as good as it could be"
_COMPARED = re.compile(r"\bas [\w-]+ \Z", re.I)


def gives_reason(text: str) -> bool:
    """Whether ``text`` gives a reason or a purpose (``REASON``, or a causal "as" clause)."""
    if REASON.search(text):
        return True
    return any(not _COMPARED.search(text, 0, m.start()) for m in _REASON_AS.finditer(text))


# words that set two things against each other
# ("while" opening a sentence or after a comma: "... non-retentive while the hart waits" is a time)
CONTRAST = re.compile(
    r"(?:^|,)\s*while\b"
    r"|\b(whereas|unlike|in contrast|on the other hand|but|however|instead|rather than|differs?"
    r"|different|differences?|compared (?:to|with)|as opposed to)\b",
    re.I,
)
BULLET = BULLETED
# "How should ...?" shares these with any sentence: they do not tie one to the question
_MODALS = frozenset({"should", "must", "shall", "might", "ought"})
# a sentence that goes on from the one before it, or one that announces what follows
CONTINUES = re.compile(
    r"^(This|These|That|Those|Such|It|They|Examples?|For (example|instance)|Specifically|Namely"
    r"|In particular|Among (them|these)|Including|Others?|Another)\b"
)
LABELLED_WORDS = 14  # a labelled opener (shapes.LABELLED) this short tells its item after it
LABELLED_ITEM = 3  # sentences after a label that may tell its item
# between list items: commas, semicolons and colons (not inside "1,250" or "10:30"), bullets, dashes
_ITEM_SPLIT = re.compile(rf"\s*(?:[,;:](?!\d)|[{BULLETS}]|\s[–-]\s|\band\b|\bor\b)\s*")


# a table's rows read as one line: three or more "figure Name" (or "Name figure") pairs in a row
_PAIRS = re.compile(
    r"(?<![\w.,-])(?:\d[\d.,]*\s+[A-Z][\w-]*\s*){3,}|(?<![\w-])(?:[A-Z][\w-]*\s+\d[\d.,]*\s*){3,}"
)  # each pair from a word's start: a long run of digits or letters is not tried at every offset


@lru_cache(maxsize=8192)
def enumerates(text: str) -> bool:
    """Whether a sentence lists things: three or more short items between commas, bullets or
    dashes ("Upload Type – Title – Creators", "(AFFECTED, NOT AFFECTED, FIXED)"), or a table's
    rows the page gave as one line ("100 Wei 109 Gwei 1012 Szabo")."""
    items = [part for part in _ITEM_SPLIT.split(text) if part.strip()]
    return sum(1 for part in items if len(part.split()) <= 5) >= 3 or _PAIRS.search(text) is not None


def shape_bonus(info: QuestionInfo, text: str, settings: AnswerSettings) -> float:
    """What a sentence gains for having the shape of answer asked for: a list, when several
    things are asked. (A like bonus for a reason, asked why, changed no answer of the dev
    splits and was left out: :func:`with_reason` finds the reason instead.)"""
    return settings.list_bonus if info.shape == "list" and enumerates(text) else 0.0


def with_list(
    chosen: list[Candidate],
    viable: Sequence[tuple[float, Candidate]],
    pool: Sequence[Candidate],
    settings: AnswerSettings,
) -> list[Candidate]:
    """For a question asking for several things: add the best list block among the viable
    sentences (a sentence that enumerates, or a lead-in with its bullets) when it scores at least
    ``settings.list_ratio`` of the best answer. A lead-in is scored with the sentence before it,
    which says what is listed ("... some general steps ... The stages are:")."""
    if settings.list_ratio <= 0 or not viable:
        return chosen
    scored = {(c.passage.chunk_id, c.start): s for s, c in viable}
    best_score = viable[0][0]
    blocks = []
    for s, cand in viable:
        items = list_items(cand, pool)
        if not items and not enumerates(cand.text):
            continue
        before = scored.get((cand.passage.chunk_id, cand.context_start), 0.0) if items else 0.0
        blocks.append((max(s, before if cand.context_start != cand.start else 0.0), cand, items))
    if not blocks:
        return chosen
    s, head, items = max(blocks, key=lambda b: b[0])
    if s < settings.list_ratio * best_score:
        return chosen
    block = [c for c in (head, *items) if c not in chosen]
    return [chosen[0], *block, *(c for c in chosen[1:] if c not in block)]


def with_siblings(chosen: list[Candidate], pool: Sequence[Candidate]) -> list[Candidate]:
    """For a question asking for several things whose best sentence is one item of a list a
    lead-in announces ("Prevention:" over its bullets): the lead-in and the list's other items
    (:func:`list_items`), after it; with no lead-in (items right under a heading, or after prose
    that announces nothing), the run of items marked as it is that it stands in
    (:func:`~.lists.item_run`), when that is ``MAX_ITEMS`` or fewer. One item of a list is one of the
    things asked for."""
    best = chosen[0]
    if not ITEM.match(best.text) or leads_in(best.text):
        return chosen
    before = [c for c in pool if c.passage.chunk_id == best.passage.chunk_id and c.end <= best.start]
    before.sort(key=lambda c: -c.start)
    lead = next((c for c in before[: 3 * MAX_ITEMS] if leads_in(c.text)), None)
    if lead is None:  # items under a heading, with no lead-in: the run of items the best is one of
        run = item_run(best, pool)
        block = [c for c in run if c not in chosen] if len(run) <= MAX_ITEMS else []
        return [best, *block, *chosen[1:]]
    items = list_items(lead, pool)
    if best not in items:
        return chosen
    block = [c for c in (lead, *items) if c not in chosen]
    return [best, *block, *chosen[1:]]


def completed(
    info: QuestionInfo,
    chosen: list[Candidate],
    viable: Sequence[tuple[float, Candidate]],
    pool: Sequence[Candidate],
    settings: AnswerSettings,
) -> list[Candidate]:
    """The chosen sentences with what completes them: the list or the reason the question's
    shape asks for, then what goes on from the best sentence (never cutting a list block), and
    for a why or how still answered by one sentence, the explanation after it."""
    listed = 0  # sentences of a list block, over the limit
    chosen = extreme_row(info, chosen, viable)  # "which ... is the largest?" over a table's rows
    if info.shape == "list":
        listed = -len(chosen)
        chosen = same_rows(info, chosen, viable) if chosen[0].kind == "table_row" else chosen
        chosen = with_list(chosen, viable, pool, settings)
        chosen = with_siblings(chosen, pool)
        listed += len(chosen)
    elif info.shape == "reason":
        chosen = with_reason(chosen, [c for _, c in viable], settings.reason_reach, pool)
    if settings.continuations and not info.answer_type:
        chosen = with_continuation(chosen, pool, settings.max_sentences + listed)
        chosen = with_led_items(chosen, pool)
    if settings.continuations:
        chosen = with_taken_up(chosen, pool)
    return with_explanation(info, chosen, [c for _, c in viable], pool, settings.explain_reach)


def with_reason(
    chosen: list[Candidate], viable: Sequence[Candidate], reach: int, pool: Sequence[Candidate] = ()
) -> list[Candidate]:
    """For a "why" question whose chosen sentences give no reason: add the first ``viable``
    sentence that does among the ``reach`` after the best one in its passage (the reason often
    follows the rule), else the sentence of ``pool`` just before the best one when it does and is
    viable (the rule with its reason, then a remark on it: "This is NOT RECOMMENDED as ... Also
    note that ...")."""
    if reach <= 0 or any(gives_reason(c.text) for c in chosen):
        return chosen
    for cand in following(chosen[0], viable)[:reach]:
        if gives_reason(cand.text):
            return [chosen[0], cand, *[c for c in chosen[1:] if c != cand]]
    before = just_before(chosen[0], pool)
    if before is not None and before in viable and before not in chosen and gives_reason(before.text):
        return [chosen[0], before, *chosen[1:]]
    return chosen


def with_led_items(chosen: list[Candidate], pool: Sequence[Candidate]) -> list[Candidate]:
    """A lead-in chosen after the best sentence ("It is ranked #3 because:") brings what it
    announces, the whole list block as for the best sentence (:func:`list_items`, at most
    ``MAX_ITEMS``; else the next sentence): it says nothing by itself. A lead-in followed by
    nothing the passage shows goes."""
    out = list(chosen[:1])
    for cand in chosen[1:]:
        if cand in out:
            continue
        out.append(cand)
        if not leads_in(cand.text):
            continue
        after = following(cand, pool)
        items = [c for c in (list_items(cand, pool) or after[:1]) if c not in out]
        if not items and (not after or after[0] not in out):
            out.pop()  # it leads in to nothing the answer can show
        out += items
    return out


def with_continuation(chosen: list[Candidate], pool: Sequence[Candidate], limit: int) -> list[Candidate]:
    """Put right after the best sentence what goes on from it: after a lead-in ("... as
    follows:") the sentence or the bulleted items that follow (up to ``MAX_ITEMS``), else a
    sentence that opens by pointing back at it ("This involves ...", "Examples include ...").
    Only for questions that ask for no single value (explain, list)."""
    best = chosen[0]
    after = following(best, pool)
    if not after or after[0] in chosen:
        return chosen
    if leads_in(best.text):
        items = list_items(best, pool) or [after[0]]
    elif _label(best.text) and BULLET.match(after[0].text):
        items = [after[0], *itertools.takewhile(lambda c: BULLET.match(c.text), after[1:MAX_ITEMS])]
    elif LABELLED.match(best.text) and len(best.text.split()) <= LABELLED_WORDS:
        # "Scenario #3: timeouts aren't set." opens an item the next sentences tell, up to the next label
        items = list(itertools.takewhile(lambda c: not LABELLED.match(c.text), after[:LABELLED_ITEM]))
    elif CONTINUES.match(after[0].text):
        items = [after[0]]
    else:
        return chosen
    rest = [c for c in chosen[1:] if c not in items]
    return [best, *items, *rest][: max(limit, 1 + len(items))]


def with_explanation(
    info: QuestionInfo,
    chosen: list[Candidate],
    viable: Sequence[Candidate],
    pool: Sequence[Candidate],
    reach: int,
) -> list[Candidate]:
    """A why, how or how-do-they-differ question answered by one run of text (the topic, often,
    not yet the how, the why or the difference; with what goes on from it, "Such data ..."): add
    the sentences right after the run in its passage while each passed the answer's checks and
    shares a word of the question or stands in the same paragraph as the one before it ("Each
    host builds the same component. A hash of each artifact is then verified ..."), until the
    answer has ``reach`` sentences more than the topic's one (past a sentence that gives the
    reason or the difference asked, only while they share a word of it). The explanation goes on
    where the topic sentence stands; a new paragraph on something else ends it. Not for a
    sentence that opens by pointing back ("This makes ..."): the one before it explains it."""
    room = reach + 1 - len(chosen)  # a run already as long as the reach takes nothing more
    if room <= 0 or info.shape not in ("reason", "method", "compare") or not _one_run(chosen, pool):
        return chosen
    if any(_gives_shape(info, c.text) for c in chosen):
        return chosen  # it gives the reason, or says how they differ ("... whereas a ...")
    if PRONOUN_START.match(chosen[0].text):
        return chosen  # "This makes ...": it goes on from the sentence before (with_referents)
    asked, allowed = set(info.key_tokens) - _MODALS, set(map(id, viable))
    added, last, given = [], chosen[-1], False
    for cand in following(chosen[-1], pool)[:room]:
        # it goes on while it speaks of what was asked, or, until the reason or the difference
        # asked is given, to the end of the paragraph it is in
        shared = asked.intersection(bm25_tokens(cand.text))
        if id(cand) not in allowed or not (shared or (not given and _same_paragraph(last, cand))):
            break
        added.append(cand)
        last, given = cand, given or _gives_shape(info, cand.text)
    return [*chosen, *added]


def _gives_shape(info: QuestionInfo, text: str) -> bool:
    """``text`` gives what a why asks (a reason) or what a how-do-they-differ asks (a contrast)."""
    reason = info.shape == "reason" and gives_reason(text)
    return bool(reason or (info.shape == "compare" and CONTRAST.search(text)))


def _same_paragraph(before: Candidate, after: Candidate) -> bool:
    """``after`` follows ``before`` in the same paragraph of the same passage (no blank line
    between: a paragraph break is one in the chunk's text)."""
    if before.passage.chunk_id != after.passage.chunk_id or after.start < before.end:
        return False
    return "\n\n" not in before.passage.text[before.end : after.start]


def _one_run(chosen: Sequence[Candidate], pool: Sequence[Candidate]) -> bool:
    """Whether ``chosen`` is one sentence, or sentences that follow one another in one passage."""
    return all(following(a, pool)[:1] == [b] for a, b in zip(chosen, chosen[1:]))


def _label(text: str) -> bool:
    """A short line with no closing punctuation ("DataCite (4.0)"): over bullets, it heads them
    (as :func:`~coopqa.answer.candidates.bare_label`, but a figure may stand in it)."""
    return len(text.split()) <= 4 and not re.search(r"[.!?;]\W*$", text.strip())
