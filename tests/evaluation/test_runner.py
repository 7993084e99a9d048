from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from coopqa.answer.records import Answer, Quote
from coopqa.core.errors import UsageError
from coopqa.core.records import Passage, section_key
from coopqa.core.settings import PROJECT_ROOT
from coopqa.core.text import normalize
from coopqa.evaluation.questions import Question, load_questions
from coopqa.evaluation.report import format_table, run_eval, valid_modes, write_outputs
from coopqa.evaluation.runner import answer_record, evidence_quoted, match_text
from coopqa.ingest.blocks import to_blocks
from coopqa.ingest.chunking import make_chunks
from coopqa.ingest.reader import read_document

from ..conftest import REPORT_PDF, REPORT_TXT
from ..factories import passage

QUESTIONS_FILE = PROJECT_ROOT / "eval" / "questions.jsonl"


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS_FILE)


def test_question_set_shape(questions):
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 80 and kinds["unanswerable"] >= 12
    assert {"factoid", "list", "explain", "table", "figure", "multi"} <= set(kinds)
    for q in questions:
        if not q.answerable:
            assert q.answer_facts == () and q.evidence == () and q.pages == () and q.section == ""


def test_facts_and_evidence_are_copied_from_the_report(questions):
    text = REPORT_TXT.read_text(encoding="utf-8")
    lines = text.splitlines()
    for q in questions:
        for fact in q.answer_facts:
            assert fact in text, (q.id, fact)
        for evidence in q.evidence:
            assert any(evidence in line for line in lines), (q.id, evidence)
            if q.kind in ("table", "multi") and "\t" in evidence:
                continue  # a whole Table 1 row, cells tab-separated as in the text file
            low = 15 if q.kind == "table" else 30
            assert low <= len(evidence) <= 120, (q.id, len(evidence))


def test_gold_pages_hold_the_evidence(questions):
    reader = PdfReader(REPORT_PDF)
    by_label = {
        label: normalize(page.extract_text()) for label, page in zip(reader.page_labels, reader.pages)
    }
    for q in questions:
        joined = "".join(by_label[p] for p in q.pages)
        for evidence in q.evidence:
            assert normalize(evidence) in joined, (q.id, evidence[:40], q.pages)


def test_gold_sections_hold_the_evidence(questions):
    doc = read_document(REPORT_PDF)
    _, chunks = make_chunks(doc.name, to_blocks(doc), [p.label for p in doc.pages], 220)
    passages = [Passage(c, 0.0) for c in chunks]
    for q in questions:
        if not q.answerable:
            continue
        sections = {
            section_key(p.section)
            for p in passages
            for e in q.evidence
            if normalize(e) in normalize(match_text(p))
        }
        assert q.section in sections, (q.id, q.section, sections)


def test_bad_question_files(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "question": "x?", "kind": "opinion"}\n')
    with pytest.raises(UsageError, match=r"q.jsonl:1: kind 'opinion'"):
        load_questions(path)
    path.write_text('{"id": "a", "question": "x?", "kind": "unanswerable"}\n' * 2)
    with pytest.raises(UsageError, match=r":2: duplicate id a"):
        load_questions(path)
    path.write_text("not json\n")
    with pytest.raises(UsageError, match=r":1: not a question record"):
        load_questions(path)
    with pytest.raises(UsageError, match="unknown mode 'magic'"):
        valid_modes("hybrid,magic")
    assert valid_modes("all") == ["hybrid", "rrf", "dense", "bm25", "naive"]


def test_match_text_reads_table_rows_without_headers():
    row = passage(
        "Country: Indonesia; Carbon Peaking: 2030; Carbon Neutrality: 2060",
        kind="table_row",
        caption="Table 1 Timetable",
    )
    assert normalize("Indonesia\t2030\t2060") in normalize(match_text(row))
    assert section_key(("II. A", "(i) B", "2. C")) == "II.(i).2" and section_key(("Abstract",)) == "Abstract"


def test_run_eval_writes_table_json_markdown_and_plot(qa, tmp_path):
    subset = [q for q in load_questions(QUESTIONS_FILE) if q.id in ("q001", "q035", "q044", "q066")]
    results = run_eval(qa, subset, ["hybrid", "naive"], progress=False)
    hybrid = results["modes"]["hybrid"]
    assert 0 <= hybrid["recall@1"] <= hybrid["recall@5"] <= hybrid["recall@10"] <= 1
    assert results["modes"]["naive"]["section@1"] == 0.0  # the baseline knows no sections
    assert results["answers"]["n_unanswerable"] == 1 and results["answers"]["n_answerable"] == 3
    table = format_table(results)
    assert table.splitlines()[0].split()[:3] == ["mode", "R@1", "R@3"] and "answers:" in table
    paths = write_outputs(results, tmp_path)
    assert json.loads(paths[0].read_text())["n_questions"] == 4
    assert "| hybrid |" in paths[1].read_text()
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    Path(paths[2]).unlink()


def test_a_quoted_table_row_matches_evidence_written_as_its_cells():
    text = "Country: Thailand; Peaking: 25% reduction from BAU by 2030; Neutrality: 2050"
    row = passage(text, kind="table_row")
    quote = Quote(0, 1, 0, len(text), "Thailand: Peaking 25% reduction from BAU by 2030.", kind="table_row")
    answer = Answer("q", "Thailand: ... [1]", (row,), (quote,), True)

    def asked(*evidence):
        return Question("t1", "q", "table", ("25%",), evidence, "II", ("7",))

    assert evidence_quoted(asked("Thailand\t25% reduction from BAU by 2030\t2050"), answer)
    assert evidence_quoted(asked("25% reduction from BAU by 2030"), answer)  # one cell, as before
    assert not evidence_quoted(asked("Vietnam\t9% reduction from BAU by 2030\t2050"), answer)
    text = passage("Thailand aims for 2050. Other text.")
    prose = Answer("q", "...", (text,), (Quote(0, 1, 0, 23, "Thailand aims for 2050."),), True)
    assert evidence_quoted(asked("Thailand aims for 2050"), prose)
    assert not evidence_quoted(asked("Other text"), prose)


def test_a_decline_holds_no_fact_even_where_a_closest_page_spells_it():
    asked = Question("t2", "Why did X drop out?", "explain", ("5",), ("found in only 5 apps",), "II", ("4",))
    declined = Answer("q", "The indexed documents do not say. Closest sections: Notes (p. 5).", (), (), False)
    said = Answer("q", "It was found in only 5 apps [1]", (), (), True)
    assert not answer_record(asked, declined, 0.0)["facts"]
    assert answer_record(asked, said, 0.0)["facts"]
