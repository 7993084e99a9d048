"""Optional: a local LLM writes the prose, and every sentence it writes is checked.

Any OpenAI-compatible chat-completions endpoint works (llama.cpp server, Ollama, vLLM), named by
``COOPQA_LLM_URL`` (with ``COOPQA_LLM_MODEL``, ``COOPQA_LLM_API_KEY``, ``COOPQA_LLM_TIMEOUT``).
The reply is checked: markers naming no passage are removed, sentences with no marker are
flagged unsupported, and on a timeout, an HTTP error or a reply with no valid citation the
extractive answer is returned with a note. Nothing here runs unless the URL is set.
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from ..core.errors import CoopQAError
from ..core.records import Passage, page_label, section_label
from ..core.text import bm25_tokens, sentence_spans
from .records import DECLINED, Answer, Quote

SYSTEM = (
    "You answer questions about documents using ONLY the numbered passages given. "
    "Write one to four short sentences. After every sentence put the marker of the passage it "
    "comes from, like [1] or [2]. Do not use outside knowledge. If the passages do not contain "
    f"the answer, reply exactly: {DECLINED}"
)
_MARKER = re.compile(r"\[(\d+)\]")
# the model's "no answer" reply: the decline it was asked for, or the older wording models still give
_NO_ANSWER = re.compile(rf"(?i)(?:{re.escape(DECLINED.rstrip('.'))}|the report does not say)\.?")


class LLMError(CoopQAError):
    """The LLM endpoint failed: timeout, HTTP error or an unreadable reply."""


class ChatBackend(Protocol):
    """What coopqa needs of a chat model: one method."""

    def complete(self, messages: list[dict]) -> str:
        """The assistant message's text for the given chat messages."""


class OpenAICompatible:
    """A chat-completions endpoint over plain HTTP (no SDK needed)."""

    def __init__(self, url: str, model: str = "local", api_key: str = "", timeout: float = 30.0) -> None:
        url = url.rstrip("/")
        self.url = url if url.endswith("/chat/completions") else f"{url}/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout

    def _request(self, messages: list[dict], stream: bool) -> urllib.request.Request:
        body = {"model": self.model, "messages": messages, "temperature": 0, "stream": stream}
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )

    @contextlib.contextmanager
    def _errors(self):
        """Turn every way an HTTP call can fail into one ``LLMError`` saying which."""
        try:
            yield
        except urllib.error.HTTPError as exc:
            raise LLMError(f"LLM endpoint answered HTTP {exc.code}") from None
        except TimeoutError:
            raise LLMError(f"LLM endpoint timed out after {self.timeout:.0f} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise LLMError(f"LLM endpoint timed out after {self.timeout:.0f} s") from None
            raise LLMError(f"LLM endpoint unreachable ({exc.reason})") from None
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"LLM reply unreadable ({exc})") from None

    def complete(self, messages: list[dict]) -> str:
        with (
            self._errors(),
            urllib.request.urlopen(self._request(messages, False), timeout=self.timeout) as r,
        ):
            return str(json.loads(r.read().decode("utf-8"))["choices"][0]["message"]["content"])

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """The reply as it is written: server-sent ``data:`` events, one text delta each."""
        with self._errors(), urllib.request.urlopen(self._request(messages, True), timeout=self.timeout) as r:
            for raw in r:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta


def prompt(question: str, passages: Sequence[Passage]) -> list[dict]:
    numbered = "\n\n".join(
        f"[{n}] ({section_label(p.section, 50) or p.doc}, {page_label(p.pages)})\n{p.text}"
        for n, p in enumerate(passages, start=1)
    )
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Passages:\n\n{numbered}\n\nQuestion: {question}"},
    ]


def _closest_span(sentence: str, passage: Passage) -> tuple[int, int]:
    """The passage sentence sharing most words with a generated sentence (what to highlight)."""
    words = set(bm25_tokens(sentence))
    best, span = -1.0, (0, len(passage.text))
    for start, end in sentence_spans(passage.text) or [(0, len(passage.text))]:
        shared = len(words & set(bm25_tokens(passage.text[start:end])))
        if shared > best:
            best, span = shared, (start, end)
    return span


def check_reply(reply: str, passages: Sequence[Passage], extractive: Answer) -> Answer:
    """Turn an LLM reply into an ``Answer``: valid markers renumbered, unsupported sentences flagged.

    Raises:
        LLMError: the reply cites no passage that exists.
    """
    text = " ".join(reply.split())
    if not text:
        raise LLMError("LLM reply was empty")
    if _NO_ANSWER.fullmatch(text):
        return replace(extractive, note="the LLM found no answer in the passages; extractive answer shown")
    sentences = [text[a:b] for a, b in sentence_spans(text)] or [text]
    used: list[int] = []  # original passage numbers in order of first use
    parts, quotes = [], []
    for i, sentence in enumerate(sentences):
        valid = [int(n) for n in _MARKER.findall(sentence) if 1 <= int(n) <= len(passages)]
        body = _MARKER.sub("", sentence).strip()
        body = re.sub(r"\s+([.,;:!?])", r"\1", body)
        if not valid:
            quotes.append(Quote(i, 0, 0, 0, body, supported=False, kind="generated"))
            parts.append(body)
            continue
        markers = []
        for n in dict.fromkeys(valid):
            if n not in used:
                used.append(n)
            markers.append(used.index(n) + 1)
        first = passages[valid[0] - 1]
        start, end = _closest_span(body, first)
        quotes.append(
            Quote(
                i,
                markers[0],
                start,
                end,
                body,
                supported=True,
                kind="generated",
                pages=first.pages_of(start, end),
            )
        )
        parts.append(body + " " + "".join(f"[{m}]" for m in markers))
    if not used:
        raise LLMError("LLM reply cites no passage")
    return Answer(
        question=extractive.question,
        text=" ".join(parts),
        citations=tuple(passages[n - 1] for n in used),
        quotes=tuple(quotes),
        answered=True,
        note="written by the local LLM; sentences without a marker are unsupported",
        query=extractive.query,
    )


def llm_stream(
    backend: ChatBackend, question: str, passages: Sequence[Passage], extractive: Answer
) -> Iterator[str | Answer]:
    """Like :func:`llm_answer`, yielding the reply's text as it grows, then the checked ``Answer``."""
    if not hasattr(backend, "stream"):
        yield llm_answer(backend, question, passages, extractive)
        return
    text = ""
    try:
        for delta in backend.stream(prompt(question, passages)):
            text += delta
            yield text
        yield check_reply(text, passages, extractive)
    except LLMError as exc:
        yield replace(extractive, note=f"{exc}; extractive answer shown")


def llm_answer(
    backend: ChatBackend, question: str, passages: Sequence[Passage], extractive: Answer
) -> Answer:
    """Ask the LLM; on any failure fall back to the extractive answer with a note saying why."""
    try:
        reply = backend.complete(prompt(question, passages))
        return check_reply(reply, passages, extractive)
    except LLMError as exc:
        return replace(extractive, note=f"{exc}; extractive answer shown")
