"""The chapter's two-layer network, generalised, with a hand-written backward pass.

The network of section 2 of the chapter is ``z1 = w1·x + b1``, ``h = relu(z1)``,
``y = w2·h + b2``, ``L = (y - target)^2``. :class:`TwoLayerNetwork` generalises it
to ``inputs`` features (D), ``hidden`` units (H), one output, the activations
``relu``, ``tanh`` and ``sigmoid``, and a batch of N samples (the loss is the mean
of the squared errors). Parameters are a dict of float64 arrays::

    w1: (H, D)    b1: (H,)    w2: (H,)    b2: ()

The forward and backward passes are NumPy, vectorised over the batch. The same
network is also available as a derivcheck program (:func:`as_program`) and as a
SymPy expression (:meth:`TwoLayerNetwork.sympy_loss`), so its gradient can be
proved exactly, and as PyTorch code when the optional ``torch`` extra is installed.

The chapter's section 2, forward and backward:

>>> network, params, x, target = chapter_example()
>>> forward = network.forward(params, x)
>>> round(float(forward.z1[0, 0]), 12), round(float(forward.y[0]), 12)
(1.1, -0.13)
>>> round(network.loss(params, x, target), 12)
1.2769
>>> grads = network.gradients(params, x, target)
>>> {name: round(float(value.sum()), 12) for name, value in grads.items()}
{'w1': 1.356, 'b1': 0.678, 'w2': -2.486, 'b2': -2.26}

Section 4, per-sample SGD on y = x^2 + noise (the printed losses of the chapter):

>>> setup = chapter_training_setup()
>>> result = train(setup.network, setup.params, setup.x, setup.target, epochs=101)
>>> result.log
['Epoch 0: loss = 2.0868', 'Epoch 100: loss = 1.1121']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy

from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message, check_language, text
from derivcheck.numeric.evaluate import logistic

__all__ = [
    "ACTIVATIONS",
    "TwoLayerNetwork",
    "Forward",
    "Backward",
    "NetworkLoss",
    "GradientTable",
    "TrainingSetup",
    "TrainingResult",
    "as_program",
    "chapter_example",
    "chapter_training_setup",
    "random_setup",
    "train",
    "CHAPTER_SECTION2",
    "MAX_SYMBOLIC_WEIGHTS",
]

Params = dict[str, np.ndarray]

#: The activations a :class:`TwoLayerNetwork` can use.
ACTIVATIONS = ("relu", "tanh", "sigmoid")

#: Section 2 of the chapter: input, target and parameters of the worked example.
CHAPTER_SECTION2 = {"x": 2.0, "target": 1.0, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}

#: Largest ``hidden * inputs`` for which the SymPy expression and program are built.
MAX_SYMBOLIC_WEIGHTS = 64

PARAMETER_NAMES = ("w1", "b1", "w2", "b2")


def _activate(activation: str, z: np.ndarray) -> np.ndarray:
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    return logistic(z)


def _activation_slope(activation: str, z: np.ndarray, h: np.ndarray) -> np.ndarray:
    """d activation / dz, from the pre-activation z and the activation h = act(z)."""
    if activation == "relu":
        return (z > 0).astype(z.dtype)  # relu'(0) = 0, the chapter's convention
    if activation == "tanh":
        return 1.0 - h * h
    return h * (1.0 - h)


@dataclass(frozen=True)
class Forward:
    """Intermediate values of a forward pass over a batch of N samples.

    ``z1`` and ``h`` have shape (N, H); ``y`` has shape (N,).
    """

    z1: np.ndarray
    h: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Backward:
    """A backward pass: the loss, the adjoints dL/dy (N,), dL/dh and dL/dz1 (N, H),
    and ``gradients``, the parameters' gradients shaped like the parameters."""

    forward: Forward
    loss: float
    dL_dy: np.ndarray
    dL_dh: np.ndarray
    dL_dz1: np.ndarray
    gradients: Params


@dataclass(frozen=True)
class TwoLayerNetwork:
    """``y = w2 · act(w1 x + b1) + b2`` with loss ``mean((y - target)^2)``.

    ``inputs`` is D, ``hidden`` is H; ``activation`` is ``"relu"``, ``"tanh"`` or
    ``"sigmoid"``. ``x`` may be an array of shape (N, D), or (N,) when D = 1, or a
    single number when D = 1; ``target`` has shape (N,) or is a number.

    >>> network = TwoLayerNetwork(hidden=3)
    >>> network.parameter_shapes
    {'w1': (3, 1), 'b1': (3,), 'w2': (3,), 'b2': ()}
    >>> params = network.make_params(w1=[1, -1, 2], b1=0, w2=[1, 1, 1], b2=0.5)
    >>> network.predict(params, [1.0, -2.0]).tolist()
    [3.5, 2.5]
    """

    hidden: int = 1
    inputs: int = 1
    activation: str = "relu"

    def __post_init__(self) -> None:
        for label, value in (("hidden", self.hidden), ("inputs", self.inputs)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise DerivcheckError(
                    "network.error.positive_integer", label=label, value=repr(value)
                )
        if self.activation not in ACTIVATIONS:
            raise DerivcheckError(
                "network.error.activation",
                name=repr(self.activation),
                choices=", ".join(repr(name) for name in ACTIVATIONS),
            )

    # ------------------------------------------------------------------ parameters
    @property
    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """Shape of each parameter array."""
        return {
            "w1": (self.hidden, self.inputs),
            "b1": (self.hidden,),
            "w2": (self.hidden,),
            "b2": (),
        }

    @property
    def parameter_count(self) -> int:
        """Number of scalar parameters: H·D + 2H + 1."""
        return self.hidden * self.inputs + 2 * self.hidden + 1

    def make_params(self, **values: Any) -> Params:
        """Parameters from numbers or nested lists, broadcast to their shapes, as float64.

        >>> TwoLayerNetwork().make_params(w1=0.5, b1=0.1, w2=-0.3, b2=0.2)["w1"]
        array([[0.5]])
        """
        missing = [name for name in PARAMETER_NAMES if name not in values]
        unknown = sorted(set(values) - set(PARAMETER_NAMES))
        if missing or unknown:
            raise DerivcheckError(
                "network.error.parameter_names",
                missing=Message("network.error.missing_names", names=", ".join(missing))
                if missing
                else "",
                unknown=Message("network.error.unknown_names", names=", ".join(unknown))
                if unknown
                else "",
            )
        return self.check_params(values)

    def check_params(self, params: Mapping[str, Any]) -> Params:
        """Validate ``params`` and return float64 copies with the exact shapes."""
        result: Params = {}
        for name, shape in self.parameter_shapes.items():
            if name not in params:
                raise DerivcheckError("network.error.parameter_missing", name=repr(name))
            value = np.asarray(params[name], dtype=np.float64)
            if value.shape != shape:
                if value.size not in (1, math.prod(shape)):
                    raise DerivcheckError(
                        "network.error.parameter_shape",
                        name=repr(name),
                        shape=value.shape,
                        expected=shape,
                    )
                value = np.broadcast_to(value.reshape(-1), (math.prod(shape),)).reshape(shape)
            result[name] = np.array(value, dtype=np.float64)
        return result

    def init_params(self, rng: np.random.RandomState | int = 42) -> Params:
        """Random parameters drawn as the chapter's section 4 draws them.

        ``w1 = randn(H·D)``, ``b1 = 0``, ``w2 = randn(H)``, ``b2 = 0`` from NumPy's
        legacy stream (``np.random.RandomState``; the same numbers as
        ``np.random.seed`` followed by ``np.random.randn``). For H = D = 1 these are
        the chapter's ``w1 = np.random.randn()`` and ``w2 = np.random.randn()``.
        """
        if not isinstance(rng, np.random.RandomState):
            rng = np.random.RandomState(rng)
        w1 = rng.randn(self.hidden * self.inputs).reshape(self.hidden, self.inputs)
        w2 = rng.randn(self.hidden)
        return {"w1": w1, "b1": np.zeros(self.hidden), "w2": w2, "b2": np.array(0.0)}

    # ------------------------------------------------------------------ data
    def check_data(self, x: Any, target: Any | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``x`` as an (N, D) float64 array and ``target`` as an (N,) array."""
        X = np.asarray(x, dtype=np.float64)
        if X.ndim == 0 or (X.ndim == 1 and self.inputs == 1):
            X = X.reshape(-1, 1)
        elif X.ndim == 1 and X.shape[0] == self.inputs:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.inputs:
            raise DerivcheckError(
                "network.error.x_shape",
                shape=np.shape(x),
                inputs=self.inputs,
                alternative=Message("network.error.or_vector") if self.inputs == 1 else "",
            )
        if target is None:
            return X, np.zeros(X.shape[0])
        T = np.asarray(target, dtype=np.float64).reshape(-1)
        if T.shape[0] != X.shape[0]:
            raise DerivcheckError("network.error.targets", inputs=X.shape[0], targets=T.shape[0])
        return X, T

    # ------------------------------------------------------------------ forward / backward
    def _params(self, params: Mapping[str, Any]) -> Mapping[str, np.ndarray]:
        """``params`` as float64 arrays of the right shapes, copied only when needed."""
        shapes = self.parameter_shapes
        for name, shape in shapes.items():
            value = params.get(name) if isinstance(params, Mapping) else None
            if not (
                isinstance(value, np.ndarray) and value.dtype == np.float64 and value.shape == shape
            ):
                return self.check_params(params)
        return params

    def forward(self, params: Mapping[str, np.ndarray], x: Any) -> Forward:
        """The forward pass: ``z1 = x w1ᵀ + b1``, ``h = act(z1)``, ``y = h w2 + b2``."""
        X, _ = self.check_data(x)
        return self._forward(self._params(params), X)

    def _forward(self, params: Mapping[str, np.ndarray], X: np.ndarray) -> Forward:
        z1 = X @ params["w1"].T + params["b1"]
        h = _activate(self.activation, z1)
        y = h @ params["w2"] + params["b2"]
        return Forward(z1=z1, h=h, y=y)

    def predict(self, params: Mapping[str, np.ndarray], x: Any) -> np.ndarray:
        """The network's outputs y, shape (N,)."""
        return self.forward(params, x).y

    def loss(self, params: Mapping[str, np.ndarray], x: Any, target: Any) -> float:
        """Mean squared error ``mean((y - target)^2)`` over the batch."""
        X, T = self.check_data(x, target)
        residual = self._forward(self._params(params), X).y - T
        return float(np.mean(residual * residual))

    def loss_and_gradients(
        self, params: Mapping[str, np.ndarray], x: Any, target: Any
    ) -> tuple[float, Params]:
        """The loss and its hand-written gradient (see :meth:`backward`)."""
        backward = self.backward(params, x, target)
        return backward.loss, backward.gradients

    def backward(self, params: Mapping[str, np.ndarray], x: Any, target: Any) -> Backward:
        """Backpropagation by hand, as in section 2.3, with every intermediate adjoint.

        ::

            dL/dy  = 2 (y - target) / N          (N,)
            dL/dw2 = hᵀ · dL/dy                   (H,)
            dL/db2 = Σ_n dL/dy                    ()
            dL/dh  = dL/dy ⊗ w2                   (N, H)
            dL/dz1 = dL/dh ∘ act'(z1)             (N, H)   relu'(z) = [z > 0]
            dL/dw1 = (dL/dz1)ᵀ · x                (H, D)
            dL/db1 = Σ_n dL/dz1                   (H,)

        >>> network, params, x, target = chapter_example()
        >>> backward = network.backward(params, x, target)
        >>> [round(float(v.sum()), 12) for v in (backward.dL_dy, backward.dL_dh, backward.dL_dz1)]
        [-2.26, 0.678, 0.678]
        """
        X, T = self.check_data(x, target)
        return self._backward(self._params(params), X, T)

    def _backward(self, params: Mapping[str, np.ndarray], X: np.ndarray, T: np.ndarray):
        forward = self._forward(params, X)
        residual = forward.y - T
        loss = float(np.mean(residual * residual))
        dL_dy = 2.0 * residual / T.shape[0]
        dL_dw2 = forward.h.T @ dL_dy
        dL_db2 = np.sum(dL_dy)
        dL_dh = dL_dy[:, None] * params["w2"][None, :]
        dL_dz1 = dL_dh * _activation_slope(self.activation, forward.z1, forward.h)
        dL_dw1 = dL_dz1.T @ X
        dL_db1 = np.sum(dL_dz1, axis=0)
        return Backward(
            forward=forward,
            loss=loss,
            dL_dy=dL_dy,
            dL_dh=dL_dh,
            dL_dz1=dL_dz1,
            gradients={"w1": dL_dw1, "b1": dL_db1, "w2": dL_dw2, "b2": np.asarray(dL_db2)},
        )

    def gradients(self, params: Mapping[str, np.ndarray], x: Any, target: Any) -> Params:
        """The hand-written gradient of the loss (see :meth:`loss_and_gradients`)."""
        return self.loss_and_gradients(params, x, target)[1]

    def loss_function(self, x: Any, target: Any) -> NetworkLoss:
        """``f(params) -> loss`` on fixed data, ready for :func:`derivcheck.gradcheck`.

        It also evaluates many single-element perturbations at once (the
        ``perturbed`` protocol of :mod:`derivcheck.network.gradcheck`), which makes a full
        gradcheck of a large network fast.
        """
        X, T = self.check_data(x, target)
        return NetworkLoss(self, X, T)

    def gradient_function(self, x: Any, target: Any) -> Callable[[Mapping[str, Any]], Params]:
        """``grad(params)``: the hand-written gradient on fixed data."""
        X, T = self.check_data(x, target)

        def gradient(params: Mapping[str, Any]) -> Params:
            return self.gradients(params, X, T)

        return gradient

    # ------------------------------------------------------------------ symbolic
    def symbol_names(self) -> dict[str, np.ndarray]:
        """Readable scalar names for each parameter entry, as arrays of strings.

        H = D = 1 keeps the chapter's names (``w1``, ``b1``, ``w2``, ``b2``); with H
        hidden units the j-th (from 1) are ``w1_j``, ``b1_j``, ``w2_j``; with D > 1
        inputs the weight from input k to unit j is ``w1_j_k``.

        >>> TwoLayerNetwork(hidden=2, inputs=2).symbol_names()["w1"].tolist()
        [['w1_1_1', 'w1_1_2'], ['w1_2_1', 'w1_2_2']]
        """
        H, D = self.hidden, self.inputs
        unit = [("" if H == 1 else f"_{j + 1}") for j in range(H)]
        w1 = np.empty((H, D), dtype=object)
        for j in range(H):
            for k in range(D):
                if D == 1:
                    w1[j, k] = f"w1{unit[j]}"
                else:
                    w1[j, k] = f"w1_{j + 1}_{k + 1}"
        b1 = np.array([f"b1{unit[j]}" for j in range(H)], dtype=object)
        w2 = np.array([f"w2{unit[j]}" for j in range(H)], dtype=object)
        return {"w1": w1, "b1": b1, "w2": w2, "b2": np.array("b2", dtype=object)}

    def input_names(self) -> list[str]:
        """``["x"]`` for one input, else ``["x_1", ..., "x_D"]``."""
        return ["x"] if self.inputs == 1 else [f"x_{k + 1}" for k in range(self.inputs)]

    def _check_symbolic_size(self) -> None:
        if self.hidden * self.inputs > MAX_SYMBOLIC_WEIGHTS:
            raise DerivcheckError(
                "network.error.symbolic_size",
                limit=MAX_SYMBOLIC_WEIGHTS,
                hidden=self.hidden,
                inputs=self.inputs,
            )

    def as_program(self) -> str:
        """The network as a derivcheck program, one assignment per line.

        >>> print(TwoLayerNetwork().as_program())
        z1 = w1*x + b1
        h = relu(z1)
        y = w2*h + b2
        L = (y - target)^2
        """
        self._check_symbolic_size()
        names = self.symbol_names()
        inputs = self.input_names()
        H = self.hidden
        lines = []
        for j in range(H):
            suffix = "" if H == 1 else f"_{j + 1}"
            products = " + ".join(f"{names['w1'][j, k]}*{inputs[k]}" for k in range(self.inputs))
            lines.append(f"z1{suffix} = {products} + {names['b1'][j]}")
            lines.append(f"h{suffix} = {self.activation}(z1{suffix})")
        terms = " + ".join(f"{names['w2'][j]}*h{'' if H == 1 else f'_{j + 1}'}" for j in range(H))
        lines.append(f"y = {terms} + b2")
        lines.append("L = (y - target)^2")
        return "\n".join(lines)

    def program_values(self, params: Mapping[str, Any], x: Any, target: float) -> dict[str, float]:
        """Values for every name of :meth:`as_program` at one sample (for ``explain``).

        >>> network, params, x, target = chapter_example()
        >>> network.program_values(params, x, target)
        {'x': 2.0, 'target': 1.0, 'w1': 0.5, 'b1': 0.1, 'w2': -0.3, 'b2': 0.2}
        """
        params = self.check_params(params)
        X, T = self.check_data(x, target)
        if X.shape[0] != 1:
            raise DerivcheckError("network.error.one_sample")
        values = {name: float(X[0, k]) for k, name in enumerate(self.input_names())}
        values["target"] = float(T[0])
        for name, symbols in self.symbol_names().items():
            for index in np.ndindex(symbols.shape):
                values[str(symbols[index])] = float(params[name][index])
        return values

    def sympy_loss(self) -> tuple[sympy.Expr, dict[str, np.ndarray], list[sympy.Symbol]]:
        """The one-sample loss as a SymPy expression, built with derivcheck's ``relu``.

        Returns ``(loss, parameter_symbols, input_symbols)``: ``parameter_symbols``
        maps w1, b1, w2, b2 to object arrays of Symbols shaped like the parameters;
        ``input_symbols`` is ``[x..., target]``.

        >>> loss, symbols, inputs = TwoLayerNetwork().sympy_loss()
        >>> loss
        (b2 - target + w2*relu(b1 + w1*x))**2
        >>> sympy.diff(loss, symbols["w1"][0, 0])
        2*w2*x*(b2 - target + w2*relu(b1 + w1*x))*Heaviside(b1 + w1*x, 0)
        """
        from derivcheck.calculus.functions import relu, sigmoid

        self._check_symbolic_size()
        activation = {"relu": relu, "tanh": sympy.tanh, "sigmoid": sigmoid}[self.activation]
        symbols = {
            name: np.vectorize(lambda s: sympy.Symbol(s, real=True), otypes=[object])(names)
            for name, names in self.symbol_names().items()
        }
        symbols["b2"] = np.array(sympy.Symbol("b2", real=True), dtype=object)
        xs = [sympy.Symbol(name, real=True) for name in self.input_names()]
        target = sympy.Symbol("target", real=True)
        hidden = [
            activation(
                sympy.Add(*(symbols["w1"][j, k] * xs[k] for k in range(self.inputs)))
                + symbols["b1"][j]
            )
            for j in range(self.hidden)
        ]
        y = (
            sympy.Add(*(symbols["w2"][j] * hidden[j] for j in range(self.hidden)))
            + symbols["b2"][()]
        )
        return (y - target) ** 2, symbols, [*xs, target]

    def exact_gradients(
        self, params: Mapping[str, Any], x: Any, target: Any, *, as_float: bool = True
    ) -> dict[str, np.ndarray]:
        """The gradient proved with SymPy: ``sympy.diff`` of :meth:`sympy_loss`.

        Every float (parameters and data) is taken as the exact rational number it
        stores, so for ``relu`` the result is the exact rational gradient of the
        mean loss at these floats; tanh and sigmoid values are carried to 40 digits
        and the result is given to 30. With ``as_float=False`` the arrays hold SymPy
        numbers.

        The partial derivatives share their pieces (y - target, every z1 and h), so
        they are evaluated through their common subexpressions (``sympy.cse``), once
        per sample: 1.5 s instead of about 30 s for 64 hidden units and 50 samples.

        >>> network, params, x, target = chapter_example()
        >>> grads = network.exact_gradients(params, x, target)
        >>> round(float(grads["w1"][0, 0]), 12), round(float(grads["b2"]), 12)
        (1.356, -2.26)
        """
        params = self.check_params(params)
        X, T = self.check_data(x, target)
        loss, symbols, inputs = self.sympy_loss()
        substitution = {}
        for name, syms in symbols.items():
            for index in np.ndindex(syms.shape):
                substitution[syms[index]] = sympy.Rational(float(params[name][index]))
        entries = [
            (name, index) for name, syms in symbols.items() for index in np.ndindex(syms.shape)
        ]
        partials = [
            sympy.diff(loss, symbols[name][index]).xreplace(substitution) for name, index in entries
        ]
        pieces, reduced = sympy.cse(partials)
        totals = [sympy.S.Zero] * len(reduced)
        for n in range(X.shape[0]):
            values = {s: sympy.Rational(float(v)) for s, v in zip(inputs, [*X[n], T[n]])}
            for symbol, piece in pieces:
                values[symbol] = _exact_or_40_digits(piece.xreplace(values))
            for k, partial in enumerate(reduced):
                totals[k] += _exact_or_40_digits(partial.xreplace(values))
        result = {
            name: np.empty(shape, dtype=object) for name, shape in self.parameter_shapes.items()
        }
        for (name, index), total in zip(entries, totals):
            total = total / X.shape[0]
            result[name][index] = total if total.is_Rational else total.evalf(30)
        if as_float:
            return {name: values.astype(np.float64) for name, values in result.items()}
        return result

    # ------------------------------------------------------------------ PyTorch
    def torch_gradients(self, params: Mapping[str, Any], x: Any, target: Any) -> Params:
        """The gradient from PyTorch autograd (float64), for the optional ``torch`` extra.

        Raises :class:`DerivcheckError` when torch is not installed.
        """
        try:
            import torch
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise DerivcheckError("network.error.no_torch") from error
        params = self.check_params(params)
        X, T = self.check_data(x, target)
        tensors = {name: torch.tensor(value, requires_grad=True) for name, value in params.items()}
        inputs = torch.tensor(X)
        targets = torch.tensor(T)
        z1 = inputs @ tensors["w1"].T + tensors["b1"]
        if self.activation == "relu":
            h = torch.relu(z1)
        elif self.activation == "tanh":
            h = torch.tanh(z1)
        else:
            h = torch.sigmoid(z1)
        y = h @ tensors["w2"] + tensors["b2"]
        loss = torch.mean((y - targets) ** 2)
        loss.backward()
        return {name: tensor.grad.detach().numpy().copy() for name, tensor in tensors.items()}

    # ------------------------------------------------------------------ three-way check
    def check_gradients(
        self,
        params: Mapping[str, Any],
        x: Any,
        target: Any,
        *,
        use_torch: bool | None = None,
        exact: bool | None = None,
    ) -> GradientTable:
        """Check the hand-written gradient three ways: SymPy, finite differences, PyTorch.

        ``exact`` (default: when hidden·inputs is small enough) adds the SymPy column;
        ``use_torch`` (default: when torch is installed) adds the PyTorch column.

        >>> network, params, x, target = chapter_example()
        >>> table = network.check_gradients(params, x, target, use_torch=False)
        >>> table.ok, [row.status for row in table.rows]
        (True, ['ok', 'ok', 'ok', 'ok'])
        """
        from derivcheck.network.gradcheck import gradcheck

        params = self.check_params(params)
        X, T = self.check_data(x, target)
        hand = self.gradients(params, X, T)
        if exact is None:
            exact = self.hidden * self.inputs <= MAX_SYMBOLIC_WEIGHTS
        exact_grads = self.exact_gradients(params, X, T) if exact else None
        if use_torch is None:
            from importlib.util import find_spec

            use_torch = find_spec("torch") is not None
        torch_grads = self.torch_gradients(params, X, T) if use_torch else None
        report = gradcheck(
            self.loss_function(X, T), self.gradient_function(X, T), params, mode="full"
        )
        by_entry = {(e.name, e.index): e for e in report.entries}
        names = self.symbol_names()
        eps = np.finfo(np.float64).eps
        rows = []
        for name in PARAMETER_NAMES:
            scale = max(1.0, float(np.max(np.abs(hand[name]))))
            # A float64 backward pass sums N terms per entry: allow its rounding error.
            exact_tolerance = 64 * eps * math.sqrt(X.shape[0]) * scale
            for index in np.ndindex(self.parameter_shapes[name]):
                entry = by_entry[(name, index)]
                hand_value = float(hand[name][index])
                errors = [abs(hand_value - entry.numeric)]
                status = entry.status
                exact_value = torch_value = None
                if exact_grads is not None:
                    exact_value = float(exact_grads[name][index])
                    errors.append(abs(hand_value - exact_value))
                    if abs(hand_value - exact_value) > exact_tolerance:
                        status = "mismatch"
                if torch_grads is not None:
                    torch_value = float(torch_grads[name][index])
                    if abs(hand_value - torch_value) > exact_tolerance:
                        status = "mismatch"
                rows.append(
                    GradientRow(
                        name=name,
                        index=index,
                        symbol=str(names[name][index]),
                        hand_written=hand_value,
                        exact=exact_value,
                        numeric=entry.numeric,
                        torch=torch_value,
                        error=max(errors[1:]) if len(errors) > 1 else errors[0],
                        status=status,
                        note_message=entry.note_message,
                    )
                )
        return GradientTable(rows=rows, report=report, samples=X.shape[0])


@dataclass(frozen=True)
class GradientRow:
    """One parameter entry of a :class:`GradientTable`.

    ``error`` is the largest difference of the hand-written value from the exact
    one (or from the numeric one when there is no exact column). ``note_message`` is
    gradcheck's remark on the entry (a :class:`Message`, or None).
    """

    name: str
    index: tuple[int, ...]
    symbol: str
    hand_written: float
    exact: float | None
    numeric: float
    torch: float | None
    error: float
    status: str
    note_message: Message | None = None

    @property
    def note(self) -> str:
        """gradcheck's remark in English ("" when there is none)."""
        return "" if self.note_message is None else self.note_message.to_text("en")


@dataclass
class GradientTable:
    """The hand-written gradient next to the exact, numeric and PyTorch ones."""

    rows: list[GradientRow]
    report: Any  # the GradcheckReport of the numeric check
    samples: int = 1

    @property
    def ok(self) -> bool:
        """True when no entry is a mismatch."""
        return all(row.status != "mismatch" for row in self.rows)

    def verdict_message(self) -> Message:
        """ "all N gradient entries agree" or "k of N gradient entries disagree", with the batch."""
        bad = sum(row.status == "mismatch" for row in self.rows)
        if bad:
            verdict = Message("network.disagree", bad=bad, count=len(self.rows))
        else:
            verdict = Message("network.agree", count=len(self.rows))
        return Message("network.verdict", verdict=verdict, samples=self.samples)

    def to_text(self, lang: str = "en") -> str:
        """The table and its verdict in ``lang``."""
        from derivcheck.network.text import format_table

        has_exact = any(row.exact is not None for row in self.rows)
        has_torch = any(row.torch is not None for row in self.rows)
        keys = ["gradcheck.col.parameter", "network.col.hand_written"]
        if has_exact:
            keys.append("network.col.exact")
        keys.append("gradcheck.col.numeric")
        if has_torch:
            keys.append("network.col.torch")
        keys += ["network.col.error", "gradcheck.col.status"]
        table = [[text(key, lang) for key in keys]]
        for row in self.rows:
            cells = [f"dL/d{row.symbol}", _number(row.hand_written)]
            if has_exact:
                cells.append(_number(row.exact))
            cells.append(_number(row.numeric))
            if has_torch:
                cells.append(_number(row.torch))
            status: Message = Message(f"gradcheck.status.{row.status}")
            if row.note_message is not None:
                status = Message("network.status_note", status=status, note=row.note_message)
            cells += [f"{row.error:.1e}", status.to_text(lang)]
            table.append(cells)
        return "\n".join([*format_table(table), self.verdict_message().to_text(lang)])

    def __str__(self) -> str:
        return self.to_text("en")


def _exact_or_40_digits(value: sympy.Expr) -> sympy.Expr:
    """A rational stays exact; anything else (tanh, exp of a rational) becomes a 40-digit Float."""
    return value if value.is_Rational else value.evalf(40)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.10g}"


class NetworkLoss:
    """``f(params) -> loss`` on fixed data, with a vectorised ``perturbed`` method.

    ``perturbed(params, name, flat_indices, values)`` returns the loss at
    ``params`` with ``params[name].flat[flat_indices[m]] = values[m]``, one value
    per m, computed from one cached forward pass: changing one entry of w1 or b1
    changes one column of ``z1``, so each perturbed loss costs O(N), not a full
    forward pass. This is the protocol :func:`derivcheck.gradcheck` uses to check
    every entry of a large network quickly.

    >>> network, params, x, target = chapter_example()
    >>> f = network.loss_function(x, target)
    >>> round(f(params), 12)
    1.2769
    >>> losses = f.perturbed(params, "w1", np.array([0, 0]), np.array([0.0, 0.5]))
    >>> [round(float(loss), 12) for loss in losses]     # w1 = 0, then w1 = 0.5 again
    [0.6889, 1.2769]
    """

    def __init__(self, network: TwoLayerNetwork, x: np.ndarray, target: np.ndarray):
        self.network = network
        self.x = x
        self.target = target

    def __call__(self, params: Mapping[str, Any]) -> float:
        return self.network.loss(params, self.x, self.target)

    def perturbed(
        self,
        params: Mapping[str, Any],
        name: str,
        flat_indices: np.ndarray,
        values: np.ndarray,
    ) -> np.ndarray:
        """Losses with one entry of ``params[name]`` replaced, vectorised over entries."""
        network = self.network
        if name not in PARAMETER_NAMES:
            raise DerivcheckError("network.error.unknown_parameter", name=repr(name))
        forward = network.forward(params, self.x)
        X, T = self.x, self.target
        flat_indices = np.asarray(flat_indices, dtype=np.intp)
        values = np.asarray(values, dtype=np.float64)
        old = np.asarray(params[name], dtype=np.float64).reshape(-1)[flat_indices]
        delta = values - old
        w2 = np.asarray(params["w2"], dtype=np.float64)
        out = np.empty(flat_indices.shape[0])
        # Chunks keep the (M, N) work arrays near 16 MB.
        chunk = max(1, (1 << 21) // max(1, X.shape[0]))
        for start in range(0, flat_indices.shape[0], chunk):
            part = slice(start, start + chunk)
            idx, d = flat_indices[part], delta[part]
            if name in ("w1", "b1"):
                if name == "w1":
                    unit, feature = np.unravel_index(idx, (network.hidden, network.inputs))
                    dz = d[:, None] * X[:, feature].T  # (M, N)
                else:
                    unit = idx
                    dz = np.broadcast_to(d[:, None], (d.shape[0], X.shape[0]))
                z_new = forward.z1[:, unit].T + dz
                h_new = _activate(network.activation, z_new)
                y_new = forward.y[None, :] + w2[unit][:, None] * (h_new - forward.h[:, unit].T)
            elif name == "w2":
                y_new = forward.y[None, :] + d[:, None] * forward.h[:, idx].T
            else:  # b2
                y_new = forward.y[None, :] + d[:, None]
            residual = y_new - T[None, :]
            out[part] = np.mean(residual * residual, axis=1)
        return out


# ---------------------------------------------------------------------- module level


def as_program(hidden: int = 1, inputs: int = 1, activation: str = "relu") -> str:
    """The network as derivcheck program text (see :meth:`TwoLayerNetwork.as_program`).

    >>> print(as_program(hidden=2))
    z1_1 = w1_1*x + b1_1
    h_1 = relu(z1_1)
    z1_2 = w1_2*x + b1_2
    h_2 = relu(z1_2)
    y = w2_1*h_1 + w2_2*h_2 + b2
    L = (y - target)^2
    """
    return TwoLayerNetwork(hidden=hidden, inputs=inputs, activation=activation).as_program()


def chapter_example() -> tuple[TwoLayerNetwork, Params, np.ndarray, np.ndarray]:
    """Section 2 of the chapter: ``(network, params, x, target)`` with x = 2, target = 1."""
    network = TwoLayerNetwork()
    values = CHAPTER_SECTION2
    params = network.make_params(w1=values["w1"], b1=values["b1"], w2=values["w2"], b2=values["b2"])
    x, target = network.check_data([values["x"]], [values["target"]])
    return network, params, x, target


@dataclass(frozen=True)
class TrainingSetup:
    """Network, initial parameters and data for a training run."""

    network: TwoLayerNetwork
    params: Params
    x: np.ndarray
    target: np.ndarray


def chapter_training_setup(
    hidden: int = 1, activation: str = "relu", seed: int = 42, samples: int = 50
) -> TrainingSetup:
    """Section 4 of the chapter: 50 points of y = x^2 + noise and the first parameters.

    The draws are the chapter's, in the chapter's order, from NumPy's legacy
    stream: ``seed(42)``, ``X = uniform(-2, 2, 50)``, ``y = X**2 + randn(50)*0.3``,
    then ``w1 = randn()``, ``w2 = randn()`` (``randn(H)`` each for H hidden units,
    as exercise 2 asks), ``b1 = b2 = 0``.

    >>> setup = chapter_training_setup()
    >>> setup.x.shape, round(float(setup.params["w1"][0, 0]), 6)
    ((50, 1), 0.097078)
    """
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, samples)
    y = X**2 + rng.randn(samples) * 0.3
    network = TwoLayerNetwork(hidden=hidden, activation=activation)
    params = network.init_params(rng)
    x, target = network.check_data(X, y)
    return TrainingSetup(network=network, params=params, x=x, target=target)


def random_setup(
    hidden: int, inputs: int, activation: str = "relu", seed: int = 42, samples: int = 50
) -> TrainingSetup:
    """Section 4's problem in D = ``inputs`` dimensions: y = |x|^2 + noise.

    From NumPy's legacy stream: ``seed(seed)``, ``X = uniform(-2, 2, (N, D))``,
    ``y = sum(X**2, axis=1) + randn(N)*0.3``, parameters as :meth:`TwoLayerNetwork.init_params`
    draws them, then ``b1 = randn(H)*0.1`` (biases away from 0, so kinks are not all at x = 0).

    >>> setup = random_setup(hidden=4, inputs=3)
    >>> setup.x.shape, setup.params["w1"].shape, setup.params["b1"].shape
    ((50, 3), (4, 3), (4,))
    """
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, (samples, inputs))
    y = np.sum(X**2, axis=1) + rng.randn(samples) * 0.3
    network = TwoLayerNetwork(hidden=hidden, inputs=inputs, activation=activation)
    params = network.init_params(rng)
    params["b1"] = rng.randn(hidden) * 0.1
    x, target = network.check_data(X, y)
    return TrainingSetup(network=network, params=params, x=x, target=target)


@dataclass
class TrainingResult:
    """What :func:`train` returns: the trained parameters and the loss curve.

    ``log_messages`` are the lines :func:`train` logged (:class:`Message` objects; ``log``
    is them in English). When training diverged, ``diverged_at`` is the epoch, ``diverged``
    the message, and ``params``/``losses`` are those of the last epoch that completed with
    finite values. ``to_text(lang)`` is the training summary.
    """

    network: TwoLayerNetwork
    params: Params
    losses: list[float]
    log_messages: list[Message]
    x: np.ndarray
    target: np.ndarray
    initial_params: Params = field(default_factory=dict)
    batch_size: int = 1
    lr: float = 0.01
    diverged: Message | None = None
    diverged_at: int | None = None

    @property
    def log(self) -> list[str]:
        """The logged lines in English ("Epoch 0: loss = 2.0868", ...)."""
        return [m.to_text("en") for m in self.log_messages]

    @property
    def summary_message(self) -> Message | None:
        """The last word: the divergence, or "final loss = ... after N epochs" (None: no epoch)."""
        if self.diverged is not None:
            return self.diverged
        if not self.losses:
            return None
        return Message("network.final_loss", loss=self.losses[-1], epochs=len(self.losses))

    def to_text(self, lang: str = "en") -> str:
        """The training summary in ``lang``: the logged lines, then the final loss."""
        lines = [m.to_text(lang) for m in self.log_messages]
        if self.diverged is None and self.summary_message is not None:
            lines.append(self.summary_message.to_text(lang))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text("en")

    def predict(self, x: Any) -> np.ndarray:
        """Outputs of the trained network."""
        return self.network.predict(self.params, x)

    def loss_figure(self, lang: str = "en"):
        """A matplotlib Figure of the loss curve (mean loss per epoch)."""
        figure = _figure((7, 5))
        self._draw_loss(figure.add_subplot(1, 1, 1), lang)
        return figure

    def fit_figure(self, true_function: Callable | None = np.square, lang: str = "en"):
        """A matplotlib Figure of the data, the true curve (default x^2) and the fit."""
        figure = _figure((7, 5))
        self._draw_fit(figure.add_subplot(1, 1, 1), true_function, lang)
        return figure

    def figure(self, true_function: Callable | None = np.square, lang: str = "en"):
        """Both plots side by side, as the chapter draws them."""
        figure = _figure((14, 5))
        self._draw_loss(figure.add_subplot(1, 2, 1), lang)
        self._draw_fit(figure.add_subplot(1, 2, 2), true_function, lang)
        return figure

    def plot_loss(self, path: str | Path, lang: str = "en") -> Path:
        """Write the loss curve to ``path`` (PNG, PDF or SVG, from the suffix)."""
        return _save(self.loss_figure(lang), path)

    def plot_fit(
        self, path: str | Path, true_function: Callable | None = np.square, lang: str = "en"
    ) -> Path:
        """Write the data, the true curve and the network's fit to ``path``."""
        return _save(self.fit_figure(true_function, lang), path)

    def plot(
        self, path: str | Path, true_function: Callable | None = np.square, lang: str = "en"
    ) -> Path:
        """Write both plots side by side to ``path``."""
        return _save(self.figure(true_function, lang), path)

    def _draw_loss(self, axes, lang: str) -> None:
        words, font = _plot_words(lang)
        axes.plot(range(len(self.losses)), self.losses, color="coral", linewidth=2)
        axes.set_xlabel(words("network.plot.epoch"), fontproperties=font)
        axes.set_ylabel(words("network.plot.loss"), fontproperties=font)
        axes.set_title(words("network.plot.loss_title"), fontproperties=font)
        axes.grid(True, alpha=0.3)

    def _draw_fit(self, axes, true_function: Callable | None, lang: str) -> None:
        if self.network.inputs != 1:
            raise DerivcheckError("network.error.fit_inputs")
        words, font = _plot_words(lang)
        xs = self.x[:, 0]
        grid = np.linspace(float(xs.min()), float(xs.max()), 200)
        axes.scatter(
            xs, self.target, alpha=0.4, s=20, color="gray", label=words("network.plot.data")
        )
        if true_function is not None:
            axes.plot(grid, true_function(grid), "g--", linewidth=2,
                      label=words("network.plot.true_function"))  # fmt: skip
        axes.plot(grid, self.predict(grid), "r-", linewidth=2, label=words("network.plot.network"))
        units = self.network.hidden
        title = words("network.plot.fit_title_one" if units == 1 else "network.plot.fit_title",
                      units=units)  # fmt: skip
        axes.set_title(title, fontproperties=font)
        axes.legend(prop=font)
        axes.grid(True, alpha=0.3)


#: Font families that have Chinese glyphs, tried in this order for plots in Chinese.
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
    "AR PL UMing CN", "Droid Sans Fallback",
)  # fmt: skip


def _plot_words(lang: str):
    """``(words, font)`` for a plot in ``lang``: ``words(key, **params)`` gives a label.

    Chinese labels need a font with Chinese glyphs (:data:`CJK_FONTS`); without one installed
    the labels stay English rather than show empty boxes. ``font`` is a FontProperties, or
    None for matplotlib's default.
    """
    from matplotlib import font_manager

    check_language(lang)
    font = None
    if lang == "zh":
        installed = {entry.name for entry in font_manager.fontManager.ttflist}
        family = next((name for name in CJK_FONTS if name in installed), None)
        if family is None:
            lang = "en"
        else:
            font = font_manager.FontProperties(family=family)

    def words(key: str, **params: Any) -> str:
        return text(key, lang, **params)

    return words, font


def _figure(size: tuple[float, float]):
    # Figure + Agg canvas, not pyplot: no global state, no GUI backend.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size)
    FigureCanvasAgg(figure)
    return figure


def _save(figure, path: str | Path) -> Path:
    path = Path(path)
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=100)
    except (OSError, ValueError) as error:
        raise DerivcheckError(
            "network.error.plot_write", path=repr(str(path)), reason=str(error)
        ) from error
    return path


def train(
    network: TwoLayerNetwork,
    params: Mapping[str, Any],
    x: Any,
    target: Any,
    *,
    lr: float = 0.01,
    epochs: int = 500,
    batch_size: int = 1,
    shuffle: bool = False,
    seed: int = 0,
    log_every: int = 100,
    log: Callable[[Message], None] | None = None,
) -> TrainingResult:
    """Train with (mini-batch) SGD using the hand-written gradient.

    ``batch_size=1`` without shuffling is the chapter's per-sample SGD: for each
    sample in order, forward, backward, ``param -= lr * grad``. An epoch's loss is
    the mean of the losses computed before each update, as the chapter prints it;
    every ``log_every`` epochs the line ``"Epoch {epoch}: loss = {loss:.4f}"`` is
    appended to ``result.log_messages`` and passed to ``log`` as a :class:`Message`
    (``print`` shows it in English; ``lambda m: print(m.to_text("zh"))`` in Chinese).

    Divergence (a loss or a parameter that is not finite, as a learning rate too large
    gives) stops training at the end of that epoch: the parameters and losses are those
    of the epoch before, and "training diverged at epoch N (loss ... → inf); try a
    smaller learning rate" is logged and kept in ``result.diverged``. NumPy's overflow
    warnings are not shown meanwhile.

    >>> network, params, x, target = chapter_example()
    >>> print(train(network, params, x, target, lr=10.0, epochs=200, log_every=0).diverged)
    training diverged at epoch 121 (loss 1.277 → inf); try a smaller learning rate

    >>> setup = chapter_training_setup(hidden=3)
    >>> result = train(setup.network, setup.params, setup.x, setup.target,
    ...                epochs=50, batch_size=10, lr=0.05, log_every=0)
    >>> result.losses[-1] < result.losses[0]
    True
    """
    params = network.check_params(params)
    initial = {name: value.copy() for name, value in params.items()}
    X, T = network.check_data(x, target)
    if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
        raise DerivcheckError(
            "network.error.positive_integer", label="batch_size", value=repr(batch_size)
        )
    if not (isinstance(epochs, (int, np.integer)) and epochs >= 0):
        raise DerivcheckError(
            "network.error.non_negative_integer", label="epochs", value=repr(epochs)
        )
    if not math.isfinite(lr) or lr <= 0:
        raise DerivcheckError("network.error.learning_rate", value=repr(lr))
    n_samples = X.shape[0]
    order = np.arange(n_samples)
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    lines: list[Message] = []
    diverged: Message | None = None
    diverged_at: int | None = None

    def emit(line: Message) -> None:
        lines.append(line)
        if log is not None:
            log(line)

    # Overflow and nan are what divergence looks like: they are detected, not warned about.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            if shuffle:
                rng.shuffle(order)
                X_epoch, T_epoch = X[order], T[order]
            else:
                X_epoch, T_epoch = X, T
            before = {name: value.copy() for name, value in params.items()}
            total = 0.0
            for start in range(0, n_samples, batch_size):
                X_batch = X_epoch[start : start + batch_size]
                T_batch = T_epoch[start : start + batch_size]
                backward = network._backward(params, X_batch, T_batch)
                total += backward.loss * X_batch.shape[0]
                if not math.isfinite(total):
                    break
                for name, value in params.items():
                    value -= lr * backward.gradients[name]
            diverged = _divergence(network, initial, params, X, T, total, epoch)
            if diverged is not None:
                params, diverged_at = before, epoch
                emit(diverged)
                break
            losses.append(total / n_samples)
            if log_every and epoch % log_every == 0:
                emit(Message("network.epoch", epoch=epoch, loss=losses[-1]))
    return TrainingResult(
        network=network,
        params=params,
        losses=losses,
        log_messages=lines,
        x=X,
        target=T,
        initial_params=initial,
        batch_size=batch_size,
        lr=lr,
        diverged=diverged,
        diverged_at=diverged_at,
    )


def _divergence(network, initial, params, X, T, total, epoch) -> Message | None:
    """The message when an epoch ended with a loss or parameters that are not finite."""
    bad = [name for name, value in params.items() if not np.all(np.isfinite(value))]
    if math.isfinite(total) and not bad:
        return None
    start = network.loss(initial, X, T)
    if not math.isfinite(total):
        return Message("network.diverged", epoch=epoch, start=start, end=total)
    return Message("network.diverged_parameters", epoch=epoch, start=start, names=", ".join(bad))
