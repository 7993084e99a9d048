"""Passages -> an ``Answer`` whose every sentence is a verified quote with its citation.

No generative model: the answer is chosen from the sentences of the top passages, scored by
the question's embedding against sentence embeddings stored at ingest, IDF-weighted word
overlap and the passage's rank. A sentence can only answer if it carries what the question
asks for (its numbers, the names it mentions, a year for "when", a percentage for "what
share", an amount for "how much ... invest", a counted noun for "how many"); when no sentence
can, the answer declines and names the closest sections.

``Extractor`` owns the tables these steps need (each chunk's sentence rows, the IDF of words
over all sentences, the words of the documents' running headers, the profile's ``Lexicon``)
and runs the steps in order:
``candidates`` -> ``score`` -> ``select`` -> ``build`` (or ``decline``).

:meth:`Extractor.prepare` may read ahead, while the question is embedded: the question itself,
and the word-based part of the scores and the checks of the sentences of the chunks its words
rank first (:mod:`.scoring`). What was read ahead is reused only for the very reading of the
question it was read for, so an answer is the same text with or without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from ..core.profile import Profile
from ..core.records import Chunk, DocInfo, Passage
from ..core.settings import AnswerSettings
from ..core.text import bm25_tokens
from .candidates import Candidate, candidates, passes, pointed_at
from .casing import written_names
from .declines import decline, did_you_mean, unmentioned, unused_noun, vocabulary
from .lexicon import configured_lexicon, lexicon_of
from .neighbours import reading_order, successors
from .question import QuestionInfo, analyze, bare_parts, split_parts
from .records import Answer, Quote
from .scoring import ReadAhead, idf_table, read_ahead, score
from .selection import select
from .tables import row_sentence

Embed = Callable[[str], np.ndarray]  # a text -> its unit vector (the retriever's, kept per question)
Ranking = tuple[list[tuple[float, Candidate]], bool, dict[int, float]]  # see Extractor._ranked


class Extractor:
    """The extractive answerer over one loaded index; ``profile`` gives the collection's words
    (None: the configured profile, ``COOPQA_PROFILE``)."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        sentence_vectors: np.ndarray,
        documents: Sequence[DocInfo],
        settings: AnswerSettings,
        profile: Profile | None = None,
    ) -> None:
        self.settings = settings
        self.sentence_vectors = np.asarray(sentence_vectors)  # a plain view of the memory map: faster rows
        self.many_docs = len(documents) > 1
        self.only_doc = documents[0].name if len(documents) == 1 else ""
        self.lexicon = configured_lexicon() if profile is None else lexicon_of(profile)
        self.rows: dict[str, tuple[int, tuple]] = {}
        row, token_lists = 0, []
        for chunk in chunks:
            self.rows[chunk.id] = (row, chunk.sentences)
            row += len(chunk.sentences)
            token_lists.extend(bm25_tokens(chunk.text[a:b]) for a, b in chunk.sentences)
        self.idf = idf_table(token_lists)
        self.words = vocabulary(chunks, self.idf)  # what the collection mentions at all
        self.idf_default = max(self.idf.values(), default=1.0)  # once, not once per question
        self.generic = frozenset(
            word.lower()
            for doc in documents
            for head in doc.running
            for word in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", head)
            for word in (word, *word.split("-"))
        )
        self._analyzed: dict[str, QuestionInfo] = {}
        self._ahead: ReadAhead | None = None  # of the latest question prepared, swapped whole
        self._chunks = chunks
        self._next = successors(chunks)
        self._names: dict[str, str] | None = None

    @property
    def names(self) -> dict[str, str]:
        """The words the collection writes as names, lower case -> as written
        (:func:`~.casing.written_names`, and the profile's key names): read from every chunk the
        first time a question typed in lower case or in capitals needs them, then kept (built
        whole before it is shared)."""
        if self._names is None:
            keys = {form: form.capitalize() for form in self.lexicon.owner}  # the profile's key names
            self._names = {**keys, **written_names(c.text for c in self._chunks)}
        return self._names

    def analyze(self, query: str) -> QuestionInfo:
        """:func:`question.analyze` with this collection's words; kept for the latest questions
        (one ask reads its question more than once: the table check, then the answer)."""
        info = self._analyzed.get(query)
        if info is None:
            if len(self._analyzed) >= 256:
                self._analyzed.clear()
            info = self._analyzed[query] = analyze(query, self.generic, self.lexicon)
        return info

    def prepare(self, query: str, likely: Sequence[Chunk] = ()) -> None:
        """Read ``query`` and its parts ahead of the passages (kept for :meth:`answer`): the work
        that needs neither them nor the question's vector, done while it is embedded. With
        ``likely`` (chunks the search will probably return, those its words rank first), their
        sentences are scored by their words and checked too (:func:`~.scoring.read_ahead`): the
        answer then adds only the cosines and the ranks for them."""
        info = self.analyze(query)
        parts = split_parts(query) if self.settings.split_parts else []
        for part in parts if len(parts) > 1 else []:
            self.analyze(part)
        ahead = None
        if likely:
            cands = candidates([Passage(chunk, 0.0) for chunk in likely], self.rows)
            ahead = read_ahead(info, cands, self.idf, self.settings, self.idf_default)
        self._ahead = ahead

    def _read_for(self, info: QuestionInfo) -> ReadAhead | None:
        """What :meth:`prepare` read ahead, when it read it for ``info`` (this very reading)."""
        ahead = self._ahead
        return ahead if ahead is not None and ahead.info is info else None

    def _checked(self, info: QuestionInfo) -> Mapping[int, bool] | None:
        """The checks :meth:`prepare` read ahead for ``info``, by sentence row (None: none)."""
        ahead = self._read_for(info)
        return ahead.passing if ahead else None

    def answer(
        self,
        question: str,
        query: str,
        passages: Sequence[Passage],
        embed: Embed,
        prefetch: Callable[[list[str]], object] | None = None,
    ) -> Answer:
        """The answer to ``query`` (the resolved ``question``) from ``passages``, or a decline.

        A question of two parts ("How must X be tagged, and what should Y be called?") gets a
        sentence for each part; a part no sentence answers is named in the answer's note, and so
        is a noun asked for that no indexed text uses (:func:`~.declines.unused_noun`).
        """
        answer = self._answer(question, query, passages, embed, prefetch)
        noun = unused_noun(query, self.words) if answer.answered else ""
        if not noun:
            return answer
        note = f'No indexed document uses the word "{noun}": the closest statement is quoted.'
        return replace(answer, note=" ".join(filter(None, [answer.note, note])))

    def _answer(
        self, question: str, query: str, passages: Sequence[Passage], embed: Embed, prefetch
    ) -> Answer:
        """:meth:`answer` without the note on an unused noun."""
        if not passages:
            return self.decline(question, query, passages)
        cands = candidates(passages, self.rows)
        context = self._going_on(passages)
        info = self.analyze(query)
        absent = unmentioned(info, self.words)
        if absent:  # it asks about something no document mentions: no sentence can answer
            note = f"No indexed document mentions {', '.join(absent)}." + did_you_mean(absent, self.names)
            return replace(self.decline(question, query, passages), note=note)
        parts = split_parts(query) if self.settings.split_parts else []
        if len(parts) < 2:
            chosen = self._choose(query, info, cands, embed, context)
            return build(question, query, info, chosen) if chosen else self.decline(question, query, passages)
        bare = bare_parts(query)  # each part apart from the setting they share, if they do
        if prefetch:
            prefetch(parts + bare)  # the parts embedded in one call, not one call each
        chosen, unanswered = [], []
        for i, part in enumerate(parts):
            part_info = self.analyze(part)
            ranked = self._ranked(part, part_info, cands, _blend(embed, bare[i]) if bare else embed)
            found = self._select(part_info, ranked, context, max_sentences=2)
            chosen += [c for c in found if c not in chosen]
            if not found:
                unanswered.append((part, part_info, ranked))
        if not chosen:
            return self.decline(question, query, passages)
        missing = [part for part, read, ranked in unanswered if not self._beside(read, ranked, chosen)]
        answer = build(question, query, info, reading_order(chosen))
        note = "The documents do not answer: " + "; ".join(missing) if missing else ""
        return replace(answer, note=note)

    def _choose(
        self,
        text: str,
        info: QuestionInfo,
        cands: Sequence[Candidate],
        embed: Embed,
        context: Sequence[Candidate] = (),
        max_sentences: int = 0,
    ) -> list[Candidate]:
        """The sentences that answer ``text`` (read as ``info``): scored, checked and selected
        (empty: none can); ``context`` only completes them (:meth:`_going_on`)."""
        return self._select(info, self._ranked(text, info, cands, embed), context, max_sentences)

    def _select(
        self, info: QuestionInfo, ranking: Ranking, context: Sequence[Candidate] = (), max_sentences: int = 0
    ) -> list[Candidate]:
        """:func:`select` over a :meth:`_ranked` ranking, with this extractor's settings."""
        ranked, pointed, gains = ranking
        settings = self.settings  # a part of a question (max_sentences) takes no explanation
        if max_sentences:
            settings = replace(settings, max_sentences=max_sentences, explain_reach=0)
        if pointed and not info.answer_type:  # the reader named the place: its best sentence answers
            settings = replace(settings, threshold=0.0)
        if info.expansions:  # "What does OWASP stand for?": the best sentence that spells it out
            anything = replace(settings, threshold=0.0)  # whatever its score
            found = select(info, ranked, anything, gains, self._checked(info), context)
            if found:
                return found
            info = replace(info, expansions=())  # none that passes does: answered as any question
        return select(info, ranked, settings, gains, self._checked(info), context)

    def _going_on(self, passages: Sequence[Passage]) -> list[Candidate]:
        """The sentences of the chunks that go on from ``passages`` (:func:`successors`) and are
        not among them: context for a list or a lead-in that runs over a chunk's end."""
        have = {p.chunk_id for p in passages}
        more = dict.fromkeys(self._next[p.chunk_id] for p in passages if p.chunk_id in self._next)
        return candidates([Passage(c, 0.0) for c in more if c.id not in have], self.rows)

    def _beside(self, info: QuestionInfo, ranking: Ranking, chosen: list[Candidate]) -> bool:
        """Whether a part no sentence answers on its own (read as ``info``, its :meth:`_ranked`
        ``ranking``) is answered where the other parts' sentences stand: its best sentence that
        passes the checks, under the threshold by at most ``settings.beside_margin``, is one of
        them (one sentence answers both) or the sentence just before or after one (added to
        ``chosen``). Two things asked together are often said together."""
        ranked, _, gains = ranking
        value, best = next(((s, c) for s, c in ranked if passes(info, c)), (0.0, None))
        floor = self.settings.threshold - self.settings.beside_margin
        if best is None or value - gains.get(id(best), 0.0) < floor:
            return False
        if best in chosen:
            return True
        at = {(c.passage.chunk_id, c.row) for c in chosen}
        if (best.passage.chunk_id, best.row - 1) in at or (best.passage.chunk_id, best.row + 1) in at:
            chosen.append(best)
            return True
        return False

    def _ranked(self, text: str, info: QuestionInfo, cands: Sequence[Candidate], embed: Embed) -> Ranking:
        """The candidates ``text`` may draw on, scored best first; whether the question pointed at
        them (a figure, table or part it names), and what each one's heading gave."""
        cands, pointed = pointed_at(text, cands)
        cosines = self.sentence_vectors[[c.row for c in cands]] @ embed(text) if cands else np.zeros(0)
        ahead = self._read_for(info)
        known = ahead.parts if ahead else None
        scores, gains = score(info, cands, cosines, self.idf, self.settings, self.idf_default, known)
        ranked = sorted(zip(scores, cands), key=lambda sc: (-sc[0], sc[1].rank, sc[1].start))
        return ranked, pointed, {id(c): g for c, g in zip(cands, gains) if g}

    def decline(self, question: str, query: str, passages: Sequence[Passage]) -> Answer:
        """The documents do not answer (``NO_QUESTION`` for an empty question)."""
        return decline(question, query, passages, self.many_docs, self.only_doc)


def _blend(embed: Embed, focus: str) -> Embed:
    """``embed`` whose vector of a part is the mean of the part's with its setting and ``focus``'s
    (the part without it), made a unit vector: a sentence close to what the part asks is not
    outscored by one that only shares its setting, nor lost when the part alone says little."""

    def blended(text: str) -> np.ndarray:
        vector = embed(text) + embed(focus)
        return vector / (np.linalg.norm(vector) or 1.0)

    return blended


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
