"""A function seen along one real variable: :class:`Line` evaluates f at real or complex
points (the other variables fixed), counts the evaluations and turns domain errors into nan.

>>> import math
>>> line = Line(math.log)
>>> [float(v) for v in line.real([1.0, -1.0])], line.evaluations
([0.0, nan], 2)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from derivcheck.errors import EvaluationError
from derivcheck.numeric.budget import EPS

_DOUBLE = (np.dtype(np.float64), np.dtype(np.complex128))


class Line:
    """f restricted to one real variable t (the others fixed), counting evaluations.

    Real evaluation never raises for domain errors: values that are not finite or not real
    become nan. Vectorised calls are used when f accepts arrays, scalar calls otherwise.
    ``eps`` is the unit roundoff of the values f returned (float32 results: 1.2e-7), which
    every rounding floor uses.

    Callers run it under ``np.errstate(all="ignore")`` (the public functions of
    :mod:`~derivcheck.numeric` enter it once per derivative): entering an errstate costs
    1.5 µs, a tenth of a whole complex step of a NumPy callable, so the evaluations here do
    not enter one each. The one exception is ``auto``'s complex step of a black box, whose
    own arithmetic is Python floats: it runs under the caller's settings. A black box's
    warnings are silenced here.
    """

    def __init__(self, f: Callable[..., Any], point: Sequence[float] | None = None, index=0):
        self.f = f
        expr = getattr(f, "expr", None)
        variables = getattr(f, "variables", None)
        self.compiled = isinstance(expr, sympy.Basic) and variables is not None
        self.expr = expr if self.compiled else None
        self.variables: tuple = tuple(variables) if self.compiled else ()
        self.point = None if point is None else [float(v) for v in point]
        self.index = index
        self.evaluations = 0
        self.eps = EPS
        self.vectorised: bool | None = True if self.compiled else None
        if self.compiled:
            arity = len(self.variables)
            expected = 1 if self.point is None else len(self.point)
            if arity != expected:
                names = ", ".join(str(v) for v in self.variables)
                raise EvaluationError(
                    "numeric.error.arity", arity=arity, names=names, given=expected
                )

    @property
    def variable(self) -> sympy.Symbol | None:
        return self.variables[self.index] if self.compiled else None

    def x0(self, t0: float) -> list[float]:
        """All coordinates of the point where t = t0."""
        if self.point is None:
            return [t0]
        values = list(self.point)
        values[self.index] = t0
        return values

    def _call(self, ts: Any) -> Any:
        if self.point is None:
            return self.f(ts)
        args: list[Any] = list(self.point)
        args[self.index] = ts
        return self.f(*args)

    def real(self, ts: np.ndarray) -> np.ndarray:
        """f at real points ``ts`` as floats; nan where f is undefined or not real."""
        ts = np.asarray(ts, dtype=float)
        self.evaluations += ts.size
        if self.compiled:
            return as_real(np.asarray(self._call(ts)))
        # A black box may warn (NumPy invalid value, deprecated conversions): its domain
        # problems are reported through nan values, never as warnings.
        with _NoWarnings():
            values = self._vectorised(ts) if self.vectorised is not False else None
            if values is None:
                self.vectorised = False
                scalar = self._scalar
                values = np.array([scalar(t) for t in ts.ravel().tolist()])
                values = values.reshape(ts.shape)
        return as_real(values)

    def _note_precision(self, values: Any) -> None:
        dtype = values.dtype if isinstance(values, np.ndarray) else np.asarray(values).dtype
        if dtype in _DOUBLE:  # float64 values: eps is already EPS
            return
        if dtype.kind in "fc":
            self.eps = max(self.eps, float(np.finfo(dtype).eps))

    def _vectorised(self, ts: np.ndarray) -> np.ndarray | None:
        """f called once on the whole array, or None when f does not work on arrays."""
        try:
            out = np.asarray(self._call(ts))
        except Exception:  # noqa: BLE001 - any failure means "call it point by point"
            return None
        if out.shape != ts.shape or out.dtype.kind not in "fcib":
            return None
        self.vectorised = True
        self._note_precision(out)
        return out

    def _scalar(self, t: float) -> complex | float:
        try:
            value = self._call(t)
        except (ValueError, ArithmeticError):
            return complex(math.nan, 0.0)
        if type(value) is float:  # a Python float is a float64: nothing to convert or note
            return value
        try:
            self._note_precision(value)
            return complex(value)
        except (TypeError, ValueError) as error:
            raise EvaluationError("numeric.error.not_a_number", value=value) from error

    def complex(self, zs: np.ndarray) -> np.ndarray | None:
        """f at complex points, or None when f does not accept complex input."""
        zs = np.asarray(zs, dtype=complex)
        self.evaluations += zs.size
        if self.compiled:
            return np.asarray(self._call(zs), dtype=complex)
        with _NoWarnings():
            try:
                out = np.asarray(self._call(zs))
                if out.shape != zs.shape:
                    out = np.array([complex(self._call(complex(z))) for z in zs])
            except Exception:  # noqa: BLE001 - any failure means "no complex support"
                return None
        if out.dtype.kind != "c":
            return None
        self._note_precision(out)
        return out


class _NoWarnings:
    """``warnings.catch_warnings()`` with ``simplefilter("ignore")`` for the calls of a black
    box, at a fifth of its cost (the filters are swapped, nothing else is saved): the
    complex step of a NumPy callable is a few microseconds, and this was one of them."""

    __slots__ = ("saved",)

    def __enter__(self) -> None:
        self.saved = warnings.filters
        warnings.filters = [("ignore", None, Warning, None, 0)]
        warnings._filters_mutated()  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        warnings.filters = self.saved
        warnings._filters_mutated()  # type: ignore[attr-defined]


def as_real(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "c":
        real = values.real.astype(float)
        not_real = values.imag != 0
        if np.any(not_real):
            real = real.copy()
            real[not_real] = np.nan
        return real
    return values.astype(float, copy=False)


def line_arguments(line: Line, ts: np.ndarray) -> list[Any]:
    if line.point is None:
        return [ts]
    args: list[Any] = list(line.point)
    args[line.index] = ts
    return args


def value_at_point(line: Line, t0: float) -> float:
    return float(line.real(np.asarray([t0]))[0])


def point_text(line: Line, t0: float) -> str:
    name = str(line.variable) if line.compiled else "x"
    return f"{name} = {t0:.16g}"
