from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from coopqa.app.cli import main

from ..pdfmaker import report_like


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_search_docs_remove(tmp_path, capsys):
    pdf = report_like(tmp_path / "lanterns.pdf")
    code, out, err = run(capsys, "ingest", str(pdf), "--quiet")
    assert code == 0
    assert "1 document, 4 pages" in out and "chunks" in out and "tokens" in out
    code, out, _ = run(capsys, "search", "How", "many", "lanterns", "in", "2023?", "-k", "2")
    assert code == 0 and out.startswith("[1] I. Lanterns Are of Strategic")
    assert "— pp. 1–2" in out.splitlines()[0]
    code, out, _ = run(capsys, "search", "Hillford output", "--json", "-k", "1")
    data = json.loads(out)
    assert data[0]["kind"] == "table_row" and data[0]["pages"] == ["2"]
    assert data[0]["cite"] == "Table 1 Lantern Output by Town — I.(i), p. 2"
    code, out, _ = run(capsys, "docs")
    assert out.splitlines()[1].startswith("lanterns.pdf") and " 4 " in out.splitlines()[1]


@pytest.mark.parametrize(
    "content, name, reason",
    [
        (b"", "empty.pdf", "empty file"),
        (b"GIF89a not a pdf at all", "fake.pdf", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF", "damaged.pdf", "damaged PDF"),
    ],
)
def test_bad_pdf_exit_1_one_line_others_ingested(tmp_path, capsys, content, name, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = report_like(tmp_path / "lanterns.pdf")
    code, out, err = run(capsys, "ingest", str(bad), str(good), "--quiet")
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"coopqa: skipped {name}: ") and reason in lines[0]
    assert "added: lanterns.pdf" in out


def test_missing_path_and_unsupported_type_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "ingest", str(tmp_path / "nope.pdf"))
    assert code == 2 and err.strip() == f"coopqa: error: {tmp_path / 'nope.pdf'}: no such file or folder"
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK")
    code, _, err = run(capsys, "ingest", str(sheet))
    assert code == 2 and "unsupported file type .xlsx" in err and len(err.strip().splitlines()) == 1


def test_search_without_index(capsys):
    code, _, err = run(capsys, "search", "anything")
    assert code == 1 and "no index in" in err and "run `coopqa ingest` first" in err


def test_python_dash_m_without_traceback(tmp_path):
    env = {**os.environ, "COOPQA_INDEX": str(tmp_path / "idx")}
    proc = subprocess.run(
        [sys.executable, "-m", "coopqa", "docs"], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("coopqa: error: no index in")


def test_output_cut_short_by_its_reader_ends_without_traceback(report_index):
    """``coopqa ask ... | head -1``: the reader closes the pipe before the sources are printed."""
    env = {**os.environ, "COOPQA_INDEX": str(report_index)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coopqa", "ask", "When does Vietnam aim to be carbon neutral?"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.close()  # nobody reads: the first write fails with EPIPE
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and b"Traceback" not in err and b"BrokenPipe" not in err


def test_config_prints_every_group_and_eval_refuses_unknown_sets_and_settings(tmp_path, capsys):
    code, out, _ = run(capsys, "config")
    assert code == 0 and "[retrieval]" in out and "backend = onnx-int8  (COOPQA_EMBED_BACKEND)" in out
    code, _, err = run(capsys, "eval", "--set", "nope")
    assert code == 2 and "unknown evaluation set 'nope'; choose one of: report, fresh, other" in err
    code, _, err = run(capsys, "eval", "--set-option", "alpha")
    assert code == 2 and "give a setting as name=value" in err
    code, _, err = run(capsys, "eval", "--set-option", "nope=1")
    assert code == 2 and "no setting named 'nope'" in err


def test_eval_of_a_set_with_its_own_documents_builds_their_index(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    pdf = report_like(tmp_path / "docs" / "lanterns.pdf")
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "t1",
            "question": "How many paper lanterns did the valley produce in 2023?",
            "kind": "factoid",
            "answer_facts": ["4,200"],
            "evidence": ["The valley produced 4,200 paper lanterns in 2023."],
            "section": "I",
            "pages": ["1"],
            "split": "dev",
            "doc": "lanterns.pdf",
        },
        {
            "id": "t2",
            "question": "How many lanterns were sold in Paris?",
            "kind": "unanswerable",
            "split": "test",
        },
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows))
    sets = tmp_path / "sets.json"
    sets.write_text(json.dumps({"mine": {"questions": "q.jsonl", "corpus": ["docs/lanterns.pdf"]}}))
    assert pdf.is_file()
    code, out, _ = run(
        capsys,
        "eval",
        "--sets",
        str(sets),
        "--set",
        "mine",
        "--mode",
        "hybrid",
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    )
    assert code == 0 and "(mine set)" in out
    assert [line.split()[0] for line in out.splitlines() if line[:4] in ("dev ", "test", "all ")] == [
        "dev",
        "test",
        "all",
    ]
    assert (tmp_path / "out" / "mine" / "index" / "CURRENT").is_file()
    assert (tmp_path / "out" / "mine" / "eval.md").read_text().count("dev") >= 2
