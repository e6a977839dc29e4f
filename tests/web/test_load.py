"""benchmarks/load.py, run small against ``derivcheck serve``: every benign answer right,
every hostile one refused, and the report's table (the README's is a full run of it)."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from tests.web.conftest import REPO


@pytest.fixture(scope="module")
def load():
    """benchmarks/load.py as a module (its dataclasses need it in sys.modules)."""
    spec = importlib.util.spec_from_file_location("load", REPO / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["load"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["load"]


@pytest.mark.parametrize("distinct", [False, True])
def test_the_load_test_runs_and_reports_its_table(load, live_server, capsys, distinct):
    """One second of four clients. With seed 1361 the first request of client 0 is a time
    bomb and that of client 1 an oversized body, in both runs (every client sends its first
    request whatever the timing), and no client can reach its next time bomb within the
    second (its pauses alone add up to more): the run lasts about as long as one request
    that runs out of time, not as a queue of them in the long lane."""
    argv = ["--url", live_server.url, "--clients", "4", "--seconds", "1", "--think", "0.1",
            "--hostile", "0.2", "--seed", "1361",
            *(["--distinct"] if distinct else [])]  # fmt: skip
    assert load.main(argv) == 0  # 0: no benign request failed
    printed = capsys.readouterr().out
    assert "| requests | requests/s | benign p50 | benign p99 |" in printed
    assert "- benign explain: " in printed and "- hostile " in printed
    assert ("every request distinct" in printed) == distinct
    # every hostile request refused (400, 413, 429; an answer to check graded unparseable)
    hostile = re.findall(r"^- hostile (\w+): (.*): (\d+)$", printed, re.M)
    for kind, answer, _ in hostile:
        assert answer.startswith(("400 ", "413 ", "429 ")) or answer == "200 unparseable", kind
    assert ("slow", "400 limits.took_too_long", "1") in hostile, printed
    assert any(kind == "oversized" and answer == "413 web.too_large" for kind, answer, _ in hostile)


def test_distinct_requests_are_distinct_and_their_answers_known(load):
    import json
    import random

    rng = random.Random(7)
    benign = [load.benign_request(rng, distinct=True) for _ in range(2000)]
    hostile = [load.hostile_request(rng, distinct=True) for _ in range(300)]
    bodies = {json.dumps(r[2], sort_keys=True) for r in benign}
    bodies |= {json.dumps(r[2], sort_keys=True) for r in hostile}
    assert len(bodies) >= 0.99 * (len(benign) + len(hostile))
    # a check's function has a constant term of its own: its derivative is the template's
    check = next(r for r in benign if r[0] == "check")
    assert re.fullmatch(r".+ \+ \d+", check[2]["function"])


def test_the_load_test_sends_traffic_to_loopback_only(load):
    load.loopback("http://127.0.0.1:8000/")
    load.loopback("http://[::1]:8000/")
    try:
        load.loopback("http://example.com/")
    except SystemExit as refused:
        assert "loopback addresses only" in str(refused)
    else:
        raise AssertionError("example.com was allowed")
