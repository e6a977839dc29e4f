"""``derivcheck serve``: the web page and its JSON API (needs the ``web`` extra)."""

from __future__ import annotations

import argparse
import os
import socket

from derivcheck.cli import add_lang_argument
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message, text

DESCRIPTION = """\
Serve derivcheck's web page and JSON API: explain a derivative with its steps, graph and
plot, check an answer, play with the chapter's network, grade a class's answers file; in
English or Chinese. Every request runs in a worker process with a hard time limit; the
page needs nothing from the internet. Needs: pip install "derivcheck[web]"."""
EPILOG = """examples:
  derivcheck serve                          (http://127.0.0.1:8000/)
  derivcheck serve --port 8080 --workers 4
  derivcheck serve --host 0.0.0.0           (reachable from other machines)

the API: POST /api/explain, /api/check, /api/grade, /api/parse, /api/derive;
GET /api/health, /api/plot.png, /api/openapi.json (the whole description)
"""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port (0: any free one)")
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes for requests (default: two per core); one more takes the long ones",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=5.0,
        metavar="S",
        help="CPU seconds one request may use before it is stopped (default: 5)",
    )
    add_lang_argument(parser, "language of what the command prints (the page has a switch)")


def _listen(host: str, port: int) -> socket.socket:
    from derivcheck.cli.output import os_reason

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        raise DerivcheckError(
            "web.cannot_listen", host=host, port=port, reason=os_reason(error)
        ) from None


def run(args: argparse.Namespace) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn

        from derivcheck.web.app import ServerSettings, create_app
        from derivcheck.web.pool import WORKERS_PER_CORE, PoolSettings
    except ImportError:
        raise DerivcheckError("web.needs_extra") from None
    workers = WORKERS_PER_CORE * _cores() if args.workers is None else args.workers
    if workers < 1:
        raise DerivcheckError("cli.at_least_one", option="--workers")
    if args.seconds <= 0:
        raise DerivcheckError("cli.must_be_positive", option="--seconds")
    listener = _listen(args.host, args.port)
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"

    def ready() -> None:
        message = Message("web.serving", url=url, workers=workers + 1)
        print(text(message, args.lang), flush=True)

    settings = ServerSettings(
        pool=PoolSettings(workers=workers, seconds=args.seconds), on_ready=ready
    )
    config = uvicorn.Config(
        create_app(settings), log_level="warning", lifespan="on", timeout_graceful_shutdown=5
    )
    uvicorn.Server(config).run(sockets=[listener])
    return 0
