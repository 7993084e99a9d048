"""Question sets: one JSON object a line, checked as they are read.

Each record names the question, its kind, the facts a right answer must contain, the evidence
(verbatim text of the document that holds the answer), and the gold section and printed pages.
Evidence is text, not chunk ids, so a set survives any re-chunking. Each question belongs to a
split: ``dev`` (tune on it, look at its misses) or ``test`` (frozen: only ever reported).

The sets themselves are listed in ``eval/sets.json`` (:func:`load_sets`): a name, its question
file, and the documents it is about (none: the index in use, by default the bundled report).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError

KINDS = ("factoid", "list", "explain", "table", "figure", "multi", "unanswerable")
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Question:
    """One line of ``eval/questions.jsonl``."""

    id: str
    question: str
    kind: str
    answer_facts: tuple[str, ...]
    evidence: tuple[str, ...]
    section: str
    pages: tuple[str, ...]
    split: str = "test"  # "dev": may be tuned on; "test": frozen, only reported
    doc: str = ""  # the document the question is about, where a set spans several

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def load_questions(path: Path) -> tuple[Question, ...]:
    """Read and check a question set; a bad line raises with its number and the reason."""
    if not path.is_file():
        raise UsageError(f"{path}: question set not found")
    questions, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            q = Question(
                id=str(raw["id"]),
                question=str(raw["question"]),
                kind=str(raw["kind"]),
                answer_facts=tuple(raw.get("answer_facts", ())),
                evidence=tuple(raw.get("evidence", ())),
                section=str(raw.get("section", "")),
                pages=tuple(str(p) for p in raw.get("pages", ())),
                split=str(raw.get("split", "test")),
                doc=str(raw.get("doc", "")),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}:{number}: not a question record ({exc})") from None
        if q.kind not in KINDS:
            raise UsageError(f"{path}:{number}: kind {q.kind!r} is not one of {', '.join(KINDS)}")
        if q.split not in SPLITS:
            raise UsageError(f"{path}:{number}: split {q.split!r} is not one of {', '.join(SPLITS)}")
        if q.id in seen:
            raise UsageError(f"{path}:{number}: duplicate id {q.id}")
        if q.answerable and not q.evidence:
            raise UsageError(f"{path}:{number}: answerable question {q.id} has no evidence")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise UsageError(f"{path}: no questions")
    return tuple(questions)


@dataclass(frozen=True)
class EvalSet:
    """A question set and the documents it asks about."""

    name: str
    questions: Path
    corpus: tuple[Path, ...]  # empty: ask the index in use
    about: str = ""


def load_sets(path: Path) -> dict[str, EvalSet]:
    """The sets of ``eval/sets.json``; paths in it are relative to its folder."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: EvalSet(
                name,
                path.parent / entry["questions"],
                tuple(path.parent / c for c in entry.get("corpus", ())),
                entry.get("about", ""),
            )
            for name, entry in raw.items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a list of evaluation sets ({exc})") from None
