"""gradcheck tells kinks, jumps and smooth points apart from the mathematics (issue 9 §2).

Every expected value here is worked out by hand from the function: one-sided slopes of
|z| are -1 and 1, sign jumps from -1 to 1 at 0 (a jump of 2, its value 0 in between),
floor jumps by 1 at each integer and takes the right-hand value there, and so on.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from derivcheck.network import TwoLayerNetwork
from derivcheck.network.gradcheck import (
    AUTO_FULL_LIMIT,
    CENTRE_OUTLIER,
    FOURTH_DIFFERENCE_SPREAD,
    _line_noise,
    gradcheck,
)


def relu(z):
    return np.maximum(z, 0.0)


def elu(z):  # a = 1
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


def leaky_relu(z):  # a = 0.01
    return np.where(z > 0, z, 0.01 * z)


def check_sum(function, derivative, z, **options):
    """gradcheck of f(z) = sum(function(z)) with the gradient derivative(z)."""
    return gradcheck(
        lambda p: float(np.sum(function(p["z"]))),
        lambda p: {"z": derivative(p["z"])},
        {"z": np.array(z, dtype=float)},
        **options,
    )


# ------------------------------------------------------------------ jumps


# (function, z, f at the point minus its left limit and its right limit) on the line of z[0];
# z[1] = 0.5 is an ordinary point with derivative 0.
JUMPS = {
    "sign at 0": (np.sign, 0.0, -1.0, 1.0),  # sign(0) = 0 between -1 and 1
    "floor at 0": (np.floor, 0.0, -1.0, 0.0),  # floor(0) = 0 = the right-hand limit
    "floor at 1": (np.floor, 1.0, -1.0, 0.0),
    "ceil at 1": (np.ceil, 1.0, 0.0, 1.0),  # ceil(1) = 1 = the left-hand limit
    "|sign| at 0 (removable)": (lambda z: np.abs(np.sign(z)), 0.0, 1.0, 1.0),
    "floor just below 1": (np.floor, 1.0 - 1e-9, 0.0, 1.0),  # the jump within one step
}


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize("case", sorted(JUMPS))
def test_a_jump_is_a_jump_with_its_limits_and_slopes(case, mode):
    function, at, below, above = JUMPS[case]
    report = check_sum(function, lambda z: 0.0 * z, [at, 0.5], mode=mode)
    first = report.entries[0]
    assert first.status == "jump", str(report)
    assert first.limits == pytest.approx((below, above), abs=1e-9)
    assert first.jump == pytest.approx(above - below, abs=1e-9)
    assert (first.left, first.right) == pytest.approx((0.0, 0.0), abs=1e-6)  # flat steps
    assert math.isnan(first.abs_error) and math.isnan(first.tolerance)
    # Not a failure (f has no derivative there), but never a silent pass either.
    assert report.ok and report.jumps
    assert "across a jump of f" in report.summary() and "not checkable" in report.summary()
    assert "所有" not in report.summary("zh") and "跳跃间断点" in report.summary("zh")
    if mode == "full":
        assert report.entries[1].status == "ok"
        assert "1 of 2 entries agree" in report.summary()


def test_a_jump_at_the_point_does_not_inflate_the_noise_estimate():
    # Before: the jump of sign at 0 was taken for rounding noise (σ ≈ 1/√70), giving a
    # tolerance of 4.7e5 and the verdict "ok" for the central difference 1/h = 165140.
    report = check_sum(lambda z: np.sign(z) + z**2, lambda z: 2 * z, [0.0, 0.5])
    smooth = report.entries[1]
    assert smooth.status == "ok" and smooth.tolerance < 1e-8
    assert report.entries[0].status == "jump"


def test_line_noise_takes_the_third_difference_when_the_centre_is_an_outlier():
    one = np.ones(1)
    offsets = [k * one for k in (1.0, 2.0, 3.0, 4.0)]
    minus_offsets = [-t for t in offsets]
    # sign at 0 on a line through 0: f(0) = 0, f = 1 to the right, -1 to the left.
    jumped = _line_noise(0.0, [one] * 4, offsets, [-one] * 4, minus_offsets, 1.0)
    assert jumped.tolist() == [0.0]
    # A smooth line keeps its fourth difference (here 1: f(0) off by 1 while the cubic
    # t³ makes the third differences 6, more than 1/CENTRE_OUTLIER of it).
    cubic = [t**3 for t in offsets]
    kept = _line_noise(1.0, cubic, offsets, [t**3 for t in minus_offsets], minus_offsets, 1.0)
    assert kept.tolist() == pytest.approx([1.0], rel=1e-12)


def test_gaussian_noise_alone_rarely_takes_the_outlier_branch():
    # Smooth functions must keep their noise estimates: under independent Gaussian noise
    # the centre is taken for an outlier with probability about 0.03 / CENTRE_OUTLIER².
    rng = np.random.default_rng(0)
    lines = 200_000
    values = rng.standard_normal((9, lines))  # offsets -4..4, the centre at row 4
    offsets = [np.full(lines, k) for k in (1.0, 2.0, 3.0, 4.0)]
    plus = [values[4 + k] for k in (1, 2, 3, 4)]
    minus = [values[4 - k] for k in (1, 2, 3, 4)]
    noise = _line_noise(values[4], plus, offsets, minus, [-t for t in offsets], 1.0)

    def fourth(side):  # the ordinary one-sided fourth difference
        return np.abs(values[4] - 4 * side[0] + 6 * side[1] - 4 * side[2] + side[3])

    old = np.minimum(fourth(plus), fourth(minus))
    changed = np.mean(~np.isclose(noise, old, rtol=1e-9, atol=0))
    assert changed < 3 * 0.03 / CENTRE_OUTLIER**2, changed
    assert FOURTH_DIFFERENCE_SPREAD == pytest.approx(math.sqrt(70))


# ------------------------------------------------------------------ kinks and smooth points


@pytest.mark.parametrize("mode", ["full", "auto"])
@pytest.mark.parametrize("subgradient", [0.0, -1.0, 0.3, 1.0])
def test_abs_at_0_is_a_kink_whatever_subgradient_is_given(subgradient, mode):
    # |z|: slope -1 on the left, 1 on the right. np.sign(0) = 0 is a subgradient; it
    # agrees with the central difference 0 at stage 1, and is still reported as a kink.
    report = check_sum(np.abs, lambda z: np.where(z == 0, subgradient, np.sign(z)), [0.0, 0.5],
                       mode=mode)  # fmt: skip
    kink = report.entries[0]
    assert kink.status == "kink", str(report)
    assert (kink.left, kink.right) == pytest.approx((-1.0, 1.0), rel=1e-9)
    assert report.ok and report.entries[1].status == "ok"


def test_abs_at_0_with_a_value_outside_the_slopes_is_a_mismatch():
    report = check_sum(np.abs, lambda z: np.where(z == 0, 1.5, np.sign(z)), [0.0, 0.5])
    assert not report.ok and report.entries[0].status == "mismatch"
    assert (report.entries[0].left, report.entries[0].right) == pytest.approx((-1.0, 1.0))


def test_leaky_relu_at_0_is_a_kink_with_both_slopes():
    report = check_sum(leaky_relu, lambda z: np.where(z > 0, 1.0, 0.01), [0.0, 0.5])
    kink = report.entries[0]
    assert kink.status == "kink" and report.ok
    assert (kink.left, kink.right) == pytest.approx((0.01, 1.0), rel=1e-9)


# (function, its derivative): all differentiable at 0, with derivative at 0 as given.
SMOOTH_AT_0 = {
    "x|x|": (lambda z: z * np.abs(z), lambda z: 2 * np.abs(z), 0.0),
    "|x|^3": (lambda z: np.abs(z) ** 3, lambda z: 3 * z * np.abs(z), 0.0),
    "relu(x)^2": (lambda z: relu(z) ** 2, lambda z: 2 * relu(z), 0.0),
    "elu(x)": (elu, lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0))), 1.0),
}


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize("case", sorted(SMOOTH_AT_0))
def test_differentiable_at_0_is_ok(case, mode):
    function, derivative, at_zero = SMOOTH_AT_0[case]
    assert float(derivative(np.array(0.0))) == at_zero
    report = check_sum(function, derivative, [0.0, 0.5], mode=mode)
    assert report.ok and [e.status for e in report.entries] == ["ok", "ok"], str(report)
    if mode == "full":
        entry = report.entries[0]
        assert abs(entry.numeric - at_zero) <= entry.tolerance


# ------------------------------------------------------------------ a network at a kink


def network_with_a_unit_at_its_kink():
    """Two samples, two hidden units; unit 0 has z = 0.5·1 - 0.5 = 0 exactly on sample 0.

    By hand: z = [[0, 0.05], [0.5, -0.2]], h = [[0, 0.05], [0.5, 0]], y = [0.04, 0.45],
    residuals r = y - target = [-0.26, 0.65]; L = mean(r²), so dL/dy_s = r_s.
    Along b1[0] both samples move z by t: slope w2[0]·(r0 + r1) = 0.7·0.39 = 0.273 on
    the right, w2[0]·r1 = 0.455 on the left (sample 0 switched off). Along w1[0, 0] they
    move by t·x_s: 0.7·(-0.26 + 2·0.65) = 0.728 on the right, 0.7·1.3 = 0.91 on the left.
    """
    network = TwoLayerNetwork(hidden=2, inputs=1)
    params = network.make_params(w1=[0.5, -0.25], b1=[-0.5, 0.3], w2=[0.7, -1.2], b2=0.1)
    x, target = np.array([[1.0], [2.0]]), np.array([0.3, -0.2])
    return network, params, x, target


@pytest.mark.parametrize("relu_slope_at_zero", [0.0, 0.5, 1.0])
def test_a_network_with_a_relu_input_exactly_at_0(relu_slope_at_zero):
    network, params, x, target = network_with_a_unit_at_its_kink()

    def backward(p):  # by hand, with relu'(0) = relu_slope_at_zero
        z = x @ p["w1"].T + p["b1"]
        r = relu(z) @ p["w2"] + p["b2"] - target
        dy = 2 * r / len(target)
        slope = np.where(z > 0, 1.0, np.where(z == 0, relu_slope_at_zero, 0.0))
        dz = dy[:, None] * p["w2"][None, :] * slope
        return {"w1": dz.T @ x, "b1": dz.sum(axis=0), "w2": relu(z).T @ dy, "b2": dy.sum()}

    assert network.loss(params, x, target) == pytest.approx((0.26**2 + 0.65**2) / 2)
    report = gradcheck(network.loss_function(x, target), backward, params, mode="full")
    assert report.ok, str(report)
    by_label = {e.label: e for e in report.entries}
    for label, (left, right) in {"b1[0]": (0.455, 0.273), "w1[0, 0]": (0.91, 0.728)}.items():
        entry = by_label[label]
        assert entry.status == "kink", str(report)
        assert (entry.left, entry.right) == pytest.approx((left, right), rel=1e-7)
    others = [e.status for label, e in by_label.items() if label not in ("b1[0]", "w1[0, 0]")]
    assert others == ["ok"] * 5


# ------------------------------------------------------------------ directions and auto


def test_a_direction_across_a_jump_does_not_pass_silently():
    report = check_sum(np.floor, lambda z: 0.0 * z, [0.0, 0.3, 0.6], mode="directional")
    assert [e.status for e in report.entries] == ["jump", "jump"], str(report)
    assert all(e.jump == pytest.approx(1.0) for e in report.entries)
    assert report.ok and "2 across a jump of f" in report.summary()


def test_auto_checks_a_parameter_whose_directions_cross_a_jump_element_by_element():
    rng = np.random.default_rng(3)
    params = {"w": rng.normal(size=1500), "v": rng.uniform(0.1, 0.9, size=600)}
    params["v"][7] = 0.0
    assert params["w"].size + params["v"].size > AUTO_FULL_LIMIT  # directions first

    def f(p):
        return float(np.sum(np.sin(p["w"])) + np.sum(np.floor(p["v"])))

    report = gradcheck(f, lambda p: {"w": np.cos(p["w"]), "v": 0.0 * p["v"]}, params)
    assert report.mode == "directional, then full"
    assert [e.label for e in report.jumps] == ["v[7]"], str(report)
    assert all(e.status == "ok" for e in report.entries if e.label != "v[7]")
    assert any("crossed a jump" in note for note in report.diagnoses)


# ------------------------------------------------------------------ cost


def test_smooth_networks_cost_two_evaluations_per_entry():
    # No entry of a smooth network reaches stage 2, and every entry agrees within the
    # rounding floor from |f| alone, so f's noise is not measured: 1 + 2 per entry.
    network = TwoLayerNetwork(hidden=5, inputs=3, activation="tanh")
    rng = np.random.default_rng(4)
    params = network.make_params(
        w1=rng.normal(size=(5, 3)), b1=rng.normal(size=5), w2=rng.normal(size=5), b2=0.2
    )
    x, target = rng.normal(size=(7, 3)), rng.normal(size=7)
    report = gradcheck(
        network.loss_function(x, target), network.gradient_function(x, target), params,
        mode="full",
    )  # fmt: skip
    sizes = [np.size(value) for value in params.values()]
    assert report.ok
    assert report.evaluations == 1 + 2 * sum(sizes)


def test_jump_entries_in_the_report_dict_and_in_chinese():
    report = check_sum(np.sign, lambda z: 0.0 * z, [0.0, 0.5])
    data = report.to_dict()["entries"][0]
    assert data["status"] == "jump" and data["jump"] == pytest.approx(2.0)
    assert data["limits"] == pytest.approx([-1.0, 1.0])
    assert data["abs_error"] is None and data["tolerance"] is None
    zh = report.to_text("zh")
    assert "跳跃间断点，跳变 2（左极限 f(p) -1，右极限 f(p) +1" in zh
    assert report.sorted_entries()[0].status == "jump" and report.kinks == []
