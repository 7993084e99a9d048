"""``Session``: the server-wide state of the chat page, following the index folder's live generation."""

from __future__ import annotations

import threading
from pathlib import Path

from ..core.errors import CoopQAError, IndexMissingError
from ..core.profile import Profile, load_profile
from ..core.settings import Settings
from ..index.collection import ingest
from .assistant import Assistant


class Session:
    """Server-wide state: the index it answers from, which follows the index folder's live
    generation. A new generation (an upload here, or ``coopqa ingest`` / ``remove`` run beside
    the server) is opened on the next request after ``CURRENT`` changes; requests already
    running finish on the generation they started with, so none fails during the switch.
    ``lock`` serialises writes from the page."""

    def __init__(self, settings: Settings, qa: Assistant, lock: threading.Lock | None = None) -> None:
        self.settings = settings
        self.lock = lock or threading.Lock()
        self._switch = threading.Lock()
        self._qa = qa
        self._pointer = live_pointer(settings.index_dir)

    @property
    def qa(self) -> Assistant:
        """The assistant over the live generation (reopened when ``CURRENT`` names a new one)."""
        pointer = live_pointer(self.settings.index_dir)
        if pointer and pointer != self._pointer:
            with self._switch:
                if pointer != self._pointer:
                    try:
                        self._qa = Assistant.load(settings=self.settings)
                    except CoopQAError as exc:  # keep answering from the generation we have
                        print(f"coopqa: could not open the new index generation ({exc})", flush=True)
                    self._pointer = pointer
        return self._qa

    @qa.setter
    def qa(self, value: Assistant) -> None:
        with self._switch:
            self._qa = value
            self._pointer = live_pointer(self.settings.index_dir)

    @property
    def profile(self) -> Profile:
        """The collection's wording and example questions (``settings.serve.profile``)."""
        return load_profile(self.settings.serve.profile)

    @property
    def renders(self) -> Path:
        return self.settings.index_dir / "renders"

    @property
    def uploads(self) -> Path:
        return self.settings.index_dir / "uploads"


def live_pointer(index_dir: Path) -> str:
    """The content of ``CURRENT`` (the live generation and its manifest's sha256), or ``""``."""
    try:
        return (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def open_session(settings: Settings, progress: bool = True) -> Session:
    """Load the index, building it from the bundled ``ingest/`` folder the first time."""
    try:
        qa = Assistant.load(settings=settings)
    except IndexMissingError:
        print(f"coopqa: no index in {settings.index_dir}; building it from {settings.corpus_dir} ...")
        report = ingest(None, settings, progress=progress)
        print(report.summary())
        qa = Assistant.load(settings=settings)
    return Session(settings=settings, qa=qa)
