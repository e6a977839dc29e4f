"""The chapter's two-layer network in matrix form, with a correct backward pass.

One column per sample: ``X`` is D×N, ``Z1 = W1 @ X + b1`` and ``H = act(Z1)`` are H×N,
``Y = W2 @ H + b2`` is 1×N, and the loss is the mean squared error of section 4. The
backward pass is the one derived by hand; the activation's derivative is read from the
catalogue (relu′(Z1) = (Z1 > 0), tanh′ = 1 - H**2, sigmoid′ = H * (1 - H)).

>>> print(matrix_program(hidden=3))  # doctest: +ELLIPSIS
# The chapter's two-layer network in matrix form (3 hidden neurons, relu), one column per sample.
# d<name> is ∂L/∂<name>. Check it with `derivcheck backprop FILE`
X: D×N, T: 1×N, W1: H×D, b1: H×1, W2: 1×H, b2: 1×1
dims: D = 1, H = 3, N = 50
...
dZ1 = dH * (Z1 > 0)
dW1 = dZ1 @ X.T
db1 = sum(dZ1, axis=1, keepdims=True)
"""

from __future__ import annotations

from derivcheck.messages import Message, text

__all__ = ["matrix_program"]


def activation_derivative(activation: str, pre: str = "Z1", out: str = "H"):
    """act′(pre) as a formula of the matrix language (an Expr), from the catalogue.

    >>> from derivcheck.matrix.expr import to_source
    >>> [to_source(activation_derivative(a)) for a in ("relu", "tanh", "sigmoid")]
    ['Z1 > 0', '1 - H**2', 'H * (1 - H)']
    """
    import sympy

    from derivcheck.calculus.catalogue import by_key
    from derivcheck.matrix.diagnosis import _from_sympy
    from derivcheck.matrix.expr import Expr

    u = sympy.Symbol("u", real=True)
    derivative = by_key(activation).derivative(u)
    return _from_sympy(derivative, u, activation, Expr("name", (), pre), Expr("name", (), out))


def matrix_program(
    hidden: int = 1, inputs: int = 1, activation: str = "relu", samples: int = 50, lang: str = "en"
) -> str:
    """The network (``hidden`` units H, ``inputs`` D, ``samples`` N of section 4) as a
    program for :func:`derivcheck.check_backprop`, comments in ``lang``."""
    from derivcheck.matrix.diagnosis import _product
    from derivcheck.matrix.expr import Expr, to_source
    from derivcheck.network.model import TwoLayerNetwork

    TwoLayerNetwork(hidden=hidden, inputs=inputs, activation=activation)  # validates them
    units = Message(
        "matrix.program.units_one" if hidden == 1 else "matrix.program.units", count=hidden
    )
    title = Message("matrix.program.title", units=units, activation=activation)
    dZ1 = _product([Expr("name", (), "dH"), activation_derivative(activation)])
    lines = [
        f"# {text(title, lang)}",
        f"# {text('matrix.program.convention', lang)}",
        "X: D×N, T: 1×N, W1: H×D, b1: H×1, W2: 1×H, b2: 1×1",
        f"dims: D = {inputs}, H = {hidden}, N = {samples}",
        "",
        f"# {text('matrix.program.forward', lang)}",
        "Z1 = W1 @ X + b1",
        f"H = {activation}(Z1)",
        "Y = W2 @ H + b2",
        "L = mean((Y - T)**2)",
        "",
        f"# {text('matrix.program.backward', lang)}",
        "dY = 2 * (Y - T) / N",
        "dW2 = dY @ H.T",
        "db2 = sum(dY, axis=1, keepdims=True)",
        "dH = W2.T @ dY",
        f"dZ1 = {to_source(dZ1)}",
        "dW1 = dZ1 @ X.T",
        "db1 = sum(dZ1, axis=1, keepdims=True)",
    ]
    return "\n".join(lines)
