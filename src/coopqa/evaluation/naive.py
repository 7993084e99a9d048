"""The naive baseline: the tutorial pipeline (raw page text, 512-token windows with 50 overlap,
dense only), kept fixed so that every change is measured against the same floor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import tokens
from ..core.records import Chunk, Passage


@dataclass
class NaiveBaseline:
    """The tutorial pipeline: raw page text joined, 512-token windows with 50 overlap, dense only."""

    pdfs: Sequence[Path]
    embed: Callable[[list[str]], object]
    window: int = 512
    overlap: int = 50
    passages: list[Passage] = field(default_factory=list)
    vectors: object = None

    def build(self) -> NaiveBaseline:
        from pypdf import PdfReader

        enc = tokens.encoding()
        for pdf in self.pdfs:
            reader = PdfReader(pdf)
            labels = list(reader.page_labels)
            text, starts = "", []
            for page in reader.pages:
                starts.append(len(text))
                text += (page.extract_text() or "") + "\n"
            ids = enc.encode(text, disallowed_special=())
            step = self.window - self.overlap
            position = 0
            for first in range(0, max(len(ids) - self.overlap, 1), step):
                piece = enc.decode(ids[first : first + self.window])
                start = text.find(piece[:50], max(position - 2000, 0))
                start = start if start >= 0 else position
                end = start + len(piece)
                position = start + 1
                pages = tuple(
                    labels[i]
                    for i, s in enumerate(starts)
                    if s < end and (i + 1 == len(starts) or starts[i + 1] > start)
                )
                chunk = Chunk(
                    f"naive-{first}",
                    pdf.name,
                    piece,
                    (),
                    pages,
                    (),
                    start,
                    end,
                    len(ids[first : first + self.window]),
                )
                self.passages.append(Passage(chunk, 0.0))
        self.vectors = self.embed([p.text for p in self.passages])
        return self

    def search(self, question: str, k: int) -> list[Passage]:
        import numpy as np

        scores = self.vectors @ self.embed([question])[0]
        order = np.argsort(-scores)[:k]
        return [replace(self.passages[i], score=float(scores[i])) for i in order]
