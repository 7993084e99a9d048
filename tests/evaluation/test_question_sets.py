"""Every question set of eval/sets.json is well formed and its gold evidence and facts are really
there, on the listed printed pages of its document."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from coopqa.core.settings import PROJECT_ROOT
from coopqa.core.text import normalize
from coopqa.evaluation.questions import load_questions, load_sets
from coopqa.ingest.reader import read_document
from coopqa.ingest.spacing import mend_space_widths

from ..conftest import REPORT_PDF

SETS = load_sets(PROJECT_ROOT / "eval" / "sets.json")


@lru_cache(maxsize=8)
def _pages(pdf: str) -> dict[str, str]:
    """Printed label (as coopqa reads it: the PDF's own labels, else the numbers its pages print)
    -> the page's text as pypdf extracts it (TeX's word gaps read as spaces), normalised,
    without the first and last three lines where they repeat on three or more pages (running
    headers and footers, which would split evidence that crosses a page break)."""
    reader = PdfReader(pdf)
    for page in reader.pages:
        mend_space_widths(page)  # TeX's word gaps as spaces, as coopqa reads them
    texts = [(page.extract_text() or "").splitlines() for page in reader.pages]

    def mask(line: str) -> str:
        return re.sub(r"\d+", "#", normalize(line))

    edges = Counter(mask(x) for lines in texts for x in {*lines[:3], *lines[-3:]})
    out = {}
    labels = [page.label for page in read_document(Path(pdf)).pages]
    for label, lines in zip(labels, texts):
        edge = {*range(3), *range(len(lines) - 3, len(lines))}
        kept = [x for i, x in enumerate(lines) if i not in edge or edges[mask(x)] < 3]
        out[label] = normalize("\n".join(kept))
    return out


@pytest.mark.parametrize("name", sorted(SETS))
def test_set_is_well_formed(name):
    questions = load_questions(SETS[name].questions)
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 40 and kinds["unanswerable"] >= 4
    assert {q.split for q in questions} <= {"dev", "test"}
    for q in questions:
        if not q.answerable:
            assert q.answer_facts == () and q.evidence == () and q.pages == () and q.section == ""
        else:
            assert q.evidence and q.pages and q.section, q.id
    if SETS[name].corpus:
        names = {p.name for p in SETS[name].corpus}
        assert {q.doc for q in questions if q.answerable} <= names
        assert all(p.is_file() for p in SETS[name].corpus)


def test_ids_are_unique_across_sets():
    ids = [q.id for s in SETS.values() for q in load_questions(s.questions)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", sorted(SETS))
def test_evidence_and_facts_stand_on_the_gold_pages(name):
    corpus = {p.name: p for p in SETS[name].corpus}
    for q in load_questions(SETS[name].questions):
        if not q.answerable:
            continue
        pages = _pages(str(corpus[q.doc] if corpus else REPORT_PDF))
        joined = "".join(pages[label] for label in q.pages)
        for evidence in q.evidence:
            for part in evidence.split("\t"):  # a table row: its cells, wherever the PDF draws them
                assert normalize(part) in joined, (q.id, part[:50], q.pages)
        for fact in q.answer_facts:
            assert normalize(fact) in joined, (q.id, fact)
