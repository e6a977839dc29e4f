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
    argv = ["--url", live_server.url, "--clients", "4", "--seconds", "2", "--think", "0.1",
            "--hostile", "0.2", *(["--distinct"] if distinct else [])]  # fmt: skip
    assert load.main(argv) == 0  # 0: no benign request failed
    printed = capsys.readouterr().out
    assert "| requests | requests/s | benign p50 | benign p99 |" in printed
    assert "- benign explain: " in printed and "- hostile " in printed
    assert ("every request distinct" in printed) == distinct


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
