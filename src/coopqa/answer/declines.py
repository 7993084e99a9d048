"""Why the documents do not answer: the decline, and the names no indexed document mentions.

A decline has no citations, opens with ``DECLINED`` and names the closest sections (see
:mod:`coopqa.answer.records`). :func:`unmentioned` is what the index itself knows: a question
whose every named thing ("Cancun", "Figshare") stands in no chunk, caption or heading of the
collection cannot be answered from it, however close some sentence scores; the decline then
says which names no document mentions. :func:`unused_noun` is the softer case: the noun a
question asks for ("the main challenges") is in no indexed text, so the answer is only the
closest statement, and its note says so. :func:`did_you_mean` names a written name close to one
no document mentions (a misspelling).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

from ..core.records import Chunk, Passage, page_label, section_label
from ..core.text import bm25_tokens
from .question import QuestionInfo
from .records import DECLINED, NO_QUESTION, Answer


def vocabulary(chunks: Iterable[Chunk], sentence_words: Iterable[str]) -> frozenset[str]:
    """Every word (``bm25_tokens``) of the chunks' sentences (``sentence_words``: tokenised once
    already, for the IDF), captions and headings, each caption and heading path read once."""
    words = set(sentence_words)
    labels = {chunk.caption for chunk in chunks} | {" ".join(chunk.section) for chunk in chunks}
    for label in labels:
        words.update(bm25_tokens(label))
    return frozenset(words)


def unmentioned(info: QuestionInfo, words: frozenset[str]) -> tuple[str, ...]:
    """The question's named things when no indexed text mentions any of them, else ``()`` (one
    that is mentioned can still be answered about, even if another, an alternative, is not). A
    name with no word the index keeps ("R&D": each letter too short) may be mentioned: it is not
    counted absent."""
    absent = [e for e in info.entities if (tokens := bm25_tokens(e)) and not any(t in words for t in tokens)]
    return tuple(absent) if absent and len(absent) == len(info.entities) else ()


def did_you_mean(absent: Sequence[str], names: Mapping[str, str]) -> str:
    """ " Did you mean X?" for the names no document mentions that are close to a name the
    documents write (``names``, as :func:`~.casing.written_names` gives them): a misspelt
    "Norwya" is not a country the collection lacks. An acronym gets none: one letter makes
    another thing of it. "" when none is close."""
    written = sorted(set(names.values()))
    words = [name for name in absent if not name.isupper()]  # "TSTORE" is no misspelt "SSTORE"
    close = [difflib.get_close_matches(name, written, n=1, cutoff=0.75) for name in words]
    found = list(dict.fromkeys(match[0] for match in close if match))
    return f" Did you mean {' or '.join(found)}?" if found else ""


_ASKED = re.compile(
    r"^\s*(?:(?:what|which)\s+(?:are|is|were|was)\s+(?:the\s+)?"
    r"(?:(?:main|key|major|biggest|primary|chief|principal)\s+)?"
    r"|(?:what|which)\s+(?=\w+\s+(?:do|does|did|are|is|have|has)\b))"
    r"([A-Za-z]+)\b",
    re.I,
)
_NOT_NOUNS = re.compile(r"(?:ed|ing|en)$|^(?:meant|done|made|said|known|there|one|it|this|that)$", re.I)


def unused_noun(query: str, words: frozenset[str]) -> str:
    """The noun a "What are the (main) X ...?" or "Which X do ...?" question asks for when no
    indexed text uses it ("challenges" of a report that never says "challenge"), else "". Its
    answer is then only the closest statement: the note says so (declining would cost questions
    answered in other words, "the drawback" of a model the text calls costly)."""
    match = _ASKED.match(query)
    if not match or _NOT_NOUNS.search(match.group(1)):  # "What is meant by ...", "being done"
        return ""
    tokens = bm25_tokens(match.group(1))
    return match.group(1) if tokens and tokens[0] not in words else ""


def decline(
    question: str, query: str, passages: Sequence[Passage], many_docs: bool = False, doc: str = ""
) -> Answer:
    """The documents do not contain the answer: say so (``DECLINED``, naming ``doc`` when it is
    the only one indexed) and point at the closest sections. An empty question gets ``NO_QUESTION``."""
    if not question.strip():
        return Answer(
            question=question, text=NO_QUESTION, citations=(), quotes=(), answered=False, query=query
        )
    grouped: dict[str, list[tuple[int, str]]] = {}
    for passage in passages:
        where = section_label(passage.section, width=50) or passage.doc
        pages = grouped.setdefault(where, [])
        for physical, label in zip(passage.physical_pages or (0,) * len(passage.pages), passage.pages):
            if (physical, label) not in pages:
                pages.append((physical, label))
    closest = [
        f"{where} ({page_label(tuple(label for _, label in sorted(pages)))})"
        for where, pages in list(grouped.items())[:3]
    ]
    indexed = f" (1 document: {doc})" if doc and not many_docs else ""
    text = DECLINED + indexed + (f" Closest sections: {'; '.join(closest)}." if closest else "")
    return Answer(
        question=question,
        text=text,
        citations=(),
        quotes=(),
        answered=False,
        query=query,
        closest=tuple(closest),
        scope="documents" if many_docs else "report",
    )
