"""coopqa: offline, cited question answering over PDFs (and ``.txt``, ``.md`` files).

What is specific to a collection (the bundled report's title, the chat page's wording, the words
its questions use) is described by its profile, a JSON file under ``coopqa/profiles/``.

``from coopqa import Assistant`` is the way in; the records it returns (``Passage``, ``Answer``)
and ``Settings`` are exported here too. Attributes load on first use, so importing a
subpackage (the parser child imports only ``coopqa.ingest``) does not pull in the rest.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "Assistant": "coopqa.app.assistant",
    "Answer": "coopqa.answer.records",
    "AskRequest": "coopqa.answer.records",
    "Chunk": "coopqa.core.records",
    "CoopQAError": "coopqa.core.errors",
    "Passage": "coopqa.core.records",
    "Settings": "coopqa.core.settings",
}
__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'coopqa' has no attribute {name!r}")
