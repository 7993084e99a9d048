"""The revision of the code that reads documents: a file read by another revision is read again.

An index keeps each document's chunks until its file changes. When coopqa itself changes how it
reads (a layout rule, the sentence splitter, the chunker), a file that did not change would keep
the chunks the older code made. :func:`reader_revision` names the reading code: the sha256 of
the source of this package and of the text helpers it uses (``core/text.py``, ``core/tokens.py``),
so no one has to remember to bump it. Every ``DocInfo`` records it; ``coopqa ingest`` counts a
document as unchanged only when both its file and the revision that read it are the same.

Invariant: the revision depends only on those source files, never on the machine or the time.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_HELPERS = ("text.py", "tokens.py")  # in coopqa/core: cleaning, sentences, token counts


@cache
def reader_revision() -> str:
    """The first 16 hex digits of the sha256 of the reading code's source files, in name order."""
    digest = hashlib.sha256()
    files = sorted(_PACKAGE.glob("*.py")) + [_PACKAGE.parent / "core" / name for name in _HELPERS]
    for path in files:
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
