"""coopqa: offline, cited question answering over the China-ASEAN emerging industries report."""

from __future__ import annotations

from .assistant import Assistant
from .errors import CoopQAError
from .records import Chunk, Passage
from .settings import Settings

__all__ = ["Assistant", "Chunk", "CoopQAError", "Passage", "Settings"]
__version__ = "0.1.0"
