"""Files: the one sha256 helper, and which file types coopqa reads.

``sha256_file`` streams the file (constant memory); ``cached_sha256`` remembers a digest per
``(path, size, mtime)`` for files read again and again in one process (model weights).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=16)
def _cached(path: str, size: int, mtime: float) -> str:
    return sha256_file(path)


def cached_sha256(path: str | Path) -> str:
    """:func:`sha256_file`, computed once per process while the file's size and mtime stay."""
    stat = Path(path).stat()
    return _cached(str(path), stat.st_size, stat.st_mtime)
