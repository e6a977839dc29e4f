"""``check_backprop``: each backward formula against the true gradient, shapes first.

The order of the checks:

1. **Shapes, in dimension names** (:mod:`derivcheck.matrix.shapes`). The forward pass must
   fit together (else the program is refused, as bad input); each backward formula's
   shape is worked out in the names (``H×N``) and compared with the shape of what it is the
   gradient of. A formula whose shapes do not fit gets the shape message and no value is
   computed for it, so NumPy never sees it. The shapes are worked out again at two sets of
   sizes (distinct sizes for every dimension, different between the sets), the sizes the
   values are computed at.
2. **Values.** At each set of sizes, inputs are drawn at random (several draws, float64;
   relu inputs kept away from their kinks, and more draws until every relu has seen both
   sides of its kink); the true gradient of every name is derivcheck's own reverse
   accumulation over the forward pass (:mod:`derivcheck.matrix.graph`), cross-checked by
   finite differences with :func:`derivcheck.gradcheck` and its error budget. Each formula
   is evaluated where the gradients it uses hold their *true* values, so a mistake in
   ``dH`` is reported at ``dH`` and not again at ``dZ1``: the first wrong line is the
   mistake, and later lines are checked as if it were right.
3. **Agreement.** Two float64 computations of the same number differ by rounding only:
   an entry agrees when ``|a - g| ≤ K·c·u·n·(|a| + |g| + max|a| + max|g|)``, with
   gradcheck's constants ``K`` (AGREEMENT_FACTOR) and ``c`` (ROUNDING_SAFETY), the unit
   roundoff ``u`` and ``n`` the largest number of entries any value of the forward pass
   has (the longest sum a formula can hold) — gradcheck's "analytic floor" for both sides.
   A wrong formula is wrong by far more.
4. **Diagnosis** (:mod:`derivcheck.matrix.diagnosis`) of each wrong line.

>>> report = check_backprop('''
... X: D×N, W: H×D, T: H×N
... Y = W @ X
... L = sum((Y - T)**2) / N
... dY = 2 * (Y - T) / N
... dW = dY @ X
... ''')
>>> report.ok, report.first_error, report.lines[1].status
(False, 'dW', 'shape')
>>> print(report.lines[1].message)
(H×N)·(D×N): the inner dimensions N and D differ; a transpose is missing: dW = dY @ X.T
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from derivcheck.errors import DerivcheckError, ParseError
from derivcheck.limits import time_limit
from derivcheck.matrix.expr import Expr, names_in, to_source, walk
from derivcheck.matrix.reader import (
    BackwardLine,
    MatrixProgram,
    gradient_of,
    read_matrix_program,
)
from derivcheck.matrix.shapes import (
    Shape,
    ShapeError,
    concrete,
    concrete_shapes,
    infer,
    same_shape,
    shape_words,
)
from derivcheck.messages import Message, check_language

__all__ = [
    "check_backprop",
    "check_shapes",
    "BackpropReport",
    "BackpropLine",
    "Worst",
    "ShapePlan",
    "STATUSES",
    "DRAWS",
    "MAX_DRAWS",
    "KINK_MARGIN",
    "MAX_ENTRIES",
    "CHECK_SECONDS",
]

#: A line is ``ok``, has a ``shape`` error, is ``wrong`` in value, or is ``unchecked``
#: (derivcheck's own gradient failed its cross-check: no verdict rather than a false one).
STATUSES = ("ok", "shape", "wrong", "unchecked")
#: Random draws at each set of sizes (more when a relu has not yet seen both sides).
DRAWS = 3
#: At most this many draws at each set of sizes.
MAX_DRAWS = 12
#: Inputs are drawn again (up to REDRAWS times) while a relu input is closer to its kink.
KINK_MARGIN = 1e-3
REDRAWS = 10
#: Largest number of entries of any one value at the sizes checked.
MAX_ENTRIES = 4_000_000
#: CPU seconds one check may take.
CHECK_SECONDS = 60.0


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Worst:
    """The entry of a wrong formula furthest outside its tolerance."""

    index: tuple[int, ...]
    value: float
    expected: float
    error: float
    tolerance: float
    sizes: Mapping[str, int]
    draw: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": list(self.index),
            "value": self.value,
            "expected": self.expected,
            "error": self.error,
            "tolerance": self.tolerance,
            "sizes": dict(self.sizes),
            "draw": self.draw,
        }


@dataclass(frozen=True)
class BackpropLine:
    """One line of the backward part, checked.

    ``name`` as written (``dW1``, ``dL_dW1``, ``dL/dW1``); ``of`` what it is the gradient of
    (None for a helper); ``formula`` its right-hand side as written; ``shape`` the formula's
    shape in dimension names (None when its shapes do not fit) and ``expected_shape`` the
    shape of ``of``; ``status`` one of :data:`STATUSES`; ``diagnosis`` the code of the
    mistake (``missing-transpose``, ``sign-error``, … or None), ``diagnoses`` all of them;
    ``message`` what a learner reads (a :class:`Message`: ``str()`` is English,
    ``.to_text("zh")`` Chinese); ``fix`` the corrected formula when one was found (for
    ``fix_line``, a helper, when the mistake is in that helper); ``worst`` the entry
    furthest off (with ``worst_index``, ``worst_value`` and ``worst_expected``);
    ``position`` where the problem is in the text.
    """

    name: str
    of: str | None
    formula: str
    line: int
    shape: Shape | None
    expected_shape: Shape | None
    status: str
    message: Message
    diagnosis: str | None = None
    diagnoses: tuple[str, ...] = ()
    fix: str | None = None
    fix_line: str | None = None
    worst: Worst | None = None
    position: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def is_gradient(self) -> bool:
        return self.of is not None

    @property
    def worst_index(self) -> tuple[int, ...] | None:
        return None if self.worst is None else self.worst.index

    @property
    def worst_value(self) -> float | None:
        return None if self.worst is None else self.worst.value

    @property
    def worst_expected(self) -> float | None:
        return None if self.worst is None else self.worst.expected

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "name": self.name,
            "of": self.of,
            "formula": self.formula,
            "line": self.line,
            "shape": None if self.shape is None else str(self.shape),
            "expected_shape": None if self.expected_shape is None else str(self.expected_shape),
            "status": self.status,
            "diagnosis": self.diagnosis,
            "diagnoses": list(self.diagnoses),
            "message": self.message.to_text(lang),
            "fix": self.fix,
            "fix_line": self.fix_line,
            "worst": None if self.worst is None else self.worst.to_dict(),
        }


@dataclass
class BackpropReport:
    """What :func:`check_backprop` found.

    ``ok`` (every line right and the check complete), ``first_error`` (the name of the
    first line that is not right, or None), ``lines`` (:class:`BackpropLine`), ``sizes``
    (the two sets of sizes of the dimension names), ``draws`` (random draws at each),
    ``kink_distance`` (how close a relu input came to its kink), ``notes`` and ``problems``
    (:class:`Message` objects), ``lang`` (the language ``str()`` shows).
    ``to_text``/``to_markdown``/``to_latex``/``to_dict`` take a language too.
    """

    program: MatrixProgram = field(repr=False)
    lines: tuple[BackpropLine, ...]
    sizes: tuple[Mapping[str, int], ...]
    draws: tuple[int, ...]
    kink_distance: float | None
    kink_margin: float = KINK_MARGIN
    notes: tuple[Message, ...] = ()
    problems: tuple[Message, ...] = ()
    lang: str = "en"
    seconds: float = 0.0
    shapes: Mapping[str, Shape] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems and all(line.ok for line in self.lines)

    @property
    def gradient_lines(self) -> tuple[BackpropLine, ...]:
        return tuple(line for line in self.lines if line.is_gradient)

    @property
    def first_error(self) -> str | None:
        """The name of the first line that is wrong (in shape or value), or None."""
        return next((line.name for line in self.lines if line.status in ("shape", "wrong")), None)

    @property
    def wrong(self) -> tuple[BackpropLine, ...]:
        return tuple(line for line in self.lines if line.status in ("shape", "wrong"))

    def line(self, name: str) -> BackpropLine:
        """The line that assigns ``name`` (as written, or what it is the gradient of)."""
        for line in self.lines:
            if name in (line.name, line.of):
                return line
        raise KeyError(name)

    @property
    def summary_message(self) -> Message:
        count = len(self.gradient_lines)
        if self.problems:
            return Message("matrix.report.problems")
        if self.first_error is None:
            if count == 1:
                return Message("matrix.report.all_right_one")
            return Message("matrix.report.all_right", count=count)
        if count == 1 and len(self.wrong) == 1:
            return Message("matrix.report.wrong_one", first=self.first_error)
        return Message(
            "matrix.report.wrong", bad=len(self.wrong), count=count, first=self.first_error
        )

    def summary(self, lang: str | None = None) -> str:
        return self.summary_message.to_text(lang or self.lang)

    def to_text(self, lang: str | None = None) -> str:
        from derivcheck.matrix.render import report_text

        return report_text(self, lang or self.lang)

    def to_markdown(self, lang: str | None = None) -> str:
        from derivcheck.matrix.render import report_markdown

        return report_markdown(self, lang or self.lang)

    def to_latex(self, lang: str | None = None, standalone: bool = False) -> str:
        from derivcheck.matrix.render import report_latex

        return report_latex(self, lang or self.lang, standalone)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<BackpropReport {self.summary('en')}>"

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        return {
            "ok": self.ok,
            "first_error": self.first_error,
            "summary": self.summary(lang),
            "loss": self.program.loss,
            "sizes": [dict(s) for s in self.sizes],
            "draws": list(self.draws),
            "kink_distance": self.kink_distance,
            "kink_margin": self.kink_margin,
            "notes": [m.to_text(lang) for m in self.notes],
            "problems": [m.to_text(lang) for m in self.problems],
            "lines": [line.to_dict(lang) for line in self.lines],
        }


# ------------------------------------------------------------------------------ shapes


@dataclass
class LineShape:
    """The shape phase's finding for one backward line."""

    line: BackwardLine
    expr: Expr  # the formula with the helpers it uses in place (let nodes)
    shape: Shape | None
    expected: Shape | None
    message: Message | None = None
    node: Expr | None = None  # where the shapes do not fit

    @property
    def fits(self) -> bool:
        return self.message is None


@dataclass
class ShapePlan:
    """Shapes of every name of the forward pass, and each backward line's finding."""

    program: MatrixProgram
    shapes: dict[str, Shape]
    lines: list[LineShape]


def _forward_error(program: MatrixProgram, message: Message, position: int) -> ParseError:
    return ParseError(Message("matrix.error.forward_shape", reason=message), program.text, position)


def check_shapes(program: MatrixProgram | str, dims: Mapping[str, int] | None = None) -> ShapePlan:
    """Phase 1 alone: every shape in dimension names; no number is computed.

    A forward pass whose shapes do not fit is refused (:class:`ParseError`); a backward
    formula whose shapes do not fit is a finding of its line.

    >>> plan = check_shapes('''
    ... X: D×N, W1: H×D, b1: H×1
    ... Z = W1 @ X + b1
    ... L = sum(Z**2)
    ... dZ = 2 * Z
    ... db1 = sum(dZ, axis=0, keepdims=True)
    ... ''')
    >>> [(f.line.name, str(f.shape), str(f.expected), f.fits) for f in plan.lines]
    [('dZ', 'H×N', 'H×N', True), ('db1', '1×N', 'H×1', False)]
    """
    if isinstance(program, str):
        program = read_matrix_program(program, dims)
    text = program.text
    shapes: dict[str, Shape] = {}
    for name in program.inputs:
        declaration = program.declarations.get(name)
        shapes[name] = Shape(declaration.shape if declaration else ())
    for assignment in program.forward:
        try:
            shape = infer(assignment.expr, shapes, text)
        except ShapeError as error:
            node = error.node
            raise _forward_error(program, error.message, node.span[0] if node.span else 0) from None
        declared = program.declarations.get(assignment.target)
        if declared is not None and not same_shape(shape, declared.shape):
            raise ParseError(
                Message(
                    "matrix.error.declared_shape",
                    name=assignment.target,
                    shape=shape_words(shape),
                    declared=shape_words(declared.shape),
                ),
                text,
                assignment.span[0],
            )
        shapes[assignment.target] = shape
    loss_shape = shapes[program.loss]
    if not same_shape(loss_shape, ()):
        loss_assignment = program.assignment(program.loss)
        raise ParseError(
            Message("matrix.error.loss_shape", name=program.loss, shape=shape_words(loss_shape)),
            text,
            loss_assignment.span[0] if loss_assignment else 0,
        )
    env: dict[str, Shape] = dict(shapes)
    helpers: dict[str, Expr] = {}
    broken: set[str] = set()
    found: list[LineShape] = []
    for line in program.backward:
        assignment = line.assignment
        expr = _inline(assignment.expr, helpers)
        expected = shapes.get(line.of) if line.of is not None else None
        used_broken = sorted(names_in(assignment.expr) & broken)
        if used_broken:
            finding = LineShape(
                line,
                expr,
                None,
                expected,
                Message("matrix.shape.broken_helper", name=used_broken[0]),
            )
        else:
            try:
                shape = infer(assignment.expr, env, text)
                finding = LineShape(line, expr, shape, expected)
                if expected is not None and not same_shape(shape, expected):
                    finding.message = Message(
                        "matrix.shape.gradient",
                        name=line.name,
                        shape=shape_words(shape),
                        of=line.of,
                        expected=shape_words(expected),
                    )
                    finding.node = assignment.expr
            except ShapeError as error:
                finding = LineShape(line, expr, None, expected, error.message, error.node)
        found.append(finding)
        if line.of is not None:
            env[line.name] = expected  # later lines see the true gradient's shape
        elif finding.fits:
            env[line.name] = finding.shape
            helpers[line.name] = assignment.expr
        else:
            broken.add(line.name)
    return ShapePlan(program, shapes, found)


def _inline(expr: Expr, helpers: Mapping[str, Expr]) -> Expr:
    """``expr`` with each helper it uses shown as a ``let`` node holding the helper's formula."""
    if not helpers:
        return expr
    if expr.op == "name" and expr.value in helpers:
        return Expr("let", (_inline(helpers[expr.value], helpers),), expr.value, expr.span)
    if not expr.args:
        return expr
    args = tuple(_inline(arg, helpers) for arg in expr.args)
    if all(a is b for a, b in zip(args, expr.args)):
        return expr
    return Expr(expr.op, args, expr.value, expr.span, expr.grouped)


# ------------------------------------------------------------------------------ sizes


def size_sets(program: MatrixProgram) -> tuple[dict[str, int], dict[str, int]]:
    """Two sets of sizes for the dimension names: the program's own (``dims``) where given
    and 2, 3, 4, … otherwise; then 3, 4, 5, … for every name, each unlike its first size.
    The sizes derivcheck picks differ from each other and are never 1, so no broadcasting
    works by chance at them.

    >>> program = read_matrix_program("X: D×N\\nL = sum(X)\\ndX = 1 + 0*X")
    >>> size_sets(program)
    ({'D': 2, 'N': 3}, {'D': 3, 'N': 4})
    >>> size_sets(read_matrix_program("X: D×N\\ndims: N = 3\\nL = sum(X)\\ndX = 1 + 0*X"))
    ({'N': 3, 'D': 2}, {'N': 4, 'D': 3})
    """
    first: dict[str, int] = {}
    second: dict[str, int] = {}
    taken = set(program.sizes.values())
    ordered = [
        *(n for n in program.sizes if n in program.dimensions),
        *(n for n in program.dimensions if n not in program.sizes),
    ]
    candidate = 2
    for name in ordered:
        if name in program.sizes:
            first[name] = program.sizes[name]
        else:
            while candidate in taken:
                candidate += 1
            first[name] = candidate
            taken.add(candidate)
    for name in ordered:  # 3, 4, 5, ...: distinct, and each unlike its size in the first set
        size = 3
        while size in second.values() or size == first[name]:
            size += 1
        second[name] = size
    return first, second


def _check_size(plan: ShapePlan, sizes: Mapping[str, int]) -> int:
    """The largest number of entries a value has at these sizes (refused above MAX_ENTRIES)."""
    largest = 1
    for name, shape in plan.shapes.items():
        entries = math.prod(concrete(shape, sizes))
        if entries > MAX_ENTRIES:
            raise DerivcheckError(
                "matrix.error.too_large", name=name, entries=entries, limit=MAX_ENTRIES
            )
        largest = max(largest, entries)
    return largest


def _check_concrete(plan: ShapePlan, sizes: Mapping[str, int]) -> None:
    """The shapes again with numbers: they must be the symbolic ones at these sizes."""
    shapes = concrete_shapes(plan.shapes, sizes)
    for finding in plan.lines:
        if finding.line.of is not None:
            shapes[finding.line.name] = concrete(finding.expected, sizes)
        if not finding.fits:
            continue
        got = infer(finding.line.assignment.expr, shapes)
        assert tuple(got) == tuple(concrete(finding.shape, sizes)), (finding.line.name, got)
        if finding.line.of is None:
            shapes[finding.line.name] = got


# ------------------------------------------------------------------------------ draws


def _draw_kinds(program: MatrixProgram) -> dict[str, tuple[str, int]]:
    """How each input is drawn: ``("normal", 0)``, ``("positive", 0)`` or
    ``("one-hot", axis)``, from its flags and from how the forward pass uses it."""
    from derivcheck.calculus.catalogue import by_key

    kinds: dict[str, tuple[str, int]] = {}
    for name in program.inputs:
        declaration = program.declarations.get(name)
        flags = declaration.flags if declaration else frozenset()
        if "one-hot" in flags:
            kinds[name] = ("one-hot", _softmax_axis(program))
        elif "positive" in flags:
            kinds[name] = ("positive", 0)
    assigned = {a.target: a.expr for a in program.forward}
    for assignment in program.forward:
        for _, node in walk(assignment.expr):
            if node.op == "xent" and node.args[1].op == "name":
                kinds.setdefault(node.args[1].value, ("one-hot", node.value))
            if node.op == "mul":
                for target, other in (node.args, node.args[::-1]):
                    if (
                        target.op == "name"
                        and target.value in program.inputs
                        and other.op == "fn"
                        and other.value == "log"
                        and softmax_axis(other.args[0], assigned) is not None
                    ):
                        axis = softmax_axis(other.args[0], assigned)
                        kinds.setdefault(target.value, ("one-hot", axis))
            positive_operand = None
            if node.op == "fn":
                domain = by_key(node.value).domain
                if domain.edges and not domain.contains(-1) and domain.contains(1):
                    positive_operand = node.args[0]
            elif node.op == "div":
                positive_operand = node.args[1]
            elif node.op == "pow" and not float(node.value).is_integer():
                positive_operand = node.args[0]
            if positive_operand is not None and positive_operand.op == "name":
                if positive_operand.value in program.inputs:
                    kinds.setdefault(positive_operand.value, ("positive", 0))
    return kinds


def softmax_axis(node: Expr, assigned: Mapping[str, Expr]) -> int | None:
    """The axis ``node`` is a softmax along, or None: ``softmax(Z, axis=k)``, or written
    out, ``E / sum(E, axis=k, keepdims=True)`` with ``E = exp(…)`` (cs231n's
    ``exp_scores / np.sum(exp_scores, axis=1, keepdims=True)``). ``assigned`` resolves
    names of the forward pass.

    >>> from derivcheck.matrix.reader import read_matrix_program
    >>> program = read_matrix_program(
    ...     "S: N×C; E = exp(S); P = E / sum(E, axis=1, keepdims=True); L = sum(P); dS = S")
    >>> softmax_axis(program.forward[1].expr, {a.target: a.expr for a in program.forward})
    1
    """

    def resolved(item: Expr) -> Expr:
        while item.op == "name" and item.value in assigned:
            item = assigned[item.value]
        return item

    node = resolved(node)
    if node.op == "softmax":
        return 0 if node.value is None else node.value
    if node.op != "div":
        return None
    top, bottom = node.args
    bottom = resolved(bottom)
    if bottom.op != "sum" or bottom.value[0] is None or resolved(top).op != "fn":
        return None
    if resolved(top).value != "exp":
        return None
    if to_source(resolved(bottom.args[0])) != to_source(resolved(top)):  # the same exp
        return None
    return bottom.value[0]


def _softmax_axis(program: MatrixProgram) -> int:
    assigned = {a.target: a.expr for a in program.forward}
    for assignment in program.forward:
        for _, node in walk(assignment.expr):
            if node.op == "xent":
                return node.value
            axis = softmax_axis(node, assigned)
            if axis is not None:
                return axis
    return 0


def _draw_inputs(rng, plan: ShapePlan, sizes, kinds) -> dict[str, Any]:
    import numpy as np

    values = {}
    for name in plan.program.inputs:
        shape = concrete(plan.shapes[name], sizes)
        kind, axis = kinds.get(name, ("normal", 0))
        if kind == "one-hot":
            value = np.zeros(shape)
            if len(shape) == 0:
                value = np.asarray(1.0)
            else:
                axis = axis % len(shape)
                classes = rng.integers(0, shape[axis], size=math.prod(shape) // shape[axis])
                moved = np.moveaxis(value, axis, -1).reshape(-1, shape[axis])
                moved[np.arange(moved.shape[0]), classes] = 1.0
                value = np.moveaxis(moved.reshape(*np.moveaxis(value, axis, -1).shape), -1, axis)
        elif kind == "positive":
            value = rng.uniform(0.5, 2.0, size=shape)
        else:
            scale = 1.0 / math.sqrt(min(shape)) if len(shape) == 2 else 1.0
            value = rng.standard_normal(size=shape) * scale
        values[name] = np.array(value, dtype=np.float64)
    return values


@dataclass
class Draw:
    """One random point: the forward values, the true gradients, the lines' environment."""

    sizes: Mapping[str, int]
    number: int
    inputs: dict[str, Any]
    values: Any  # the forward pass (graph.ForwardValues)
    env: dict[str, Any]  # forward names, then each gradient line's name -> its true value
    truth: dict[str, Any]  # name -> ∂L/∂name
    entries: int  # the longest sum a formula can hold at these sizes

    def lookup(self, name: str):
        import numpy as np

        if name in self.env:
            return self.env[name]
        return np.asarray(float(self.sizes[name]))


def _kink_distance(program, values, kinks) -> tuple[float, list[tuple[bool, bool]], int]:
    """How close the relu inputs come to their kinks, which sides each one saw, and how
    many entries were looked at."""
    import numpy as np

    from derivcheck.matrix.graph import evaluate

    closest = math.inf
    sides = []
    count = 0
    for operand, points in kinks:
        value = evaluate(operand, values.lookup, values.nodes)
        for point in points:
            offset = np.asarray(value) - point
            count += offset.size
            if offset.size:
                closest = min(closest, float(np.min(np.abs(offset))))
            sides.append((bool(np.any(offset < 0)), bool(np.any(offset > 0))))
    return closest, sides, count


def kink_margin(entries: int) -> float:
    """How far from its kink every relu input must be (else the inputs are drawn again):
    :data:`KINK_MARGIN` for up to 100 entries, less for more, so that a draw passes as
    often with 8,192 entries as with 100 — still far beyond the finite-difference steps
    (about 6e-6 times the inputs) that could cross a kink.

    >>> kink_margin(50), kink_margin(10_000)
    (0.001, 1e-05)
    """
    return KINK_MARGIN * min(1.0, 100.0 / max(1, entries))


# ------------------------------------------------------------------------------ agreement


def tolerance(a, g, entries: int):
    """The entries' tolerance for two float64 computations of the same gradient (see the
    module docstring): gradcheck's analytic floor for both sides, times ``entries``."""
    import numpy as np

    from derivcheck.network.gradcheck import AGREEMENT_FACTOR, ROUNDING_SAFETY
    from derivcheck.numeric.budget import EPS

    a = np.nan_to_num(np.abs(a), nan=0.0, posinf=0.0)
    g = np.abs(g)
    floor = (
        ROUNDING_SAFETY * EPS * entries * (a + g + np.max(a, initial=0.0) + np.max(g, initial=0.0))
    )
    return AGREEMENT_FACTOR * floor + 1e-300


def compare(a, g, entries: int):
    """``(agrees, worst index, error, tolerance)`` of a formula's value ``a`` against ``g``."""
    import numpy as np

    a = np.asarray(a, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    if a.shape != g.shape:
        a = np.broadcast_to(a.reshape(-1) if a.size == 1 else a, g.shape)
    error = np.abs(a - g)
    error = np.where(np.isfinite(error), error, np.inf)
    tol = np.broadcast_to(tolerance(a, g, entries), g.shape)
    severity = error / tol
    flat = int(np.argmax(severity)) if severity.size else 0
    index = tuple(int(k) for k in np.unravel_index(flat, g.shape)) if g.ndim else ()
    worst_error = float(error.reshape(-1)[flat]) if error.size else 0.0
    worst_tol = float(tol.reshape(-1)[flat]) if tol.size else 0.0
    return bool(np.all(error <= tol)), index, worst_error, worst_tol, a


# ------------------------------------------------------------------------------ the check


def _not_finite(name: str, value) -> DerivcheckError:
    import numpy as np

    bad = np.asarray(value)[~np.isfinite(np.asarray(value))]
    return DerivcheckError(
        "matrix.error.not_finite", name=name, value=float(bad.reshape(-1)[0]) if bad.size else value
    )


def _draws(plan: ShapePlan, sizes: Mapping[str, int], seed: int, set_number: int):
    """The random points at one set of sizes, and the closest any relu input came to a kink."""
    import numpy as np

    from derivcheck.matrix.graph import forward, kink_arguments, reverse

    program = plan.program
    entries = _check_size(plan, sizes)
    kinds = _draw_kinds(program)
    kinks = kink_arguments(program)
    rng = np.random.default_rng([seed, set_number])
    draws: list[Draw] = []
    seen: list[tuple[bool, bool]] | None = None
    closest = math.inf
    margin = KINK_MARGIN
    with np.errstate(all="ignore"):
        while len(draws) < MAX_DRAWS:
            best = None
            for _ in range(REDRAWS):
                inputs = _draw_inputs(rng, plan, sizes, kinds)
                values = forward(program, inputs, sizes)
                distance, sides, count = _kink_distance(program, values, kinks)
                margin = kink_margin(count)
                if best is None or distance > best[2]:
                    best = (inputs, values, distance, sides)
                if distance >= margin:
                    break
            inputs, values, distance, sides = best
            closest = min(closest, distance)
            for name, value in values.names.items():
                if not np.all(np.isfinite(value)):
                    raise _not_finite(name, value)
            truth = reverse(program, values)
            env = dict(values.names)
            for line in program.backward:
                if line.of is not None:
                    env[line.name] = truth[line.of]
            draws.append(Draw(sizes, len(draws), inputs, values, env, truth, entries))
            seen = (
                sides if seen is None else [(a or c, b or d) for (a, b), (c, d) in zip(seen, sides)]
            )
            covered = all(below and above for below, above in seen)
            if len(draws) >= DRAWS and covered:
                break
    return draws, closest, margin


def _crosscheck(plan: ShapePlan, draw: Draw, seed: int) -> list[tuple[str, Message]]:
    """Finite differences (gradcheck, its error budget) of the loss along each name that a
    gradient line names, against derivcheck's own gradient of it."""
    import numpy as np

    from derivcheck.matrix.graph import forward
    from derivcheck.network.gradcheck import gradcheck

    program = plan.program
    failures = []
    names = dict.fromkeys(line.of for line in program.backward if line.of is not None)
    for name in names:
        value = draw.env.get(name, draw.inputs.get(name))

        def loss(params, name=name):
            override = {name: np.asarray(params[name])}
            values = forward(program, draw.inputs, draw.sizes, override, reuse=draw.values)
            return float(np.asarray(values.names[program.loss]).reshape(-1)[0])

        def gradient(params, name=name):
            return {name: draw.truth[name]}

        report = gradcheck(
            loss, gradient, {name: np.array(value, dtype=np.float64)}, mode="directional", seed=seed
        )
        if not report.ok:
            failures.append(
                (
                    name,
                    Message("matrix.report.crosscheck", name=name, summary=report.summary_message),
                )
            )
    return failures


def check_backprop(
    text: str, dims: Mapping[str, int] | None = None, seed: int = 0, lang: str = "en"
) -> BackpropReport:
    """Check a hand-derived backward pass written in the matrix language, line by line.

    ``text`` is the program (see :mod:`derivcheck.matrix` for the language and the
    convention ``d<name>`` = ∂L/∂name); ``dims`` sizes for dimension names (the first set
    of sizes checked uses them); ``seed`` fixes the random draws; ``lang`` is the language
    ``str(report)`` shows (every result holds :class:`Message` objects and can be shown in
    either language afterwards). Raises :class:`~derivcheck.DerivcheckError` (a
    :class:`~derivcheck.ParseError` with the position) for a program it cannot check.

    >>> report = check_backprop('''
    ... x: scalar, w: scalar, b: scalar, t: scalar
    ... z = w*x + b
    ... h = relu(z)
    ... L = (h - t)**2
    ... dh = 2*(h - t)
    ... dz = dh
    ... dw = dz * x
    ... ''')
    >>> report.first_error, report.line("dz").diagnosis
    ('dz', 'missing-relu-mask')
    >>> report.line("dw").status        # checked as if dz were right
    'ok'
    """
    check_language(lang)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise DerivcheckError("matrix.error.seed", value=repr(seed))
    start = time.perf_counter()
    with time_limit(CHECK_SECONDS, "matrix.what.check"):
        program = read_matrix_program(text, dims)
        plan = check_shapes(program)
        return _check(plan, seed, lang, start)


def _check(plan: ShapePlan, seed: int, lang: str, start: float) -> BackpropReport:
    import numpy as np

    from derivcheck.matrix.diagnosis import Context, diagnose
    from derivcheck.matrix.graph import evaluate

    program = plan.program
    sets = size_sets(program)
    for sizes in sets:
        _check_concrete(plan, sizes)
    all_draws: list[Draw] = []
    closest = math.inf
    draws_per_set = []
    margins = []
    for k, sizes in enumerate(sets):
        draws, distance, margin = _draws(plan, sizes, seed, k)
        all_draws += draws
        draws_per_set.append(len(draws))
        closest = min(closest, distance)
        margins.append(margin)
    problems: list[Message] = []
    unchecked: dict[str, Message] = {}
    for sizes in sets:
        first = next(d for d in all_draws if d.sizes is sizes)
        for name, message in _crosscheck(plan, first, seed):
            unchecked.setdefault(name, message)
    problems += list(unchecked.values())
    context = Context(plan, all_draws)
    lines: list[BackpropLine] = []
    for finding in plan.lines:
        line = finding.line
        assignment = line.assignment
        formula = assignment.source(program.text)
        base = dict(
            name=line.name,
            of=line.of,
            formula=formula,
            line=assignment.line,
            shape=finding.shape,
            expected_shape=finding.expected,
        )
        if not finding.fits:
            position = (
                finding.node.span[0] if finding.node is not None and finding.node.span else None
            )
            what = finding.node if finding.node is not None else assignment.expr
            main = finding.message
            if what is not assignment.expr and finding.message.key != "matrix.shape.gradient":
                main = Message(
                    "matrix.shape.in", what=to_source(what, program.text), reason=finding.message
                )
            if finding.message.key == "matrix.shape.broken_helper":
                lines.append(BackpropLine(**base, status="shape", message=main))
                continue
            found = diagnose(finding, context) if line.of is not None else None
            lines.append(_with_diagnosis(base, "shape", main, found, None, position))
            continue
        if line.of is None:
            for draw in all_draws:
                with np.errstate(all="ignore"):
                    draw.env[line.name] = evaluate(assignment.expr, draw.lookup)
            lines.append(BackpropLine(**base, status="ok", message=Message("matrix.line.helper")))
            continue
        if line.of in unchecked:
            lines.append(
                BackpropLine(
                    **base, status="unchecked", message=Message("matrix.line.unchecked", of=line.of)
                )
            )
            continue
        worst = None
        right = True
        for draw in all_draws:
            with np.errstate(all="ignore"):
                value = evaluate(assignment.expr, draw.lookup)
            agrees, index, error, tol, shown = compare(value, draw.truth[line.of], draw.entries)
            severity = error / tol if tol else math.inf
            if not agrees:
                right = False
            if worst is None or severity > worst[0]:
                expected = float(np.asarray(draw.truth[line.of])[index]) + 0.0  # no -0
                worst = (
                    severity,
                    Worst(
                        index,
                        float(np.asarray(shown)[index]) + 0.0,
                        expected,
                        error,
                        tol,
                        draw.sizes,
                        draw.number,
                    ),
                )
        if right:
            lines.append(
                BackpropLine(
                    **base,
                    status="ok",
                    message=Message("matrix.line.ok", loss=program.loss, of=line.of),
                )
            )
            continue
        worst_entry = worst[1]
        index_text = (
            "" if not worst_entry.index else "[" + ", ".join(map(str, worst_entry.index)) + "]"
        )
        key = (
            "matrix.line.wrong"
            if math.isfinite(worst_entry.value)
            else "matrix.line.wrong_not_finite"
        )
        main = Message(
            key,
            loss=program.loss,
            of=line.of,
            index=index_text,
            expected=worst_entry.expected,
            value=worst_entry.value,
        )
        found = diagnose(finding, context)
        lines.append(_with_diagnosis(base, "wrong", main, found, worst_entry, None))
    notes = _notes(plan)
    return BackpropReport(
        program=program,
        lines=tuple(lines),
        sizes=sets,
        draws=tuple(draws_per_set),
        kink_distance=None if math.isinf(closest) else closest,
        kink_margin=min(margins),
        notes=tuple(notes),
        problems=tuple(problems),
        lang=lang,
        seconds=time.perf_counter() - start,
        shapes=context.shapes,
    )


def _with_diagnosis(base, status, main: Message, found, worst, position) -> BackpropLine:
    if found is None:
        return BackpropLine(**base, status=status, message=main, worst=worst, position=position)
    message = Message("matrix.line.with_diagnosis", verdict=main, diagnosis=found.message)
    return BackpropLine(
        **base,
        status=status,
        message=message,
        diagnosis=found.codes[0] if found.codes else None,
        diagnoses=found.codes,
        fix=found.fix,
        fix_line=found.fix_line,
        worst=worst,
        position=position,
    )


def _notes(plan: ShapePlan) -> list[Message]:
    """What a reader should know: inputs drawn one-hot or positive, d-names left unchecked."""
    program = plan.program
    notes = []
    for name, (kind, axis) in _draw_kinds(program).items():
        if kind == "one-hot":
            notes.append(Message("matrix.report.one_hot", name=name, axis=axis))
        else:
            notes.append(Message("matrix.report.positive", name=name))
    known = {*program.inputs, *program.forward_names}
    lowered = {name.lower(): name for name in known}
    for line in program.backward:
        if line.of is None and line.name.startswith("d") and len(line.name) > 1:
            base = line.name[1:]
            if gradient_of(line.name, known, program.loss) is None and base not in known:
                match = lowered.get(base.lower())
                if match is not None:
                    hint = Message("matrix.report.did_you_mean", name=match)
                    notes.append(
                        Message("matrix.report.not_checked", name=line.name, base=base, hint=hint)
                    )
    return notes
