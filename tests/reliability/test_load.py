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

from coopqa.core.settings import PROJECT_ROOT
from coopqa.evaluation import metrics
from coopqa.evaluation.questions import load_questions

from ..serving import serving

pytestmark = pytest.mark.slow
QUESTIONS = [q.question for q in load_questions(Path(PROJECT_ROOT / "eval" / "questions.jsonl"))]


@pytest.fixture(scope="module")
def server(report_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("load") / "index"
    shutil.copytree(report_index, index)
    with serving(index) as (url, proc):
        yield url, proc


def run_clients(url, n_clients, per_client, questions, deadline_s):
    results, errors, latencies = [], [], []
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

    threads = [threading.Thread(target=client_loop, args=(seed,)) for seed in range(n_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, latencies


def test_sixteen_concurrent_clients_get_the_single_user_answers(server):
    url, _ = server
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


def test_memory_stays_flat_over_2000_questions(server):
    url, proc = server
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
