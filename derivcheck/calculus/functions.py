r"""SymPy functions that derivcheck adds: ``relu`` and ``sigmoid``.

Both differentiate with ``sympy.diff`` and evaluate with ``evalf``:

>>> import sympy
>>> from derivcheck.calculus.functions import relu, sigmoid
>>> x = sympy.Symbol("x", real=True)
>>> sympy.diff(relu(x), x)
Heaviside(x, 0)
>>> sympy.diff(sigmoid(x), x)
(1 - sigmoid(x))*sigmoid(x)
>>> relu(sympy.Rational(-1, 2)), sigmoid(0)
(0, 1/2)
>>> print(sympy.latex(sigmoid(x) ** 2))
\sigma\left(x\right)^{2}
"""

from __future__ import annotations

import sympy
from sympy import Function, Heaviside, Max, S, exp

__all__ = ["relu", "sigmoid", "KINK_FUNCTIONS"]


class relu(Function):  # noqa: N801 - lower case so it prints as people write it
    """relu(u) = max(0, u).  d/du relu(u) = H(u) with H(0) = 0, the chapter's convention."""

    nargs = 1

    @classmethod
    def _numbers(cls, arg):  # SymPy's Function.eval hook: simplify relu of a number
        if arg.is_Number:
            return arg if arg > 0 else S.Zero
        if arg.is_extended_negative or arg.is_zero:
            return S.Zero
        return None

    eval = _numbers

    def fdiff(self, argindex=1):
        return Heaviside(self.args[0], 0)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_nonnegative(self):
        if self.args[0].is_real:
            return True
        return None

    def _eval_rewrite_as_Max(self, arg, **kwargs):
        return Max(arg, S.Zero)

    def _eval_evalf(self, prec):
        value = self.args[0]._eval_evalf(prec)
        if value is None or not value.is_Number:
            return None
        return value if value > 0 else sympy.Float(0, precision=prec)

    def _latex(self, printer, exp=None):
        text = r"\operatorname{relu}\left(" + printer._print(self.args[0]) + r"\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"


class sigmoid(Function):  # noqa: N801
    """sigmoid(u) = 1 / (1 + e^(-u)).  d/du sigmoid(u) = sigmoid(u) (1 - sigmoid(u))."""

    nargs = 1

    @classmethod
    def _numbers(cls, arg):  # SymPy's Function.eval hook: sigmoid(0) = 1/2
        if arg.is_zero:
            return S.Half
        if arg.is_Float:
            return 1 / (1 + exp(-arg))
        return None

    eval = _numbers

    def fdiff(self, argindex=1):
        return self * (1 - self)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        if self.args[0].is_real:
            return True
        return None

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + exp(-arg))

    def _eval_evalf(self, prec):
        return (1 / (1 + exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        text = r"\sigma\left(" + printer._print(self.args[0]) + r"\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"


#: Functions whose derivative jumps somewhere (the kinks derivcheck reports).
KINK_FUNCTIONS = (
    relu,
    sympy.Abs,
    sympy.Max,
    sympy.Min,
    sympy.sign,
    sympy.Heaviside,
    sympy.floor,
    sympy.ceiling,
)
