"""The optional LLM path, against a small chat-completions server the test starts on 127.0.0.1."""

from __future__ import annotations

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coopqa.answer.records import AskRequest

QUESTION = "When does Vietnam aim to be carbon neutral?"


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.reply = ""
        self.mode = "ok"
        self.requests: list[dict] = []

    def handle_error(self, request, client_address):
        """A client that gave up (the timeout tests) is expected: no traceback on stderr, where it
        would land in whichever test is capturing output when the handler thread notices."""


class Handler(BaseHTTPRequestHandler):
    server: ChatServer

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        if self.server.mode == "slow":
            time.sleep(1.5)
        if self.server.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in self.server.reply.split(" "):
                chunk = {"choices": [{"delta": {"content": word + " "}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            return
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": self.server.reply}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = ChatServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()


@pytest.fixture
def llm_qa(qa, server):
    server.mode, server.requests = "ok", []
    clone = copy.copy(qa)
    clone.settings = qa.settings.override(
        url=f"http://127.0.0.1:{server.server_port}/v1",
        model="test-model",
        api_key="k3y",
        timeout=0.5,
    )
    clone._llm = None
    return clone


def test_reply_with_valid_markers(llm_qa, server):
    server.reply = "Vietnam aims to reach carbon neutrality by 2050 [1]. Its 2030 target is a 9% cut [1]."
    answer = llm_qa.ask(QUESTION)
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["model"] == "test-model"
    assert request["auth"] == "Bearer k3y"
    assert "[1] (" in request["messages"][1]["content"] and QUESTION in request["messages"][1]["content"]
    assert answer.answered and answer.text == (
        "Vietnam aims to reach carbon neutrality by 2050. [1] Its 2030 target is a 9% cut. [1]"
    )
    assert all(q.supported and q.kind == "generated" for q in answer.quotes)
    assert "written by the local LLM" in answer.note


def test_bogus_marker_removed_and_unmarked_sentence_flagged(llm_qa, server):
    server.reply = "Vietnam aims for 2050 [2]. It also plans a moon base [9]. Nothing cites this."
    answer = llm_qa.ask(QUESTION)
    assert "[9]" not in answer.text and "[2]" not in answer.text  # renumbered: the one cited is [1]
    assert answer.text.startswith("Vietnam aims for 2050. [1]")
    assert len(answer.citations) == 1
    flags = [q.supported for q in answer.quotes]
    assert flags == [True, False, False]


def test_reply_citing_nothing_falls_back(llm_qa, server):
    server.reply = "Vietnam aims for 2050 [42]."
    answer = llm_qa.ask(QUESTION)
    assert answer.text == "Vietnam: Carbon Neutrality 2050. [1]"
    assert "cites no passage" in answer.note and "extractive answer shown" in answer.note


@pytest.mark.parametrize("reply", ["The indexed documents do not say.", "the report does not say"])
def test_a_no_answer_reply_falls_back(llm_qa, server, reply):
    server.reply = reply
    answer = llm_qa.ask(QUESTION)
    assert "The indexed documents do not say." in server.requests[0]["messages"][0]["content"]
    assert answer.text == "Vietnam: Carbon Neutrality 2050. [1]" and "found no answer" in answer.note


def test_timeout_falls_back(llm_qa, server):
    server.mode = "slow"
    answer = llm_qa.ask(QUESTION)
    assert answer.text == "Vietnam: Carbon Neutrality 2050. [1]"
    assert "timed out" in answer.note


def test_http_error_falls_back(llm_qa, server):
    server.mode = "error"
    answer = llm_qa.ask(QUESTION)
    assert answer.text == "Vietnam: Carbon Neutrality 2050. [1]" and "HTTP 500" in answer.note


def test_unreachable_endpoint_falls_back(qa):
    clone = copy.copy(qa)
    clone.settings = qa.settings.override(url="http://127.0.0.1:9", timeout=0.5)
    clone._llm = None
    answer = clone.ask(QUESTION)
    assert answer.answered and "unreachable" in answer.note


def test_default_path_needs_no_server(qa):
    assert qa.llm is None and qa.ask(QUESTION).note == ""


def test_streamed_reply_grows_then_is_checked(llm_qa, server):
    server.reply = "Vietnam aims to reach carbon neutrality by 2050 [1]. Nothing backs this."
    events = list(llm_qa.ask_stream(QUESTION))
    partial, final = events[:-1], events[-1]
    assert len(partial) >= 5 and all(isinstance(p, str) for p in partial)
    assert partial[-1].startswith("Vietnam aims to reach") and len(partial[0]) < len(partial[-1])
    assert final.text == "Vietnam aims to reach carbon neutrality by 2050. [1] Nothing backs this."
    assert [q.supported for q in final.quotes] == [True, False]
    assert server.requests[-1]["stream"] is True


def test_ui_streams_then_shows_the_checked_answer(llm_qa, server):
    from coopqa.app import handlers as h

    server.reply = "Vietnam aims for 2050 [1]."
    session = h.Session(settings=llm_qa.settings, qa=llm_qa)
    steps = list(h.ask_stream(session, AskRequest(QUESTION), [], []))
    assert steps[0][2] is None and steps[0][0][-1]["content"].endswith("▍")
    history, answers, answer = steps[-1]
    assert answer.text == "Vietnam aims for 2050. [1]" and history[-1]["content"].startswith("Vietnam aims")
    assert len(answers) == 1
