"""Choosing the sentences of an answer from the ranked candidates (:func:`select`).

The best sentence that passes the checks (:func:`~.candidates.passes`) answers, if it scores
at least the threshold without what its heading gave; then a sentence for each name or number
of the question that neither the chosen sentences nor their headings give; then sentences
that add asked-for words (not when the best one answers a question the text asks: what follows
it goes on) or another figure for the same thing; then what the question's shape asks for
(:func:`~.shapes.completed`). Every sentence chosen is a candidate's own text: a quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..core.records import unnumbered
from ..core.settings import AnswerSettings
from .candidates import Candidate, after_question, heading_numbers, passing
from .neighbours import reading_order, with_referents
from .question import QuestionInfo, mentions
from .scoring import word_set
from .shapes import completed
from .values import NUMBER


def select(
    info: QuestionInfo,
    ranked: Sequence[tuple[float, Candidate]],
    settings: AnswerSettings,
    gains: dict[int, float] | None = None,
    checked: Mapping[int, bool] | None = None,
    context: Sequence[Candidate] = (),
) -> list[Candidate]:
    """Choose one to three sentences: the best, then what covers a missing name, number or figure.
    Whether the best answers at all is judged without what its heading gave (``gains`` by
    candidate id): a heading chooses among sentences, it does not make one answer. ``checked``:
    :func:`passes` read ahead for ``info``, by sentence row. ``context``: sentences of the chunks
    that go on from the retrieved ones, never chosen on their own, only to complete a list, a
    lead-in or a sentence that goes on over a chunk's end."""
    viable = passing(info, ranked, checked or {})
    if not viable or viable[0][0] - (gains or {}).get(id(viable[0][1]), 0.0) < settings.threshold:
        return []
    best_score, best = viable[0]
    chosen = _parts_covered(info, [best], viable, settings.name_ratio * best_score)

    def covered_text() -> str:
        return " ".join(c.text for c in chosen)

    seen_tokens = set(word_set(covered_text()))
    # the text's own question answered by the best sentence: what follows it goes on (completed),
    # no sentence from elsewhere for the words asked, only another figure for the same thing
    answers_text = after_question(best)
    for s, cand in viable[1:]:
        if len(chosen) >= settings.max_sentences or s < settings.figure_ratio * best_score:
            break
        if cand in chosen or any(_same_sentence(cand, c) for c in chosen):
            continue
        new = word_set(cand.text) & set(info.tokens) - seen_tokens
        # where the documents give another figure for the same thing elsewhere, show both
        other_figure = (
            info.answer_type
            and cand.passage.chunk_id != best.passage.chunk_id
            and _values(cand.text) - _values(covered_text())
            and _same_subject(info, best, cand)
        )
        # a why or how goes on where its topic stands (shapes.with_explanation), not elsewhere
        elsewhere = info.shape in ("reason", "method") and cand.passage.chunk_id != best.passage.chunk_id
        if (
            new and s >= settings.extra_ratio * best_score and not answers_text and not elsewhere
        ) or other_figure:
            chosen.append(cand)
            seen_tokens |= word_set(cand.text)
    pool = [c for _, c in ranked] + list(context)
    chosen = completed(info, chosen[: settings.max_sentences], viable, pool, settings)
    return reading_order(_distinct(with_referents(chosen, pool)))


def _distinct(chosen: list[Candidate]) -> list[Candidate]:
    """Each sentence once, where it first came: a chunk cut for length repeats the last sentence
    of the one before, so what goes on from one chunk into the next can bring it twice (the same
    place in the same document; the same words elsewhere are another sentence)."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for cand in chosen:
        place = (cand.passage.doc, cand.passage.start + cand.start, cand.text)
        if place not in seen:
            seen.add(place)
            out.append(cand)
    return out


def _frames(chosen: Sequence[Candidate]) -> list[str]:
    """The headings the chosen sentences stand under, their numbering left out (a heading's
    "II." names no "II" asked about), and their captions."""
    frames = [unnumbered(heading) for c in chosen for heading in c.passage.section]
    return frames + [c.passage.caption for c in chosen if c.passage.caption]


def _covers(info: QuestionInfo, chosen: Sequence[Candidate], entity: str) -> bool:
    """The chosen sentences name ``entity``, or a frame of theirs names it and none of the
    question's other names ("A10:2017 Thin Logs" over the Scenario #3 sentence; not "Norway and
    Chile compared" over a sentence on Norway, for a question on both)."""
    if mentions(entity, " ".join(c.near if after_question(c) else c.text for c in chosen), info.lexicon):
        return True  # (the question the text asks that a sentence answers names what it is about)
    others = [e for e in info.entities if e != entity]
    return any(
        mentions(entity, frame, info.lexicon) and not any(mentions(e, frame, info.lexicon) for e in others)
        for frame in _frames(chosen)
    )


def _gives(number: str, chosen: Sequence[Candidate]) -> bool:
    """The chosen sentences hold ``number``, or a heading or caption of theirs holds it as a
    whole number (:func:`~.candidates.heading_numbers`)."""
    if number in " ".join(c.text for c in chosen):
        return True
    return any(
        number in heading_numbers(c.passage.section) or number in NUMBER.findall(c.passage.caption)
        for c in chosen
    )


def _parts_covered(
    info: QuestionInfo, chosen: list[Candidate], viable: Sequence[tuple[float, Candidate]], floor: float
) -> list[Candidate]:
    """``chosen`` and, for each name the question gives that neither they nor their headings
    name (:func:`_covers`), the best viable sentence naming it scoring ``floor`` or more (a
    question with two parts gets a sentence for each); then for each number the question gives,
    likewise."""
    for entity in info.entities:
        if not _covers(info, chosen, entity):
            extra = next(
                (
                    c
                    for s, c in viable
                    if s >= floor and mentions(entity, c.text, info.lexicon) and c not in chosen
                ),
                None,
            )
            chosen += [extra] if extra else []
    for number in info.required_numbers:
        if not _gives(number, chosen):
            extra = next((c for s, c in viable if number in c.text and c not in chosen), None)
            chosen += [extra] if extra else []
    return chosen


def _same_subject(info: QuestionInfo, best: Candidate, other: Candidate) -> bool:
    """Whether ``other`` speaks of what ``best`` matched in the question (most of those words)."""
    asked = set(info.key_tokens)
    wanted = asked & word_set(best.near)
    have = asked & word_set(other.near)
    return bool(wanted) and len(wanted & have) >= 0.6 * len(wanted)


def _values(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*%?", text))


def _same_sentence(a: Candidate, b: Candidate) -> bool:
    return a.text == b.text
