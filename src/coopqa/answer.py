"""Passages -> an ``Answer`` whose every sentence is a verified quote with its citation.

No generative model: the answer is chosen from the sentences of the top passages, scored by
the question's embedding against sentence embeddings stored at ingest, IDF-weighted word
overlap and the passage's rank. A sentence can only answer if it carries what the question
asks for (its numbers, the names it mentions, a year for "when", a percentage for "what
share", an amount for "how much ... invest", a counted noun for "how many"); when no sentence
can, the answer declines and names the closest sections.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from .qparse import DEMONYMS, QuestionInfo, has_type, is_country, mentions
from .records import Passage, page_label, section_label
from .search import bm25_tokens

W_COS, W_LEX, W_RANK = 0.5, 0.3, 0.2
COUNTRY_NAMES = tuple(DEMONYMS)
_PRONOUN_START = re.compile(r"^(It|Its|They|Their|This|These|He|She|His|Her|The country|The government)\b")
MAX_SENTENCES = 3
EXTRA_RATIO = 0.88  # a further sentence that adds asked-for words must score this close to the best
FIGURE_RATIO = 0.7  # a second figure for the same thing, from another passage, this close


@dataclass(frozen=True)
class Quote:
    """One answer sentence: the citation it rests on and where it stands in that passage.

    Attributes:
        sentence: index of the answer sentence.
        citation: its marker ``[n]``; ``citations[n - 1]`` is the passage.
        start, end: character span of the quoted text in the passage's ``text``.
        text: the sentence as the answer shows it (a table row as ``Country: header cell``).
        supported: False for a generated sentence that no passage backs.
        kind: ``quote`` (verbatim), ``table_row`` (built from one row's cells) or ``generated``.
    """

    sentence: int
    citation: int
    start: int
    end: int
    text: str
    supported: bool = True
    kind: str = "quote"
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What ``Assistant.ask`` returns."""

    question: str
    text: str
    citations: tuple[Passage, ...]
    quotes: tuple[Quote, ...]
    answered: bool
    note: str = ""
    query: str = ""
    closest: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        data = asdict(self)
        data["citations"] = [p.to_json() for p in self.citations]
        return data

    def cite(self, n: int) -> str:
        """Citation ``[n]`` as printed: its section, and the pages of the sentences quoted from it."""
        passage = self.citations[n - 1]
        pages: list[str] = []
        for quote in self.quotes:
            if quote.citation == n:
                pages.extend(p for p in quote.pages if p not in pages)
        order = {label: i for i, label in enumerate(passage.pages)}
        narrowed = tuple(sorted(pages, key=lambda p: order.get(p, 0))) or passage.pages
        return replace(passage, pages=narrowed).cite()

    def sources(self) -> str:
        """The citation list as printed under an answer: ``[1] section — p. 7``."""
        return "\n".join(f"[{n}] {self.cite(n)}" for n in range(1, len(self.citations) + 1))


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

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def near(self) -> str:
        """The sentence with the one before it in the same passage."""
        return self.passage.text[self.context_start : self.end]

    @property
    def local(self) -> str:
        """The sentence with the one before it (who "it" is) and the caption or section it is under."""
        return "\n".join(
            [
                self.passage.caption,
                *self.passage.section[-1:],
                self.passage.text[self.context_start : self.end],
            ]
        )


def idf_table(token_lists: Sequence[Sequence[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each token over the given texts."""
    n = len(token_lists)
    df: dict[str, int] = {}
    for tokens in token_lists:
        for token in set(tokens):
            df[token] = df.get(token, 0) + 1
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def overlap(question: Sequence[str], sentence: Sequence[str], idf: dict[str, float]) -> float:
    """IDF-weighted share of the question's words that the sentence contains."""
    if not question:
        return 0.0
    have = set(sentence)
    default = max(idf.values(), default=1.0)
    total = sum(idf.get(t, default) for t in set(question))
    return sum(idf.get(t, default) for t in set(question) if t in have) / total if total else 0.0


def row_cells(text: str) -> list[tuple[str, str]]:
    """``"Country: Vietnam; Carbon Peaking: 9% ..."`` -> ``[("Country", "Vietnam"), ...]``."""
    cells = []
    for part in text.split("; "):
        header, _, value = part.partition(": ")
        cells.append((header, value))
    return cells


def row_sentence(info: QuestionInfo, text: str, columns: Sequence[str] = ()) -> str | None:
    """A table row as a sentence of its own cells, keeping the columns the question asks about.

    Returns None when the row cannot answer: it names another entity than the question, or
    the column asked about is empty in this row.
    """
    cells = row_cells(text)
    if not cells:
        return None
    key_header, key = cells[0]
    if info.entities and not any(mentions(e, key) or mentions(key, e) for e in info.entities):
        return None
    headers = list(columns) or [h for h, _ in cells]
    asked = [h for h in _asked_columns(info, headers) if h != key_header]
    present = {h: v for h, v in cells[1:]}
    if asked:
        kept = [(h, present[h]) for h in asked if h in present]
        if len(kept) < len(asked):
            return None  # the report leaves that cell empty: it does not say
    else:
        kept = cells[1:]
    return f"{key}: " + "; ".join(f"{h} {v}" for h, v in kept) + "."


def _asked_columns(info: QuestionInfo, headers: Sequence[str]) -> list[str]:
    asked = []
    for header in headers:
        words = [w for w in bm25_tokens(header) if len(w) > 3]
        distinctive = [w for w in words if w not in ("carbon",)] or words
        if any(q[:5] == w[:5] for w in distinctive for q in info.tokens if len(q) > 3):
            asked.append(header)
    return asked


def passes(info: QuestionInfo, candidate: Candidate) -> bool:
    """The hard checks: can this sentence answer this question at all?

    Countries the question names must stand in the sentence or the one before it (other names
    only lower the score, see :func:`score`); its numbers must stand in the sentence; a value
    of the kind asked for must be there; a figure caption never answers "how much".
    """
    sentence = candidate.text
    countries = [e for e in info.entities if is_country(e)]
    # the sentence before counts only when this one names no country of its own ("It aims ...")
    own = any(mentions(c, sentence) for c in COUNTRY_NAMES)
    where = sentence + "\n" + candidate.passage.caption if own else candidate.local
    named = [mentions(e, where) for e in countries]
    if named and not (any(named) if info.alternatives else all(named)):
        return False
    if info.numbers and not any(n in sentence for n in info.numbers):
        return False
    if info.answer_type and candidate.passage.kind in ("figure", "source") and not info.about_figure:
        return False  # the report's charts are not reproduced: a caption holds no values
    if info.answer_type == "number" and not _new_number(sentence, info.numbers):
        return False
    if candidate.kind == "table_row":
        return row_sentence(info, sentence, candidate.passage.columns) is not None and has_type(
            info.answer_type, sentence, info.count_nouns
        )
    return has_type(info.answer_type, sentence, info.count_nouns)


def _new_number(sentence: str, known: Sequence[str]) -> bool:
    return any(n not in known for n in re.findall(r"\d+(?:[.,]\d+)*", sentence))


def candidates(passages: Sequence[Passage], first_rows: dict[str, tuple[int, tuple]]) -> list[Candidate]:
    """Every sentence of the passages, with the row of its stored embedding."""
    out = []
    for rank, passage in enumerate(passages):
        first, spans = first_rows[passage.chunk_id]
        kind = "table_row" if passage.kind == "table_row" else "quote"
        for j, (start, end) in enumerate(spans):
            before = spans[j - 1][0] if j > 0 else start
            out.append(Candidate(rank, passage, start, end, first + j, kind, before))
    return out


def score(
    info: QuestionInfo, cands: Sequence[Candidate], cosines: np.ndarray, idf: dict[str, float]
) -> list[float]:
    top = max((c.passage.score for c in cands), default=1.0) or 1.0
    scores = []
    others = [e for e in info.entities if not is_country(e)]
    for cand, cos in zip(cands, cosines):
        # a sentence that opens with a pronoun is read with the one before it ("It aims ...")
        words = cand.local if _PRONOUN_START.match(cand.text) else cand.passage.caption + " " + cand.text
        lexical = overlap(info.tokens, bm25_tokens(words), idf)
        rank = max(cand.passage.score, 0.0) / top
        value = W_COS * float(cos) + W_LEX * lexical + W_RANK * rank
        context = "\n".join([cand.passage.caption, cand.passage.text, *cand.passage.section])
        missing = sum(1 for e in others if not mentions(e, context))
        scores.append(value * (0.8**missing))
    return scores


def select(
    info: QuestionInfo, ranked: Sequence[tuple[float, Candidate]], threshold: float
) -> list[Candidate]:
    """Choose one to three sentences: the best, then what covers a missing name, number or figure."""
    viable = [(s, c) for s, c in ranked if passes(info, c)]
    if not viable or viable[0][0] < threshold:
        return []
    best_score, best = viable[0]
    chosen = [best]

    def covered_text() -> str:
        return " ".join(c.text for c in chosen)

    for entity in info.entities:  # a question with two parts gets a sentence for each
        if not mentions(entity, covered_text()):
            extra = next(
                (
                    c
                    for s, c in viable
                    if s >= 0.6 * best_score and mentions(entity, c.text) and c not in chosen
                ),
                None,
            )
            if extra:
                chosen.append(extra)
    for number in info.numbers:
        if number not in covered_text():
            extra = next((c for s, c in viable if number in c.text and c not in chosen), None)
            if extra:
                chosen.append(extra)
    seen_tokens = set(bm25_tokens(covered_text()))
    for s, cand in viable[1:]:
        if len(chosen) >= MAX_SENTENCES or s < FIGURE_RATIO * best_score:
            break
        if cand in chosen or any(_same_sentence(cand, c) for c in chosen):
            continue
        new = set(bm25_tokens(cand.text)) & set(info.tokens) - seen_tokens
        # where the report gives another figure for the same thing elsewhere, show both
        other_figure = (
            info.answer_type
            and cand.passage.chunk_id != best.passage.chunk_id
            and _values(cand.text) - _values(covered_text())
            and _same_subject(info, best, cand)
        )
        if (new and s >= EXTRA_RATIO * best_score) or other_figure:
            chosen.append(cand)
            seen_tokens |= set(bm25_tokens(cand.text))
    return reading_order(with_referents(chosen[:MAX_SENTENCES], [c for _, c in ranked]))


def with_referents(chosen: list[Candidate], pool: Sequence[Candidate]) -> list[Candidate]:
    """Add the sentence before each chosen one that opens with a pronoun ("This involves ..."),
    so the answer says what "this" is."""
    out = list(chosen)
    for cand in chosen:
        if not _PRONOUN_START.match(cand.text) or cand.context_start == cand.start:
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


def _same_subject(info: QuestionInfo, best: Candidate, other: Candidate) -> bool:
    """Whether ``other`` speaks of what ``best`` matched in the question (most of those words)."""
    asked = set(info.key_tokens)
    wanted = asked & set(bm25_tokens(best.near))
    have = asked & set(bm25_tokens(other.near))
    return bool(wanted) and len(wanted & have) >= 0.6 * len(wanted)


def _values(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*%?", text))


def _same_sentence(a: Candidate, b: Candidate) -> bool:
    return a.text == b.text


def build(question: str, query: str, info: QuestionInfo, chosen: Sequence[Candidate]) -> Answer:
    """Number the citations and write the answer text, one marker per sentence."""
    citations: list[Passage] = []
    quotes, parts = [], []
    for i, cand in enumerate(chosen):
        if cand.passage not in citations:
            citations.append(cand.passage)
        marker = citations.index(cand.passage) + 1
        if cand.kind == "table_row":
            sentence = row_sentence(info, cand.text, cand.passage.columns) or cand.text
            kind = "table_row"
        else:
            sentence, kind = cand.text, "quote"
        pages = cand.passage.pages_of(cand.start, cand.end)
        quotes.append(Quote(i, marker, cand.start, cand.end, sentence, kind=kind, pages=pages))
        parts.append(f"{' '.join(sentence.split())} [{marker}]")
    return Answer(
        question=question,
        text=" ".join(parts),
        citations=tuple(citations),
        quotes=tuple(quotes),
        answered=True,
        query=query,
    )


def decline(question: str, query: str, passages: Sequence[Passage], many_docs: bool = False) -> Answer:
    """The report does not contain the answer: say so and point at the closest sections."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for passage in passages:
        where = section_label(passage.section, width=50) or passage.doc
        pages = grouped.setdefault(where, [])
        for physical, label in zip(passage.physical_pages or (0,) * len(passage.pages), passage.pages):
            if (physical, label) not in pages:
                pages.append((physical, label))
    closest = [
        f"{where} ({page_label(tuple(label for _, label in sorted(pages)))})"
        for where, pages in list(grouped.items())[:3]
    ]
    subject = "The indexed documents do not say" if many_docs else "The report does not say"
    text = f"{subject}." + (f" Closest sections: {'; '.join(closest)}." if closest else "")
    return Answer(
        question=question,
        text=text,
        citations=(),
        quotes=(),
        answered=False,
        query=query,
        closest=tuple(closest),
    )
