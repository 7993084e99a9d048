"""The error hierarchy: every failure coopqa reports is a ``CoopQAError``.

The CLI and the UI turn these into one-line messages; anything else is a bug.
"""

from __future__ import annotations


class CoopQAError(Exception):
    """Base class for every error coopqa raises on purpose."""

    exit_code = 1


class UsageError(CoopQAError):
    """The user asked for something that cannot be done as asked (bad path, bad option)."""

    exit_code = 2


class UnsupportedFileError(UsageError):
    """A file type coopqa does not ingest."""


class DocumentError(CoopQAError):
    """One document could not be read; the message names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class IndexFolderError(CoopQAError):
    """Base for problems with the index folder."""


class IndexMissingError(IndexFolderError):
    """No index has been built in the folder yet."""


class IndexStaleError(IndexFolderError):
    """The index was built with other settings, model or format than the ones in use."""


class IndexDamagedError(IndexFolderError):
    """A file of the index is missing, truncated or altered."""


class IndexBusyError(IndexFolderError):
    """Another process is writing the index."""


class ModelError(CoopQAError):
    """The embedding model or tokenizer cannot be loaded."""
