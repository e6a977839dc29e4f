"""Servers for the web tests: one in this process (Starlette's TestClient, with the real
worker pool behind it) and one for real (``derivcheck serve`` in its own process, for the
browser and for concurrent clients). Both skip, saying why, without the web extra."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Small limits keep the hostile tests short: 0.25 s of CPU in the quick lane, 1 s in all
#: (the slowest benign request of these tests, a plot, takes about 0.3 s).
SECONDS = 1.0
#: A formula whose explanation needs far more than SECONDS of CPU (sin(x·sin(x·…)), 20
#: deep: every level multiplies the derivative's terms), at a point where it must be exact.
TIME_BOMB = {"expr": "sin(x*" * 20 + "x" + ")" * 20, "at": "1/3"}


def _needs(module: str, why: str):
    return pytest.importorskip(module, reason=f"{module} is not installed: {why}")


@pytest.fixture(scope="session")
def client():
    """A TestClient on the real application, its pool started (once for the session)."""
    _needs("starlette", 'the web extra: pip install ".[web]"')
    _needs("httpx", "Starlette's TestClient needs httpx: pip install httpx")
    with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from derivcheck.web.app import ServerSettings, create_app
    from derivcheck.web.pool import PoolSettings

    settings = ServerSettings(
        pool=PoolSettings(workers=2, long_workers=1, seconds=SECONDS, queue=64),
        upload_bytes=1024 * 1024,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class LiveServer:
    """``derivcheck serve`` in a process of its own; ``url`` is where it listens."""

    def __init__(self, process: subprocess.Popen, url: str):
        self.process = process
        self.url = url

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=60) as response:
            return json.loads(response.read())

    def post(self, path: str, data: dict) -> tuple[int, dict, float]:
        """(status, JSON, seconds it took)."""
        request = urllib.request.Request(
            self.url + path.lstrip("/"),
            json.dumps(data).encode(),
            {"Content-Type": "application/json"},
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                body, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        return status, json.loads(body), time.monotonic() - started


@contextlib.contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """``python -m derivcheck ARGS`` (a ``serve`` command) in a process of its own, with
    this checkout first on the path: the process and the address it prints first; stopped
    with Ctrl+C at the end."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "derivcheck", *args], cwd=REPO, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = process.stdout.readline()
    if re.search(r"http://\S+/", line) is None:
        process.kill()
        raise AssertionError(f"the server did not start: {line!r} {process.stderr.read()}")
    try:
        yield process, line
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()


@pytest.fixture(scope="session")
def live_server():
    """``derivcheck serve --port 0``: its address is the first line it prints."""
    _needs("starlette", 'the web extra: pip install ".[web]"')
    _needs("uvicorn", 'the web extra: pip install ".[web]"')
    args = ("serve", "--port", "0", "--workers", "2", "--seconds", str(SECONDS))
    with serving(*args) as (process, line):
        assert line.startswith("derivcheck serve: http://"), line
        yield LiveServer(process, line.split()[2])
