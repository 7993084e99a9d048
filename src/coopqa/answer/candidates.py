"""Candidate sentences and the hard checks on them: the first steps of the extractive answer.

A candidate is a sentence of a retrieved passage, with the row of its embedding stored at
ingest. ``passes`` is the hard check (can this sentence answer at all: the names, numbers and
kind of value asked for); :mod:`.scoring` ranks those that can. Pure functions, no model.
A check reads the sentence, its passage's chunk and the question, never the passage's score:
its result holds for that sentence wherever the search ranks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.records import Passage, unnumbered
from ..core.references import carries, chunk_labels, conflicts, question_labels
from ..core.text import STOPWORDS
from .asked_name import contrasted, gives_name
from .question import AUXILIARIES, QUESTION_WORDS, QuestionInfo, mentions
from .tables import header_rows, row_sentence
from .values import MONTH, NUMBER, YEAR, expands, has_type


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage that might answer."""

    rank: int
    passage: Passage
    start: int
    end: int
    row: int  # row of its embedding in the index's sentence vectors
    kind: str = "quote"
    context_start: int = 0  # start of the sentence before it in the same passage
    label: str = field(default="", compare=False)  # the label line above it (see :func:`labels`)
    header: str = field(default="", compare=False)  # the header over it, a row (:func:`header_rows`)
    text: str = field(init=False, repr=False, compare=False)  # the sentence, cut once

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.passage.text[self.start : self.end])

    @property
    def near(self) -> str:
        """The sentence with the one before it in the same passage."""
        return self.passage.text[self.context_start : self.end]

    @property
    def local(self) -> str:
        """The sentence with the one before it (who "it" is) and the caption, section and label it
        is under."""
        return "\n".join(
            [
                self.passage.caption,
                *self.passage.section[-1:],
                self.label,
                self.header,
                self.passage.text[self.context_start : self.end],
            ]
        )


@lru_cache(maxsize=4096)
def heading_numbers(section: tuple[str, ...]) -> frozenset[str]:
    """The whole numbers the headings of ``section`` give, each heading's own numbering left out
    ("A10:2017 Thin Logs" gives "2017"; "Report 2023" and "3 Authentication" give no "3"); kept,
    as one passage's sentences are checked in turn."""
    return frozenset(n for heading in section for n in NUMBER.findall(unnumbered(heading)))


def _gives_numbers(numbers: tuple[str, ...], candidate: Candidate) -> bool:
    """One of ``numbers`` stands in the candidate's :attr:`~Candidate.local` text, or as a whole
    number in a heading above it (:func:`heading_numbers`: "A10:2017" over "How to Prevent"
    frames every line of that page)."""
    if any(n in candidate.local for n in numbers):
        return True
    outer = heading_numbers(candidate.passage.section[:-1])
    return any(n in outer for n in numbers)


def passes(info: QuestionInfo, candidate: Candidate, seen: dict[str, bool] | None = None) -> bool:
    """The hard checks: can this sentence answer this question at all?

    Key names the question names (the lexicon's, countries say) must stand in the sentence or
    the one before it (other names only lower the score, see :func:`.scoring.score`, unless a value is
    asked: then every name must stand in the passage, its caption or headings); a number it
    gives (not one that ends a name, "Top 10") must stand in the sentence, the one before, its
    caption or one of its headings; a value of the kind asked for must be in the sentence (in a
    clause about the thing asked of, :func:`_value_of_named`); a table row must hold the
    generic names its table does not frame; a figure caption never answers "how much". ``seen``
    keeps the passage-level check per chunk id across calls for one question. The checks run
    cheapest first; every one must hold.
    """
    sentence = candidate.text
    kind = candidate.passage.kind
    if kind == "text" and (bare_label(sentence) or contents_entry(sentence) or asks(sentence)):
        return False  # a heading, label or contents line ("Runtime image") or a question states nothing
    if info.shape == "reason" and kind == "text" and title_line(sentence):
        return False  # "why ...?" is not answered by a title ("6. New! #3 Supply Chain Failures")
    if info.required_numbers and not _gives_numbers(info.required_numbers, candidate):
        return False  # a number the question gives stands here, just before, or in a heading
    if info.answer_type and kind in ("figure", "source") and not info.about_figure:
        return False  # a chart's values are not in the text: a caption holds none
    if info.answer_type in ("number", "year") and not _new_value(sentence, info.numbers, info.answer_type):
        return False  # "when will the 2025 list be published?": not a sentence whose only date is 2025
    if not has_type(info.answer_type, sentence, info.count_nouns) and not _counted_by_header(info, candidate):
        return False
    if (
        info.answer_type
        and info.entities
        and candidate.kind != "table_row"
        and not _value_of_named(info, sentence)
    ):
        return False  # "X aims at 22.6% of GDP; Y expects USD 49 billion": no share for Y
    if info.expansions and not spells_out(info, sentence):
        return False  # "What does OWASP stand for?" wants the words that spell it
    if info.asks_name and not gives_name(sentence, info.text, candidate.kind == "table_row"):
        return False  # "who wrote X?" is not answered by a sentence naming only X
    if info.entities and contrasted(sentence, info.text, info.entities):
        return False  # "the Shanghai hard fork" does not answer for "the Paris hard fork"
    if candidate.kind == "table_row" and not _row_answers(info, candidate):
        return False
    return _names_hold(info, candidate, {} if seen is None else seen)


def _counted_by_header(info: QuestionInfo, candidate: Candidate) -> bool:
    """A row under a header that names what is counted ("number of scan lines per block" over
    "PXR24_COMPRESSION 16") holds the count asked for when it holds a figure."""
    figures = NUMBER.findall(candidate.text) if info.answer_type == "count" and candidate.header else []
    return bool(figures) and has_type("count", f"{figures[0]} {candidate.header}", info.count_nouns)


# a question the text asks opens with a question word or an auxiliary, "n't" allowed ("Q:" or "Q1."
# may go first)
_ASKING = re.compile(
    rf"(?:q\d*\s*[:.)]\s*)?(?:{QUESTION_WORDS}|{AUXILIARIES}|am|shall|may|might|had)(?:n[’']t)?\b", re.I
)


@lru_cache(maxsize=16384)
def asks(sentence: str) -> bool:
    """The sentence is a question the text asks ("Shouldn't the object be able to derive it?"):
    what follows it answers, not the question itself. A sentence that merely ends in "?" (a
    title, "... the book Who Moved the Lake?") states something."""
    return sentence.rstrip().endswith("?") and _ASKING.match(sentence.lstrip()) is not None


def after_question(candidate: Candidate) -> bool:
    """The sentence before the candidate in its passage is a question (:func:`asks`): the
    candidate answers it, so it is read with it, as a sentence opening with "It" is."""
    before = candidate.passage.text[candidate.context_start : candidate.start]
    return candidate.context_start < candidate.start and asks(before)


def passing(
    info: QuestionInfo, ranked: Sequence[tuple[float, Candidate]], checked: Mapping[int, bool]
) -> list[tuple[float, Candidate]]:
    """The ``ranked`` candidates that pass the checks (:func:`passes`; those in ``checked``, by
    sentence row, were checked ahead)."""
    seen: dict[str, bool] = {}
    out = []
    for value, cand in ranked:
        ok = checked.get(cand.row)
        if ok if ok is not None else passes(info, cand, seen):
            out.append((value, cand))
    return out


def spells_out(info: QuestionInfo, sentence: str) -> bool:
    """Whether ``sentence`` spells out an acronym whose words the question asks."""
    return any(expands(acronym, sentence) for acronym in info.expansions)


def _row_answers(info: QuestionInfo, candidate: Candidate) -> bool:
    """A table row answers when :func:`row_sentence` can write it and, for a question naming
    nothing but generic names, the row holds each one its table does not frame (caption and
    headers): "... the table give for Norway?", Norway being generic, is not Chile's row."""
    passage = candidate.passage
    if row_sentence(info, candidate.text, passage.columns) is None:
        return False
    if info.entities or not info.generic_names:
        return True
    frame = " ".join([passage.caption, *passage.columns])
    unframed = [e for e in info.generic_names if not mentions(e, frame, info.lexicon)]
    return all(mentions(e, candidate.text, info.lexicon) for e in unframed)


def _names_hold(info: QuestionInfo, candidate: Candidate, seen: dict[str, bool]) -> bool:
    """The name checks of :func:`passes`."""
    lexicon = info.lexicon
    keys = [e for e in info.entities if lexicon.is_key_name(e)]
    if keys:
        # the sentence before counts only when this one names no key name of its own ("It aims ...")
        own = lexicon.names_any(candidate.text)
        where = candidate.text + "\n" + candidate.passage.caption if own else candidate.local
        named = [mentions(e, where, lexicon) for e in keys]
        if not (any(named) if info.alternatives else all(named)):
            return False
    if not (info.answer_type and info.entities):
        return True
    # a value asked about a named thing comes from a passage that names it
    key = candidate.passage.chunk_id
    if key not in seen:
        present = [mentions(e, passage_context(candidate), lexicon) for e in info.entities]
        seen[key] = any(present) if info.alternatives else all(present)
    return seen[key]


_CLAUSES = re.compile(r";\s+")
# capitalised words that name no thing a value could belong to, besides a month (values.MONTH): a
# code of two to four capitals beside a figure (a currency or a unit: "USD 2 billion", "16 GB")
_UNIT_CODE = re.compile(r"\b[A-Z]{2,4}\b(?=\s?\d)|(?<=\d)\s?[A-Z]{2,4}\b")


def _value_of_named(info: QuestionInfo, sentence: str) -> bool:
    """Whether a value of the kind asked for stands in a clause of ``sentence`` (its parts between
    semicolons) that names a thing the question names, or names no other thing: a sentence of
    clauses about different things gives each one's value in its own clause. Another thing is
    another key name of the lexicon when the question names only key names (a country beside a
    country), else a name :func:`~.asked_name.gives_name` finds, months and currency or unit codes
    aside. (A table row's cells, "Country: X; Target: 45%", all speak of its row: not read so.)"""
    clauses = _CLAUSES.split(sentence)
    if len(clauses) < 2:
        return True
    lexicon = info.lexicon
    only_keys = all(lexicon.is_key_name(e) for e in info.entities)
    for clause in clauses:
        if not has_type(info.answer_type, clause, info.count_nouns):
            continue
        if any(mentions(e, clause, lexicon) for e in info.entities):
            return True
        if only_keys and not lexicon.names_any(clause):
            return True
        if not only_keys and not gives_name(_UNIT_CODE.sub(" ", MONTH.sub(" ", clause)), info.text):
            return True
    return False


def passage_context(candidate: Candidate) -> str:
    """What a candidate's passage says, with its caption and headings."""
    passage = candidate.passage
    return "\n".join([passage.caption, passage.text, *passage.section])


TITLE_WORDS = 8


@lru_cache(maxsize=16384)
def bare_label(text: str) -> bool:
    """A short line with no closing punctuation and no figure: a heading or label, not a statement."""
    return len(text.split()) <= 4 and not re.search(r"[.!?;:]\W*$|\d", text.strip())


_LEADER = re.compile(r"(?:\.\s?){4,}$")


@lru_cache(maxsize=16384)
def contents_entry(text: str) -> bool:
    """A title ending in a dot leader with no page after it ("A10:2017 - Logging ........."): a
    line of a table of contents, which names a section and says nothing of it."""
    return _LEADER.search(text.strip()) is not None


@lru_cache(maxsize=16384)
def title_line(text: str) -> bool:
    """A line of at most eight words with no closing punctuation, figures allowed: a title or a
    list entry ("A8:2017 - Insecure Deserialization"), which names a topic but gives no reason."""
    return len(text.split()) <= TITLE_WORDS and not re.search(r"[.!?;:]\W*$", text.strip())


_PARAGRAPH = re.compile(r"(?:^|(?<=\n\n))[^\n]+(?=\n\n|$)")
_LABEL = re.compile(r"[A-Z][\w '’()&/,.-]*(?:[^\W\d_]|\([\w .]+\))")


@lru_cache(maxsize=4096)
def labels(text: str) -> tuple[tuple[int, str], ...]:
    """The label lines of a passage's text with where each starts: a paragraph that is a
    :func:`title_line` of words (a capital first, no bullet, no symbol, no figure at its end but
    in brackets, "DataCite (4.0)", no stop word last) followed by a paragraph that is not one: a
    heading the document's outline or type sizes did not make a section ("Zenodo" over its list
    of mandatory elements). It heads itself and the sentences below it, up to the next label. A
    run of such lines is a list, not labels."""
    found = [(m.start(), m.group().strip()) for m in _PARAGRAPH.finditer(text)]
    marks = [_is_label(line) for _, line in found]
    alone = [mark and (i == 0 or not marks[i - 1]) for i, mark in enumerate(marks)]
    return tuple(found[i] for i in range(len(found) - 1) if alone[i] and not marks[i + 1])


def _is_label(line: str) -> bool:
    return (
        title_line(line)
        and bool(_LABEL.fullmatch(line))
        and line.rsplit(None, 1)[-1].lower() not in STOPWORDS
    )


_FIGURE = re.compile(r"(?:(?<=\bv)|(?<![\w.,]))\d+(?:[.,]\d+)*")


def _new_value(sentence: str, known: Sequence[str], kind: str) -> bool:
    """Whether ``sentence`` holds a figure (a year, for ``kind`` "year") the question does not
    give; digits glued to letters ("A01", "H2") are names, not figures, but a version's are ("v1.35")."""
    pattern = YEAR if kind == "year" else _FIGURE
    return any(n not in known for n in pattern.findall(sentence))


def pointed_at(text: str, cands: Sequence[Candidate]) -> tuple[list[Candidate], bool]:
    """The candidates a question that names a figure, table or part ("Figure 6", "Appendix G")
    may answer from, and whether any of them carries the label named. Those that carry it, when
    any does; otherwise all but those captioned as another figure or table of the kind named."""
    wanted = question_labels(text)
    if not wanted:
        return list(cands), False
    labels = {c.passage.chunk_id: chunk_labels(c.passage.caption, c.passage.section) for c in cands}
    named = [c for c in cands if carries(wanted, labels[c.passage.chunk_id])]
    if named:
        return named, True
    return [c for c in cands if not conflicts(wanted, labels[c.passage.chunk_id])], False


def candidates(passages: Sequence[Passage], first_rows: dict[str, tuple[int, tuple]]) -> list[Candidate]:
    """Every sentence of the passages, with the row of its stored embedding."""
    out = []
    for rank, passage in enumerate(passages):
        first, spans = first_rows[passage.chunk_id]
        kind = "table_row" if passage.kind == "table_row" else "quote"
        above = list(labels(passage.text)) if passage.kind == "text" else []
        tables = header_rows(passage.text) if passage.kind == "text" else ()
        label = ""
        for j, (start, end) in enumerate(spans):
            while above and above[0][0] < end:  # a label heads itself and what follows
                label = above.pop(0)[1]
            before = spans[j - 1][0] if j > 0 else start
            header = next((h for a, b, h in tables if a <= start and end <= b), "")
            out.append(Candidate(rank, passage, start, end, first + j, kind, before, label, header))
    return out
