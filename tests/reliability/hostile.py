"""Broken and hostile documents, made by the tests themselves."""

from __future__ import annotations

import os
from pathlib import Path

from coopqa.evaluation.scanned import scanned_copy

from ..conftest import REPORT_PDF
from ..pdfmaker import encrypt, make_pdf, report_like


def broken_xref(folder: Path) -> Path:
    data = bytearray(report_like(folder / "src-xref.pdf").read_bytes())
    xref = data.rindex(b"xref")
    body = data[xref:].replace(b" 00000 n", b" 00099 n")  # every object offset now points nowhere valid
    for i in range(len(body)):
        if body[i : i + 1].isdigit() and body[i + 10 : i + 11] == b" ":
            body[i : i + 10] = b"0000000001"
    path = folder / "broken-xref.pdf"
    path.write_bytes(bytes(data[:xref] + body))
    return path


def make_all(folder: Path) -> dict[str, Path]:
    """Every bad input of the reliability issue, by name."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    (files.setdefault("zero-byte", folder / "zero.pdf")).write_bytes(b"")
    (files.setdefault("random", folder / "random.pdf")).write_bytes(os.urandom(4096))
    report = REPORT_PDF.read_bytes()
    (files.setdefault("truncated", folder / "truncated.pdf")).write_bytes(report[: len(report) // 2])
    files["broken-xref"] = broken_xref(folder)
    files["encrypted"] = encrypt(report_like(folder / "src-enc.pdf"), folder / "encrypted.pdf", "s3cret")
    files["empty-password"] = encrypt(report_like(folder / "src-open.pdf"), folder / "empty-password.pdf", "")
    files["scanned"] = scanned_copy(report_like(folder / "src-scan.pdf"), folder / "scanned.pdf")
    files["grey-scan"] = make_pdf(folder / "grey-scan.pdf", [[], []], image_pages=(0, 1))
    files["blank"] = make_pdf(folder / "blank.pdf", [[], [], []])
    (files.setdefault("latin-1", folder / "latin1.txt")).write_bytes(
        "Café owners in Hanoi: the café tax rose 7% in 2024.\n".encode("latin-1")
    )
    (files.setdefault("utf-16", folder / "utf16.txt")).write_bytes(
        "Thạch Hãn river ferries carry 12,000 riders a day.\n".encode("utf-16")
    )
    (files.setdefault("oversize", folder / "oversize.pdf")).write_bytes(b"%PDF-1.4\n" + b"0" * 3_000_000)
    files["bomb"] = make_pdf(folder / "bomb.pdf", [[]], streams={0: b" " * 120_000_000})
    files["hang"] = make_pdf(folder / "hang.pdf", [[]], streams={0: b"BT /FR 1 Tf (a) Tj ET\n" * 2_500_000})
    for source in folder.glob("src-*.pdf"):
        source.unlink()
    return files
