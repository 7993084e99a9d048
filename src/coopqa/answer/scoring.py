"""How well each candidate sentence fits the question: the scores the answer ranks by.

A sentence's score is a weighted sum of its cosine to the question, the IDF-weighted share of
the question's words it holds (:func:`overlap`) and its passage's rank, plus a bonus for the
shape asked for, times a factor for each name of the question its passage lacks; a word only its
heading holds adds a smaller gain. Only the cosine and the rank need the search: the rest
(:class:`TextParts`) is read from the words alone, so it can be read for the passages the words
make likely while the question is still being embedded (:class:`ReadAhead`) and reused, to the
bit, when the search returns them.

Invariant: :func:`score` gives the same floats whether a sentence's parts were read ahead or not.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..core.settings import AnswerSettings
from ..core.text import bm25_tokens
from .candidates import Candidate, after_question, passage_context, passes
from .neighbours import PRONOUN_START, REFERS_BACK
from .question import QuestionInfo, mentions
from .shapes import shape_bonus


class TextParts(NamedTuple):
    """What one sentence's score owes to its words, for one question."""

    lexical: float  # share of the question's word weight in the sentence (with caption or the one before)
    above: float  # share only its two innermost headings (or label) add
    bonus: float  # :func:`~.shapes.shape_bonus`
    factor: float  # ``missing_name_factor`` per name of the question its passage lacks


class ReadAhead(NamedTuple):
    """What was read of likely sentences for one question before its search returned: their
    :class:`TextParts` and whether each passes the checks, by the row of the sentence's vector
    (a sentence's row is its identity in the index). Valid for ``info`` only."""

    info: QuestionInfo
    parts: Mapping[int, TextParts]
    passing: Mapping[int, bool]


def idf_table(token_lists: Sequence[Sequence[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each token over the given texts."""
    n = len(token_lists)
    df: dict[str, int] = {}
    for tokens in token_lists:
        for token in set(tokens):
            df[token] = df.get(token, 0) + 1
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def overlap(
    question: Sequence[str], sentence: Sequence[str], idf: dict[str, float], default: float | None = None
) -> float:
    """IDF-weighted share of the question's words that the sentence contains (``default``: the
    weight of a word ``idf`` lacks, its largest value unless given)."""
    if not question:
        return 0.0
    if default is None:
        default = max(idf.values(), default=1.0)
    return _weighted(tuple(dict.fromkeys(question)), idf, default)(frozenset(sentence))[0]


def _weighted(words: Sequence[str], idf: dict[str, float], default: float):
    """``overlap`` for one question: its words' weights and their total, taken once."""
    weights = [(t, idf.get(t, default)) for t in words]
    total = sum(w for _, w in weights)

    def share(sentence: Collection[str], heading: Collection[str] = ()) -> tuple[float, float]:
        """The share of the question's weight in ``sentence``, and the share only ``heading`` adds."""
        if not total:
            return 0.0, 0.0
        inside = sum(w for t, w in weights if t in sentence)
        return inside / total, sum(w for t, w in weights if t in heading and t not in sentence) / total

    return share


@lru_cache(maxsize=8192)
def word_set(text: str) -> frozenset[str]:
    """The ``bm25_tokens`` of a candidate's text as a set, kept: the same sentences come back
    question after question."""
    return frozenset(bm25_tokens(text))


def text_parts(
    info: QuestionInfo,
    cands: Sequence[Candidate],
    idf: dict[str, float],
    settings: AnswerSettings,
    default: float | None = None,
) -> list[TextParts]:
    """Each candidate's :class:`TextParts`: its score without the cosine and the rank.

    A sentence that opens with a pronoun, or follows a question the text asks, is read with the one
    before it ("It aims ..."); a
    question word only the sentence's two innermost headings (or its label) have is counted
    apart, as ``above``. ``default`` is the weight of a word no sentence has, ``idf``'s largest.
    """
    if default is None:
        default = max(idf.values(), default=1.0)
    others = [e for e in info.entities if not info.lexicon.is_key_name(e)]
    lexical_share = _weighted(tuple(dict.fromkeys(info.tokens)), idf, default)
    factors: dict[str, float] = {}  # chunk id -> missing_name_factor ** names of ``others`` it lacks
    heading_share = settings.heading_share
    out = []
    for cand in cands:
        chunk = cand.passage.chunk
        read_with_before = (
            PRONOUN_START.match(cand.text) or REFERS_BACK.match(cand.text) or after_question(cand)
        )
        words = cand.local if read_with_before else chunk.caption + " " + cand.text
        heading = word_set(" ".join(chunk.section[-2:])) if heading_share and chunk.section else frozenset()
        if heading_share and (label := f"{cand.label} {cand.header}".strip()):
            heading = heading | word_set(label)
        lexical, above = lexical_share(word_set(words), heading) if info.tokens else (0.0, 0.0)
        factor = factors.get(chunk.id)
        if factor is None:
            context = passage_context(cand)
            missing = sum(1 for e in others if not mentions(e, context, info.lexicon))
            factor = factors[chunk.id] = settings.missing_name_factor**missing
        out.append(TextParts(lexical, above, shape_bonus(info, cand.text, settings), factor))
    return out


def score(
    info: QuestionInfo,
    cands: Sequence[Candidate],
    cosines: np.ndarray,
    idf: dict[str, float],
    settings: AnswerSettings,
    default: float | None = None,
    known: Mapping[int, TextParts] | None = None,
) -> tuple[list[float], list[float]]:
    """Each candidate's score, and the part of it its heading gave.

    The score is weighted cosine (a sentence after a question the text asks takes the question's,
    when higher), word overlap and passage rank, plus the shape bonus, times the
    factor for the names its passage lacks; a question word only the sentence's two innermost
    headings have counts ``settings.heading_share`` of its weight (:func:`text_parts`).
    ``known``: parts read ahead for ``info``, by sentence row; the others are read here.
    """
    known = known or {}
    cosines = _with_questions_asked(info, cands, cosines)
    fresh = [c for c in cands if c.row not in known]
    read = dict(zip((c.row for c in fresh), text_parts(info, fresh, idf, settings, default)))
    top = max((c.passage.score for c in cands), default=1.0) or 1.0
    w_cos, w_lex, w_rank = settings.w_cos, settings.w_lex, settings.w_rank
    heading_share = settings.heading_share
    scores, gains = [], []
    for cand, cos in zip(cands, cosines):
        lexical, above, bonus, factor = known.get(cand.row) or read[cand.row]
        value = w_cos * float(cos) + w_lex * lexical + w_rank * (max(cand.passage.score, 0.0) / top)
        value += bonus
        gain = w_lex * heading_share * above * factor
        scores.append(value * factor + gain)
        gains.append(gain)
    return scores, gains


def _with_questions_asked(info: QuestionInfo, cands: Sequence[Candidate], cosines: np.ndarray) -> np.ndarray:
    """The cosines, a sentence that follows a question the text asks (:func:`~.candidates.after_question`)
    and shares a word of the reader's question taking that question's cosine when it is higher:
    the text's own "Why do we have to tell it how many lines?" matched, what follows answers it
    (not "Many people have asked this.", which says nothing of what was asked)."""
    answering = [k for k, c in enumerate(cands) if after_question(c)]
    if not answering:
        return cosines
    at = {(c.passage.chunk_id, c.start): float(cos) for c, cos in zip(cands, cosines)}
    asked = set(info.tokens)
    out = np.array(cosines, dtype=float)
    for k in answering:
        cand = cands[k]
        if asked & word_set(cand.text):
            out[k] = max(out[k], at.get((cand.passage.chunk_id, cand.context_start), out[k]))
    return out


def read_ahead(
    info: QuestionInfo,
    cands: Sequence[Candidate],
    idf: dict[str, float],
    settings: AnswerSettings,
    default: float | None = None,
) -> ReadAhead:
    """:class:`TextParts` and the checks of ``cands`` (of passages the search is likely to
    return) for ``info``, ahead of the search."""
    seen: dict[str, bool] = {}
    passing = {c.row: passes(info, c, seen) for c in cands}
    parts = dict(zip((c.row for c in cands), text_parts(info, cands, idf, settings, default)))
    return ReadAhead(info, parts, passing)
