"""The chapter's two-layer network: every expected number comes from the chapter or from
mathematics (exact SymPy values), never from running derivcheck itself."""

from __future__ import annotations

from fractions import Fraction
from importlib.util import find_spec
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy

from derivcheck.errors import DerivcheckError
from derivcheck.network import (
    TwoLayerNetwork,
    as_program,
    chapter_example,
    chapter_training_setup,
    random_setup,
    train,
)

REPO = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ section 2


def test_section_2_forward_pass_gives_the_chapters_numbers():
    network, params, x, target = chapter_example()
    forward = network.forward(params, x)
    assert forward.z1[0, 0] == pytest.approx(1.1, rel=1e-15, abs=0)
    assert forward.h[0, 0] == pytest.approx(1.1, rel=1e-15, abs=0)
    assert forward.y[0] == pytest.approx(-0.13, rel=1e-14, abs=0)
    assert network.loss(params, x, target) == pytest.approx(1.2769, rel=1e-14, abs=0)
    assert f"{network.loss(params, x, target):.4f}" == "1.2769"


def test_section_2_backward_pass_gives_every_printed_gradient():
    network, params, x, target = chapter_example()
    backward = network.backward(params, x, target)
    expected = {
        "dL/dy": (backward.dL_dy[0], -2.26),
        "dL/dw2": (backward.gradients["w2"][0], -2.486),
        "dL/db2": (backward.gradients["b2"], -2.26),
        "dL/dh": (backward.dL_dh[0, 0], 0.678),
        "dL/dz1": (backward.dL_dz1[0, 0], 0.678),
        "dL/dw1": (backward.gradients["w1"][0, 0], 1.356),
        "dL/db1": (backward.gradients["b1"][0], 0.678),
    }
    for label, (value, printed) in expected.items():
        assert float(value) == pytest.approx(printed, rel=1e-13, abs=0), label
        assert f"{float(value):.4f}" == f"{printed:.4f}", label


def test_section_2_gradients_are_exactly_the_sympy_ones():
    # With the decimals taken as exact rationals: L = (w2·relu(w1 x + b1) + b2 - t)^2.
    w1, b1, w2, b2, x, t = (Fraction(v) for v in ("0.5", "0.1", "-0.3", "0.2", "2", "1"))
    h = max(Fraction(0), w1 * x + b1)
    dL_dy = 2 * (w2 * h + b2 - t)
    exact_by_hand = {"w1": dL_dy * w2 * x, "b1": dL_dy * w2, "w2": dL_dy * h, "b2": dL_dy}
    network, params, x_data, target = chapter_example()
    symbolic = network.exact_gradients(params, x_data, target)
    for name, value in exact_by_hand.items():
        assert float(symbolic[name].sum()) == pytest.approx(float(value), rel=1e-15, abs=0)


def test_section_2_4_update_with_lr_0_1_prints_the_chapters_numbers():
    network, params, x, target = chapter_example()
    result = train(network, params, x, target, lr=0.1, epochs=1, log_every=0)
    after = {name: float(value.sum()) for name, value in result.params.items()}
    assert f"{after['w1']:.4f}" == "0.3644"
    assert f"{after['b1']:.4f}" == "0.0322"
    assert f"{after['w2']:.4f}" == "-0.0514"
    assert f"{after['b2']:.4f}" == "0.4260"
    assert f"{network.loss(params, x, target):.4f}" == "1.2769"
    assert f"{network.loss(result.params, x, target):.4f}" == "0.3759"
    # The input parameters are not modified.
    assert float(params["w1"][0, 0]) == 0.5


# ------------------------------------------------------------------ section 4


def test_section_4_data_are_the_chapters_legacy_numpy_draws():
    setup = chapter_training_setup()
    legacy = np.random.RandomState(42)  # the same stream as np.random.seed(42)
    X = legacy.uniform(-2, 2, 50)
    y = X**2 + legacy.randn(50) * 0.3
    assert np.array_equal(setup.x[:, 0], X)
    assert np.array_equal(setup.target, y)
    assert float(setup.params["w1"][0, 0]) == legacy.randn()
    assert float(setup.params["w2"][0]) == legacy.randn()
    assert float(setup.params["b1"][0]) == 0.0 and float(setup.params["b2"]) == 0.0


def test_random_setup_draws_section_4_in_several_dimensions():
    setup = random_setup(hidden=2, inputs=3, seed=7, samples=4)
    legacy = np.random.RandomState(7)
    X = legacy.uniform(-2, 2, (4, 3))
    assert np.array_equal(setup.x, X)
    assert np.array_equal(setup.target, np.sum(X**2, axis=1) + legacy.randn(4) * 0.3)
    assert np.array_equal(setup.params["w1"], legacy.randn(6).reshape(2, 3))
    assert np.array_equal(setup.params["w2"], legacy.randn(2))
    assert np.array_equal(setup.params["b1"], legacy.randn(2) * 0.1)


def test_section_4_training_prints_the_chapters_losses():
    setup = chapter_training_setup()
    printed = []
    result = train(setup.network, setup.params, setup.x, setup.target, log=printed.append)
    assert [str(line) for line in printed] == [
        "Epoch 0: loss = 2.0868",
        "Epoch 100: loss = 1.1121",
        "Epoch 200: loss = 1.1115",
        "Epoch 300: loss = 1.1110",
        "Epoch 400: loss = 1.1107",
    ]
    assert result.log == [str(line) for line in printed] == [m.to_text() for m in printed]
    assert printed[4].to_text("zh") == "第 400 轮：损失 = 1.1107"
    assert len(result.losses) == 500
    assert result.losses[-1] < result.losses[100] < result.losses[0]


def test_exercise_2_three_hidden_units_train_better_with_mini_batches():
    setup = chapter_training_setup(hidden=3)
    assert setup.params["w1"].shape == (3, 1) and setup.params["w2"].shape == (3,)
    result = train(
        setup.network,
        setup.params,
        setup.x,
        setup.target,
        lr=0.05,
        epochs=200,
        batch_size=10,
        shuffle=True,
        seed=1,
        log_every=0,
    )
    assert result.losses[-1] < 0.5 * result.losses[0]
    assert all(np.isfinite(result.losses))


def test_plots_are_written_and_show_the_training_data(tmp_path):
    setup = chapter_training_setup()
    result = train(setup.network, setup.params, setup.x, setup.target, epochs=20, log_every=0)
    loss_axes = result.loss_figure().axes[0]
    assert np.array_equal(loss_axes.lines[0].get_ydata(), result.losses)
    fit_axes = result.fit_figure().axes[0]
    curve_x = fit_axes.lines[-1].get_xdata()
    # The fit line is the trained network: relu(w1 x + b1)·w2 + b2, computed here by hand.
    w1, b1, w2, b2 = (float(result.params[n].sum()) for n in ("w1", "b1", "w2", "b2"))
    by_hand = np.maximum(w1 * curve_x + b1, 0) * w2 + b2
    assert np.allclose(fit_axes.lines[-1].get_ydata(), by_hand, rtol=1e-12, atol=1e-12)
    assert np.allclose(fit_axes.lines[0].get_ydata(), curve_x**2)  # the true curve x^2
    for writer, name in (
        (result.plot_loss, "loss.png"),
        (result.plot_fit, "fit.png"),
        (result.plot, "both.png"),
    ):
        path = writer(tmp_path / name)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------ three-way check


def test_exercise_2_gradients_equal_an_independent_sympy_derivation():
    setup = chapter_training_setup(hidden=3)
    network, params = setup.network, setup.params
    x, target = setup.x[:6], setup.target[:6]
    # An independent symbolic loss written out here, differentiated with sympy.diff.
    w1 = sympy.symbols("a1:4", real=True)
    b1 = sympy.symbols("c1:4", real=True)
    w2 = sympy.symbols("d1:4", real=True)
    b2 = sympy.Symbol("e", real=True)
    loss = 0
    for xn, tn in zip(x[:, 0], target):
        xn, tn = sympy.Rational(float(xn)), sympy.Rational(float(tn))
        y = sum(w2[j] * sympy.Max(0, w1[j] * xn + b1[j]) for j in range(3)) + b2
        loss += (y - tn) ** 2
    loss = loss / len(target)
    point = {}
    for symbols, name in ((w1, "w1"), (b1, "b1"), (w2, "w2")):
        for j, s in enumerate(symbols):
            point[s] = sympy.Rational(float(params[name].reshape(-1)[j]))
    point[b2] = sympy.Rational(float(params["b2"]))
    hand = network.gradients(params, x, target)
    for symbols, name in ((w1, "w1"), (b1, "b1"), (w2, "w2"), ((b2,), "b2")):
        for j, s in enumerate(symbols):
            exact = sympy.diff(loss, s).subs(point)
            assert float(hand[name].reshape(-1)[j]) == pytest.approx(
                float(exact), rel=1e-13, abs=1e-15
            )


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_three_way_check_agrees_for_every_activation(activation):
    rng = np.random.default_rng(3)
    network = TwoLayerNetwork(hidden=3, inputs=2, activation=activation)
    params = network.init_params(7)
    params["b1"] = rng.normal(size=3)
    x, target = rng.normal(size=(5, 2)), rng.normal(size=5)
    table = network.check_gradients(params, x, target, use_torch=False)
    assert table.ok
    assert [row.symbol for row in table.rows][:2] == ["w1_1_1", "w1_1_2"]
    for row in table.rows:
        assert row.hand_written == pytest.approx(row.exact, rel=1e-12, abs=1e-14)
        assert row.status == "ok"


def test_check_table_prints_every_column():
    network, params, x, target = chapter_example()
    text = str(network.check_gradients(params, x, target, use_torch=False))
    for word in (
        "parameter",
        "hand-written",
        "exact (SymPy)",
        "numeric",
        "error",
        "status",
        "dL/dw1",
        "1.356",
        "-2.486",
    ):
        assert word in text


@pytest.mark.skipif(find_spec("torch") is None, reason="the optional extra torch is not installed")
def test_torch_autograd_agrees_with_the_hand_written_backward():
    network, params, x, target = chapter_example()
    grads = network.torch_gradients(params, x, target)
    assert float(grads["w1"][0, 0]) == pytest.approx(1.356, rel=1e-14, abs=0)
    assert float(grads["b2"]) == pytest.approx(-2.26, rel=1e-14, abs=0)
    setup = chapter_training_setup(hidden=3)
    table = setup.network.check_gradients(setup.params, setup.x, setup.target, use_torch=True)
    assert table.ok and all(row.torch is not None for row in table.rows)
    assert "PyTorch" in str(table)


def test_sigmoid_units_keep_their_relative_accuracy_in_the_far_tail():
    # z1 = -40: sigmoid = 1/(1 + e^40) = 4.2e-18, which 0.5·(1 + tanh(z/2)) rounds to 0.
    network = TwoLayerNetwork(activation="sigmoid")
    params = network.make_params(w1=1.0, b1=-40.0, w2=1.0, b2=0.0)
    hidden = network.forward(params, [0.0]).h[0, 0]
    assert hidden == pytest.approx(float(1 / (1 + mpmath.exp(40))), rel=1e-15, abs=0)


def test_perturbed_losses_equal_direct_evaluation():
    rng = np.random.default_rng(0)
    network = TwoLayerNetwork(hidden=4, inputs=3, activation="tanh")
    params = network.init_params(1)
    x, target = rng.normal(size=(6, 3)), rng.normal(size=6)
    loss = network.loss_function(x, target)
    for name, shape in network.parameter_shapes.items():
        size = int(np.prod(shape))
        indices = np.arange(size)
        values = params[name].reshape(-1) + rng.normal(size=size)
        fast = loss.perturbed(params, name, indices, values)
        for i, value in zip(indices, values):
            moved = {k: v.copy() for k, v in params.items()}
            moved[name].reshape(-1)[i] = value
            assert fast[i] == pytest.approx(network.loss(moved, x, target), rel=1e-13, abs=0)


# ------------------------------------------------------------------ programs and explain


def test_program_of_one_hidden_unit_is_the_chapters():
    assert as_program() == "z1 = w1*x + b1\nh = relu(z1)\ny = w2*h + b2\nL = (y - target)^2"


def test_program_names_for_three_hidden_units_and_two_inputs():
    text = as_program(hidden=3, inputs=2, activation="tanh")
    lines = text.splitlines()
    assert lines[0] == "z1_1 = w1_1_1*x_1 + w1_1_2*x_2 + b1_1"
    assert lines[1] == "h_1 = tanh(z1_1)"
    assert lines[-2] == "y = w2_1*h_1 + w2_2*h_2 + w2_3*h_3 + b2"
    assert lines[-1] == "L = (y - target)^2"


def test_sympy_loss_differentiates_to_the_chain_rule():
    loss, symbols, (x, target) = TwoLayerNetwork().sympy_loss()
    w1, b1, w2, b2 = (symbols[n].reshape(-1)[0] for n in ("w1", "b1", "w2", "b2"))
    from derivcheck.calculus.functions import relu

    z = w1 * x + b1
    y = w2 * relu(z) + b2
    assert sympy.simplify(loss - (y - target) ** 2) == 0
    by_chain_rule = 2 * (y - target) * w2 * sympy.Heaviside(z, 0) * x
    assert sympy.simplify(sympy.diff(loss, w1) - by_chain_rule) == 0


def test_explain_gives_the_networks_gradient():
    import derivcheck

    setup = chapter_training_setup(hidden=3)
    network = setup.network
    values = network.program_values(setup.params, setup.x[:1], setup.target[:1])
    names = [str(s) for arr in network.symbol_names().values() for s in arr.reshape(-1)]
    explanation = derivcheck.explain(network.as_program(), values, wrt=names)
    hand = network.gradients(setup.params, setup.x[:1], setup.target[:1])
    for name, symbols in network.symbol_names().items():
        for index in np.ndindex(symbols.shape):
            assert explanation.gradient[str(symbols[index])] == pytest.approx(
                float(hand[name][index]), rel=1e-12, abs=1e-15
            )


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "kwargs", [{"hidden": 0}, {"inputs": -1}, {"hidden": 2.5}, {"activation": "softplus"}]
)
def test_bad_network_is_a_clear_error(kwargs):
    with pytest.raises(DerivcheckError):
        TwoLayerNetwork(**kwargs)


def test_bad_data_and_parameters_are_clear_errors():
    network = TwoLayerNetwork(hidden=2, inputs=3)
    params = network.init_params(0)
    with pytest.raises(DerivcheckError, match="expected"):
        network.loss(params, np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(DerivcheckError, match="targets"):
        network.loss(params, np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(DerivcheckError, match="shape"):
        network.check_params({**params, "w1": np.zeros((3, 3))})
    with pytest.raises(DerivcheckError, match="missing"):
        network.make_params(w1=0, b1=0, w2=0)
    with pytest.raises(DerivcheckError, match="symbolic"):
        TwoLayerNetwork(hidden=100, inputs=2).as_program()
    with pytest.raises(DerivcheckError, match="learning rate"):
        train(network, params, np.zeros((2, 3)), np.zeros(2), lr=-1)


# ------------------------------------------------------------------ command line


@pytest.fixture
def net(run_cli):
    """``net(*args)``: ``derivcheck net *args`` in this process (see ``run_cli``)."""
    return lambda *args: run_cli("net", *args)


def test_cli_check_hidden_3_prints_the_table(net):
    result = net("check", "--hidden", "3", "--no-torch")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for word in (
        "parameter",
        "hand-written",
        "exact (SymPy)",
        "numeric",
        "error",
        "status",
        "dL/dw1_3",
        "dL/db2",
        "all 10 gradient entries agree",
    ):
        assert word in out
    assert out.count(" ok") >= 10


def test_cli_check_with_several_inputs(net):
    result = net("check", "--inputs", "2", "--hidden", "2", "--samples", "5", "--no-torch")
    assert result.returncode == 0, result.stderr
    assert "2 -> 2 -> 1 (relu) on 5 random points" in result.stdout
    assert "all 9 gradient entries agree" in result.stdout  # 2·2 + 2 + 2 + 1 parameters


def test_cli_train_prints_the_chapters_losses_and_writes_the_plot(net, tmp_path):
    plot = tmp_path / "out.png"
    result = net("train", "--hidden", "1", "--epochs", "101", "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["Epoch 0: loss = 2.0868", "Epoch 100: loss = 1.1121"]
    assert plot.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--hidden", "0"),
        ("check", "--hidden", "three"),
        ("check", "--activation", "softplus"),
        ("train", "--lr", "-1"),
        ("train", "--epochs", "1e9"),
        (),
        ("fly",),
    ],
)
def test_cli_bad_arguments_exit_2_without_traceback(net, args):
    result = net(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr


def test_cli_unwritable_plot_exits_2_without_traceback(net, tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")  # missing folders are created; not this
    result = net("train", "--epochs", "2", "--plot", str(tmp_path / "file" / "out.png"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "cannot write" in result.stderr


def test_cli_train_with_a_huge_learning_rate_stops_and_says_so(run_process, tmp_path):
    """In a real process: NumPy's overflow warnings would reach its standard error."""
    plot = tmp_path / "loss.png"
    result = run_process("net", "train", "--lr", "10", "--hidden", "3", "--batch-size", "10",
                         "--every", "1", "--loss-plot", str(plot))  # fmt: skip
    assert result.returncode == 1
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Epoch 0: loss = ")
    assert lines[1].startswith("training diverged at epoch 1 (loss 7.491 → inf)")
    assert lines[1].endswith("try a smaller learning rate")
    assert plot.read_bytes()[:4] == b"\x89PNG"  # the loss of the epochs that completed


def test_cli_net_in_chinese(net):
    result = net("check", "--no-torch", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].split()[:2] == ["参数", "手写反向传播"]
    assert "全部 4 个梯度分量一致（损失 = 1 个样本的平均）" in lines
    assert lines[-1].startswith("gradcheck 通过：全部 4 个分量一致（逐元素模式")
    result = net("train", "--epochs", "101", "--lang", "zh")
    assert result.stdout.splitlines() == [
        "第 0 轮：损失 = 2.0868",
        "第 100 轮：损失 = 1.1121",
        "训练 101 轮后，最终损失 = 1.1121",
    ]
    result = net("train", "--lr", "10", "--lang", "zh")
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout == "训练在第 0 轮发散（损失 3.176 → nan）；请减小学习率\n"
