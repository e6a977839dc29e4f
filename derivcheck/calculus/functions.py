r"""SymPy functions that derivcheck adds: the activations of neural networks, and arccot.

Every fact about them (definition, derivative, display, domain, kinks) is a record of
:mod:`derivcheck.calculus.catalogue`; the classes here only hand SymPy what it asks for
(``diff``, ``evalf``, LaTeX, assumptions) by reading that record.

>>> import sympy
>>> from derivcheck.calculus.functions import relu, sigmoid, leaky_relu, softplus
>>> x = sympy.Symbol("x", real=True)
>>> sympy.diff(relu(x), x)
Heaviside(x, 0)
>>> sympy.diff(sigmoid(x), x)
(1 - sigmoid(x))*sigmoid(x)
>>> relu(sympy.Rational(-1, 2)), sigmoid(0), leaky_relu(-2), softplus(0)
(0, 1/2, -1/50, log(2))
>>> print(sympy.latex(sigmoid(x) ** 2))
\sigma\left(x\right)^{2}
>>> sympy.N(sigmoid(-400), 5)        # exact to any precision, far below float range
1.9152e-174
"""

from __future__ import annotations

from typing import Any

import sympy
from mpmath.libmp import prec_to_dps
from sympy import Function

__all__ = [
    "relu",
    "sigmoid",
    "softplus",
    "leaky_relu",
    "elu",
    "silu",
    "gelu",
    "hardtanh",
    "arccot",
    "DerivcheckFunction",
]


def _record(function: type) -> Any:
    from derivcheck.calculus.catalogue import record_of

    return record_of(function)


class DerivcheckFunction(Function):
    """A function whose facts live in the catalogue: f(u, *parameters).

    ``definition`` (in SymPy's own functions) gives exact values and ``evalf`` at any
    precision; ``derivative`` gives ``diff``. Parameters (leaky_relu's slope ``a``) are
    numbers; a missing one takes the record's default.
    """

    @classmethod
    def eval(cls, *args):
        record = _record(cls)
        if len(args) < 1 + len(record.parameters):
            defaults = tuple(p.default for p in record.parameters[len(args) - 1 :])
            return cls(*args, *defaults)
        argument = args[0]
        if argument.is_Number:  # relu(-1/2) = 0, sigmoid(0) = 1/2, leaky_relu(-2) = -1/50
            value = record.definition(*args)
            if value.is_Rational or argument.is_Float or record.exact_on_numbers:
                return value.evalf(prec_to_dps(argument._prec)) if argument.is_Float else value
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:  # pragma: no cover - parameters are numbers, never differentiated
            raise sympy.ArgumentIndexError(self, argindex)
        return _record(self.func).derivative(*self.args)

    def _eval_evalf(self, prec):
        try:
            return self.definition_form()._eval_evalf(prec)
        except (TypeError, ValueError):  # not comparable: the argument is not real
            return None

    def definition_form(self) -> sympy.Expr:
        """The function written with SymPy's own functions (softplus(u) = ln(1 + e^u))."""
        return _record(self.func).definition(*self.args)

    def _eval_rewrite(self, rule, args, **hints):
        try:
            return self.definition_form()
        except (TypeError, ValueError):  # e.g. Max of a non-real number: leave it as it is
            return None

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_finite(self):
        return self.args[0].is_finite

    def _latex(self, printer, exp=None):
        record = _record(self.func)
        inner = printer._print(self.args[0])
        text = rf"{record.latex}\left({inner}\right)"
        if len(self.args) > 1 and self.args[1] != record.parameters[0].default:
            text = rf"{record.latex}\left({inner}, {printer._print(self.args[1])}\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _sympystr(self, printer):
        record = _record(self.func)
        shown = [printer._print(self.args[0])]
        if len(self.args) > 1 and self.args[1] != record.parameters[0].default:
            shown.append(printer._print(self.args[1]))
        return f"{self.func.__name__}({', '.join(shown)})"


class relu(DerivcheckFunction):  # noqa: N801 - lower case so it prints as people write it
    """relu(u) = max(0, u)."""

    nargs = 1

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_real else None


class sigmoid(DerivcheckFunction):  # noqa: N801
    """σ(u) = 1 / (1 + e^(−u))."""

    nargs = 1

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


class softplus(DerivcheckFunction):  # noqa: N801
    """softplus(u) = ln(1 + e^u)."""

    nargs = 1

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


class leaky_relu(DerivcheckFunction):  # noqa: N801
    """leaky_relu(u, a) = u for u > 0, a·u otherwise (a = 0.01 by default)."""

    nargs = (1, 2)


class elu(DerivcheckFunction):  # noqa: N801
    """elu(u, a) = u for u > 0, a·(e^u − 1) otherwise (a = 1 by default)."""

    nargs = (1, 2)


class silu(DerivcheckFunction):  # noqa: N801
    """silu(u) = swish(u) = u·σ(u)."""

    nargs = 1


class gelu(DerivcheckFunction):  # noqa: N801
    """gelu(u) = u·Φ(u) = u/2·(1 + erf(u/√2)), the exact (erf) form."""

    nargs = 1


class hardtanh(DerivcheckFunction):  # noqa: N801
    """hardtanh(u) = −1 for u < −1, u for |u| ≤ 1, 1 for u > 1."""

    nargs = 1


class arccot(DerivcheckFunction):  # noqa: N801
    """arccot(u) = π/2 − arctan(u), values in (0, π), continuous as textbooks define it.

    (SymPy's ``acot`` takes values in (−π/2, π/2] and jumps at 0.)
    """

    nargs = 1

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None
