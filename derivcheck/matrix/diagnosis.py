"""What the mistake in a wrong backward formula is: the smallest edit that makes it right.

A wrong formula (in shape or in value) is compared with the true gradient in two ways:

* **a constant ratio**: the formula is c times the truth at every draw and size. c = −1
  is ``sign-error``, 2 or ½ ``factor-of-2``, the size of a dimension (N) ``missing-mean``,
  its inverse ``extra-mean``; any other constant is ``constant-factor``.
* **edits**: small changes of the formula's tree, each named by the mistake it undoes —
  a transpose added (``missing-transpose``) or removed (``extra-transpose``); the factors of
  a matrix product swapped (``wrong-product-order``); ``*`` made ``@``
  (``elementwise-instead-of-matmul``) or ``@`` made ``*`` (``matmul-instead-of-elementwise``);
  the axis or ``keepdims`` of a sum changed (``wrong-sum-axis``, ``missing-keepdims``,
  ``extra-keepdims``); a relu mask multiplied in (``missing-relu-mask``) or replaced by the
  mask of another pre-activation (``wrong-relu-mask``); the factors that depend only on an
  activation replaced by its true derivative, read from the catalogue (tanh′ = 1 − H²:
  ``wrong-activation-derivative``). An edit counts only when the edited formula has the
  right shape *and* the right values at every draw and both sets of sizes; an edit
  followed by a constant ratio counts too (one step more). The cheapest edit wins; a
  formula no edit repairs gets no diagnosis — never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sympy

from derivcheck.matrix.expr import Expr, Path, at_path, names_in, replace_at, to_source, walk
from derivcheck.matrix.shapes import Shape, ShapeError, _rule, infer, same_shape
from derivcheck.messages import Message

__all__ = ["Context", "Found", "diagnose", "CODES"]

#: Every diagnosis code, most specific first.
CODES = (
    "missing-transpose",
    "extra-transpose",
    "wrong-product-order",
    "elementwise-instead-of-matmul",
    "matmul-instead-of-elementwise",
    "missing-mean",
    "extra-mean",
    "missing-relu-mask",
    "wrong-relu-mask",
    "wrong-sum-axis",
    "missing-keepdims",
    "extra-keepdims",
    "factor-of-2",
    "sign-error",
    "wrong-activation-derivative",
    "constant-factor",
)

#: Functions of the forward pass that are not activations of a layer.
_NOT_ACTIVATIONS = frozenset({"exp", "log"})


@dataclass(frozen=True)
class Found:
    """A diagnosis: the codes (the main one first), what to tell the learner, the fix."""

    codes: tuple[str, ...]
    message: Message
    fix: str | None
    fix_line: str | None


@dataclass(frozen=True)
class Layer:
    """An activation of the forward pass: ``out = act(pre)``."""

    key: str
    pre: Expr  # the pre-activation as a node to put in formulas (a name when it has one)
    out: Expr  # the activation's value (a name when it has one)
    names: frozenset[str]
    mask: Expr | None  # (pre > 0) for relu
    derivative: Expr | None  # act′(pre), written with out where the catalogue uses act(pre)


@dataclass
class Edit:
    codes: tuple[str, ...]
    cost: int
    path: Path
    new: Expr
    details: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------ layers


def _name(value: str) -> Expr:
    return Expr("name", (), value)


def _num(value: float) -> Expr:
    return Expr("num", (), float(value))


def _from_sympy(expr: sympy.Expr, u: sympy.Symbol, layer_key: str, pre: Expr, out: Expr):
    """A catalogue derivative f′(u) as a formula of the language: u is the pre-activation,
    f(u) the activation's own value (so tanh′ reads 1 - H**2). None when it cannot be."""
    from derivcheck.calculus.catalogue import record_of

    if expr == u:
        return pre
    if expr.is_Number:
        return _num(float(expr))
    if isinstance(expr, sympy.Heaviside) and expr.args[0] == u:
        return Expr("cmp", (pre, _num(0)), ">")
    if expr.is_Add:
        terms = sorted(expr.args, key=_number_first)
        result = None
        for term in terms:
            coefficient, rest = term.as_coeff_Mul()
            negative = coefficient < 0
            shown = _from_sympy(-term if negative else term, u, layer_key, pre, out)
            if shown is None:
                return None
            if result is None:
                result = Expr("neg", (shown,)) if negative else shown
            else:
                result = Expr("sub" if negative else "add", (result, shown))
        return result
    if expr.is_Mul:
        coefficient, rest = expr.as_coeff_Mul()
        if coefficient != 1:
            shown = _from_sympy(rest, u, layer_key, pre, out)
            if shown is None:
                return None
            if coefficient == -1:
                return Expr("neg", (shown,))
            return Expr("mul", (_num(float(coefficient)), shown))
        factors = [
            _from_sympy(f, u, layer_key, pre, out) for f in sorted(expr.args, key=_plain_first)
        ]
        if any(f is None for f in factors):
            return None
        return _product(factors)
    if expr.is_Pow and expr.exp.is_Number:
        base = _from_sympy(expr.base, u, layer_key, pre, out)
        if base is None:
            return None
        if expr.exp == -1:
            return Expr("div", (_num(1), base))
        return Expr("pow", (base,), float(expr.exp))
    if isinstance(expr, sympy.Function) and len(expr.args) == 1 and expr.args[0] == u:
        record = record_of(expr)
        if record is None:
            return None
        if record.key == layer_key:
            return out
        return Expr("fn", (pre,), record.key)
    return None


def _number_first(term: sympy.Expr):
    return (0 if term.is_Number else 1, str(term))


def _plain_first(factor: sympy.Expr):
    # the activation's own value first: H * (1 - H), not (1 - H) * H
    return (0 if isinstance(factor, sympy.Function) else 1, str(factor))


def layers_of(program) -> list[Layer]:
    """The activations of the forward pass (relu, tanh, sigmoid, … ; not exp and log)."""
    from derivcheck.calculus.catalogue import by_key

    found: list[Layer] = []
    u = sympy.Symbol("u", real=True)
    for assignment in program.forward:
        for path, node in walk(assignment.expr):
            if node.op != "fn" or node.value in _NOT_ACTIVATIONS:
                continue
            argument = node.args[0]
            pre = _name(argument.value) if argument.op == "name" else argument
            out = _name(assignment.target) if path == () else node
            names = {argument.value} if argument.op == "name" else set()
            if path == ():
                names.add(assignment.target)
            mask = Expr("cmp", (pre, _num(0)), ">") if node.value == "relu" else None
            record = by_key(node.value)
            derivative = _from_sympy(record.derivative(u), u, node.value, pre, out)
            found.append(Layer(node.value, pre, out, frozenset(names), mask, derivative))
    return found


# ------------------------------------------------------------------------------ context


class Context:
    """What judging an edited formula needs: the shapes, the draws, the layers."""

    def __init__(self, plan, draws):
        self.plan = plan
        self.program = plan.program
        self.draws = draws
        self.layers = layers_of(plan.program)
        shapes = dict(plan.shapes)
        for finding in plan.lines:
            if finding.line.of is not None:
                shapes[finding.line.name] = finding.expected
            elif finding.fits:
                shapes[finding.line.name] = finding.shape
        self.shapes = shapes
        self.dimensions = plan.program.dimensions
        self.sets = []
        for draw in draws:
            if not any(draw.sizes is s for s in self.sets):
                self.sets.append(draw.sizes)

    def values(self, expr: Expr, of: str) -> Iterator[tuple[Any, Any, Any]]:
        """(draw, the formula's value, the true value) at every draw."""
        import numpy as np

        from derivcheck.matrix.graph import evaluate

        for draw in self.draws:
            with np.errstate(all="ignore"):
                value = evaluate(expr, draw.lookup)
            yield draw, value, draw.truth[of]

    def fits(self, expr: Expr, expected: Shape) -> bool:
        try:
            return same_shape(infer(expr, self.shapes), expected)
        except ShapeError:
            return False

    def right(self, expr: Expr, of: str, expected: Shape) -> bool:
        """Whether ``expr`` is the true gradient of ``of`` at every draw."""
        from derivcheck.matrix.checker import compare

        if not self.fits(expr, expected):
            return False
        for draw, value, truth in self.values(expr, of):
            if not compare(value, truth, draw.entries)[0]:
                return False
        return True

    def ratio(self, expr: Expr, of: str, expected: Shape) -> list[float] | None:
        """The constant c (one per set of sizes) with ``expr = c · truth`` everywhere, or None."""
        import numpy as np

        from derivcheck.matrix.checker import compare

        if not self.fits(expr, expected):
            return None
        collected = [(d, np.asarray(v, dtype=np.float64), t) for d, v, t in self.values(expr, of)]
        ratios = []
        for sizes in self.sets:
            here = [(d, v, t) for d, v, t in collected if d.sizes is sizes]
            top = sum(float(np.sum(np.broadcast_to(v, np.shape(t)) * t)) for _, v, t in here)
            bottom = sum(float(np.sum(t * t)) for _, _, t in here)
            if not (bottom > 0 and math.isfinite(top)):
                return None
            c = top / bottom
            for d, v, t in here:
                if not compare(v, c * t, d.entries)[0]:
                    return None
            ratios.append(c)
        return ratios


# ------------------------------------------------------------------------------ ratios


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-7 * max(abs(a), abs(b), 1e-300)


def _dimension_factors(context: Context) -> list[tuple[str, list[int]]]:
    """Dimension names and products of two, with their size in each set of sizes."""
    names = list(context.dimensions)
    found = [(name, [sizes[name] for sizes in context.sets]) for name in names]
    for i, a in enumerate(names):
        for b in names[i:]:
            found.append((f"{a}·{b}", [sizes[a] * sizes[b] for sizes in context.sets]))
    return found


def _scaled(expr: Expr, factor: Expr, divide: bool) -> Expr:
    """``expr`` times (or divided by) ``factor``, written where it reads naturally: a
    number in front of the numerator (``2 * (Y - T) / N``), a divisor at the end."""
    if divide:
        if expr.op == "div":
            return Expr("div", (expr.args[0], Expr("mul", (expr.args[1], factor))))
        return Expr("div", (expr, factor))
    if expr.op == "div":
        return Expr("div", (_scaled(expr.args[0], factor, False), expr.args[1]))
    if expr.op == "neg":
        return Expr("neg", (_scaled(expr.args[0], factor, False),))
    return Expr("mul", (factor, expr))


def _negated(expr: Expr) -> Expr:
    """``-expr``, written where it reads naturally: ``T - Y`` turned round, a minus sign
    dropped, a constant's sign changed (inside products and quotients), else ``-(…)``."""
    for kinds in (("sub", "neg"), ("num",)):
        inner = _negate_inside(expr, kinds)
        if inner is not None:
            return inner
    return Expr("neg", (expr,))


def _negate_inside(expr: Expr, kinds: tuple[str, ...]) -> Expr | None:
    if expr.op in kinds:
        if expr.op == "neg":
            return expr.args[0]
        if expr.op == "sub":
            return expr.with_args(expr.args[1], expr.args[0])
        return expr.with_value(-expr.value)
    if expr.op in ("mul", "div"):
        for k in (0, 1) if expr.op == "mul" else (0,):
            inner = _negate_inside(expr.args[k], kinds)
            if inner is not None:
                args = list(expr.args)
                args[k] = inner
                return expr.with_args(*args)
    return None


def _read_ratio(ratios: list[float], context: Context, expr: Expr):
    """``(codes, message, corrected formula)`` for a ratio, or None when it names nothing.

    The correction undoes the ratio where the formula shows it: a constant changed
    (``4 * …`` -> ``2 * …``), ``T - Y`` turned round, a division by the dimension
    removed, else the factor written in.
    """
    from derivcheck.network.gradcheck import _describe_ratio

    sign = -1.0 if ratios[0] < 0 else 1.0
    magnitudes = [abs(r) for r in ratios]
    if all(m == 0 for m in magnitudes):
        return (), Message("matrix.diagnosis.zero"), None
    codes: list[str] = []
    words: list[Message] = []
    fixed = expr
    constant = all(_close(m, magnitudes[0]) for m in magnitudes) and all(
        (r < 0) == (sign < 0) for r in ratios
    )
    if constant and _close(magnitudes[0], 1.0):
        pass
    elif constant and (_close(magnitudes[0], 2.0) or _close(magnitudes[0], 0.5)):
        large = magnitudes[0] > 1
        codes.append("factor-of-2")
        how = Message("matrix.diagnosis.factor_large" if large else "matrix.diagnosis.factor_half")
        words.append(Message("matrix.diagnosis.factor-of-2", how=how))
        fixed = _rescaled_constant(fixed, 0.5 if large else 2.0) or _scaled(
            fixed, _num(2), divide=large
        )
    else:
        for name, sizes in _dimension_factors(context):
            if all(_close(m, s) for m, s in zip(magnitudes, sizes)):
                codes.append("missing-mean")
                words.append(Message("matrix.diagnosis.missing-mean", factor=name))
                fixed = _scaled(fixed, _dimension_expr(name), divide=True)
                break
            if all(_close(m, 1.0 / s) for m, s in zip(magnitudes, sizes)):
                codes.append("extra-mean")
                words.append(Message("matrix.diagnosis.extra-mean", factor=name))
                fixed = _without_division(fixed, name) or _scaled(
                    fixed, _dimension_expr(name), divide=False
                )
                break
        else:
            if not constant:
                return None
            words_ = _describe_ratio(sign * magnitudes[0])
            return (
                ("constant-factor",),
                Message("matrix.diagnosis.constant-factor", words=words_),
                None,
            )
    if sign < 0:
        codes.append("sign-error")
        words.append(Message("matrix.diagnosis.sign-error"))
        fixed = _negated(fixed)
    if not codes:
        return None
    return tuple(codes), _join(words), fixed


def _rescaled_constant(expr: Expr, factor: float) -> Expr | None:
    """``expr`` with its leading constant multiplied by ``factor`` (``4 * A`` -> ``2 * A``),
    when it has one whose new value is a whole number."""
    if expr.op in ("mul", "div") and expr.args[0].op == "num":
        value = expr.args[0].value * factor
        if float(value).is_integer():
            if value == 1 and expr.op == "mul":
                return expr.args[1]
            return expr.with_args(_num(value), expr.args[1])
    if expr.op in ("mul", "div", "neg"):
        inner = _rescaled_constant(expr.args[0], factor)
        if inner is not None:
            return expr.with_args(inner, *expr.args[1:])
    return None


def _without_division(expr: Expr, name: str) -> Expr | None:
    """``expr`` without an outermost ``/ N`` (the division by ``name``), when it has one."""
    if expr.op == "div" and expr.args[1].op == "name" and expr.args[1].value == name:
        return expr.args[0]
    if expr.op in ("mul", "div", "neg"):
        inner = _without_division(expr.args[0], name)
        if inner is not None:
            return expr.with_args(inner, *expr.args[1:])
    return None


def _dimension_expr(name: str) -> Expr:
    parts = name.split("·")
    result = _name(parts[0])
    for part in parts[1:]:
        result = Expr("mul", (result, _name(part)))
    return result


def _join(words: list[Message]) -> Message:
    message = words[0]
    for more in words[1:]:
        message = Message("matrix.diagnosis.and", first=message, second=more)
    return message


# ------------------------------------------------------------------------------ edits


def _node_shapes(root: Expr, shapes) -> dict[int, Shape]:
    """The shape of every node whose operands fit (a formula with a shape error has some)."""
    known: dict[int, Shape] = {}
    order = [node for _, node in walk(root)]
    for node in reversed(order):
        if all(id(arg) in known for arg in node.args):
            try:
                known[id(node)] = Shape(_rule(node, [known[id(a)] for a in node.args], shapes, ""))
            except ShapeError:
                pass
    return known


def _toggle(node: Expr) -> tuple[Expr, str]:
    """``A`` -> ``A.T`` (a transpose added) or ``A.T`` -> ``A`` (removed)."""
    if node.op == "T":
        return node.args[0], "extra-transpose"
    return Expr("T", (node,)), "missing-transpose"


def _factors(node: Expr) -> list[Expr]:
    if node.op == "mul":
        return _factors(node.args[0]) + _factors(node.args[1])
    return [node]


def _product(factors: list[Expr]) -> Expr:
    """The product of ``factors``, left to right (a factor that is a new product is opened:
    ``dH * H * (1 - H)``, not ``dH * (H * (1 - H))``)."""
    flat: list[Expr] = []
    for f in factors:
        flat += _factors(f) if f.op == "mul" and f.span is None else [f]
    result = flat[0]
    for f in flat[1:]:
        result = Expr("mul", (result, f))
    return result


def _inside_mask(root: Expr) -> set[Path]:
    """Paths below a mask: no edit is tried there but the mask's own."""
    inside: set[Path] = set()
    for path, node in walk(root):
        if node.op == "cmp":
            inside.update(sub for sub, _ in walk(node, path) if sub != path)
    return inside


def edits(root: Expr, context: Context) -> Iterator[Edit]:
    """Every edit tried on the formula ``root``, cheapest kinds first."""
    shapes = _node_shapes(root, context.shapes)
    inside = _inside_mask(root)
    parents: dict[Path, Expr] = {}
    for path, node in walk(root):
        for k in range(len(node.args)):
            parents[(*path, k)] = node
    layers = context.layers
    activation_names = (
        frozenset().union(*(layer.names for layer in layers)) if layers else frozenset()
    )
    for path, node in walk(root):
        if path in inside or node.op == "num":
            continue
        parent = parents.get(path)
        shape = shapes.get(id(node))
        # sums and means: the axis and keepdims
        if node.op in ("sum", "mean"):
            axis, keepdims = node.value
            argument = shapes.get(id(node.args[0]))
            rank = 2 if argument is None else argument.rank
            for new_axis in (None, *range(rank)):
                for new_keep in (False, True):
                    if (new_axis, new_keep) == (axis, keepdims) or (new_axis is None and new_keep):
                        continue
                    codes = []
                    if new_axis != axis:
                        codes.append("wrong-sum-axis")
                    if new_keep and not keepdims:
                        codes.append("missing-keepdims")
                    if keepdims and not new_keep:
                        codes.append("extra-keepdims")
                    yield Edit(
                        tuple(codes), len(codes), path, node.with_value((new_axis, new_keep))
                    )
        # matrix products: order, transposes, elementwise instead
        if node.op == "matmul":
            a, b = node.args
            for swap in (False, True):
                for ta in (False, True):
                    for tb in (False, True):
                        if not (swap or ta or tb):
                            continue
                        codes, changes = [], 0
                        left, right = a, b
                        if ta:
                            left, code = _toggle(a)
                            codes.append(code)
                        if tb:
                            right, code = _toggle(b)
                            codes.append(code)
                        changes = len(codes)
                        if swap:
                            new = node.with_args(right, left)
                            codes = ["wrong-product-order"] + (codes if ta != tb else [])
                            changes = 1 if ta == tb else 2
                        else:
                            new = node.with_args(left, right)
                        yield Edit(tuple(dict.fromkeys(codes)), changes, path, new)
            for ta, tb in ((False, False), (True, False), (False, True)):
                left = _toggle(a)[0] if ta else a
                right = _toggle(b)[0] if tb else b
                codes = ["matmul-instead-of-elementwise"]
                if ta or tb:
                    codes.append(_toggle(a if ta else b)[1])
                yield Edit(tuple(codes), 1 + ta + tb, path, Expr("mul", (left, right)))
        if node.op == "mul":
            a, b = node.args
            for swap in (False, True):
                for ta in (False, True):
                    for tb in (False, True):
                        left = _toggle(a)[0] if ta else a
                        right = _toggle(b)[0] if tb else b
                        codes = ["elementwise-instead-of-matmul"]
                        if swap:
                            codes.append("wrong-product-order")
                        for flag, operand in ((ta, a), (tb, b)):
                            if flag:
                                codes.append(_toggle(operand)[1])
                        new = Expr("matmul", (right, left) if swap else (left, right))
                        yield Edit(tuple(dict.fromkeys(codes)), 1 + swap + ta + tb, path, new)
        # a transpose of its own (transposing what a sum reduces is changing its axis)
        if parent is None or parent.op not in ("matmul", "sum", "mean") or node.op == "T":
            if node.op == "T":
                yield Edit(("extra-transpose",), 1, path, node.args[0])
            elif node.op not in ("matmul", "cmp") and (shape is None or shape.rank == 2):
                if parent is None or parent.op != "T":
                    yield Edit(("missing-transpose",), 1, path, Expr("T", (node,)))
        if node.op == "cmp":
            if node.args[0].op == "num" and node.args[1].op == "num":
                continue
            used = names_in(node)
            for layer in layers:
                if layer.mask is not None and (used & activation_names or not used):
                    yield Edit(("wrong-relu-mask",), 1, path, layer.mask, {"mask": layer.mask})
            continue
        # a missing activation derivative (a relu mask)
        for layer in layers:
            if shape is not None and layer.pre is not None:
                pre_shape = shapes.get(id(layer.pre))
                if pre_shape is not None and tuple(pre_shape) != tuple(shape):
                    continue
            if layer.mask is not None:
                yield Edit(
                    ("missing-relu-mask",),
                    1,
                    path,
                    Expr("mul", (node, layer.mask)),
                    {"mask": layer.mask},
                )
            elif layer.derivative is not None:
                yield Edit(
                    ("wrong-activation-derivative",),
                    1,
                    path,
                    Expr("mul", (node, layer.derivative)),
                    {"layer": layer, "missing": True},
                )
        # the factors that depend only on an activation, replaced by its derivative
        if node.op == "mul" and (parent is None or parent.op != "mul"):
            factors = _factors(node)
            for layer in layers:
                replacement = layer.mask if layer.mask is not None else layer.derivative
                if replacement is None:
                    continue
                kept = [f for f in factors if not _activation_factor(f, activation_names)]
                if not kept or len(kept) == len(factors):
                    continue
                removed = [f for f in factors if _activation_factor(f, activation_names)]
                masks_only = all(any(n.op == "cmp" for _, n in walk(f)) for f in removed)
                code = (
                    "wrong-relu-mask"
                    if layer.mask is not None and masks_only
                    else ("wrong-activation-derivative")
                )
                details = {"layer": layer} if code != "wrong-relu-mask" else {"mask": layer.mask}
                yield Edit((code,), 1, path, _product([*kept, replacement]), details)


def _activation_factor(factor: Expr, activation_names: frozenset[str]) -> bool:
    used = names_in(factor)
    return bool(used) and used <= activation_names


# ------------------------------------------------------------------------------ diagnose


def _let_path(root: Expr, path: Path) -> Path | None:
    """The path of the deepest helper (``let``) the edit at ``path`` lies inside."""
    deepest = None
    for k in range(len(path) + 1):
        if at_path(root, path[:k]).op == "let" and k < len(path):
            deepest = path[:k]
    return deepest


def _edit_message(edit: Edit, text: str) -> Message:
    words = []
    for code in edit.codes:
        if code in ("missing-relu-mask", "wrong-relu-mask"):
            words.append(
                Message(f"matrix.diagnosis.{code}", mask=to_source(edit.details["mask"], text))
            )
        elif code == "wrong-activation-derivative":
            layer: Layer = edit.details["layer"]
            key = "missing-activation-derivative" if edit.details.get("missing") else code
            words.append(
                Message(
                    f"matrix.diagnosis.{key}",
                    activation=layer.key,
                    pre=to_source(layer.pre, text),
                    derivative=to_source(layer.derivative, text),
                )
            )
        else:
            words.append(Message(f"matrix.diagnosis.{code}"))
    return _join(words)


def _fix_text(line_name: str, edited: Expr, path: Path | None, fixed: Expr, text: str):
    """``(fix, fix_line)``: the corrected line — ``fixed`` in full, or, when the edit at
    ``path`` of ``edited`` lies inside a helper, that helper's corrected formula."""
    if path is not None:
        let_path = _let_path(edited, path)
        if let_path is not None:
            helper = at_path(edited, let_path)
            return f"{helper.value} = {to_source(helper.args[0], text)}", str(helper.value)
    return f"{line_name} = {to_source(fixed, text)}", None


def diagnose(finding, context: Context) -> Found | None:
    """The diagnosis of a wrong line (a shape error or wrong values), or None."""
    line = finding.line
    of, expected = line.of, finding.expected
    text = context.program.text
    root = finding.expr
    if finding.fits:
        ratios = context.ratio(root, of, expected)
        if ratios is not None:
            read = _read_ratio(ratios, context, root)
            if read is not None:
                codes, message, fixed = read
                if fixed is None:
                    return Found(codes, message, None, None)
                fix, fix_line = _fix_text(line.name, root, None, fixed, text)
                return Found(
                    codes, Message("matrix.line.fix", text=message, fix=fix), fix, fix_line
                )
    best: tuple[int, int, Edit, Expr, Any, Expr] | None = None
    for order, edit in enumerate(edits(root, context)):
        # the cheapest edit wins; between equals, the most local one (the deepest)
        if best is not None and (edit.cost, -len(edit.path)) >= (best[0], -len(best[2].path)):
            continue
        candidate = replace_at(root, edit.path, edit.new)
        if not context.fits(candidate, expected):
            continue
        if context.right(candidate, of, expected):
            best = (edit.cost, order, edit, candidate, None, candidate)
            continue
        if best is not None and (edit.cost + 1, -len(edit.path)) >= (best[0], -len(best[2].path)):
            continue
        ratios = context.ratio(candidate, of, expected)
        if ratios is not None:
            read = _read_ratio(ratios, context, candidate)
            if read is not None and read[2] is not None:
                best = (edit.cost + 1, order, edit, read[2], read, candidate)
    if best is None:
        return None
    _, _, edit, fixed, read, edited = best
    message = _edit_message(edit, text)
    codes = edit.codes
    if read is not None:
        codes = (*codes, *read[0])
        message = Message("matrix.diagnosis.and", first=message, second=read[1])
    fix, fix_line = _fix_text(line.name, edited, edit.path, fixed, text)
    return Found(
        tuple(dict.fromkeys(codes)),
        Message("matrix.line.fix", text=message, fix=fix),
        fix,
        fix_line,
    )
