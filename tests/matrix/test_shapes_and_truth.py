"""Shapes in dimension names, and the true gradients: derivcheck's reverse accumulation
against the chapter's printed numbers, the network's own hand-written backward pass,
central differences and (when installed) PyTorch."""

from __future__ import annotations

from importlib.util import find_spec

import numpy as np
import pytest

from derivcheck import check_backprop
from derivcheck.matrix import check_shapes
from derivcheck.matrix import graph as graph_module
from derivcheck.matrix.checker import size_sets
from derivcheck.matrix.graph import forward, reverse
from derivcheck.matrix.reader import read_matrix_program
from derivcheck.matrix.shapes import Shape, ShapeError, broadcast, infer
from tests.matrix.programs import CHAPTER_SCALAR, MATRIX, SOFTMAX, TWO_LAYERS, network, planted

# ------------------------------------------------------------------------------ shapes


def shape_of(text: str, shapes: dict) -> Shape:
    program = read_matrix_program("\n".join(f"{n}: {s}" for n, s in shapes.items())
                                  + f"\nOut = {text}\nL = sum(Out)\ndOut = 1 + 0*Out")  # fmt: skip
    return infer(program.assignments[0].expr, {n: program.declarations[n].shape for n in shapes})


@pytest.mark.parametrize(
    "formula, shapes, expected",
    [
        ("W @ X", {"W": "H×D", "X": "D×N"}, ("H", "N")),
        ("W @ v", {"W": "H×D", "v": "D"}, ("H",)),
        ("v @ W.T", {"W": "H×D", "v": "D"}, ("H",)),
        ("v @ v", {"v": "D"}, ()),
        ("X + b", {"X": "H×N", "b": "H×1"}, ("H", "N")),
        ("X + r", {"X": "N×H", "r": "H"}, ("N", "H")),
        ("v.T", {"v": "H"}, ("H",)),  # NumPy: .T of a vector changes nothing
        ("sum(X, axis=0)", {"X": "H×N"}, ("N",)),
        ("sum(X, axis=-1, keepdims=True)", {"X": "H×N"}, ("H", 1)),
        ("mean(X)", {"X": "H×N"}, ()),
        ("sum(X, keepdims=True)", {"X": "H×N"}, (1, 1)),
        ("X.shape[1] * X", {"X": "H×N"}, ("H", "N")),
        ("softmax(X, axis=0)", {"X": "C×N"}, ("C", "N")),
        ("cross_entropy(softmax(X, axis=0), X)", {"X": "C×N"}, ()),
    ],
)
def test_shape_rules(formula, shapes, expected):
    assert shape_of(formula, shapes) == expected


@pytest.mark.parametrize(
    "formula, shapes, words",
    [
        ("W @ X", {"W": "H×D", "X": "N×D"}, "(H×D)·(N×D): the inner dimensions D and N differ"),
        ("X + b", {"X": "H×N", "b": "H"}, "(H×N) + ((H,)) does not broadcast: N and H are"),
        ("X * Y", {"X": "H×N", "Y": "N×H"}, "only at sizes where N = H"),
        ("X @ 2", {"X": "H×N"}, "needs matrices or vectors, not a scalar"),
        ("sum(X, axis=2)", {"X": "H×N"}, "has no axis 2"),
        ("softmax(X)", {"X": "C×N"}, "needs its axis"),
        ("X + 3", {"X": "H×3"}, None),
        ("X * Y", {"X": "H×3", "Y": "H×4"}, "dimensions 3 and 4 differ"),
    ],
)
def test_shape_errors_say_why_in_dimension_names(formula, shapes, words):
    if words is None:
        assert shape_of(formula, shapes) == ("H", 3)
        return
    with pytest.raises(ShapeError) as caught:
        shape_of(formula, shapes)
    assert words in str(caught.value.message)


def test_broadcasting_is_numpys_with_names_equal_only_to_themselves():
    assert broadcast(("H", "N"), (1, "N")) == ("H", "N")
    assert broadcast(("N",), ("H", 1)) == ("H", "N")
    assert broadcast(("H", "N"), ("H", "H"))[0] == "clash"


def test_shapes_are_checked_without_computing_anything(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a value was computed")

    monkeypatch.setattr(graph_module, "evaluate", forbidden)
    monkeypatch.setattr(graph_module, "forward", forbidden)
    plan = check_shapes(planted(MATRIX, "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X"))
    finding = {f.line.name: f for f in plan.lines}["dW1"]
    assert not finding.fits
    assert str(finding.message) == "(H×N)·(D×N): the inner dimensions N and D differ"


def test_a_formula_with_a_shape_error_is_never_given_to_numpy(monkeypatch):
    program = planted(MATRIX, "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X")
    wrong = read_matrix_program(program).assignment("dW1").expr
    seen = []
    real = graph_module.evaluate

    def recording(expr, lookup, memo=None):
        seen.append(expr.span)
        return real(expr, lookup, memo)

    monkeypatch.setattr(graph_module, "evaluate", recording)
    report = check_backprop(program)
    assert report.line("dW1").status == "shape"
    assert wrong.span not in seen  # the learner's dZ1 @ X itself never ran


def test_the_two_sets_of_sizes_differ_and_never_make_dimensions_equal():
    program = read_matrix_program(TWO_LAYERS)
    first, second = size_sets(program)
    assert set(first) == set(second) == {"D", "N", "H1", "H2"}
    for sizes in (first, second):
        assert len(set(sizes.values())) == len(sizes) and 1 not in sizes.values()
    assert all(first[name] != second[name] for name in first)
    report = check_backprop(TWO_LAYERS)
    assert [dict(s) for s in report.sizes] == [first, second]


# ------------------------------------------------------------------------------ truth


def test_the_chapters_printed_gradient_at_section_2():
    # section 2.3 of the chapter: dL/dw1 = 1.356, dL/db1 = 0.678, dL/dw2 = -2.486, dL/db2 = -2.26
    program = read_matrix_program(CHAPTER_SCALAR)
    point = {"x": 2.0, "target": 1.0, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}
    values = forward(program, {k: np.asarray(v) for k, v in point.items()}, {})
    assert float(values.names["loss"]) == pytest.approx(1.2769, abs=1e-12)
    grads = reverse(program, values)
    printed = {"w1": 1.356, "b1": 0.678, "w2": -2.486, "b2": -2.26, "y": -2.26, "z1": 0.678}
    for name, value in printed.items():
        assert float(grads[name]) == pytest.approx(value, abs=1e-12)


def test_the_matrix_form_agrees_with_the_networks_own_backward_pass():
    from derivcheck.network import random_setup

    setup = random_setup(hidden=4, inputs=3, seed=7, samples=9)
    params, X, T = setup.params, setup.x, setup.target  # row per sample, w2 and b1 vectors
    hand = setup.network.gradients(params, X, T)
    program = read_matrix_program(MATRIX)
    inputs = {
        "X": X.T, "T": T[None, :], "W1": params["w1"], "b1": params["b1"][:, None],
        "W2": params["w2"][None, :], "b2": np.asarray(params["b2"]).reshape(1, 1),
    }  # fmt: skip
    sizes = {"D": 3, "H": 4, "N": 9}
    grads = reverse(program, forward(program, inputs, sizes))
    np.testing.assert_allclose(grads["W1"], hand["w1"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads["b1"][:, 0], hand["b1"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads["W2"][0], hand["w2"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads["b2"].reshape(()), hand["b2"], rtol=1e-12, atol=1e-14)


FORWARDS = {
    "tanh": network("tanh"),
    "sigmoid": network("sigmoid"),
    "softmax": SOFTMAX,
    "two layers": TWO_LAYERS,
    "everything else": """
        A: M×K, B: K×M, v: K, S: M×M positive, T: M×M one-hot
        C = A @ B + sqrt(S) - S / (1 + exp(-A @ B))
        u = A @ v
        w = np.where(C > 0, C, 0.5 * C) * sum(A, axis=1, keepdims=True)
        P = softmax(w + u, axis=1)
        L = cross_entropy(P, T, axis=1) + mean(log(S)) + v @ v + sum(A.T * B) ** 2
        dv = 2 * v
    """,
}


@pytest.mark.parametrize("name", list(FORWARDS))
def test_reverse_accumulation_agrees_with_central_differences(name):
    program = read_matrix_program(FORWARDS[name])
    sizes = dict(zip(program.dimensions, (3, 4, 5, 6, 7)))
    plan = check_shapes(program)
    rng = np.random.default_rng(3)
    inputs = {}
    for input_name in program.inputs:
        shape = tuple(sizes.get(d, d) for d in plan.shapes[input_name])
        declaration = program.declarations.get(input_name)
        flags = declaration.flags if declaration else frozenset()
        if "one-hot" in flags or input_name == "T" and name == "softmax":
            value = np.eye(shape[0])[:, rng.integers(0, shape[0], shape[1])].T
            value = value.T if name == "softmax" else value
        elif "positive" in flags:
            value = rng.uniform(0.5, 2, shape)
        else:
            value = rng.standard_normal(shape) * 0.5
        inputs[input_name] = value

    def loss(values):
        return float(np.asarray(forward(program, values, sizes).names[program.loss]).reshape(()))

    grads = reverse(program, forward(program, inputs, sizes))
    for input_name, value in inputs.items():
        numeric = np.zeros(np.shape(value))
        h = 1e-6
        for index in np.ndindex(numeric.shape):
            up = {k: np.array(v, dtype=float) for k, v in inputs.items()}
            down = {k: np.array(v, dtype=float) for k, v in inputs.items()}
            up[input_name][index] += h
            down[input_name][index] -= h
            numeric[index] = (loss(up) - loss(down)) / (2 * h)
        np.testing.assert_allclose(grads[input_name], numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.skipif(find_spec("torch") is None, reason="torch is not installed")
def test_reverse_accumulation_agrees_with_torch():
    import torch

    program = read_matrix_program(SOFTMAX)
    sizes = {"D": 3, "N": 5, "H": 4, "C": 3}
    rng = np.random.default_rng(0)
    shapes = {"X": (3, 5), "W1": (4, 3), "b1": (4, 1), "W2": (3, 4), "b2": (3, 1)}
    inputs = {n: rng.standard_normal(s) for n, s in shapes.items()}
    inputs["T"] = np.eye(3)[:, rng.integers(0, 3, 5)]
    grads = reverse(program, forward(program, inputs, sizes))
    t = {n: torch.tensor(v, requires_grad=True) for n, v in inputs.items()}
    Z1 = t["W1"] @ t["X"] + t["b1"]
    Z2 = t["W2"] @ torch.relu(Z1) + t["b2"]
    loss = -(t["T"] * torch.log_softmax(Z2, dim=0)).sum() / 5
    loss.backward()
    for name in shapes:
        np.testing.assert_allclose(grads[name], t[name].grad.numpy(), rtol=1e-12, atol=1e-14)
