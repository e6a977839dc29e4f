"""Backward passes written by hand, right and with one mistake planted, checked.

Every expectation below comes from the mathematics of the network (the derivations are in
tests/matrix/programs.py and next to each case), never from running the checker: which line
is then the first wrong one, whether it is wrong in shape or in value, what the mistake is
called, and the formula that repairs it.
"""

from __future__ import annotations

import pytest

from derivcheck import check_backprop
from tests.matrix.programs import (
    CHAPTER_SCALAR,
    CS231N,
    EXERCISE2,
    EXERCISE2_SCALAR,
    MATRIX,
    ROW_MAJOR,
    SOFTMAX,
    TWO_LAYERS,
    network,
    planted,
)

# ------------------------------------------------------------------------------ right

RIGHT = {
    "chapter, scalar form (section 2.3)": CHAPTER_SCALAR,
    "exercise 2, scalar form (3 neurons)": EXERCISE2_SCALAR,
    "chapter, matrix form, a batch with mean loss": MATRIX,
    "exercise 2, matrix form (H = 3, D = 1, N = 50)": EXERCISE2,
    "tanh hidden layer": network("tanh"),
    "sigmoid hidden layer": network("sigmoid"),
    "softmax classifier, cross-entropy": SOFTMAX,
    "softmax classifier, cross_entropy()": planted(
        SOFTMAX, "L = -sum(T * log(P)) / N", "L = cross_entropy(P, T, axis=0)"
    ),
    "two hidden layers": TWO_LAYERS,
    "one row per sample, vector biases": ROW_MAJOR,
    "cs231n: rows, softmax written out, one-hot along axis 1": CS231N,
    # without the flag, Y meets log of a softmax written out: drawn one-hot all the same
    "cs231n, targets not declared one-hot": CS231N.replace(" one-hot", ""),
    "dL/dW and ∂L/∂W names": MATRIX.replace("dW1", "dL/dW1").replace("dZ1", "∂L/∂Z1"),
    "NumPy spelling": planted(
        planted(MATRIX, "dW1 = dZ1 @ X.T", "dW1 = np.dot(dZ1, X.T)"),
        "db1 = sum(dZ1, axis=1, keepdims=True)",
        "db1 = dZ1.sum(axis=1, keepdims=True)",
    ),
    # dH = W2ᵀ ⊙ dY broadcasts H×1 against 1×N: the outer product, which is W2ᵀ dY exactly
    "an outer product written with broadcasting": planted(
        MATRIX, "dH = W2.T @ dY", "dH = W2.T * dY"
    ),
    # with one input written as a literal 1, dW1 = Σ_n dZ1 ⊙ X is right (X is 1×N)
    "one literal input, broadcasting": planted(
        MATRIX.replace("X: D×N", "X: 1×N").replace("W1: H×D", "W1: H×1"),
        "dW1 = dZ1 @ X.T",
        "dW1 = sum(dZ1 * X, axis=1, keepdims=True)",
    ),
}


@pytest.mark.parametrize("name", list(RIGHT))
def test_a_right_backward_pass_is_right(name):
    report = check_backprop(RIGHT[name])
    assert [line.status for line in report.lines if line.status != "ok"] == []
    assert report.ok and report.first_error is None
    assert all(line.diagnosis is None for line in report.lines)


# ------------------------------------------------------------------------------ wrong

# (program with one mistake, first wrong line, its status, diagnosis, the repaired line)
WRONG = {
    # dW1 = dZ1 Xᵀ: dZ1 X multiplies H×N by D×N
    "missing-transpose": (
        planted(MATRIX, "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X"),
        "dW1", "shape", "missing-transpose", "dW1 = dZ1 @ X.T",
    ),
    # Xᵀ dZ1 multiplies N×D by H×N; the factors belong the other way round
    "wrong-product-order": (
        planted(MATRIX, "dW1 = dZ1 @ X.T", "dW1 = X.T @ dZ1"),
        "dW1", "shape", "wrong-product-order", "dW1 = dZ1 @ X.T",
    ),
    # dH1 = W2ᵀ dZ2 (H1×H2 times H2×N); W2ᵀ ⊙ dZ2 cannot broadcast H2 against N
    "elementwise-instead-of-matmul": (
        planted(TWO_LAYERS, "dH1 = W2.T @ dZ2", "dH1 = W2.T * dZ2"),
        "dH1", "shape", "elementwise-instead-of-matmul", "dH1 = W2.T @ dZ2",
    ),
    # the relu derivative multiplies entry by entry: dH ⊙ [Z1 > 0]
    "matmul-instead-of-elementwise": (
        planted(MATRIX, "dZ1 = dH * (Z1 > 0)", "dZ1 = dH @ (Z1 > 0)"),
        "dZ1", "shape", "matmul-instead-of-elementwise", "dZ1 = dH * (Z1 > 0)",
    ),
    # L is a mean over N samples: without the 1/N, dY is N times too large
    "missing-mean": (
        planted(MATRIX, "dY = 2 * (Y - T) / N", "dY = 2 * (Y - T)"),
        "dY", "wrong", "missing-mean", "dY = 2 * (Y - T) / N",
    ),
    # relu passes the gradient only where Z1 > 0
    "missing-relu-mask": (
        planted(MATRIX, "dZ1 = dH * (Z1 > 0)", "dZ1 = dH"),
        "dZ1", "wrong", "missing-relu-mask", "dZ1 = dH * (Z1 > 0)",
    ),
    # the first layer's mask is [Z1 > 0]; Z2's mask is H2×N, dH1 is H1×N
    "wrong-relu-mask": (
        planted(TWO_LAYERS, "dZ1 = dH1 * (Z1 > 0)", "dZ1 = dH1 * (Z2 > 0)"),
        "dZ1", "shape", "wrong-relu-mask", "dZ1 = dH1 * (Z1 > 0)",
    ),
    # b1 is H×1: sum over the samples (axis 1), not over the units (axis 0, 1×N)
    "wrong-sum-axis": (
        planted(MATRIX, "db1 = sum(dZ1, axis=1, keepdims=True)",
                "db1 = sum(dZ1, axis=0, keepdims=True)"),
        "db1", "shape", "wrong-sum-axis", "db1 = sum(dZ1, axis=1, keepdims=True)",
    ),
    # sum(dZ1, axis=1) is a vector (H,), b1 a column H×1
    "missing-keepdims": (
        planted(MATRIX, "db1 = sum(dZ1, axis=1, keepdims=True)", "db1 = sum(dZ1, axis=1)"),
        "db1", "shape", "missing-keepdims", "db1 = sum(dZ1, axis=1, keepdims=True)",
    ),
    # d/dy (y - target)² = 2(y - target): the 2 is missing
    "factor-of-2": (
        planted(CHAPTER_SCALAR, "dL_dy = 2 * (y - target)", "dL_dy = (y - target)"),
        "dL_dy", "wrong", "factor-of-2", "dL_dy = 2 * (y - target)",
    ),
    # dL/dZ2 = (P - T)/N; (T - P)/N is its negative
    "sign-error": (
        planted(SOFTMAX, "dZ2 = (P - T) / N", "dZ2 = (T - P) / N"),
        "dZ2", "wrong", "sign-error", "dZ2 = (P - T) / N",
    ),
    # tanh'(z) = 1 - tanh(z)² = 1 - H², not 1 - H
    "wrong-activation-derivative": (
        planted(network("tanh"), "dZ1 = dH * (1 - H**2)", "dZ1 = dH * (1 - H)"),
        "dZ1", "wrong", "wrong-activation-derivative", "dZ1 = dH * (1 - H**2)",
    ),
    # ---- the same mistakes elsewhere
    # the chapter's own scalar network without relu's derivative
    "chapter: missing-relu-mask": (
        planted(CHAPTER_SCALAR, "dL_dz1 = dL_dh * relu_grad", "dL_dz1 = dL_dh"),
        "dL_dz1", "wrong", "missing-relu-mask", "dL_dz1 = dL_dh * (z1 > 0)",
    ),
    # the helper's mask is inverted: relu'(z1) is 1 for z1 > 0
    "chapter: a wrong mask in a helper": (
        planted(CHAPTER_SCALAR, "relu_grad = 1.0 if z1 > 0 else 0.0",
                "relu_grad = 1.0 if z1 < 0 else 0.0"),
        "dL_dz1", "wrong", "wrong-relu-mask", "relu_grad = 1.0 if z1 > 0 else 0.0",
    ),
    # exercise 2's second unit without its mask
    "exercise 2 scalar: missing-relu-mask": (
        planted(EXERCISE2_SCALAR, "dz1_2 = dh_2 * (z1_2 > 0)", "dz1_2 = dh_2"),
        "dz1_2", "wrong", "missing-relu-mask", "dz1_2 = dh_2 * (z1_2 > 0)",
    ),
    # exercise 2: W2 is 1×H, so dH = W2ᵀ dY (H×1 times 1×N)
    "exercise 2: missing-transpose": (
        planted(EXERCISE2, "dH = W2.T @ dY", "dH = W2 @ dY"),
        "dH", "shape", "missing-transpose", "dH = W2.T @ dY",
    ),
    # the classifier's dZ2 without the mean's 1/N
    "softmax: missing-mean": (
        planted(SOFTMAX, "dZ2 = (P - T) / N", "dZ2 = P - T"),
        "dZ2", "wrong", "missing-mean", "dZ2 = (P - T) / N",
    ),
    # b2 is C×1: sum over the samples
    "softmax: wrong-sum-axis": (
        planted(SOFTMAX, "db2 = sum(dZ2, axis=1, keepdims=True)",
                "db2 = sum(dZ2, axis=0, keepdims=True)"),
        "db2", "shape", "wrong-sum-axis", "db2 = sum(dZ2, axis=1, keepdims=True)",
    ),
    # σ'(z) = H(1 - H); H alone is not it
    "sigmoid: wrong-activation-derivative": (
        planted(network("sigmoid"), "dZ1 = dH * H * (1 - H)", "dZ1 = dH * H"),
        "dZ1", "wrong", "wrong-activation-derivative", "dZ1 = dH * H * (1 - H)",
    ),
    # the second layer's relu derivative forgotten
    "two layers: missing-relu-mask": (
        planted(TWO_LAYERS, "dZ2 = dH2 * (Z2 > 0)", "dZ2 = dH2"),
        "dZ2", "wrong", "missing-relu-mask", "dZ2 = dH2 * (Z2 > 0)",
    ),
    # both hidden layers H wide: the wrong mask has the right shape, so the values tell
    "two layers of one width: wrong-relu-mask": (
        planted(planted(TWO_LAYERS, TWO_LAYERS.split("\n")[1],
                        "X: D×N, W1: H×D, b1: H×1, W2: H×H, b2: H×1, W3: 1×H, b3: 1×1, T: 1×N"),
                "dZ1 = dH1 * (Z1 > 0)", "dZ1 = dH1 * (Z2 > 0)"),
        "dZ1", "wrong", "wrong-relu-mask", "dZ1 = dH1 * (Z1 > 0)",
    ),
    # rows: b1 is a vector over the units; the sum runs over the samples, axis 0
    "rows: wrong-sum-axis": (
        planted(ROW_MAJOR, "db1 = np.sum(dZ1, axis=0)", "db1 = np.sum(dZ1, axis=1)"),
        "db1", "shape", "wrong-sum-axis", "db1 = np.sum(dZ1, axis=0)",
    ),
    # rows: keepdims makes 1×H out of the vector b1's gradient
    "rows: extra-keepdims": (
        planted(ROW_MAJOR, "db1 = np.sum(dZ1, axis=0)", "db1 = np.sum(dZ1, axis=0, keepdims=True)"),
        "db1", "shape", "extra-keepdims", "db1 = np.sum(dZ1, axis=0)",
    ),
    # rows: dW1 = Xᵀ dZ1 (D×N times N×H)
    "rows: wrong-product-order": (
        planted(ROW_MAJOR, "dW1 = X.T @ dZ1", "dW1 = dZ1 @ X.T"),
        "dW1", "shape", "wrong-product-order", "dW1 = X.T @ dZ1",
    ),
    # dZ1 already holds the 1/N of dY: dividing again makes db1 N times too small
    "extra-mean": (
        planted(MATRIX, "db1 = sum(dZ1, axis=1, keepdims=True)",
                "db1 = sum(dZ1, axis=1, keepdims=True) / N"),
        "db1", "wrong", "extra-mean", "db1 = sum(dZ1, axis=1, keepdims=True)",
    ),
    # ∂L/∂W2 is 1×H; H dYᵀ is its transpose, H×1: (AB)ᵀ = BᵀAᵀ
    "transposed product": (
        planted(MATRIX, "dW2 = dY @ H.T", "dW2 = H @ dY.T"),
        "dW2", "shape", "wrong-product-order", "dW2 = dY @ H.T",
    ),
    # rows: b2 is 1×C, a sum over the samples (axis 0); axis 1 sums over the classes, N×1
    "cs231n: wrong-sum-axis": (
        planted(CS231N, "db2 = np.sum(dscores, axis=0, keepdims=True)",
                "db2 = np.sum(dscores, axis=1, keepdims=True)"),
        "db2", "shape", "wrong-sum-axis", "db2 = np.sum(dscores, axis=0, keepdims=True)",
    ),
    # ∂L/∂scores = (P - Y)/N: without the 1/N of the mean over the rows
    "cs231n: missing-mean": (
        planted(CS231N, "dscores = (probs - Y) / N", "dscores = probs - Y"),
        "dscores", "wrong", "missing-mean", "dscores = (probs - Y) / N",
    ),
    # a sign error in the chapter's scalar network, at dL/dh
    "chapter: sign-error": (
        planted(CHAPTER_SCALAR, "dL_dh = dL_dy * w2", "dL_dh = -dL_dy * w2"),
        "dL_dh", "wrong", "sign-error", "dL_dh = dL_dy * w2",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(WRONG))
def test_the_first_wrong_line_and_its_diagnosis(name):
    program, first, status, diagnosis, fix = WRONG[name]
    report = check_backprop(program)
    assert not report.ok
    assert report.first_error == first
    line = report.line(first)
    assert (line.status, line.diagnosis) == (status, diagnosis)
    assert line.fix == fix
    # one mistake is reported once: every other line is checked as if this one were right
    assert [other.name for other in report.lines if other.status != "ok"] == [first]


def test_enough_hand_written_backward_passes():
    assert len(RIGHT) + len(WRONG) >= 25
    planted_codes = {case[3] for case in WRONG.values()}
    assert planted_codes >= {
        "missing-transpose", "wrong-product-order", "elementwise-instead-of-matmul",
        "matmul-instead-of-elementwise", "missing-mean", "missing-relu-mask", "wrong-relu-mask",
        "wrong-sum-axis", "missing-keepdims", "factor-of-2", "sign-error",
        "wrong-activation-derivative",
    }  # fmt: skip


def test_two_mistakes_are_two_findings_and_the_first_is_named():
    program = planted(MATRIX, "dY = 2 * (Y - T) / N", "dY = 2 * (Y - T)")
    program = planted(program, "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X")
    report = check_backprop(program)
    assert report.first_error == "dY"
    assert [(line.name, line.diagnosis) for line in report.wrong] == [
        ("dY", "missing-mean"),
        ("dW1", "missing-transpose"),
    ]
    # dW2, dH, dZ1 use dY: checked with the true dY, they are right
    assert [report.line(n).status for n in ("dW2", "db2", "dH", "dZ1", "db1")] == ["ok"] * 5


def test_a_shape_error_does_not_spoil_the_lines_after_it():
    report = check_backprop(planted(MATRIX, "dH = W2.T @ dY", "dH = W2 @ dY"))
    assert report.line("dH").status == "shape"
    assert report.line("dZ1").status == "ok"  # computed from the true dH
    assert report.line("dZ1").shape == ("H", "N")


def test_broadcasting_that_works_only_because_sizes_are_equal_is_a_shape_error():
    # D = 1 input makes dZ1 ⊙ X broadcast (H×N against 1×N), and the values would even be
    # right at D = 1; in dimension names H×N ⊙ D×N does not fit, at any other D.
    program = planted(EXERCISE2, "dW1 = dZ1 @ X.T", "dW1 = sum(dZ1 * X, axis=1, keepdims=True)")
    report = check_backprop(program)
    line = report.line("dW1")
    assert line.status == "shape"
    assert "H and D are different dimensions" in str(line.message)
    # H = N = 3: NumPy would run dH ⊙ [Z1 > 0]ᵀ; the names say it is wrong
    program = planted(MATRIX, "dZ1 = dH * (Z1 > 0)", "dZ1 = dH * (Z1 > 0).T")
    report = check_backprop(program, dims={"H": 3, "N": 3})
    assert report.line("dZ1").status == "shape"
    assert report.line("dZ1").diagnosis == "extra-transpose"


def test_a_wrong_value_names_the_worst_entry_with_the_true_value():
    report = check_backprop(planted(MATRIX, "dZ1 = dH * (Z1 > 0)", "dZ1 = dH"))
    line = report.line("dZ1")
    worst = line.worst
    assert worst is not None and len(worst.index) == 2
    # where the mask is 0 the true gradient is 0 and the formula's value is dH there
    assert worst.expected == 0.0 and worst.value != 0.0
    assert line.worst_index == worst.index
    assert f"∂L/∂Z1[{worst.index[0]}, {worst.index[1]}] is 0" in str(line.message)


def test_a_formula_that_no_edit_repairs_gets_no_diagnosis():
    # dw1 uses the weight instead of the input: none of the named mistakes
    report = check_backprop(planted(CHAPTER_SCALAR, "dL_dw1 = dL_dz1 * x", "dL_dw1 = dL_dz1 * w1"))
    line = report.line("dL_dw1")
    assert line.status == "wrong" and line.diagnosis is None and line.fix is None


def test_a_constant_factor_other_than_two_is_named_with_its_value():
    report = check_backprop(planted(MATRIX, "dY = 2 * (Y - T) / N", "dY = 3 * (Y - T) / N"))
    line = report.line("dY")
    assert line.diagnosis == "constant-factor"
    assert "1.5" in str(line.message)


def test_no_verdict_rather_than_a_false_one_when_the_truth_fails_its_cross_check(monkeypatch):
    # should derivcheck's own gradient ever disagree with finite differences, the line is
    # left unchecked and the report says so: never a "right" or "wrong" built on it
    from derivcheck.matrix import graph

    real = graph.reverse

    def broken(program, values):
        grads = real(program, values)
        grads["W2"] = 2 * grads["W2"]
        return grads

    monkeypatch.setattr(graph, "reverse", broken)
    report = check_backprop(MATRIX)
    assert report.line("dW2").status == "unchecked"
    assert not report.ok and report.first_error is None
    assert any("disagrees with finite differences" in str(p) for p in report.problems)
    assert [line.status for line in report.lines if line.name != "dW2"] == ["ok"] * 6
