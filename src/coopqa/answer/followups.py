"""A question as typed made the question the answer step reads: :func:`plain_question` drops a
polite lead-in and writes a question typed in lower case or in capitals as the documents write
its names; :func:`resolve_followup` makes a short
follow-up in a chat ("and Peru?", "what about its diesel cars?") a standalone question, from the
earlier questions of the history.

Pure functions, no model. Invariant: a question that stands on its own (names of its own and
more than three words, no follow-up opener, no lead-in, not in capitals) comes back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..core.text import bm25_tokens
from .casing import needs_casing, recased
from .lexicon import Lexicon, configured_lexicon
from .question import entities

_FOLLOW = re.compile(r"^(and|what about|how about|what of|also|same for|and what about)\b", re.I)
_PRONOUN = re.compile(r"\b(it|its|they|their|them|there|this|that|these|those|he|she|his|her)\b", re.I)


# "Can you tell me: why ...?", "Please tell me which ...", "I'd like to know how ..."
_LEAD_IN = re.compile(
    r"^\s*(?:(?:hi|hello|hey)\b[,!.]?\s*)?(?:please\b[,]?\s*)?"
    r"(?:(?:can|could|would|will) you(?: please)? (?:tell me|show me|explain(?: to me)?|let me know)"
    r"|(?:please )?(?:tell me|show me|explain to me)|i(?:'d| would) like to know|i want to know"
    r"|(?:please )?(?:explain|describe)(?=\s+(?:why|how|what|when|where|which|who)\b)"  # "Explain why ..."
    r"|i wonder|do you know|does anyone know)\b[\s,:;-]*",
    re.I,
)


def plain_question(
    question: str, names: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None
) -> str:
    """``question`` without a polite lead-in ("Can you tell me: why ...?" -> "why ...?"), typed in
    lower case or in capitals written as the collection writes its words (``names``, see
    :func:`~coopqa.answer.casing.recased`, or a function giving them, called only for such a
    question; None: a question in capitals is lowered only)."""
    text = _LEAD_IN.sub("", question, count=1).strip() or question
    if not needs_casing(text):
        return text
    return recased(text, (names() if callable(names) else names) or {})


def history_questions(history) -> list[str]:
    """Earlier user questions from a history: strings, (question, answer) pairs or chat messages."""
    questions = []
    for turn in history or ():
        if isinstance(turn, str):
            questions.append(turn)
        elif isinstance(turn, dict):
            if turn.get("role") == "user" and isinstance(turn.get("content"), str):
                questions.append(turn["content"])
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            questions.append(turn[0])
    return [q for q in questions if q.strip()]


def resolve_followup(question: str, history, lexicon: Lexicon | None = None) -> str:
    """Rewrite a short follow-up into a standalone question for retrieval.

    ``"and Peru?"`` after ``"When did Norway ban petrol cars?"`` becomes ``"When did Peru ban
    petrol cars?"``; ``"what about its diesel cars?"`` becomes ``"Norway what about its diesel
    cars?"``. A question that stands on its own is returned unchanged. ``lexicon``: the
    collection's words (None: the configured profile's, see ``configured_lexicon``).
    """
    previous = history_questions(history)
    if not previous:
        return question
    lexicon = configured_lexicon() if lexicon is None else lexicon
    last = previous[-1]
    words = bm25_tokens(question)
    new_names = entities(question, lexicon=lexicon)
    old_names = entities(last, lexicon=lexicon)
    follow = bool(_FOLLOW.match(question.strip()))
    short = len(words) <= 3
    if new_names and old_names and (follow or short):
        resolved = last
        for old in old_names:
            resolved = re.sub(rf"\b{re.escape(old)}\b", new_names[0], resolved)
        if resolved == last:
            resolved = f"{last} {' '.join(new_names)}"
        return resolved
    if not new_names and old_names and (follow or short or _PRONOUN.search(question)):
        return f"{' '.join(old_names)} {question}"
    if follow and not new_names:
        return f"{last} {question}"
    return question
