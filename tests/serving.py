"""Start `coopqa serve` in a child process for the browser, load and safety tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(index: Path, *args: str, timeout: float = 120):
    """Yield ``(url, process)`` of a server on a free port over ``index``; stop it afterwards."""
    port = free_port()
    # gradio's copies of uploads go to the test's folder, not the machine's /tmp/gradio
    env = {**os.environ, "COOPQA_INDEX": str(index), "GRADIO_TEMP_DIR": str(index.parent / "gradio")}
    log_path = index.parent / f"serve-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "coopqa", "serve", "--port", str(port), *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2)
                    break
                except urllib.error.HTTPError:
                    break  # answering (a login page counts)
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"coopqa serve did not start: {log_path.read_text()}") from None
                    time.sleep(0.5)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
