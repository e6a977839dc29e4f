"""What the web server's workers compute: one function per endpoint, in a worker process.

Each job takes a request checked by :func:`derivcheck.web.api.read_request` (plain data:
text, numbers, lists) and returns plain data the server sends as JSON as it is (or PNG
bytes, or, for a stream, yields items). The jobs only call derivcheck's public functions
and renderers; nothing here computes mathematics of its own. Errors are
:class:`~derivcheck.DerivcheckError`; :func:`error_body` tells the page which field caused
one, so that the page can put its caret under the right input.

>>> data = explain_job({"expr": "(3x+2)^2", "at": 1, "wrt": None, "order": 1, "lr": None,
...                     "lang": "en"})
>>> data["value"], data["explanation"]["agrees"], [s["kind"] for s in data["sections"]][:3]
('30', True, ['forward', 'local', 'chain'])
>>> check_job({"function": "(2x+1)^3", "answer": "3(2x+1)^2", "var": None, "at": None,
...            "lang": "en"})["diagnosis"]
'missing-inner-derivative'
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

from derivcheck.errors import DerivcheckError, LimitError
from derivcheck.messages import Message, check_language, word
from derivcheck.web.api import error_body as _error_body
from derivcheck.web.api import message_body
from derivcheck.web.pool import PROGRESS, Job

__all__ = [
    "JOBS",
    "WHAT",
    "MAX_GRADE_ROWS",
    "explain_job",
    "parse_job",
    "derive_job",
    "check_job",
    "plot_job",
    "grade_job",
    "warm_up",
    "error_body",
]

#: What the time limit names when a request runs out of time.
WHAT = "limits.what.computation"
#: Most answers one upload may hold (``derivcheck check`` grades any number).
MAX_GRADE_ROWS = 5000


# --------------------------------------------------------------------------------------
# Which input an error is about
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _about(field: str) -> Iterator[None]:
    """Errors raised in the body are about the request's ``field`` (unless already told)."""
    try:
        yield
    except DerivcheckError as error:
        if getattr(error, "web_field", None) is None:
            error.web_field = field  # type: ignore[attr-defined]
        raise


#: explain()'s errors about the point and wrt, by key; anything else is about the expression.
_EXPLAIN_FIELDS = {
    "explain.point_parse": "at",
    "explain.not_a_number": "at",
    "explain.not_finite": "at",
    "explain.number_type": "at",
    "explain.not_real_number": "at",
    "explain.no_point": "at",
    "explain.missing_values": "at",
    "explain.several_variables": "at",
    "explain.empty_wrt": "wrt",
}
#: explain()'s point errors, said the way the page asks for the point.
_POINT_ERRORS = {
    "explain.several_variables": "web.several_variables",
    "explain.missing_values": "web.no_value",
}


def _explain_error(error: DerivcheckError) -> DerivcheckError:
    key = error.message.key
    if key == "orders.bad_order":
        error.web_field = "order"  # type: ignore[attr-defined]
        return error
    if key == "explain.unknown_name":
        what = error.message["what"]
        field = "at" if getattr(what, "key", None) == "explain.what_point" else "wrt"
    else:
        field = _EXPLAIN_FIELDS.get(key, "expr")
    if key == "explain.no_point":
        error = DerivcheckError("web.no_point")
    elif key in _POINT_ERRORS:
        names = str(error.message["names"]).split(", ")
        example = ", ".join(f"{name}={k}" for k, name in enumerate(names, 1))
        error = DerivcheckError(_POINT_ERRORS[key], names=", ".join(names), example=example)
    error.web_field = field  # type: ignore[attr-defined]
    return error


def _point(at: Any) -> Any:
    """The point as explain() takes it: ``"x=2, w=0.5"`` becomes a mapping."""
    if isinstance(at, str) and ("=" in at or "＝" in at):
        from derivcheck.reading.parser import parse_point_assignments

        with _about("at"):
            return parse_point_assignments(at)
    return at


def _explanation(request: Mapping[str, Any]):
    """explain() of the request: at its point, or without one the symbolic derivation."""
    from derivcheck.explanation import explain

    lang = check_language(request["lang"])
    order = request.get("order", 1)
    point = _point(request.get("at"))
    try:
        return explain(
            request["expr"], point, wrt=request.get("wrt"), lang=lang, seconds=None, order=order
        )
    except DerivcheckError as error:
        raise _explain_error(error) from None


# --------------------------------------------------------------------------------------
# The jobs
# --------------------------------------------------------------------------------------


def explain_job(request: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /api/explain``: the explanation as data, the derivation's sections, LaTeX,
    Mermaid and text, the adjoints of a gradient and, with ``lr``, the update."""
    from derivcheck.higher import HigherExplanation
    from derivcheck.render import layout
    from derivcheck.render.latex import (
        LatexRenderer,
        explanation_title,
        update_to_latex,
    )
    from derivcheck.render.printing import number
    from derivcheck.render.text import layout_to_text, update_to_text
    from derivcheck.web.present import parts, sections_data, typeset_sections

    lang = request["lang"]
    e = _explanation(request)
    if isinstance(e, HigherExplanation):  # no point, or order n: the derivatives and checks
        return _higher_data(e, request)
    undefined = word("render.undefined", lang)
    sections = layout.explanation_sections(e)  # drawn once, in LaTeX and in text
    data: dict[str, Any] = {
        "explanation": e.to_dict(),
        "title": parts(explanation_title(e, lang)),
        **typeset_sections(sections, lang),
        "mermaid": e.to_mermaid(lang),
        "text": layout_to_text(layout.Layout(layout.title(e), tuple(sections)), lang),
        "single": e.single,
        "program": e.program is not None,
        "symbols": {
            v.name: LatexRenderer(lang).render(layout.D(e.output.name, v.name, not e.single, True))
            for v in e.wrt
        },
        "value": number(e.value, layout.WIDE, undefined) if e.single else None,
        "gradient": {
            name: number(value, layout.WIDE, undefined) for name, value in e.gradient.items()
        },
        "graph": _graph(e, lang),
        "update": None,
    }
    if request.get("lr") is not None:
        with _about("lr"):
            update = e.update(request["lr"])
        output = e.output.name
        section = layout.update_section(update, output)
        data["update"] = {**vars(update), "sections": sections_data([section], lang)}
        data["latex"] += update_to_latex(update, output, lang)
        data["text"] += "\n" + update_to_text(update, output, lang)
    return data


def _higher_data(e: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /api/explain`` without a point or with ``order`` n: the same fields, from a
    :class:`~derivcheck.higher.HigherExplanation` (no graph of values, no update);
    ``derivative`` is f⁽ⁿ⁾ (or each partial, or the Hessian) as LaTeX."""
    from derivcheck.render import layout
    from derivcheck.render.latex import LatexRenderer, latex_expr, words_text
    from derivcheck.render.orders import higher_sections, higher_title
    from derivcheck.render.printing import number
    from derivcheck.render.text import layout_to_text
    from derivcheck.web.present import parts, typeset_sections

    lang = request["lang"]
    if request.get("lr") is not None:
        error = DerivcheckError("web.lr_needs_point")
        error.web_field = "lr"  # type: ignore[attr-defined]
        raise error
    undefined = word("render.undefined", lang)
    sections = higher_sections(e, tangent=e.point is not None)
    title = higher_title(e)
    order = e.order if e.single else 1
    symbols = {
        v.name: LatexRenderer(lang).render(layout.D(e.output.name, (v.name,) * order, not e.single))
        for v in e.wrt
    }
    derivative = e.derivative
    if isinstance(derivative, dict):
        shown: Any = {
            k: latex_expr(v)
            if not isinstance(v, dict)
            else {a: latex_expr(b) for a, b in v.items()}
            for k, v in derivative.items()
        }
    else:
        shown = latex_expr(derivative)
    return {
        "explanation": e.to_dict(),
        "title": parts(words_text(title, lang)),
        **typeset_sections(sections, lang),
        "mermaid": e.to_mermaid(lang),
        "text": layout_to_text(layout.Layout(title, tuple(sections)), lang),
        "single": e.single,
        "program": False,
        "symbols": symbols,
        "order": e.order,
        "derivative": shown,
        "value": number(e.value, layout.WIDE, undefined) if e.value is not None else None,
        "gradient": {
            name: number(value, layout.WIDE, undefined) for name, value in e.gradient.items()
        },
        "hessian": e.hessian,
        "graph": None,
        "update": None,
    }


def _graph(e: Any, lang: str) -> dict[str, Any]:
    """The computational graph for the page to draw: each node where
    :func:`~derivcheck.render.graph_plot.graph_layout` puts it, with its value and adjoint
    (numbers and their text), each edge with its local derivative."""
    from derivcheck.render.data import finite
    from derivcheck.render.graph_plot import (
        adjoint_values,
        edge_label,
        graph_layout,
        step_definition,
    )
    from derivcheck.render.printing import number
    from derivcheck.render.text import d, name_of

    undefined = word("render.undefined", lang)
    values = e.graph.values()
    adjoints = adjoint_values(e)
    steps = {s.name: (index, s) for index, s in enumerate(e.steps)}
    nodes = []
    for node, (column, row) in graph_layout(e).items():
        if node in steps:
            index, s = steps[node]
            value, definition = s.value, step_definition(e, index)
            kind = "output" if node == e.output else "step"
        else:
            value, definition, kind = values[node], None, "input"
        adjoint = adjoints.get(node)
        nodes.append(
            {
                "name": node.name,
                "label": name_of(node),
                "kind": kind,
                "column": column,
                "row": row,
                "definition": definition,
                "value": finite(value),
                "value_text": number(value, undefined=undefined),
                "adjoint": finite(adjoint),
                "adjoint_text": (
                    f"{d(e.output, node, True)} = {number(adjoint, undefined=undefined)}"
                    if node in adjoints
                    else None
                ),
            }
        )
    edges = [
        {
            "from": arg.name,
            "to": s.name.name,
            "label": edge_label(s, arg, formulas=False, lang=lang),
        }
        for s in e.steps
        for arg in s.local_derivatives
    ]
    return {"nodes": nodes, "edges": edges}


def parse_job(request: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /api/parse``: the formula (or each assignment of a program) as LaTeX."""
    from derivcheck.reading.parser import Program, parse_source
    from derivcheck.render.latex import latex_expr, latex_name
    from derivcheck.render.printing import show

    with _about("expr"):
        source = parse_source(request["expr"])
    if isinstance(source, Program):
        return {
            "kind": "program",
            "latex": [f"{latex_name(n.name)} = {latex_expr(d)}" for n, d in source.assignments],
            "text": [f"{n.name} = {show(d)}" for n, d in source.assignments],
            "variables": [s.name for s in source.inputs],
            "output": source.output.name,
        }
    return {
        "kind": "formula",
        "latex": [latex_expr(source)],
        "text": [show(source)],
        "variables": sorted(s.name for s in source.free_symbols),
        "output": None,
    }


def derive_job(request: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /api/derive``: the rule-by-rule derivation of a formula (no point needed)."""
    from derivcheck.calculus.derivation import derive
    from derivcheck.reading.parser import parse
    from derivcheck.render import layout
    from derivcheck.render.latex import latex_expr
    from derivcheck.render.text import sections_to_text
    from derivcheck.web.present import typeset_sections

    lang = check_language(request["lang"])
    with _about("expr"):
        expression = parse(request["expr"])
    with _about("var" if request.get("var") else "expr"):
        d = derive(expression, request.get("var"), seconds=None)
    sections = layout.rule_sections(d, "y")
    return {
        **typeset_sections(sections, lang),
        "text": sections_to_text(sections, lang),
        "derivative": latex_expr(d.simplified),
        "variable": d.variable.name,
    }


def check_job(request: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /api/check``: the grade of one answer, and the derivative as LaTeX."""
    from derivcheck.grading.answers import check_answer
    from derivcheck.render.latex import latex_expr

    result = check_answer(
        request["function"],
        request["answer"],
        request.get("var"),
        request.get("at"),
        check_language(request["lang"]),
        time_limit_seconds=None,  # the worker's own limit holds
        order=request.get("order", 1),
    )
    data = result.to_dict()
    expected = result.expected
    data["expected_latex"] = latex_expr(expected) if expected is not None else None
    value = result.expected_value
    data["expected_value_latex"] = latex_expr(value) if value is not None else None
    return data


#: The learning rate of the update in section 2.4 of the chapter.
CHAPTER_LEARNING_RATE = "0.1"


def network_job(request: Mapping[str, Any]) -> dict[str, Any]:
    """``GET /api/network``: the chapter's network as a program, and section 2's values."""
    from derivcheck.network import CHAPTER_SECTION2, as_program
    from derivcheck.network.model import PARAMETER_NAMES
    from derivcheck.render.printing import number

    return {
        "program": as_program(),
        "point": {name: number(value) for name, value in CHAPTER_SECTION2.items()},
        "wrt": list(PARAMETER_NAMES),
        "lr": CHAPTER_LEARNING_RATE,
    }


def plot_job(request: Mapping[str, Any]) -> bytes:
    """``GET /api/plot.png``: the picture ``derivcheck explain --plot`` draws, as PNG bytes."""
    e = _explanation({**request, "wrt": None, "order": 1})
    with tempfile.TemporaryDirectory(prefix="derivcheck-plot-") as folder:
        path = os.path.join(folder, "plot.png")
        e.plot(path, lang=request["lang"])
        with open(path, "rb") as handle:
            return handle.read()


def grade_job(request: Mapping[str, Any], seconds: float) -> Iterator[Any]:
    """``POST /api/grade``: read the file (within ``seconds``), then grade it row by row.

    ``format="ndjson"`` yields ``{"type": "start"}``, one ``{"type": "result"}`` per answer
    and ``{"type": "summary"}``; ``"csv"`` and ``"json"`` yield the text of the report
    ``derivcheck check --format`` writes (CSV row by row, with a BOM for spreadsheets);
    each answer is a new item or :data:`~derivcheck.web.pool.PROGRESS`, so that the pool's
    limits hold per answer, not for the whole file.
    """
    from derivcheck.grading.batch import (
        CSV_COLUMNS,
        BatchReport,
        csv_cells,
        grade_rows,
        require_answers,
    )
    from derivcheck.grading.files import load_bytes
    from derivcheck.limits import time_limit

    lang = check_language(request["lang"])
    with time_limit(seconds, WHAT):
        exercise_file = load_bytes(
            request["data"], request.get("name"), encoding=request.get("encoding")
        )
        require_answers(exercise_file)
    rows = list(exercise_file.rows)
    if len(rows) > MAX_GRADE_ROWS:
        raise DerivcheckError("web.too_many_rows", rows=len(rows), limit=MAX_GRADE_ROWS)
    format = request.get("format") or "ndjson"
    if format == "ndjson":
        yield {
            "type": "start",
            "answers": len(rows),
            "file": request.get("name"),
            "format": exercise_file.format,
            "encoding": exercise_file.encoding,
        }
    elif format == "csv":
        yield "\ufeff" + _csv_line(CSV_COLUMNS)
    results = []
    for result in grade_rows(rows, jobs=1, lang=lang):
        results.append(result)
        if format == "ndjson":
            yield {"type": "result", "result": result.to_dict()}
        elif format == "csv":
            yield _csv_line(csv_cells(result))
        else:  # the JSON report comes whole at the end; the pool hears of each answer
            yield PROGRESS
    report = BatchReport.of_file(results, exercise_file, lang)
    if format == "ndjson":
        yield {"type": "summary", "summary": report.summary}
    elif format == "json":
        yield report.to_json()


def _csv_line(cells: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


JOBS: dict[str, Job] = {
    "parse": Job(parse_job),
    "explain": Job(explain_job),
    "derive": Job(derive_job),
    "check": Job(check_job),
    "network": Job(network_job),
    "plot": Job(plot_job, lane="long"),
    "grade": Job(grade_job, lane="long", stream=True),
}


# --------------------------------------------------------------------------------------
# A worker's start, and the errors the pool reports
# --------------------------------------------------------------------------------------


def warm_up() -> None:
    """Run a small example of every quick job once, so that a new worker's first request
    does not pay for SymPy's caches and the renderers' imports."""
    examples = (
        ("explain", {"expr": "sin(exp(x^2))", "at": 0.5, "lr": None}),
        ("explain", {"expr": "z1 = w*x + b; L = (relu(z1) - t)^2",
                     "at": {"x": 1, "w": 0.5, "b": 0.1, "t": 1}, "lr": 0.1}),
        ("check", {"function": "(2x+1)^3", "answer": "6(2x+1)^2", "var": None, "at": None}),
        ("parse", {"expr": "x^2"}),
    )  # fmt: skip
    for name, request in examples:
        with contextlib.suppress(Exception):
            JOBS[name].function({"lang": "en", "wrt": None, "order": 1, **request})


def _lang(payload: Any) -> str:
    lang = payload.get("lang") if isinstance(payload, Mapping) else None
    return lang if lang in ("en", "zh") else "en"


def error_body(error: DerivcheckError, payload: Any) -> dict[str, Any]:
    """The JSON error for ``error`` in the request's language, naming the field."""
    return _error_body(error, _lang(payload), getattr(error, "web_field", None))


def limit_error(seconds: float, payload: Any) -> dict[str, Any]:
    """What a request gets when it reaches the time limit (in the worker or by a kill)."""
    error = LimitError("limits.took_too_long", what=Message(WHAT), seconds=f"{seconds:g}")
    return error_body(error, payload)


def memory_error(payload: Any) -> dict[str, Any]:
    return message_body("web.out_of_memory", _lang(payload))


def crash_error(payload: Any) -> dict[str, Any]:
    return message_body("web.crashed", _lang(payload))


def bug_error(detail: str, payload: Any) -> dict[str, Any]:
    return message_body("web.internal", _lang(payload), detail=detail)
