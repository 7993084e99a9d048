from __future__ import annotations

import shutil

import pytest

from coopqa import Assistant
from coopqa.core.errors import CoopQAError, DocumentError, UnsupportedFileError, UsageError
from coopqa.index import pipeline
from coopqa.index.collection import ingest
from coopqa.ingest import documents
from coopqa.ingest.documents import collect_files
from coopqa.ingest.revision import reader_revision

from ..conftest import REPORT_PDF, REPORT_TXT
from ..pdfmaker import report_like


def test_collect_files_skips_readme_hidden_and_txt_twin(tmp_path):
    shutil.copy(REPORT_PDF, tmp_path)
    shutil.copy(REPORT_TXT, tmp_path)
    (tmp_path / "README.md").write_text("# about this folder\n")
    (tmp_path / ".hidden.md").write_text("# hidden\n")
    (tmp_path / "notes.md").write_text("# Notes\n\nReal notes.\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    names = [p.name for p in collect_files([tmp_path])]
    assert names == ["china-asean-emerging-industries.pdf", "notes.md"]
    # named explicitly, the twin is taken
    assert [p.name for p in collect_files([tmp_path / REPORT_TXT.name])] == [REPORT_TXT.name]


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        collect_files([tmp_path / "nope.pdf"])
    bad = tmp_path / "data.csv"
    bad.write_text("a,b")
    with pytest.raises(UnsupportedFileError) as info:
        collect_files([bad])
    assert info.value.exit_code == 2


def test_add_unchanged_replace_remove(tmp_path, settings):
    lantern = report_like(tmp_path / "lanterns.pdf")
    notes = tmp_path / "notes.md"
    notes.write_text("# Kilns\n\nThe second kiln burns charcoal from the eastern forest.\n")
    first = ingest([lantern, notes], settings)
    assert first.added == ("lanterns.pdf", "notes.md") and first.embedded > 0 and first.written

    again = ingest([lantern], settings)
    assert again.unchanged == ("lanterns.pdf",) and again.embedded == 0 and not again.written

    notes.write_text("# Kilns\n\nThe second kiln burns bamboo offcuts instead.\n")
    changed = ingest([notes], settings)
    assert changed.replaced == ("notes.md",)
    assert changed.embedded == 1  # only the changed document's one chunk is embedded again
    qa = Assistant.load(settings=settings)
    assert [d.name for d in qa.documents] == ["lanterns.pdf", "notes.md"]
    assert "bamboo offcuts" in qa.search("What does the second kiln burn?", k=1)[0].text

    removed = ingest([], settings, remove=["notes.md"])
    assert removed.removed == ("notes.md",) and removed.documents == 1
    with pytest.raises(UsageError, match="no document named"):
        ingest([], settings, remove=["ghost.pdf"])


def test_a_file_read_by_another_revision_of_the_reading_code_is_read_again(tmp_path, settings, monkeypatch):
    notes = tmp_path / "notes.md"
    notes.write_text("# Kilns\n\nThe second kiln burns charcoal from the eastern forest.\n")
    ingest([notes], settings)
    assert Assistant.load(settings=settings).documents[0].reader == reader_revision()
    assert ingest([notes], settings).unchanged == ("notes.md",)
    upgraded = "0123456789abcdef"  # as if coopqa now read documents differently
    monkeypatch.setattr(documents, "reader_revision", lambda: upgraded)
    monkeypatch.setattr(pipeline, "reader_revision", lambda: upgraded)
    again = ingest([notes], settings)
    assert again.replaced == ("notes.md",) and again.embedded == 1
    assert Assistant.load(settings=settings).documents[0].reader == upgraded
    assert ingest([notes], settings).unchanged == ("notes.md",)


def test_bad_file_is_skipped_others_ingested_index_kept(tmp_path, settings):
    good = report_like(tmp_path / "lanterns.pdf")
    ingest([good], settings)
    before = (settings.index_dir / "CURRENT").read_text()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n%%EOF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    notes = tmp_path / "notes.txt"
    notes.write_text("Lanterns are lit at dusk during the festival.\n")
    report = ingest([broken, empty, notes], settings)
    assert dict(report.failed).keys() == {"broken.pdf", "empty.pdf"}
    assert "empty file" in dict(report.failed)["empty.pdf"]
    assert report.added == ("notes.txt",)
    qa = Assistant.load(settings=settings)
    assert [d.name for d in qa.documents] == ["lanterns.pdf", "notes.txt"]
    # only bad files: nothing is written, the index stays as it was
    after = (settings.index_dir / "CURRENT").read_text()
    only_bad = ingest([broken], settings)
    assert not only_bad.written and (settings.index_dir / "CURRENT").read_text() == after != before


def test_a_first_ingest_of_only_bad_files_names_each_file_and_why(tmp_path, settings):
    """Nothing could be read into a new index: the error says which files and why, not only
    that the index would be empty, and no generation is written."""
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match=r"^empty\.pdf: empty file .*nothing was written"):
        ingest([empty], settings)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n%%EOF")
    both = r"no document could be read.*nothing was written.*broken\.pdf: .*empty\.pdf: empty file"
    with pytest.raises(CoopQAError, match=both):
        ingest([broken, empty], settings)
    assert not (settings.index_dir / "CURRENT").exists()


def test_sync_adds_and_drops_corpus_documents(tmp_path, settings):
    report_like(settings.corpus_dir / "lanterns.pdf")
    (settings.corpus_dir / "extra.md").write_text("# Extra\n\nAn extra note about kilns.\n")
    assert ingest(None, settings).added == ("extra.md", "lanterns.pdf")
    (settings.corpus_dir / "extra.md").unlink()
    report = ingest(None, settings)
    assert report.removed == ("extra.md",) and report.documents == 1
