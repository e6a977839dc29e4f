"""The ASGI application of ``derivcheck serve``: Starlette routes in front of the worker pool.

The server's own process only reads requests, checks them against
:data:`derivcheck.web.api.ENDPOINTS` and answers from the pool of worker processes
(:mod:`derivcheck.web.pool`), or from its cache: the same input always gives the same
output, so an answer computed once is kept (and a request identical to one being
computed waits for that one). Every response carries a Content-Security-Policy that lets
the page run only its own scripts, and every request body has a size limit.

Starlette is imported when :func:`create_app` runs, so that ``import derivcheck.web.app``
works without the ``web`` extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import math
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derivcheck import __version__
from derivcheck.errors import DerivcheckError
from derivcheck.messages import LANGUAGES, table, text
from derivcheck.web.api import (
    ENDPOINTS,
    error_body,
    message_body,
    openapi,
    read_request,
    request_language,
)
from derivcheck.web.pool import Busy, JobFailed, PoolSettings, WorkerPool

if TYPE_CHECKING:  # pragma: no cover
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["ServerSettings", "create_app", "STATIC", "CONTENT_SECURITY_POLICY"]

#: The page's files: index.html, its scripts and styles, and the vendored KaTeX and Mermaid.
STATIC = Path(__file__).resolve().parent / "static"

#: Only the page's own scripts run (no inline script, no eval, no other origin). Styles may
#: be inline: KaTeX and Mermaid set them on the elements they draw.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

#: The messages the page shows by key: its own, and the names of mistakes (the grading
#: area's, as the report of ``derivcheck check`` shows them).
PAGE_WORDS = ("web.", "grading.diagnosis.")

#: What the workers' fork server imports once, beyond the jobs: the plots' matplotlib.
PRELOAD = ("matplotlib.figure", "matplotlib.backends.backend_agg")

_SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass(frozen=True)
class ServerSettings:
    """The server's limits: the pool's, the body sizes, the cache."""

    pool: PoolSettings = field(default_factory=PoolSettings)
    #: bytes of a JSON request
    body_bytes: int = 256 * 1024
    #: bytes of an uploaded answers file
    upload_bytes: int = 8 * 1024 * 1024
    #: answers kept in the cache (0: none)
    cache: int = 512
    #: called with nothing once the workers are ready (``derivcheck serve`` prints the address)
    on_ready: Callable[[], None] | None = None
    #: the module of the workers' jobs (tests use their own)
    jobs: str = "derivcheck.web.jobs"


class _TooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


class _BodyLimit:
    """ASGI middleware: a request whose body is larger than its path's limit gets 413, as
    soon as its Content-Length says so or its bytes arrive."""

    def __init__(self, app: Any, limit: Callable[[str], int]):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await _send_json(send, 413, _scope_error(scope, "web.too_large", limit=limit))
                return
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        await self.app(scope, limited, send)


class _Headers:
    """ASGI middleware: the security headers on every response, and its caching rule."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith("/static/vendor/"):
            cache = b"public, max-age=86400"
        elif path.startswith("/static/"):
            cache = b"no-cache"
        else:
            cache = b"no-store"

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"cache-control"]
                message["headers"] = [*headers, *_SECURITY_HEADERS, (b"cache-control", cache)]
            await send(message)

        await self.app(scope, receive, with_headers)


def _scope_error(scope: dict, key: str, **params: Any) -> dict:
    from urllib.parse import parse_qsl

    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    accept = next(
        (v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"),
        None,
    )
    return {"error": message_body(key, request_language(query, accept), **params)}


async def _send_json(send: Callable, status: int, data: Any) -> None:
    body = _json_bytes(data)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _finite(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(v) for v in data]
    return data


def _json_bytes(data: Any) -> bytes:
    """Strict JSON (a nan or inf that slipped through becomes null), UTF-8, compact."""
    try:
        encoded = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:
        encoded = json.dumps(_finite(data), ensure_ascii=False, separators=(",", ":"))
    return encoded.encode("utf-8")


class _Cache:
    """Answers by request, least recently used dropped first; one computation per request
    at a time (a second identical request waits for the first)."""

    def __init__(self, size: int):
        self.size = size
        self.kept: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self.running: dict[str, asyncio.Future] = {}
        self.hits = self.misses = 0

    async def get(self, key: str, compute: Callable[[], Awaitable[tuple[int, Any, bool]]]):
        """(status, data) for ``key``; ``compute`` returns them and whether to keep them."""
        if key in self.kept:
            self.hits += 1
            self.kept.move_to_end(key)
            return self.kept[key]
        if key in self.running:
            self.hits += 1
            return await asyncio.shield(self.running[key])
        self.misses += 1
        future = asyncio.get_running_loop().create_future()
        self.running[key] = future
        try:
            status, data, keep = await compute()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: the requests waiting on it raise it themselves
            raise
        finally:
            del self.running[key]
        future.set_result((status, data))
        if self.size and keep:
            self.kept[key] = (status, data)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return status, data

    def stats(self) -> dict[str, int]:
        return {"kept": len(self.kept), "size": self.size, "hits": self.hits,
                "misses": self.misses}  # fmt: skip


class _Server:
    """The state behind the routes: settings, pool and cache."""

    def __init__(self, settings: ServerSettings):
        self.settings = settings
        self.pool = WorkerPool(settings.pool, settings.jobs, preload=PRELOAD)
        self.cache = _Cache(settings.cache)
        self.ready = False

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any):
        await self.pool.start()
        self.ready = True
        if self.settings.on_ready is not None:
            self.settings.on_ready()
        try:
            yield
        finally:
            self.ready = False
            await self.pool.close()

    # ---- helpers ----
    @staticmethod
    def lang(request: Request) -> str:
        return request_language(request.query_params, request.headers.get("accept-language"))

    @staticmethod
    def respond(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
        from starlette.responses import Response

        return Response(_json_bytes(data), status, headers, media_type="application/json")

    def fail(self, error: BaseException, lang: str) -> Response:
        if isinstance(error, Busy):
            body = message_body("web.busy", lang, seconds=error.retry_after)
            return self.respond(429, {"error": body}, {"Retry-After": str(error.retry_after)})
        if isinstance(error, JobFailed):
            return self.respond(error.status, {"error": error.body})
        if isinstance(error, _TooLarge):
            return self.respond(413, {"error": message_body("web.too_large", lang,
                                                             limit=error.limit)})  # fmt: skip
        if isinstance(error, DerivcheckError):
            return self.respond(400, {"error": error_body(error, lang)})
        raise error

    async def run(self, job: str, request: dict[str, Any]) -> tuple[int, Any]:
        """(status, data) of a job: from the cache, or computed by the pool. Kept: what
        the input decides (an answer, a bad input), not what the load did (a time limit
        reached on a busy machine, a crash)."""
        key = job + "\n" + json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)

        async def compute() -> tuple[int, Any, bool]:
            try:
                return 200, await self.pool.call(job, request), True
            except JobFailed as failure:
                keep = failure.status == 400 and failure.body["key"] != "limits.took_too_long"
                return failure.status, {"error": failure.body}, keep

        return await self.cache.get(key, compute)

    # ---- routes ----
    async def index(self, request: Request) -> Response:
        from starlette.responses import HTMLResponse

        lang = self.lang(request)
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        for name in ("title", "tagline", "noscript"):
            page = page.replace("{{" + name + "}}", html.escape(text(f"web.{name}", lang)))
        page = page.replace("{{lang}}", "zh-CN" if lang == "zh" else "en")
        return HTMLResponse(page)

    async def words(self, request: Request) -> Response:
        words = {
            lang: {
                key: _page_template(pair[i])
                for key, pair in table().items()
                if key.startswith(PAGE_WORDS)
            }  # fmt: skip
            for i, lang in enumerate(LANGUAGES)
        }
        return self.respond(200, {"languages": list(LANGUAGES), "words": words})

    async def health(self, request: Request) -> Response:
        status = "ok" if self.ready else "starting"
        limits = {
            "cpu_seconds": self.settings.pool.seconds,
            "quick_cpu_seconds": self.settings.pool.budget,
            "body_bytes": self.settings.body_bytes,
            "upload_bytes": self.settings.upload_bytes,
        }
        data = {"status": status, "version": __version__, "lanes": self.pool.stats(),
                "cache": self.cache.stats(), "limits": limits}  # fmt: skip
        return self.respond(200, data)

    async def describe(self, request: Request) -> Response:
        return self.respond(200, openapi())

    def json_endpoint(self, name: str) -> Callable[[Request], Awaitable[Response]]:
        job = ENDPOINTS[name].job
        assert job is not None

        async def endpoint(request: Request) -> Response:
            lang = self.lang(request)
            try:
                raw = await request.body()
                try:
                    data = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
                    raise DerivcheckError("web.not_json", reason=_json_reason(error)) from None
                if isinstance(data, dict) and data.get("lang") in LANGUAGES:
                    lang = data["lang"]
                fields = read_request(name, data)
                status, answer = await self.run(job, fields)
            except (DerivcheckError, Busy, JobFailed, _TooLarge) as error:
                return self.fail(error, lang)
            return self.respond(status, answer)

        return endpoint

    async def network(self, request: Request) -> Response:
        try:
            status, answer = await self.run("network", {})
        except (Busy, JobFailed) as error:
            return self.fail(error, self.lang(request))
        return self.respond(status, answer)

    async def plot(self, request: Request) -> Response:
        from starlette.responses import Response

        lang = self.lang(request)
        try:
            fields = read_request("plot", dict(request.query_params))
            status, answer = await self.run("plot", fields)
        except (DerivcheckError, Busy, JobFailed) as error:
            return self.fail(error, lang)
        if status != 200:
            return self.respond(status, answer)
        return Response(answer, media_type="image/png")

    async def grade(self, request: Request) -> Response:
        from starlette.responses import StreamingResponse

        lang = self.lang(request)
        try:
            fields = read_request("grade", dict(request.query_params))
            data, name = await _upload(request)
            if not data:
                raise DerivcheckError("web.no_file")
            fields["data"] = data
            fields["name"] = fields.get("name") or name
            stream = self.pool.stream("grade", fields)
            try:
                first = await stream.__anext__()
            except StopAsyncIteration:  # pragma: no cover - a grade always says something
                first = None
        except (DerivcheckError, Busy, JobFailed, _TooLarge) as error:
            return self.fail(error, lang)
        format = fields["format"]

        async def body():
            try:
                if first is not None:
                    yield _stream_chunk(first, format)
                async for item in stream:
                    yield _stream_chunk(item, format)
            except JobFailed as failure:
                if format == "ndjson":
                    yield _stream_chunk({"type": "error", "error": failure.body}, format)
            finally:
                await stream.aclose()

        media = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
                 "json": "application/json"}[format]  # fmt: skip
        headers = {}
        if format != "ndjson":
            headers["Content-Disposition"] = f'attachment; filename="report.{format}"'
        return StreamingResponse(body(), media_type=media, headers=headers)

    async def not_found(self, request: Request, error: Exception) -> Response:
        status = getattr(error, "status_code", 404)
        lang = self.lang(request)
        if status == 405:
            allowed = ", ".join(
                sorted(e.method for e in ENDPOINTS.values() if e.path == request.url.path)
            ) or "GET"  # fmt: skip
            body = message_body("web.method", lang, method=request.method, allowed=allowed)
            return self.respond(405, {"error": body})
        return self.respond(404, {"error": message_body("web.not_found", lang,
                                                         path=request.url.path)})  # fmt: skip

    async def too_large(self, request: Request, error: Exception) -> Response:
        return self.fail(error, self.lang(request))


def _page_template(template: str) -> str:
    """A message template as the page fills it: literal braces as themselves, each
    parameter as ``{name}``.

    >>> _page_template("{done} of {total}; \\\\frac{{1}}{{x}}")
    '{done} of {total}; \\\\frac{1}{x}'
    """
    import string

    return "".join(
        literal + ("" if name is None else "{" + name + "}")
        for literal, name, _spec, _conversion in string.Formatter().parse(template)
    )


def _json_reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (line {error.lineno}, column {error.colno})"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return "not UTF-8"


def _stream_chunk(item: Any, format: str) -> bytes:
    if format == "ndjson":
        return _json_bytes(item) + b"\n"
    return str(item).encode("utf-8")


async def _upload(request: Request) -> tuple[bytes, str | None]:
    """The uploaded file: the body itself, or the field ``file`` of a multipart form."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=16)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            return b"", None
        return await upload.read(), upload.filename
    return await request.body(), None


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The ASGI application (needs the ``web`` extra: Starlette; uvicorn to serve it)."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    settings = settings or ServerSettings()
    server = _Server(settings)
    routes = [
        Route("/", server.index),
        Route("/api/health", server.health),
        Route("/api/words", server.words),
        Route("/api/openapi.json", server.describe),
        Route("/api/plot.png", server.plot),
        Route("/api/network", server.network),
        Route("/api/grade", server.grade, methods=["POST"]),
        *(
            Route(e.path, server.json_endpoint(e.name), methods=["POST"])
            for e in ENDPOINTS.values()
            if e.method == "POST" and e.name != "grade"
        ),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    def limit(path: str) -> int:
        return settings.upload_bytes if path == "/api/grade" else settings.body_bytes

    app = Starlette(
        routes=routes,
        middleware=[Middleware(_Headers), Middleware(_BodyLimit, limit=limit)],
        lifespan=server.lifespan,
        exception_handlers={HTTPException: server.not_found, _TooLarge: server.too_large},
    )
    app.state.server = server
    return app
