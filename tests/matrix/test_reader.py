"""The matrix language: what it reads, how it resolves names, what it refuses and where."""

from __future__ import annotations

import pytest

from derivcheck import ParseError
from derivcheck.errors import DerivcheckError
from derivcheck.matrix.expr import to_source
from derivcheck.matrix.reader import gradient_of, read_matrix_program, tokenize
from tests.english import english_runs
from tests.matrix.programs import CHAPTER_SCALAR, MATRIX


def formula(text: str, line: int = -1) -> str:
    """The formula of one assignment as derivcheck prints it back (NumPy, no user text)."""
    program = read_matrix_program(text)
    assignment = program.assignments[line]
    return to_source(assignment.expr)


BASE = "X: D×N, W: H×D, b: H×1, T: H×N\n"


@pytest.mark.parametrize(
    "written, read",
    [
        ("W @ X", "W @ X"),
        ("W · X", "W @ X"),
        ("np.dot(W, X)", "np.dot(W, X)"),
        ("W.dot(X)", "W.dot(X)"),
        ("W ⊙ W", "W * W"),
        ("W ∘ W", "W * W"),
        ("W × W", "W * W"),
        ("Xᵀ", "X.T"),
        ("X^T", "X.T"),
        ("np.transpose(X)", "X.T"),
        ("X.transpose()", "X.T"),
        ("W²", "W**2"),
        ("W^2", "W**2"),
        ("W ** -1", "W**-1"),
        ("np.square(W)", "W**2"),
        ("sqrt(b * b)", "(b * b)**0.5"),
        ("-W**2", "-W**2"),
        ("sum(T, axis=1, keepdims=True)", "sum(T, axis=1, keepdims=True)"),
        ("np.sum(T, 0)", "np.sum(T, axis=0)"),
        ("T.sum(axis=-1)", "T.sum(axis=-1)"),
        ("T.mean()", "T.mean()"),
        ("(T > 0)", "T > 0"),
        ("(T >= 0).astype(float)", "T >= 0"),
        ("(T ≥ 0).astype(np.float64)", "T >= 0"),
        ("T if T > 0 else 0", "T if T > 0 else 0"),
        ("np.where(T > 0, T, 0)", "np.where(T > 0, T, 0)"),
        ("max(0, T)", "relu(T)"),
        ("np.maximum(T, 0)", "relu(T)"),
        ("ReLU(T)", "relu(T)"),
        ("σ(T)", "sigmoid(T)"),
        ("np.exp(-T)", "np.exp(-T)"),
        ("softmax(T, axis=0)", "softmax(T, axis=0)"),
        ("cross_entropy(softmax(T, axis=0), T)", "cross_entropy(softmax(T, axis=0), T, axis=0)"),
        ("X.shape[1]", "X.shape[1]"),
        ("T / N", "T / N"),
        ("（W ＠ X）", "W @ X"),
    ],
)
def test_what_a_formula_reads_as(written, read):
    if "＠" in written:
        written = written.replace("＠", "@")
    assert formula(BASE + f"Y = {written}\nL = sum(Y)\ndY = 1 + 0 * Y", 0) == read


def test_names_as_people_write_them():
    tokens = [t.value for t in tokenize("dL/dW₁ = δ₁ ⊙ ∂L/∂Z1")]
    assert tokens[:5] == ["dL/dW1", "=", "delta1", "*", "∂L/∂Z1"]


@pytest.mark.parametrize(
    "target, of",
    [("dW1", "W1"), ("dL_dW1", "W1"), ("dL/dW1", "W1"), ("∂L/∂W1", "W1"), ("dloss_dW1", "W1"),
     ("dJ_dW1", "W1"), ("delta", None), ("dW2", None), ("dL", "L")],
)  # fmt: skip
def test_the_naming_convention(target, of):
    assert gradient_of(target, {"W1", "L"}, "loss") == of


def test_the_chapter_scalar_form_needs_no_declarations():
    program = read_matrix_program(CHAPTER_SCALAR)
    assert program.scalar_form
    assert program.loss == "loss"
    assert program.inputs == ("w1", "x", "b1", "w2", "b2", "target")
    assert [line.of for line in program.backward] == [
        "y", "w2", "b2", "h", None, "z1", "w1", "b1",
    ]  # fmt: skip


def test_forward_backward_and_dimensions():
    program = read_matrix_program(MATRIX)
    assert program.loss == "L"
    assert program.forward_names == ("Z1", "H", "Y", "L")
    assert program.dimensions == ("D", "N", "H")
    assert program.declarations["b1"].shape == ("H", 1)
    # H is both a dimension (W1: H×D) and, once assigned, the hidden layer's matrix
    assert [line.of for line in program.backward] == ["Y", "W2", "b2", "H", "Z1", "W1", "b1"]


def test_declarations_flags_and_sizes():
    program = read_matrix_program(
        "P: C×N positive, T: (C, N) one-hot, v: C, s: scalar\ndims: C = 4, N = 7\n"
        "L = sum(T * log(P)) + sum(v) + s\ndP = T / P"
    )
    assert program.declarations["P"].flags == {"positive"}
    assert program.declarations["T"].flags == {"one-hot"}
    assert program.declarations["v"].shape == ("C",)
    assert program.declarations["s"].shape == ()
    assert dict(program.sizes) == {"C": 4, "N": 7}
    # the API's dims win over the file's
    assert dict(read_matrix_program(program.text, {"N": 3}).sizes) == {"C": 4, "N": 3}


def test_the_loss_is_the_assignment_before_the_first_gradient_when_not_named_L():
    program = read_matrix_program("x: scalar\ny = x**2\nE = 3 * y\ndy = 3 + 0 * y")
    assert program.loss == "E"


def test_helpers_in_the_backward_part():
    program = read_matrix_program(
        "X: D×N\nL = sum(X**2)\nm = X.shape[1]\ntwice = 2 * X\ndX = twice\nmask = X > 0"
    )
    assert [(line.name, line.of) for line in program.backward] == [
        ("dX", "X"),
        ("mask", None),
    ]
    assert program.forward_names == ("L", "m", "twice")


@pytest.mark.parametrize(
    "text, key, column",
    [
        ("X: D×N\nL = sum(X)\ndX = X[0]", "matrix.parse.trailing", 7),
        ("X: D×N\nL = sum(foo(X))\ndX = X", "matrix.parse.unknown_function", 9),
        ("X: D×N\nL = sum(X)\ndX = Q", "matrix.parse.undeclared", 6),
        ("X: D×N\nL = sum(X)\ndX = dY\ndY = X", "matrix.parse.used_before", 6),
        ("X: D×N\nL = sum(X)\ndX = X\ndX = X", "matrix.parse.assigned_twice", 1),
        ("X: D×N\nL = sum(X)", "matrix.parse.no_backward", 11),
        ("X: D×N\nL = sum(X == 1)\ndX = X", "matrix.parse.equality", 11),
        ("X: D×N\nL = sum(X ** X)\ndX = X", "matrix.parse.exponent", 14),
        ("X: D×N\nL = sum(X.U)\ndX = X", "matrix.parse.attribute", 11),
        ("X: D×N×K\nL = sum(X)\ndX = X", "matrix.parse.rank", 4),
        ("X: D×N\ndims: Q = 3\nL = sum(X)\ndX = X", "matrix.parse.size_unknown", 7),
        ("X: D×N\nL = sum(X, axis=x)\ndX = X", "matrix.parse.keyword_value", 17),
        ("X: D×N\nL = sum(max(1, X))\ndX = X", "matrix.parse.maximum", 9),
        ("X: D×N\nL = sum(X, 0, 1)\ndX = X", "matrix.parse.arity", 5),
        ("X: D×N\nL = sum(np.foo(X))\ndX = X", "matrix.parse.numpy_function", 12),
        ("X: D×N\nL = sum('X')\ndX = X", "parse.string", 9),
        ("X: D×N\nL = sum(X\ndX = X", "matrix.parse.unclosed", 1),
        ("X: D×N\nX = sum(X)\ndX = X", "matrix.parse.input_assigned", 1),
        ("X: D×N\nnp = sum(X)\ndX = X", "matrix.parse.reserved", 1),
        # NumPy's in-place updates (cs231n's dW += reg * W, dhidden[hidden <= 0] = 0)
        ("X: D×N\nL = sum(X**2)\ndX = X\ndX += X", "matrix.parse.in_place", 4),
        (
            "X: D×N\nL = sum(relu(X))\ndX = 1 + 0*X\ndX[X <= 0] = 0",
            "matrix.parse.item_assignment",
            3,
        ),
    ],
)
def test_what_is_refused_and_where(text, key, column):
    with pytest.raises(ParseError) as caught:
        read_matrix_program(text)
    error = caught.value
    assert error.message.key == key
    line_start = text.rfind("\n", 0, error.position) + 1
    assert error.position - line_start + 1 == column
    assert "Traceback" not in str(error)
    assert english_runs(error.to_text("zh"), error=True) == []


def test_nothing_is_evaluated():
    for hostile in ("L = __import__('os').system('true')", "L = exec(1)", "L = X.__class__"):
        with pytest.raises(ParseError):
            read_matrix_program("X: D×N\n" + hostile + "\ndX = X")


def test_bounds():
    with pytest.raises(ParseError) as caught:
        read_matrix_program("x: scalar\nL = " + "(" * 200 + "x" + ")" * 200 + "\ndx = 1")
    assert caught.value.message.key == "parse.too_deep"
    with pytest.raises(ParseError):
        read_matrix_program("x = 1\n" * 30_000)
    with pytest.raises(DerivcheckError) as caught:
        read_matrix_program("X: D×N\nL = sum(X)\ndX = 1 + 0*X", {"Q": 3})
    assert caught.value.message.key == "matrix.error.dims_unknown"
    with pytest.raises(DerivcheckError):
        read_matrix_program("X: D×N\nL = sum(X)\ndX = 1 + 0*X", {"N": 0})
