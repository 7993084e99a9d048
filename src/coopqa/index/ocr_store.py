"""What OCR read on scanned pages, kept beside the generations: ``<index>/ocr/<sha256>.json``.

One file per document content (its sha256), ``{"pages": {"<physical page>": [[text, left,
bottom, right, top, confidence], ...]}}`` in PDF points. It is what the chat page highlights a
quote from on a page that has no text layer, and what tells an answer that a quoted line was
read with low confidence.

Invariants: a file is written whole (temporary name, then renamed) before the generation that
lists its document, so a crash leaves at most a file nothing refers to; after a write, files of
documents the live generation does not list are removed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from ..core.records import OcrBox

FOLDER = "ocr"


def write_boxes(index_dir: Path, sha256: str, pages: Mapping[int, Iterable[OcrBox]], dpi: int) -> None:
    """Record the boxes OCR read (at ``dpi``) on each page of the document with this sha256."""
    folder = index_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "dpi": dpi,
        "pages": {str(n): [box.to_json() for box in boxes] for n, boxes in sorted(pages.items())},
    }
    tmp = folder / f".{sha256}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / f"{sha256}.json")


def read_boxes(index_dir: Path, sha256: str, dpi: int | None = None) -> dict[int, tuple[OcrBox, ...]]:
    """The boxes OCR read on each page of that document (``{}``: no page was read by OCR, or
    not at ``dpi`` when one is given)."""
    path = index_dir / FOLDER / f"{sha256}.json"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    read_dpi, pages = _read(str(path), stamp)
    return pages if dpi is None or dpi == read_dpi else {}


@lru_cache(maxsize=32)
def _read(path: str, stamp: int) -> tuple[int, dict[int, tuple[OcrBox, ...]]]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        pages = {int(n): tuple(OcrBox.from_json(b) for b in boxes) for n, boxes in raw["pages"].items()}
        return int(raw.get("dpi", 0)), pages
    except (OSError, ValueError, KeyError, TypeError):
        return 0, {}  # no boxes: the page is shown without a highlight, the answer stands


def prune(index_dir: Path, keep: Iterable[str]) -> None:
    """Remove the files of documents not in ``keep`` (sha256s), and unfinished temporary files."""
    folder = index_dir / FOLDER
    if not folder.is_dir():
        return
    wanted = set(keep)
    for path in folder.iterdir():
        if path.name.startswith(".") or (path.suffix == ".json" and path.stem not in wanted):
            path.unlink(missing_ok=True)
