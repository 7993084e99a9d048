"""16 concurrent clients through the gradio API: no errors, the single-user answers, flat memory."""

from __future__ import annotations

import random
import shutil
import threading
import time
from pathlib import Path

import psutil
import pytest
from gradio_client import Client

from coopqa import Settings
from coopqa.core.settings import PROJECT_ROOT
from coopqa.evaluation import metrics
from coopqa.evaluation.questions import load_questions
from coopqa.index.collection import ingest

from ..pdfmaker import report_like
from ..serving import serving

pytestmark = pytest.mark.slow
QUESTIONS = [q.question for q in load_questions(Path(PROJECT_ROOT / "eval" / "questions.jsonl"))]


@pytest.fixture(scope="module")
def server(report_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("load") / "index"
    shutil.copytree(report_index, index)
    with serving(index) as (url, proc):
        yield url, proc, index


def run_clients(url, n_clients, per_client, questions, deadline_s):
    results, errors, latencies, finished = [], [], [], []
    run_clients.finished = finished  # completion times, for the index-switch test
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_s

    def client_loop(seed):
        client = Client(url, verbose=False)
        order = random.Random(seed).sample(range(len(questions)), per_client)
        for i in order:
            if time.monotonic() > stop_at:
                break
            started = time.perf_counter()
            try:
                text = client.predict(questions[i], api_name="/ask")["text"]
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                results.append((i, text))
                finished.append(time.monotonic())

    threads = [threading.Thread(target=client_loop, args=(seed,)) for seed in range(n_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, latencies


def test_sixteen_concurrent_clients_get_the_single_user_answers(server):
    url, _, _ = server
    questions = QUESTIONS[:25]
    single = Client(url, verbose=False)
    expected = {i: single.predict(q, api_name="/ask")["text"] for i, q in enumerate(questions)}
    results, errors, latencies = run_clients(url, 16, 25, questions, deadline_s=600)
    assert errors == []
    assert len(results) == 16 * 25
    assert all(text == expected[i] for i, text in results)
    print(
        f"\n16 clients x 25 questions: median {1000 * metrics.median(latencies):.0f} ms, "
        f"p95 {1000 * metrics.percentile(latencies, 95):.0f} ms per answer"
    )


def test_an_index_switch_in_the_middle_fails_no_request(server, tmp_path):
    """16 x 25 questions while a second document is ingested into the served index: the server
    moves to the new generation between requests and no request fails."""
    url, _, index = server
    questions = QUESTIONS[:25]
    switched: list[float] = []

    def ingest_midway():
        time.sleep(2.0)
        settings = Settings.from_env().override(index_dir=index)
        ingest([report_like(tmp_path / "lanterns.pdf")], settings)
        switched.append(time.monotonic())

    writer = threading.Thread(target=ingest_midway)
    writer.start()
    results, errors, _ = run_clients(url, 16, 25, questions, deadline_s=600)
    writer.join()
    assert errors == [] and len(results) == 16 * 25
    assert switched and any(t > switched[0] for t in run_clients.finished)  # answers came after it too
    question = "How many paper lanterns did the valley produce in 2023?"
    answer = Client(url, verbose=False).predict(question, api_name="/ask")
    assert "4,200" in answer["text"] and answer["answered"]


def test_memory_stays_flat_over_2000_questions(server):
    url, proc, _ = server
    process = psutil.Process(proc.pid)
    run_clients(url, 4, 50, QUESTIONS, deadline_s=300)  # warm every code path first
    start = process.memory_info().rss / 2**20
    results, errors, latencies = run_clients(url, 4, 500, QUESTIONS * 4, deadline_s=900)
    end = process.memory_info().rss / 2**20
    print(
        f"\n2000 questions: server RSS {start:.0f} MB -> {end:.0f} MB; "
        f"median {1000 * metrics.median(latencies):.0f} ms, "
        f"p95 {1000 * metrics.percentile(latencies, 95):.0f} ms"
    )
    assert errors == [] and len(results) == 2000
    assert end - start < 150
