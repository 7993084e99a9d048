"""Serving safely: loopback by default, --auth enforced, only page renders fetchable, uploads capped."""

from __future__ import annotations

import shutil
import urllib.parse

import psutil
import pytest
import requests
from gradio_client import Client

from coopqa.index.store import current_generation

from ..conftest import REPORT_PDF
from ..serving import serving

QUESTION = "When does Vietnam aim to be carbon neutral?"


@pytest.fixture(scope="module")
def server(report_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("safe") / "index"
    shutil.copytree(report_index, index)
    with serving(index, "--auth", "ann:s3cret", "--max-file-mb", "1") as (url, proc):
        yield url, proc, index


@pytest.fixture(scope="module")
def logged_in(server):
    url, _, _ = server
    session = requests.Session()
    response = session.post(url + "login", data={"username": "ann", "password": "s3cret"}, timeout=30)
    assert response.status_code == 200
    return session


def test_binds_loopback_by_default(server):
    _, proc, _ = server
    listening = [
        c.laddr for c in psutil.Process(proc.pid).net_connections() if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(addr.ip == "127.0.0.1" for addr in listening)


def test_auth_is_required_and_works(server):
    url, _, _ = server
    assert requests.get(url + "config", timeout=30).status_code == 401
    assert (
        requests.post(url + "login", data={"username": "ann", "password": "wrong"}, timeout=30).status_code
        == 400
    )
    with pytest.raises(Exception, match="credentials"):
        Client(url, verbose=False)
    client = Client(url, auth=("ann", "s3cret"), verbose=False)
    result = client.predict(QUESTION, api_name="/ask")
    assert result["text"] == "Vietnam: Carbon Neutrality 2050. [1]" and result["answered"]


def test_no_file_outside_the_render_cache_can_be_fetched(server, logged_in):
    url, _, index = server
    gen = current_generation(index)
    for path in [
        gen / "manifest.json",
        gen / "faiss.index",
        index / "CURRENT",
        REPORT_PDF,
        REPORT_PDF.parent,
        "/etc/passwd",
        f"{index}/renders/../CURRENT",
        "../../../../etc/passwd",
    ]:
        response = logged_in.get(url + "gradio_api/file=" + urllib.parse.quote(str(path)), timeout=30)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert b"root:" not in response.content and b"%PDF" not in response.content


def test_a_page_render_is_served(server, logged_in):
    url, _, index = server
    client = Client(url, auth=("ann", "s3cret"), verbose=False)
    client.predict(QUESTION, api_name="/ask")
    renders = index / "renders"
    renders.mkdir(exist_ok=True)
    sample = renders / "sample.png"
    sample.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    response = logged_in.get(url + "gradio_api/file=" + str(sample), timeout=30)
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_upload_over_the_limit_is_refused_before_parsing(server, logged_in):
    url, _, _ = server
    big = ("big.pdf", b"%PDF-1.4\n" + b"0" * 1_100_000)
    response = logged_in.post(url + "gradio_api/upload", files={"files": big}, timeout=60)
    assert response.status_code == 413 and "maximum allowed size" in response.text
    small = ("small.pdf", b"%PDF-1.4\n" + b"0" * 1000)
    assert logged_in.post(url + "gradio_api/upload", files={"files": small}, timeout=60).status_code == 200
