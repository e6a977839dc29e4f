"""gradcheck: wrong backward passes are caught and named; correct ones near kinks are not.

The backward passes here are written out by hand in this file (independently of
derivcheck.network), once right and once with each classic mistake.
"""

from __future__ import annotations

import math
import warnings
from importlib.util import find_spec

import numpy as np
import pytest

import derivcheck
from derivcheck.errors import DerivcheckError
from derivcheck.network import TwoLayerNetwork
from derivcheck.network.gradcheck import GradcheckReport, PrecisionWarning, gradcheck

# ------------------------------------------------------------------ a network by hand


def loss(params, X, T):
    z1 = X @ params["w1"].T + params["b1"]
    y = np.maximum(z1, 0.0) @ params["w2"] + params["b2"]
    return float(np.mean((y - T) ** 2))


def backward(params, X, T, bug=None):
    """The hand-written gradient of mean((y - T)^2), with an optional classic mistake."""
    z1 = X @ params["w1"].T + params["b1"]
    h = np.maximum(z1, 0.0)
    y = h @ params["w2"] + params["b2"]
    n = len(T)
    dy = 2 * (y - T) / n
    if bug == "dy sign":
        dy = 2 * (T - y) / n
    grad_w2 = h.T @ dy
    if bug == "missing factor 2":
        grad_w2 = h.T @ ((y - T) / n)
    grad_b2 = dy.sum()
    if bug == "bias mean":
        grad_b2 = dy.mean()
    dh = dy[:, None] * params["w2"][None, :]
    dz = dh if bug == "missing relu mask" else dh * (z1 > 0)
    grad_w1 = X.T @ dz if bug == "transposed weight" else dz.T @ X
    grad_b1 = dz.sum(axis=0)
    if bug == "wrong sign":
        grad_b1 = -grad_b1
    if bug == "bias axis":
        grad_b1 = dz.sum(axis=1)
    return {"w1": grad_w1, "b1": grad_b1, "w2": grad_w2, "b2": grad_b2}


def problem(inputs=2, hidden=3, samples=5, seed=0):
    rng = np.random.default_rng(seed)
    params = {
        "w1": rng.normal(size=(hidden, inputs)),
        "b1": rng.normal(size=hidden),
        "w2": rng.normal(size=hidden),
        "b2": float(rng.normal()),
    }
    X = rng.normal(size=(samples, inputs))
    T = rng.normal(size=samples)
    return params, X, T


def check(bug=None, mode="full", inputs=2, hidden=3, samples=5, seed=0, **options):
    params, X, T = problem(inputs, hidden, samples, seed)
    return gradcheck(
        lambda p: loss(p, X, T), lambda p: backward(p, X, T, bug), params, mode=mode, **options
    )


# ------------------------------------------------------------------ correct gradients


@pytest.mark.parametrize("mode", ["full", "directional", "auto"])
def test_correct_backward_passes(mode):
    report = check(mode=mode, seed=3)
    assert isinstance(report, GradcheckReport)
    assert report.ok, str(report)
    assert all(e.status == "ok" for e in report.entries)
    assert str(report).startswith("gradcheck passed")


def test_correct_backward_passes_on_many_random_networks():
    for seed in range(40):
        for mode in ("full", "directional"):
            report = check(mode=mode, seed=seed, inputs=1 + seed % 3, hidden=1 + seed % 4)
            assert report.ok, f"seed {seed}\n{report}"


def test_full_mode_entries_are_every_element_with_names_and_indices():
    report = check()
    labels = [e.label for e in report.entries]
    assert labels[:3] == ["w1[0, 0]", "w1[0, 1]", "w1[1, 0]"]
    assert labels[-1] == "b2" and len(labels) == 3 * 2 + 3 + 3 + 1
    # A correct gradient needs 2 evaluations per element, plus f(p) once: every entry
    # agrees within the rounding floor from |f| alone, so f's noise is not measured.
    assert report.evaluations == 2 * len(labels) + 1


def test_directional_mode_costs_a_constant_number_of_evaluations():
    def quadratic(p):
        return float(np.sum(p["w"] ** 2) + 0.5 * np.sum(p["v"] ** 3))

    def grad(p):
        return {"w": 2 * p["w"], "v": 1.5 * p["v"] ** 2}

    counts = []
    for size in (10, 100_000):
        rng = np.random.default_rng(size)
        params = {"w": rng.normal(size=size), "v": rng.normal(size=(size, 2))}
        report = gradcheck(quadratic, grad, params, mode="directional")
        assert report.ok, str(report)
        counts.append(report.evaluations)
    # f(p) and 2 for each of 2 directions in 2 parameters (no noise sample is needed).
    assert counts[0] == counts[1] == 1 + 2 * 4


def _noisy_loss(p):
    # sum(w²) plus a deterministic "rounding noise" of 1e-13, some 150 ulps of |f|: without
    # the measured noise the rounding floor from |f| is too small for it.
    bits = np.frombuffer(np.ascontiguousarray(p["w"]).tobytes(), dtype=np.uint64)
    return float(np.sum(p["w"] ** 2) + 1e-13 * np.sum((bits % 1000) / 1000))


SKIP_NOISE_CASES = {
    "smooth, full": lambda: check(mode="full", seed=5),
    "smooth, directional": lambda: check(mode="directional", seed=6, inputs=4, hidden=7),
    "smooth, auto": lambda: check(mode="auto", seed=7),
    "wrong sign": lambda: check("wrong sign", mode="full"),
    "wrong sign, directional": lambda: check("wrong sign", mode="directional"),
    "missing factor 2, auto": lambda: check("missing factor 2", mode="auto", hidden=40, inputs=60),
    "relu at its kink": lambda: gradcheck(
        lambda p: float(np.maximum(p["z"], 0.0).sum()),
        lambda p: {"z": (p["z"] > 0) * 1.0},
        {"z": np.array([1e-9, 0.0, -1.0, 2.0])},
    ),
    "sign's jump": lambda: gradcheck(
        lambda p: float(np.sign(p["z"]).sum()),
        lambda p: {"z": 0 * p["z"]},
        {"z": np.array([0.0, 0.5])},
    ),
    "noisy f": lambda: gradcheck(
        _noisy_loss,
        lambda p: {"w": 2 * p["w"]},
        {"w": np.linspace(-1, 1, 7)},
    ),
}


@pytest.mark.parametrize("case", list(SKIP_NOISE_CASES))
def test_skipping_the_noise_sample_never_changes_a_verdict(case, monkeypatch):
    # The noise sample is skipped only when every entry agrees (and none looks like a kink)
    # without it. Measuring it anyway must give the same verdicts and numeric values, with
    # tolerances at least as large, in more evaluations.
    import derivcheck.network.gradcheck as module

    lazy = SKIP_NOISE_CASES[case]()
    monkeypatch.setattr(module, "_noise_needed", lambda *args: True)
    measured = SKIP_NOISE_CASES[case]()
    assert lazy.ok == measured.ok and lazy.mode == measured.mode
    assert [(e.label, e.status, e.note) for e in lazy.entries] == [
        (e.label, e.status, e.note) for e in measured.entries
    ]
    assert [e.numeric for e in lazy.entries] == [e.numeric for e in measured.entries]
    assert lazy.diagnoses == measured.diagnoses
    assert lazy.evaluations <= measured.evaluations
    for quick, slow in zip(lazy.entries, measured.entries):
        assert quick.tolerance <= slow.tolerance or math.isnan(slow.tolerance)
        if quick.status == "ok":
            assert quick.abs_error <= quick.tolerance


def test_a_failing_entry_measures_the_noise_as_before():
    report = check("wrong sign", mode="full")
    assert not report.ok
    # f(p), 2 per entry, 8 for each of the 13 noise lines, and stage 2 for the failures
    assert report.evaluations > 1 + 2 * 13 + 8 * (6 + 3 + 3 + 1)


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_an_empty_parameter_has_no_entries(mode):
    report = gradcheck(
        lambda p: float(p["b"] ** 2 + np.sum(p["a"])),
        lambda p: {"a": np.zeros(0), "b": 2 * p["b"]},
        {"a": np.zeros(0), "b": 1.5},
        mode=mode,
    )
    assert report.ok and [e.name for e in report.entries] == ["b"]
    assert report.entries[0].numeric == pytest.approx(3.0, rel=1e-9, abs=0)


def test_auto_picks_full_for_small_and_directional_for_large():
    assert check(mode="auto").mode == "full"
    params = {"w": np.ones(5000)}
    report = gradcheck(lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"w": 2 * p["w"]}, params)
    assert report.mode == "directional" and report.ok
    # A perturbable loss (the network's) is checked element by element even when large.
    network = TwoLayerNetwork(hidden=64, inputs=64)
    rng = np.random.default_rng(0)
    x, target = rng.normal(size=(4, 64)), rng.normal(size=4)
    report = gradcheck(
        network.loss_function(x, target),
        network.gradient_function(x, target),
        network.init_params(0),
    )
    assert report.mode == "full" and report.ok and len(report.entries) == 64 * 64 + 129


def test_strongly_curved_smooth_function_passes_thanks_to_the_truncation_estimate():
    def f(p):
        return float(np.sum(np.exp(12 * p["x"])) + np.sin(40 * p["y"]))

    def grad(p):
        return {"x": 12 * np.exp(12 * p["x"]), "y": 40 * np.cos(40 * p["y"])}

    report = gradcheck(f, grad, {"x": np.array([0.9, -0.4, 1.3]), "y": 0.37})
    assert report.ok, str(report)


def test_tiny_loss_with_large_intermediate_values_is_not_a_false_alarm():
    # y - target cancels: the loss is ~1e-10 while y and target are ~1; rounding in
    # f is then relative to |y|, not to |L|, and the budget must know it.
    params, X, T = problem(seed=5)
    z1 = X @ params["w1"].T + params["b1"]
    T = np.maximum(z1, 0) @ params["w2"] + params["b2"] + 1e-5 * np.arange(5)
    for mode in ("full", "directional"):
        report = gradcheck(lambda p: loss(p, X, T), lambda p: backward(p, X, T), params, mode=mode)
        assert report.ok, str(report)


# ------------------------------------------------------------------ injected mistakes


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize(
    "bug, wrong, words",
    [
        ("missing factor 2", ["w2"], "off by a factor of 2 (half)"),
        ("wrong sign", ["b1"], "sign error"),
        ("transposed weight", ["w1"], "transpose"),
        ("missing relu mask", ["w1", "b1"], None),
        ("bias axis", ["b1"], "a sum over the wrong axis"),
        ("bias mean", ["b2"], "off by a factor of 5 (1/5)"),
        ("dy sign", ["w1", "b1", "w2", "b2"], "every mismatching parameter"),
    ],
)
def test_each_wrong_backward_is_caught_and_named(bug, wrong, words, mode):
    report = check(bug, mode=mode, seed=1, samples=5)
    assert not report.ok
    assert report.mismatched_parameters == wrong, str(report)
    assert report.worst.name in wrong and report.worst.status == "mismatch"
    text = str(report)
    assert text.startswith("gradcheck FAILED")
    if words:
        assert words in text, text
    for name in wrong:
        assert any(line.strip().startswith(name) for line in text.splitlines()), text


def test_square_transposed_weight_is_silent_in_shape_but_diagnosed():
    report = check("transposed weight", inputs=3, hidden=3, seed=2)
    assert report.mismatched_parameters == ["w1"] and not report.problems
    assert report.diagnoses == [
        "w1: the gradient is transposed: its transpose matches the numeric gradient"
    ], str(report)
    report = check("transposed weight", mode="directional", inputs=3, hidden=3, seed=2)
    assert report.mismatched_parameters == ["w1"]
    assert any("transposed" in note for note in report.diagnoses), str(report)


def test_missing_mask_on_a_dead_unit_is_diagnosed():
    # One sample, unit 0 dead (z < 0): its true gradient is 0, the unmasked one is not.
    params = {"w1": np.array([[-1.0], [2.0]]), "b1": np.array([0.0, 0.5]),
              "w2": np.array([0.7, -1.2]), "b2": 0.1}  # fmt: skip
    X, T = np.array([[1.5]]), np.array([0.3])
    report = gradcheck(
        lambda p: loss(p, X, T), lambda p: backward(p, X, T, "missing relu mask"), params
    )
    assert report.mismatched_parameters == ["w1", "b1"]
    assert sorted(e.label for e in report.mismatches) == ["b1[0]", "w1[0, 0]"]
    assert any("missing mask" in note for note in report.diagnoses), str(report)


def test_a_tiny_error_in_one_entry_is_found_and_located():
    params, X, T = problem(inputs=10, hidden=10, samples=8, seed=4)

    def slightly_wrong(p):
        grads = backward(p, X, T)
        grads["w1"] = grads["w1"].copy()
        grads["w1"][7, 3] *= 1 + 1e-7
        return grads

    report = gradcheck(lambda p: loss(p, X, T), slightly_wrong, params)
    assert [e.label for e in report.mismatches] == ["w1[7, 3]"], str(report)


def test_report_table_is_worst_first_with_both_values_side_by_side():
    report = check("missing factor 2", seed=1)
    lines = str(report).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("parameter"))
    assert "analytic" in lines[header] and "numeric" in lines[header]
    first_row = lines[header + 2]
    assert first_row.startswith("w2[") and "mismatch" in first_row
    worst = report.worst
    assert f"{worst.analytic:.10g}" in first_row and f"{worst.numeric:.10g}" in first_row
    assert worst.numeric == pytest.approx(2 * worst.analytic, rel=1e-8, abs=0)
    severities = [e.severity for e in report.mismatches]
    assert severities == sorted(severities, reverse=True)


# ------------------------------------------------------------------ kinks


def chapter_at(b1, relu_slope_at_zero=0.0, scale=1.0):
    """The chapter's network at x = 2 with a chosen b1 (z1 = 1 + b1), and its gradient."""
    x, target = 2.0, 1.0
    params = {"w1": 0.5, "b1": b1, "w2": -0.3, "b2": 0.2}

    def f(p):
        z1 = p["w1"] * x + p["b1"]
        return (p["w2"] * max(0.0, z1) + p["b2"] - target) ** 2

    def grad(p):
        z1 = p["w1"] * x + p["b1"]
        h = max(0.0, z1)
        dy = 2 * (p["w2"] * h + p["b2"] - target)
        slope = 1.0 if z1 > 0 else (relu_slope_at_zero if z1 == 0 else 0.0)
        dz = dy * p["w2"] * slope * scale
        return {"w1": dz * x, "b1": dz, "w2": dy * h, "b2": dy}

    return f, grad, params


@pytest.mark.parametrize("offset", [1e-9, -1e-9, 1e-12, 3e-6])
def test_correct_gradient_next_to_a_kink_is_not_called_wrong(offset):
    f, grad, params = chapter_at(-1.0 + offset)  # z1 = offset (up to rounding)
    report = gradcheck(f, grad, params)
    assert report.ok, str(report)
    analytic = grad(params)
    for entry in report.entries:
        if entry.name in ("w1", "b1") and abs(offset) < 1e-6:
            assert entry.status == "kink"
            # The slope on the side the point is on is the (correct) analytic value.
            own_side = entry.right if offset > 0 else entry.left
            assert own_side == pytest.approx(analytic[entry.name], rel=1e-6, abs=1e-6)


def test_kink_entries_carry_both_one_sided_slopes():
    f, grad, params = chapter_at(-1.0)  # exactly on the kink: z1 = 0
    report = gradcheck(f, grad, params)
    assert report.ok
    w1 = next(e for e in report.entries if e.name == "w1")
    # L = (w2·relu(2 w1 + b1) + b2 - 1)^2: slope 0 on the left, 2(b2 - 1)·w2·2 = 0.96 right.
    assert w1.status == "kink"
    assert w1.left == pytest.approx(0.0, abs=1e-8)
    assert w1.right == pytest.approx(0.96, rel=1e-8, abs=0)
    assert "left slope" in str(report)


@pytest.mark.parametrize("slope_at_zero", [0.0, 0.5, 1.0])
def test_at_the_kink_any_subgradient_is_accepted(slope_at_zero):
    # relu'(0) may be anything in [0, 1]: each gives a gradient between the one-sided slopes.
    f, grad, params = chapter_at(-1.0, relu_slope_at_zero=slope_at_zero)
    report = gradcheck(f, grad, params)
    assert report.ok and [e.status for e in report.entries][:2] == ["kink", "kink"]


def test_at_the_kink_a_value_outside_the_slopes_is_a_mismatch():
    f, grad, params = chapter_at(-1.0, relu_slope_at_zero=1.0, scale=2.0)
    report = gradcheck(f, grad, params)
    assert report.mismatched_parameters == ["w1", "b1"]
    assert "outside the one-sided slopes" in str(report)
    # No ratio to the central difference across the kink (the mean of the slopes) is claimed.
    assert report.diagnoses == [], report.diagnoses


@pytest.mark.skipif(find_spec("torch") is None, reason="the optional extra torch is not installed")
def test_torch_gradcheck_calls_this_correct_gradient_wrong_and_we_do_not():
    import torch

    def network(w1, b1, w2, b2):
        return (w2 * torch.relu(w1 * 2.0 + b1) + b2 - 1.0) ** 2

    values = (0.5, -1.0 + 1e-9, -0.3, 0.2)
    inputs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    assert not torch.autograd.gradcheck(network, inputs, raise_exception=False)
    f, grad, params = chapter_at(-1.0 + 1e-9)
    assert gradcheck(f, grad, params).ok


# ------------------------------------------------------------------ precision, options, errors


def test_float32_parameters_warn_and_are_checked_in_float64():
    params, X, T = problem(seed=6)
    params32 = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    seen = []

    def f(p):
        seen.append({k: np.asarray(v).dtype for k, v in p.items()})
        return loss(p, X, T)

    def grad32(p):
        return {k: np.asarray(v, dtype=np.float32) for k, v in backward(p, X, T).items()}

    with pytest.warns(PrecisionWarning, match="float32"):
        report = gradcheck(f, grad32, params32)
    assert report.ok, str(report)
    assert all(dtype == np.float64 for point in seen for dtype in point.values())
    with pytest.warns(PrecisionWarning):
        assert not gradcheck(f, lambda p: {**grad32(p), "b2": 2 * grad32(p)["b2"]}, params32).ok


def test_float64_parameters_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check().ok


def test_rtol_atol_replace_the_budget():
    params, X, T = problem(seed=7)

    def off_by_1e6(p):
        return {k: np.asarray(v) * (1 + 1e-6) for k, v in backward(p, X, T).items()}

    assert not gradcheck(lambda p: loss(p, X, T), off_by_1e6, params).ok
    assert gradcheck(lambda p: loss(p, X, T), off_by_1e6, params, rtol=1e-5, atol=1e-9).ok


def test_scalar_parameters_may_be_plain_floats():
    report = gradcheck(
        lambda p: p["a"] ** 3 * p["b"], lambda p: {"a": 3 * p["a"] ** 2 * p["b"], "b": 1.0}, {
            "a": 1.5, "b": 2.0}
    )  # fmt: skip
    assert [e.label for e in report.entries] == ["a", "b"]
    assert report.mismatched_parameters == ["b"]
    assert report.worst.analytic == 1.0 and report.worst.numeric == pytest.approx(3.375)


def test_structural_problems_are_reported_not_raised():
    params, X, T = problem()

    def missing(p):
        grads = backward(p, X, T)
        del grads["b2"]
        return {**grads, "extra": 1.0}

    report = gradcheck(lambda p: loss(p, X, T), missing, params)
    assert not report.ok
    text = str(report)
    assert "b2: grad(params) has no entry" in text and "extra: " in text


def test_a_loss_that_is_not_finite_is_reported_without_warnings():
    # (1e200)^2 overflows: there is no loss to differentiate, and numpy's warnings stay inside.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = gradcheck(
            lambda p: float(np.sum(p["a"] ** 2)),
            lambda p: {"a": 2 * p["a"]},
            {"a": np.array([1e150, -1e200])},
        )
    assert not report.ok
    assert report.problems == ["f(params) = inf: the loss is not finite at these parameters"]
    assert [e.note for e in report.entries] == ["f is not finite at the perturbed parameters"] * 2


@pytest.mark.parametrize("value", [None, "0.5", np.array([1.0, 2.0]) + 0j, [1.0, None]])
def test_a_gradient_that_is_not_real_numbers_is_named(value):
    report = gradcheck(
        lambda p: float(np.sum(p["a"] ** 2)), lambda p: {"a": value}, {"a": np.array([1.0, 2.0])}
    )
    assert not report.ok
    assert report.problems[0].startswith("a: the gradient is not real numbers"), report.problems
    assert all(e.rel_error == math.inf for e in report.entries)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "fast"}, "mode"),
        ({"rtol": -1.0}, "rtol"),
        ({"directions": 0}, "directions"),
    ],
)
def test_bad_options_are_clear_errors(kwargs, message):
    with pytest.raises(DerivcheckError, match=message):
        check(**kwargs)


def test_bad_functions_and_parameters_are_clear_errors():
    with pytest.raises(DerivcheckError, match="one number"):
        gradcheck(lambda p: np.ones(3), lambda p: {"a": 1.0}, {"a": 1.0})
    with pytest.raises(DerivcheckError, match="mapping"):
        gradcheck(lambda p: 1.0, lambda p: [1.0], {"a": 1.0})
    with pytest.raises(DerivcheckError, match="non-empty mapping"):
        gradcheck(lambda p: 1.0, lambda p: {}, [1.0])
    with pytest.raises(DerivcheckError, match="inf or nan"):
        gradcheck(lambda p: 1.0, lambda p: {"a": 0.0}, {"a": np.array([np.nan])})


def test_report_to_dict_and_package_exports():
    report = check("wrong sign", seed=1)
    data = report.to_dict()
    assert data["ok"] is False and data["entries"][0]["status"] == "mismatch"
    assert derivcheck.gradcheck is gradcheck
    assert derivcheck.GradcheckReport is GradcheckReport


def test_auto_locates_the_wrong_element_after_directions_find_the_parameter():
    rng = np.random.default_rng(8)
    params = {"w": rng.normal(size=1500), "v": rng.normal(size=(30, 50))}

    def f(p):
        return float(np.sum(np.sin(p["w"])) + np.sum(p["v"] ** 2))

    def grad(p):
        grads = {"w": np.cos(p["w"]), "v": 2 * p["v"]}
        grads["v"][12, 34] += 1.0  # one wrong element
        return grads

    report = gradcheck(f, grad, params)  # 3,000 elements: directions first
    assert report.mode == "directional, then full"
    assert [e.label for e in report.mismatches] == ["v[12, 34]"], str(report)
    assert all(isinstance(e.index, str) for e in report.entries if e.name == "w")
    assert any("checked one by one" in note for note in report.diagnoses)


def test_gradcheck_uses_the_public_error_budget_not_the_engines_private_helpers():
    import ast
    from pathlib import Path

    source = Path(derivcheck.network.gradcheck.__file__).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("derivcheck."):
            private = [alias.name for alias in node.names if alias.name.startswith("_")]
            assert not private, f"{node.module}: {private}"
    from derivcheck.numeric import budget, engine

    # One definition, shared: where the engine still has its old private names, they are
    # the budget's functions, not copies.
    shared = {"_central_difference": "central_difference", "_rounding": "rounding_floor",
              "_default_central_step": "central_step"}  # fmt: skip
    for old, new in shared.items():
        assert getattr(engine, old, getattr(budget, new)) is getattr(budget, new), old


def test_a_kink_just_inside_the_step_is_left_behind_at_a_smaller_step():
    # f(a) = |a - c| + a² with c between h/2 and h (h = eps^(1/3) at a = 0): f'(0) = -1,
    # but the stencil at ±h and ±2h straddles the kink; steps h/8 and h/4 do not.
    kink = 0.57 * float(np.finfo(float).eps) ** (1 / 3)
    report = gradcheck(lambda p: abs(p["a"] - kink) + p["a"] ** 2, lambda p: {"a": -1.0}, {
        "a": 0.0})  # fmt: skip
    entry = report.entries[0]
    assert report.ok and entry.status == "ok"
    assert entry.numeric == pytest.approx(-1.0, rel=1e-6, abs=0)
    assert entry.note == "agrees at step h/8"
