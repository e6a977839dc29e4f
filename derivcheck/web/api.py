"""The JSON API of ``derivcheck serve``: its endpoints, their fields, errors and OpenAPI.

One table, :data:`ENDPOINTS`, says what each endpoint takes; :func:`read_request` checks a
request against it (unknown, missing and mistyped fields are errors with the field's name)
and :func:`openapi` describes the same table as OpenAPI 3.1, served at
``/api/openapi.json``. Errors are JSON, ``{"error": {...}}`` (:func:`error_body`), with the
same message and caret as the command line prints, in the request's language.

A new panel of the page adds its endpoint here, its job to :mod:`derivcheck.web.jobs`,
and its words to :mod:`derivcheck.messages.web`.

>>> read_request("check", {"function": "x^2", "answer": "2x"})["lang"]
'en'
>>> try:
...     read_request("check", {"function": "x^2", "answr": "2x"})
... except DerivcheckError as error:
...     print(error)
unknown field 'answr' (the fields are: function, answer, var, at, order, lang)
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from derivcheck import __version__
from derivcheck.errors import DerivcheckError, ParseError
from derivcheck.limits import MAX_TEXT_LENGTH
from derivcheck.messages import LANGUAGES, Message, text

__all__ = [
    "Field",
    "Endpoint",
    "ENDPOINTS",
    "read_request",
    "error_body",
    "request_language",
    "openapi",
]


@dataclass(frozen=True)
class Field:
    """A field of a request: its JSON type (``kind``), whether it must be given, its default
    and what it means (for the OpenAPI description)."""

    name: str
    kind: str  # text, number, integer, point, names, choice
    description: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    max_length: int = MAX_TEXT_LENGTH


@dataclass(frozen=True)
class Endpoint:
    """An endpoint of the API: its method and path, the job that answers it, its fields."""

    name: str
    method: str
    path: str
    summary: str
    fields: tuple[Field, ...] = ()
    job: str | None = None
    response: str = ""


_LANG = Field("lang", "choice", "language of every message and word: en or zh",
              default="en", choices=LANGUAGES)  # fmt: skip
_POINT = (
    'the point: a number (0.5), text ("1/3", "pi/4", "x=2, w=0.5") or an object '
    '{"x": 2, "w": "1/2"}; decimals are exact (0.1 is 1/10)'
)

ENDPOINTS: dict[str, Endpoint] = {
    e.name: e
    for e in (
        Endpoint(
            "parse", "POST", "/api/parse",
            "Read a formula or program as derivcheck reads it (the page's live preview)",
            (Field("expr", "text", "formula or program", required=True), _LANG),
            job="parse",
            response="kind (formula or program), latex (one line per assignment), text, "
            "variables, output",
        ),
        Endpoint(
            "explain", "POST", "/api/explain",
            "Explain and check a derivative: at a point, or without one the symbolic "
            "derivation; of any order (derivcheck explain)",
            (
                Field("expr", "text", "formula or program (name = expression; ...)",
                      required=True),
                Field("at", "point", _POINT + "; none: the symbolic derivation"),
                Field("wrt", "names", "variables to differentiate by: \"w1,b1\" or a list; "
                      "default the one variable, or every name of the point"),
                Field("order", "integer", "order of the derivative (with several variables, 2 "
                      "gives the Hessian)", default=1),
                Field("lr", "point", "learning rate: adds one step of gradient descent"),
                _LANG,
            ),
            job="explain",
            response="explanation (Explanation.to_dict()), title and sections (the "
            "derivation as rows of LaTeX with notes), latex, mermaid, text, graph "
            "(adjoints), update (with lr)",
        ),
        Endpoint(
            "derive", "POST", "/api/derive",
            "The rule-by-rule derivation of a formula, every step checked",
            (Field("expr", "text", "formula", required=True),
             Field("var", "text", "the variable (default: the only one)", max_length=64),
             _LANG),
            job="derive",
            response="sections (rows of LaTeX with notes), latex, text, derivative",
        ),
        Endpoint(
            "check", "POST", "/api/check",
            "Grade an answer: verdict, mistake and hint (derivcheck's check_answer)",
            (
                Field("function", "text", "the function to differentiate", required=True),
                Field("answer", "text", "the student's derivative (or, with at, its value)",
                      required=True),
                Field("var", "text", "the variable (default: the function's only one)",
                      max_length=64),
                Field("at", "text", "a point: the answer is then the derivative's value there",
                      max_length=1000),
                Field("order", "integer", "the order of the derivative asked for", default=1),
                _LANG,
            ),
            job="check",
            response="AnswerResult.to_dict(): verdict, diagnosis, message, expected, …; "
            "with expected_latex",
        ),
        Endpoint(
            "grade", "POST", "/api/grade",
            "Grade a file of answers (CSV, JSON, JSON Lines, YAML: the formats of derivcheck "
            "check), streamed",
            (
                Field("format", "choice", "ndjson (one JSON object per line as each answer is "
                      "graded), csv or json (the report derivcheck check writes)",
                      default="ndjson", choices=("ndjson", "csv", "json")),
                Field("name", "text", "the file's name (its extension tells the format)",
                      max_length=255),
                Field("encoding", "text", "the file's encoding (default: detected)",
                      max_length=40),
                _LANG,
            ),
            job="grade",
            response="the body is the file (or a multipart form with the field 'file'); "
            "the fields are query parameters. ndjson: {type: start}, {type: result} per "
            "answer, {type: summary}",
        ),
        Endpoint(
            "plot", "GET", "/api/plot.png",
            "The function with its tangent, and f′ exact against numeric (a PNG picture)",
            (Field("expr", "text", "formula of one variable", required=True),
             Field("at", "point", "the point"), _LANG),
            job="plot",
            response="image/png",
        ),
        Endpoint(
            "network", "GET", "/api/network",
            "The chapter's network as a program, with section 2's values (for the sliders)",
            job="network",
            response="program (text for /api/explain), point, wrt, lr",
        ),
        Endpoint("health", "GET", "/api/health", "The workers, their queues and counts"),
        Endpoint("words", "GET", "/api/words", "Every word of the page, in English and Chinese"),
        Endpoint("openapi", "GET", "/api/openapi.json", "This description (OpenAPI 3.1)"),
    )
}  # fmt: skip


# --------------------------------------------------------------------------------------
# Reading requests
# --------------------------------------------------------------------------------------

_TYPE_WORDS = {
    "text": "web.type.string",
    "number": "web.type.number",
    "integer": "web.type.integer",
    "point": "web.type.point",
    "names": "web.type.names",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _fits(spec: Field, value: Any) -> bool:
    if spec.kind in ("text", "choice"):
        return isinstance(value, str)
    if spec.kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if spec.kind == "number":
        return _is_number(value)
    if spec.kind == "point":
        if isinstance(value, Mapping):
            return all(
                isinstance(k, str) and (isinstance(v, str) or _is_number(v))
                for k, v in value.items()
            )
        return isinstance(value, str) or _is_number(value)
    if spec.kind == "names":
        return isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
    raise AssertionError(spec.kind)  # pragma: no cover


def _length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(len(k) + _length(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_length(v) for v in value)
    return 0


def read_request(endpoint: str, data: Any) -> dict[str, Any]:
    """The fields of a request to ``endpoint``, checked, with defaults filled in.

    ``data`` is the JSON body (or the query parameters). Raises
    :class:`~derivcheck.DerivcheckError` naming the field.

    >>> read_request("explain", {"expr": "x^2", "at": 1})["order"]
    1
    """
    spec = ENDPOINTS[endpoint]
    if not isinstance(data, Mapping):
        raise DerivcheckError("web.not_object")
    known = {f.name: f for f in spec.fields}
    for name in data:
        if name not in known:
            raise DerivcheckError("web.unknown_field", field=name, known=", ".join(known))
    request: dict[str, Any] = {}
    for name, field in known.items():
        value = data.get(name)
        if value is None:
            if field.required:
                raise DerivcheckError("web.missing_field", field=name)
            request[name] = field.default
            continue
        if not _fits(field, value):
            if field.kind == "choice":
                expected = Message("web.type.choice", choices=", ".join(field.choices))
            else:
                expected = Message(_TYPE_WORDS[field.kind])
            raise DerivcheckError("web.field_type", field=name, expected=expected)
        if field.kind == "choice" and value not in field.choices:
            expected = Message("web.type.choice", choices=", ".join(field.choices))
            raise DerivcheckError("web.field_type", field=name, expected=expected)
        if _length(value) > field.max_length:
            raise DerivcheckError("web.too_long", field=name, limit=field.max_length)
        request[name] = value
    return request


def request_language(query: Mapping[str, str], accept_language: str | None = None) -> str:
    """The language of a request before its body is read: ``?lang=``, else the browser's
    ``Accept-Language`` (Chinese when it prefers it), else English.

    >>> request_language({}, "zh-CN,zh;q=0.9,en;q=0.8"), request_language({"lang": "en"}, "zh")
    ('zh', 'en')
    """
    if query.get("lang") in LANGUAGES:
        return str(query["lang"])
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


def error_body(error: DerivcheckError, lang: str = "en", field: str | None = None) -> dict:
    """An error as the API sends it: ``message`` is what the command line prints after
    ``derivcheck: error:`` (with the caret under the problem for a parse error), in
    ``lang``; ``reason`` the sentence alone; ``position`` and ``text`` locate a parse error.

    >>> from derivcheck import parse
    >>> try:
    ...     parse("sin(x")
    ... except ParseError as error:
    ...     body = error_body(error, "en", "expr")
    >>> body["key"], body["position"], body["field"]
    ('parse.unclosed', 3, 'expr')
    >>> print("\\n".join(body["message"].splitlines()[1:]))
      sin(x
         ^
    """
    lang = lang if lang in LANGUAGES else "en"
    body: dict[str, Any] = {
        "key": error.message.key,
        "message": error.to_text(lang),
        "reason": text(error.message, lang),
        "field": field,
    }
    if isinstance(error, ParseError):
        body["position"] = error.position
        body["text"] = error.text
    return body


def message_body(key: str, lang: str = "en", **params: Any) -> dict:
    """:func:`error_body` of a message the server says itself (busy, too large, …)."""
    return error_body(DerivcheckError(Message(key, **params)), lang)


# --------------------------------------------------------------------------------------
# OpenAPI
# --------------------------------------------------------------------------------------

_SCHEMAS = {
    "text": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer", "minimum": 1},
    "point": {
        "oneOf": [
            {"type": "number"},
            {"type": "string"},
            {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
        ]
    },
    "names": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}

_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "key": {"type": "string", "description": "the message key"},
                "message": {"type": "string", "description": "as the command line says it"},
                "reason": {"type": "string"},
                "field": {"type": ["string", "null"]},
                "position": {"type": ["integer", "null"]},
                "text": {"type": "string"},
            },
        }
    },
}


def _schema(field: Field) -> dict[str, Any]:
    if field.kind == "choice":
        schema: dict[str, Any] = {"type": "string", "enum": list(field.choices)}
    else:
        schema = dict(_SCHEMAS[field.kind])
    if field.kind == "text":
        schema["maxLength"] = field.max_length
    if field.default is not None:
        schema["default"] = field.default
    schema["description"] = field.description
    return schema


def openapi() -> dict[str, Any]:
    """The API described as OpenAPI 3.1 (what ``GET /api/openapi.json`` returns)."""
    paths: dict[str, Any] = {}
    errors = {
        "400": {"description": "bad input: the message says what and where",
                "content": {"application/json": {"schema": _ERROR}}},
        "413": {"description": "the request is too large"},
        "429": {"description": "busy: try again after Retry-After seconds"},
    }  # fmt: skip
    for e in ENDPOINTS.values():
        operation: dict[str, Any] = {"summary": e.summary, "operationId": e.name}
        if e.response:
            operation["description"] = "Response: " + e.response + "."
        media = "image/png" if e.path.endswith(".png") else "application/json"
        operation["responses"] = {"200": {"description": e.response or "OK",
                                          "content": {media: {}}}}  # fmt: skip
        if e.fields:
            operation["responses"].update(errors)
        in_query = e.method == "GET" or e.name == "grade"
        if in_query:
            operation["parameters"] = [
                {"name": f.name, "in": "query", "required": f.required, "schema": _schema(f)}
                for f in e.fields
            ]
        if e.method == "POST" and not in_query:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": [f.name for f in e.fields if f.required],
                            "properties": {f.name: _schema(f) for f in e.fields},
                        }
                    }
                },
            }
        if e.name == "grade":
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string",
                                                            "format": "binary"}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {
                        "file": {"type": "string", "format": "binary"}}}},
                },
            }  # fmt: skip
        paths.setdefault(e.path, {})[e.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "derivcheck",
            "version": __version__,
            "description": "Explain and check derivatives: the API of `derivcheck serve`. "
            "Every request is computed in a worker process with a hard time limit; the same "
            "input always gives the same output. Errors are JSON with the command line's "
            "message (and caret), in the request's language (lang).",
        },
        "paths": paths,
    }
