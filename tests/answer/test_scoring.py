"""Scores read from the words ahead of the search are the scores read after it, to the bit.

The read-ahead (``scoring.read_ahead``) scores and checks the sentences of the chunks a question's
words rank first while its vector is computed; the answer then reuses them. These tests build
the passages by hand: one set as the read-ahead sees them (score 0, in BM25 order), one as the
search returns them (other scores, another order), and compare.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coopqa.answer.candidates import candidates, passes, passing
from coopqa.answer.extractive import Extractor
from coopqa.answer.lexicon import lexicon_of
from coopqa.answer.question import analyze
from coopqa.answer.scoring import TextParts, idf_table, read_ahead, score
from coopqa.answer.selection import select
from coopqa.core.profile import load_profile
from coopqa.core.records import DocInfo, Passage
from coopqa.core.settings import AnswerSettings
from coopqa.core.text import bm25_tokens

from ..factories import chunk

SETTINGS = replace(AnswerSettings(), heading_share=0.5)
EV = lexicon_of(load_profile("ev100plus"))
TEXTS = {
    "a": "Thai exports of rice rose by 12% in 2023. It was the largest rise.\n\nRice mills\n\nMills doubled.",
    "b": "Thailand exports cars. Vietnam grows rice for export.",
    "c": "Rice prices fell in 2022.",
}
QUESTION = "How much did Thailand's rice exports rise in 2023?"


def _chunks():
    return [chunk(t, id=i, section=("Trade", f"Exports {i}")) for i, t in TEXTS.items()]


def _found(order: str, scores=(0.9, 0.4, 0.7)):
    """The chunks as a search returns them: in ``order``, with their own scores."""
    by_id = {c.id: c for c in _chunks()}
    return [Passage(by_id[i], s) for i, s in zip(order, scores)]


def _candidates(passages):
    """The passages' sentences, with the rows an index of ``_chunks()`` gives them (fixed per
    sentence, whatever the order of the passages)."""
    rows, row = {}, 0
    for c in _chunks():
        rows[c.id] = (row, c.sentences)
        row += len(c.sentences)
    return candidates(passages, rows)


def test_parts_read_ahead_give_the_same_scores_and_checks_as_parts_read_after():
    info = analyze(QUESTION, lexicon=EV)
    ahead_cands = _candidates([Passage(c, 0.0) for c in _chunks()])  # what the words rank first
    cands = _candidates(_found("cab"))  # what the search returned: other order, scores
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    ahead = read_ahead(info, ahead_cands, idf, SETTINGS)
    assert set(ahead.parts) == {c.row for c in ahead_cands} and ahead.info is info
    cosines = np.linspace(0.9, 0.1, len(cands))
    fresh = score(info, cands, cosines, idf, SETTINGS)
    reused = score(info, cands, cosines, idf, SETTINGS, known=ahead.parts)
    assert reused == fresh  # floats equal, not close
    rows = {c.row: c for c in ahead_cands}
    assert [ahead.passing[c.row] for c in cands] == [passes(info, c) for c in cands]
    assert all(rows[c.row].text == c.text for c in cands)  # a row is one sentence wherever it ranks
    assert any(ahead.passing.values()) and not all(ahead.passing.values())


def test_score_reads_only_the_parts_it_lacks_and_select_the_checks():
    info = analyze(QUESTION, lexicon=EV)
    cands = _candidates(_found("abc"))
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    cosines = np.full(len(cands), 0.5)
    fresh, _ = score(info, cands, cosines, idf, SETTINGS)
    known = {cands[-1].row: TextParts(lexical=1.0, above=0.0, bonus=0.0, factor=1.0)}
    scores, _ = score(info, cands, cosines, idf, SETTINGS, known=known)
    assert scores[:-1] == fresh[:-1] and scores[-1] != fresh[-1]  # the known row was not read again
    ranked = sorted(zip(fresh, cands), key=lambda sc: -sc[0])
    best = select(info, ranked, SETTINGS)
    assert best
    checked = {c.row: passes(info, c) for _, c in ranked}
    assert select(info, ranked, SETTINGS, checked=checked) == best  # the same checks, the same answer
    vetoed = {**checked, best[0].row: False}  # a check read ahead is taken as read
    assert best[0] not in [c for _, c in passing(info, ranked, vetoed)]


def _spy(monkeypatch) -> tuple[set[int], set[int]]:
    """The sentence rows the answer step scores by their words and checks, from now on."""
    from coopqa.answer import candidates as candidates_module
    from coopqa.answer import scoring

    read: set[int] = set()
    checked: set[int] = set()
    text_parts, passes_ = scoring.text_parts, candidates_module.passes

    def spy_parts(info, cands, *args):
        read.update(c.row for c in cands)
        return text_parts(info, cands, *args)

    def spy_passes(info, cand, *args):
        checked.add(cand.row)
        return passes_(info, cand, *args)

    monkeypatch.setattr(scoring, "text_parts", spy_parts)
    monkeypatch.setattr(candidates_module, "passes", spy_passes)
    return read, checked


def test_the_extractor_reuses_what_it_read_ahead_for_this_question_only(monkeypatch):
    chunks = _chunks()
    rows = sum(len(c.sentences) for c in chunks)
    vectors = np.eye(rows, dtype=np.float32)
    doc = DocInfo("d.pdf", "/d.pdf", "0" * 64, 1, ("7",), 1, "now")
    plain = Extractor(chunks, vectors, [doc], SETTINGS, load_profile("ev100plus"))
    ahead = Extractor(chunks, vectors, [doc], SETTINGS, load_profile("ev100plus"))
    ahead.prepare(QUESTION, likely=chunks[:2])  # the third chunk is read after the search only
    info = ahead.analyze(QUESTION)
    assert ahead._read_for(info) is not None and ahead._read_for(ahead.analyze("Who?")) is None

    def embed(text: str) -> np.ndarray:
        return vectors[0] * 0.8 + vectors[-1] * 0.2

    found = _found("cab")
    expected = plain.answer(QUESTION, QUESTION, found, embed)
    assert expected.answered and "12%" in expected.text
    read, checked = _spy(monkeypatch)
    assert ahead.answer(QUESTION, QUESTION, found, embed) == expected
    rows_ahead = set(ahead._ahead.parts)  # the first two chunks' sentences
    assert read and not read & rows_ahead  # only the third chunk's sentences were read now
    assert checked and not checked & rows_ahead  # and only they were checked now
    ahead.prepare("Which mills doubled?", likely=chunks)  # another question's reading replaces it
    assert ahead._read_for(info) is None
    assert ahead.answer(QUESTION, QUESTION, found, embed) == expected


def test_a_sentence_on_this_option_is_read_with_the_one_before_that_names_it():
    from coopqa.answer.scoring import text_parts

    text = (
        "CONFIG_OPTION_SCIENTIFIC allows exponents. By default this option is turned on. "
        "CONFIG_OPTION_FSYNC makes writes sync. By default this option is turned off."
    )
    body = chunk(text, id="o")
    cands = candidates([Passage(body, 1.0)], {"o": (0, body.sentences)})
    info = analyze("Is CONFIG_OPTION_FSYNC on by default?")
    idf = idf_table([bm25_tokens(text[a:b]) for a, b in body.sentences])
    parts = text_parts(info, cands, idf, SETTINGS)
    on, off = parts[1].lexical, parts[3].lexical
    assert off > on  # the second "this option" is the one the question names
