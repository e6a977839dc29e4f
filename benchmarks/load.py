"""Load test of ``derivcheck serve`` on loopback: concurrent clients, 5% of them hostile.

    python benchmarks/load.py                       # 50 clients, 30 s, a server of its own
    python benchmarks/load.py --clients 20 --seconds 10 --workers 2   # 2 quick workers
    python benchmarks/load.py --url http://127.0.0.1:8000/   # a server already running
    python benchmarks/load.py --distinct            # every request new to the server's cache

Each client is a loop on its own keep-alive connection: it sends a request, waits for the
answer, sends the next (no pause, unless ``--think``), until the time is up; the run is
bounded in time and in requests (``--max-requests``), and only loopback addresses are
allowed. 95% of the requests are benign — ``/api/explain`` of a function from a list at a
random point (three decimals), and ``/api/check`` of a generated answer (right or with a
typical mistake, a coefficient from 2 to 40: a few hundred different exercises, which the
server's cache of answers soon holds); 5% are hostile: computations
that run into the time limit (``sin(x*sin(x*…))`` 20 deep), numbers past any range
(``exp(exp(exp(exp(exp(x)))))``, ``x^(10^4000)``), code and
markup (``__import__('os')``, ``<img src=x onerror=alert(1)>``), nesting past the
parser's bound and an oversized body. With ``--distinct`` no two requests are the same
(points with six decimals, each function to check with a constant term of its own, the
hostile ones at points of their own), so that no answer comes from the cache and no
request waits for an identical one: the figure is what the computation costs.

A benign request fails unless it gets 200 with the right answer (the derivative's value
is compared with the exact one this script knows). The report gives requests per second,
p50/p99 latency of benign and of hostile requests, and every failure, as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

#: Benign explanations: (expression, its derivative as a Python function of x, the points
#: it is asked at). Each derivative is written out by hand, not taken from derivcheck.
EXPLAIN = [
    ("sin(exp(x^2))", lambda x: 2 * x * math.exp(x * x) * math.cos(math.exp(x * x)), (-1, 1)),
    ("(3x+2)^2", lambda x: 6 * (3 * x + 2), (-3, 3)),
    ("x^3 - 2x", lambda x: 3 * x * x - 2, (-3, 3)),
    ("sqrt(1+x^2)", lambda x: x / math.sqrt(1 + x * x), (-3, 3)),
    ("x*sin(x)", lambda x: math.sin(x) + x * math.cos(x), (-3, 3)),
    ("ln(1+x^2)", lambda x: 2 * x / (1 + x * x), (-3, 3)),
    ("sigmoid(2x)", lambda x: 2 * math.exp(-2 * x) / (1 + math.exp(-2 * x)) ** 2, (-3, 3)),
    ("tanh(x)^2", lambda x: 2 * math.tanh(x) / math.cosh(x) ** 2, (-2, 2)),
    ("e^(-x)*cos(3x)", lambda x: -math.exp(-x) * (math.cos(3 * x) + 3 * math.sin(3 * x)),
     (-2, 2)),
]  # fmt: skip

#: Benign answers: (function with coefficient k, the right answer, a typical wrong one).
CHECK = [
    ("{k}x^3", "{k3}x^2", "{k}x^2"),
    ("({k}x+1)^2", "{k2}({k}x+1)", "2({k}x+1)"),
    ("sin({k}x)", "{k}cos({k}x)", "cos({k}x)"),
    ("e^({k}x)", "{k}e^({k}x)", "e^({k}x)"),
    ("x^{k}", "{k}x^({k} - 1)", "{k}x^{k}"),
]

HOSTILE = [
    ("slow", "/api/explain", {"expr": "sin(x*" * 20 + "x" + ")" * 20, "at": "1/3"}),
    ("slow", "/api/explain", {"expr": "tanh(x*" * 40 + "x" + ")" * 40, "at": "1/3"}),
    ("huge", "/api/explain", {"expr": "exp(exp(exp(exp(exp(x)))))", "at": 3}),
    ("huge", "/api/explain", {"expr": "x^(10^4000)", "at": 2}),
    ("code", "/api/explain", {"expr": "__import__('os').system('echo pwned')", "at": 1}),
    ("markup", "/api/explain", {"expr": "<img src=x onerror=alert(1)>", "at": 1}),
    ("nesting", "/api/explain", {"expr": "(" * 5000 + "x" + ")" * 5000, "at": 1}),
    ("oversized", "/api/explain", {"expr": "x+" * 150_000 + "x", "at": 1}),
    ("code", "/api/check", {"function": "x^2", "answer": "__import__('os')"}),
]
#: A hostile request is answered right when it is refused (400, 413, or 429 when the server
#: is full), except an answer to check, which is graded: 200 with the verdict "unparseable".
HOSTILE_ANSWERED = {"/api/check": (200, "unparseable")}


@dataclass
class Outcome:
    kind: str  # "explain", "check", or a hostile kind
    benign: bool
    status: int
    seconds: float
    ok: bool
    detail: str = ""
    #: when the answer came (time.monotonic())
    finished: float = 0.0


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0


def benign_request(rng: random.Random, distinct: bool = False):
    if rng.random() < 0.5:
        expression, derivative, (low, high) = rng.choice(EXPLAIN)
        x = round(rng.uniform(low, high), 6 if distinct else 3)
        want = derivative(x)

        def judge(data: dict) -> bool:
            got = data.get("explanation", {}).get("value")
            return got is not None and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)

        return "explain", "/api/explain", {"expr": expression, "at": str(x)}, judge
    function, right, wrong = rng.choice(CHECK)
    k = rng.randint(2, 40)
    words = {"k": k, "k2": 2 * k, "k3": 3 * k}
    if distinct:  # a constant of its own: a new exercise, the same derivative
        function += f" + {rng.randint(1, 999_999)}"
    correct = rng.random() < 0.5
    answer = (right if correct else wrong).format(**words)
    verdict = "correct" if correct else "incorrect"

    def judge(data: dict) -> bool:
        return data.get("verdict") == verdict

    return "check", "/api/check", {"function": function.format(**words), "answer": answer}, judge


async def http_post(reader, writer, host: str, path: str, body: bytes):
    """One POST on an open HTTP/1.1 keep-alive connection: (status, body, closed by the
    server)."""
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")  # fmt: skip
    writer.write(head.encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, close = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "connection" and "close" in value.lower():
            close = True
    data = await reader.readexactly(length) if length else b""
    return status, data, close


def hostile_request(rng: random.Random, distinct: bool = False):
    kind, path, fields = rng.choice(HOSTILE)
    if distinct and "at" in fields:
        fields = {**fields, "at": f"{rng.randint(1, 999_999)}/1000000"}
    elif distinct:
        fields = {**fields, "function": f"x^2 + {rng.randint(2, 999_999)}x"}
    return kind, path, fields


async def client(number: int, url: str, deadline: float, budget: list[int], run: Run,
                 args: argparse.Namespace) -> None:  # fmt: skip
    rng = random.Random(args.seed * 1000 + number)
    parts = urlsplit(url)
    connection = None
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        if rng.random() < args.hostile:
            kind, path, fields = hostile_request(rng, args.distinct)
            benign, judge = False, None
        else:
            kind, path, fields, judge = benign_request(rng, args.distinct)
            benign = True
        body = json.dumps(fields).encode()
        started = time.monotonic()
        try:
            if connection is None:
                connection = await asyncio.open_connection(parts.hostname, parts.port)
            status, data, closed = await asyncio.wait_for(
                http_post(*connection, parts.netloc, path, body), timeout=120
            )
            if closed:  # the server said so (after refusing an oversized body)
                connection[1].close()
                connection = None
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            if connection is not None:
                connection[1].close()
            connection = None
            finished = time.monotonic()
            run.outcomes.append(
                Outcome(kind, benign, 0, finished - started, False, type(error).__name__, finished)
            )
            continue
        finished = time.monotonic()
        seconds = finished - started
        if benign:
            answer = json.loads(data) if status == 200 else {}
            ok = status == 200 and judge(answer)
            detail = "" if ok else f"{status} {data[:120]!r}"
        else:
            answer = json.loads(data) if data else {}
            key = answer.get("error", {}).get("key", "") or answer.get("verdict", "")
            ok = (status, key) == HOSTILE_ANSWERED.get(path) or status in (400, 413, 429)
            detail = f"{status} {key}"
        run.outcomes.append(Outcome(kind, benign, status, seconds, ok, detail, finished))
        if args.think:
            await asyncio.sleep(rng.uniform(0, 2 * args.think))
    if connection is not None:
        connection[1].close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def report(run: Run, args: argparse.Namespace, health: dict | None) -> str:
    duration = run.ended - run.started
    # the rate counts the answers that came within the run's time: a hostile request sent
    # just before the end would stretch it by its time limit
    window = min(args.seconds, duration)
    answered = sum(1 for o in run.outcomes if o.finished <= run.started + window)
    benign = [o for o in run.outcomes if o.benign]
    hostile = [o for o in run.outcomes if not o.benign]
    failed = [o for o in benign if not o.ok]
    ms = lambda v: "–" if math.isnan(v) else f"{1000 * v:.0f} ms"  # noqa: E731
    inputs = "every request distinct" if args.distinct else "repeated inputs allowed"
    lines = [
        f"{args.clients} clients for {args.seconds:g} s (pauses of {args.think:g} s on average, "
        f"{inputs}) against {args.workers_text}; {len(run.outcomes)} requests "
        f"({len(hostile)} hostile), the last answered after {duration:.1f} s",
        "",
        "| requests | requests/s | benign p50 | benign p99 | hostile p50 | hostile p99 "
        "| failed benign |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(run.outcomes)} | {answered / window:.1f} "
        f"| {ms(percentile([o.seconds for o in benign], 0.5))} "
        f"| {ms(percentile([o.seconds for o in benign], 0.99))} "
        f"| {ms(percentile([o.seconds for o in hostile], 0.5))} "
        f"| {ms(percentile([o.seconds for o in hostile], 0.99))} | {len(failed)} |",
        "",
    ]
    for kind in ("explain", "check"):
        times = [o.seconds for o in benign if o.kind == kind]
        if times:
            lines.append(f"- benign {kind}: {len(times)}, p50 {ms(percentile(times, 0.5))}, "
                         f"p99 {ms(percentile(times, 0.99))}, max {ms(max(times))}")  # fmt: skip
    answers = Counter(f"{o.kind}: {o.detail}" for o in hostile)
    for what, n in sorted(answers.items()):
        lines.append(f"- hostile {what}: {n}")
    for what, n in Counter(f"{o.kind}: {o.detail}" for o in failed).most_common(10):
        lines.append(f"- FAILED benign {what}: {n}")
    if health is not None:
        lanes = health["lanes"]
        lines.append(
            f"- server: {lanes['quick']['workers']} quick workers "
            f"({health['limits']['quick_cpu_seconds']:g} s of CPU each request), "
            f"{lanes['long']['workers']} long; quick lane served {lanes['quick']['served']}, moved "
            f"{lanes['quick']['moved_on']} on; long lane stopped {lanes['long']['limit']} at the "
            f"limit, workers replaced {lanes['quick']['killed'] + lanes['long']['killed']}, "
            f"refused (429) {lanes['quick']['refused'] + lanes['long']['refused']}; cache hits "
            f"{health['cache']['hits']} of {health['cache']['hits'] + health['cache']['misses']}"
        )
        for name in ("quick", "long"):
            lane = lanes[name]
            if "waited_ms" in lane and lane["ran_ms"]["p50"] is not None:
                said = [
                    f"{what} p50 {lane[what + '_ms']['p50']:.0f} ms, p99 "
                    f"{lane[what + '_ms']['p99']:.0f} ms"
                    for what in ("waited", "ran", "cpu")
                ]
                lines.append(f"- {name} lane: " + "; ".join(said))
    lines.append(f"- machine: {describe()}")
    return "\n".join(lines)


def loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"load.py sends traffic to loopback addresses only, not {host!r}")


def start_server(workers: int | None) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "derivcheck", "serve", "--port", "0"]
    if workers is not None:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("derivcheck serve: http://"):
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, line.split()[2]


def tree_cpu(root: int) -> tuple[float, float]:
    """CPU seconds used so far by process ``root`` itself, and by it and its descendants
    alive now (Linux /proc; a worker killed at the time limit takes its own seconds with
    it)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return cpu.get(root, 0.0), sum(cpu.get(pid, 0.0) for pid in family)


def get_json(url: str) -> dict:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


async def load(url: str, args: argparse.Namespace) -> Run:
    run = Run()
    budget = [args.max_requests]
    run.started = time.monotonic()
    deadline = run.started + args.seconds
    await asyncio.gather(*(
        client(n, url, deadline, budget, run, args)
        for n in range(args.clients)
    ))  # fmt: skip
    run.ended = time.monotonic()
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--workers", type=int, help="quick workers of the server (default: the server's)"
    )
    parser.add_argument("--hostile", type=float, default=0.05, help="share of hostile requests")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause of a client between requests, in seconds",
    )
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="no two requests the same: no answer from the server's cache",
    )
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    process = None
    if args.url:
        url = args.url if args.url.endswith("/") else args.url + "/"
        args.workers_text = url
    else:
        process, url = start_server(args.workers)
        args.workers_text = "derivcheck serve" + (
            "" if args.workers is None else f" --workers {args.workers}"
        )
    loopback(url)
    try:
        before = tree_cpu(process.pid) if process is not None else None
        run = asyncio.run(load(url, args))
        health = get_json(url + "api/health")
        after = tree_cpu(process.pid) if process is not None else None
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
    print(report(run, args, health))
    if after is not None:
        server, cpu = after[0] - before[0], after[1] - before[1]
        per = lambda seconds: 1000 * seconds / max(1, len(run.outcomes))  # noqa: E731
        print(f"- CPU used by the server and its workers during the run: {cpu:.1f} s, "
              f"{per(cpu):.0f} ms a request ({per(server):.1f} ms in the server's own "
              "process)")  # fmt: skip
    return 0 if all(o.ok for o in run.outcomes if o.benign) else 1


if __name__ == "__main__":
    sys.exit(main())
