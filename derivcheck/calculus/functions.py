r"""SymPy functions that derivcheck adds: the activations of neural networks, and arccot.

Every fact about them (definition, derivative, display, domain, kinks) is a record of
:mod:`derivcheck.calculus.catalogue`, which also makes their classes with
:func:`function_class`; the base class here only hands SymPy what it asks for (``diff``,
``evalf``, LaTeX, assumptions) by reading that record.

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

#: The classes themselves (relu, sigmoid, softplus, leaky_relu, elu, silu, gelu, hardtanh,
#: arccot) are made by the catalogue, one per record, and reached here by name.
__all__ = ["DerivcheckFunction", "function_class"]


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
        elif record.breaks and argument.is_number and not argument.free_symbols:
            # hardtanh(√2 - 1/10000) = 1: the branch is decided exactly, else floor(hardtanh(…)
            # - hardtanh(√2) + 2) had no value (differential run, case 2026:2428)
            try:
                value = record.definition(*args)
            except (TypeError, ValueError):  # not comparable: the argument is not real
                return None
            if not value.has(sympy.Max, sympy.Min, sympy.Piecewise, sympy.Heaviside):
                return value
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:  # pragma: no cover - parameters are numbers, never differentiated
            raise sympy.ArgumentIndexError(self, argindex)
        return _record(self.func).derivative(*self.args)

    def _eval_evalf(self, prec):
        """The value at ``prec`` bits, correct even where the argument's terms cancel.

        SymPy decides signs (``is_positive``, hence ``is_zero``) from this at 2 digits;
        evaluating the definition term by term there gave relu(0.6931481805599453 − ln 2)
        = 0.0 (it is 1e-6), so SymPy took the relu as zero and arctan of it as 0. The
        mpmath evaluator (calculus.precise) tracks cancellation; the definition is the
        fallback for what it does not know.
        """
        if not self.free_symbols:
            from derivcheck.calculus.precise import precise
            from derivcheck.errors import LimitError

            digits = max(prec_to_dps(prec), 15)
            try:
                value = precise(self, digits)
            except LimitError:
                return None
            except TypeError:  # an operation the mpmath evaluator does not know
                pass
            else:
                return None if value is None else sympy.Float(value, digits)
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


_ASSUMPTIONS = {
    "positive": "_eval_is_positive",
    "nonnegative": "_eval_is_nonnegative",
}


def function_class(name: str, nargs: int | tuple[int, ...] = 1, *facts: str) -> type:
    """A new :class:`DerivcheckFunction` named ``name`` (the catalogue makes one per record).

    ``facts`` are assumptions SymPy may use for real arguments: "positive", "nonnegative".

    >>> import sympy
    >>> from derivcheck.calculus.catalogue import lookup
    >>> softplus = lookup("softplus").sympy_class      # made by function_class(...)
    >>> softplus(sympy.Symbol("t", real=True)).is_positive
    True
    """

    def holds(self):
        return True if self.args[0].is_real else None

    namespace: dict[str, Any] = {"nargs": nargs, "__module__": __name__}
    namespace.update({_ASSUMPTIONS[fact]: holds for fact in facts})
    return type(name, (DerivcheckFunction,), namespace)


def __getattr__(name: str) -> Any:
    """``relu``, ``sigmoid``, … : the classes the catalogue made for its records."""
    if name.startswith("__"):  # the import system asks for __path__ and the like
        raise AttributeError(name)
    from derivcheck.calculus.catalogue import lookup

    record = lookup(name)
    if record is not None and isinstance(record.sympy_class, type):
        if issubclass(record.sympy_class, DerivcheckFunction):
            return record.sympy_class
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
