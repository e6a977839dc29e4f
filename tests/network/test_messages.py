"""The sentences of gradcheck and the network: keys in both languages, Chinese with no English.

Every report, table and training summary is rendered in Chinese here and scanned for runs
of three or more English words (tests/network/english.py).
"""

from __future__ import annotations

import re
import string
import warnings

import numpy as np
import pytest

from derivcheck.errors import DerivcheckError
from derivcheck.messages import gradcheck as gradcheck_messages
from derivcheck.messages import network as network_messages
from derivcheck.network import chapter_example, chapter_training_setup, train
from derivcheck.network.gradcheck import PrecisionWarning, gradcheck
from tests.english import english_runs
from tests.network.test_gradcheck import backward, chapter_at, check, loss, problem

TABLES = {**gradcheck_messages.MESSAGES, **network_messages.MESSAGES}
CJK = "\u4e00-\u9fff"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TABLES))
def test_every_key_has_both_languages_with_the_same_parameters(key):
    english, chinese = TABLES[key]
    assert key.startswith(("gradcheck.", "network."))
    assert english.strip() and chinese.strip()
    assert _fields(english) == _fields(chinese), key
    assert not re.search(f"[{CJK}]", english), key


@pytest.mark.parametrize("key", sorted(TABLES))
def test_chinese_uses_full_width_punctuation(key):
    chinese = TABLES[key][1]
    # ASCII , ; : ( ) next to a Chinese character is a half-width slip (code keeps its own).
    assert not re.search(f"[{CJK}][,;:()!?]|[,;:()!?][{CJK}]", chinese), chinese
    assert not english_runs(re.sub(r"\{[^}]*\}", "", chinese)), chinese


def _reports():
    yield check(seed=3)
    for bug in ("missing factor 2", "wrong sign", "transposed weight", "missing relu mask",
                "bias axis", "bias mean", "dy sign"):  # fmt: skip
        for mode in ("full", "directional"):
            yield check(bug, mode=mode, seed=1)
    yield check("transposed weight", inputs=3, hidden=3, seed=2)
    yield check(inputs=10, hidden=10)  # more rows than the table shows
    for args in ((-1.0,), (-1.0 + 1e-9,), (-1.0, 1.0, 2.0)):
        yield gradcheck(*chapter_at(*args))
    params, X, T = problem()
    yield gradcheck(lambda p: loss(p, X, T), lambda p: {**backward(p, X, T), "x": 1.0}, params)
    without_b2 = {name: value for name, value in params.items() if name != "b2"}
    yield gradcheck(lambda p: loss({**p, "b2": 0.0}, X, T), lambda p: {}, without_b2)
    dead = {"w1": np.array([[-1.0], [2.0]]), "b1": np.array([0.0, 0.5]),
            "w2": np.array([0.7, -1.2]), "b2": 0.1}  # fmt: skip
    X1, T1 = np.array([[1.5]]), np.array([0.3])
    yield gradcheck(lambda p: loss(p, X1, T1), lambda p: backward(p, X1, T1, "missing relu mask"),
                    dead)  # fmt: skip
    kink = 0.57 * 6.0554544523933395e-06  # between h/2 and h from the point
    yield gradcheck(lambda p: abs(p["a"] - kink) + p["a"] ** 2, lambda p: {"a": -1.0}, {"a": 0.0})
    yield gradcheck(lambda p: float(np.sum(p["a"] ** 2)), lambda p: {"a": None}, {"a": [1.0]})
    with np.errstate(over="ignore"):
        yield gradcheck(lambda p: float(np.sum(p["a"] ** 2)), lambda p: {"a": 2 * p["a"]},
                        {"a": np.array([1e200])})  # fmt: skip
    rng = np.random.default_rng(8)
    wrong = {"w": rng.normal(size=1500), "v": rng.normal(size=(30, 50))}

    def wrong_grad(p):
        grads = {"w": np.cos(p["w"]), "v": 2 * p["v"]}
        grads["v"][12, 34] += 1.0
        return grads

    f = lambda p: float(np.sum(np.sin(p["w"])) + np.sum(p["v"] ** 2))  # noqa: E731
    yield gradcheck(f, wrong_grad, wrong)
    # Jumps: in full mode, among mismatches, and found by directions, then located.
    floor_loss = lambda p: float(np.sum(np.floor(p["v"])) + np.sum(p["v"] ** 2))  # noqa: E731
    at_jump = {"v": np.array([0.0, 0.5, 0.7])}
    yield gradcheck(floor_loss, lambda p: {"v": 2 * p["v"]}, at_jump)
    yield gradcheck(floor_loss, lambda p: {"v": 3 * p["v"]}, at_jump)
    yield gradcheck(floor_loss, lambda p: {"v": 2 * p["v"]}, at_jump, mode="directional")
    located = {"w": wrong["w"], "v": np.linspace(0.1, 0.9, 600)}
    located["v"][7] = 0.0
    yield gradcheck(lambda p: float(np.sum(np.sin(p["w"])) + np.sum(np.floor(p["v"]))),
                    lambda p: {"w": np.cos(p["w"]), "v": 0 * p["v"]}, located)  # fmt: skip


def test_gradcheck_reports_in_chinese_have_no_english_sentences():
    seen = set()
    for report in _reports():
        chinese = report.to_text("zh")
        assert not english_runs(chinese), chinese
        assert chinese.splitlines()[0].startswith("gradcheck ")
        assert str(report) == report.to_text("en")
        seen.update(m.key for m in report.diagnosis_messages + report.problem_messages)
        seen.update(e.note_message.key for e in report.entries if e.note_message)
    # The reports above exercise every diagnosis, problem and note there is.
    prefixes = ("gradcheck.diagnosis.", "gradcheck.problem.", "gradcheck.note.")
    expected = {key for key in TABLES if key.startswith(prefixes)}
    assert expected <= seen, expected - seen


def test_diagnoses_stay_english_strings_and_their_messages_give_chinese():
    report = check("missing factor 2", seed=1)
    assert report.diagnoses == ["w2: off by a factor of 2 (half) — analytic = 0.5 × numeric "
                                "in all 3 entries"]  # fmt: skip
    assert [m.to_text("zh") for m in report.diagnosis_messages] == [
        "w2：差了 2 倍（只有一半）——解析值 = 0.5 × 数值（全部 3 个分量）"
    ]
    assert report.summary("zh").startswith("gradcheck 未通过：13 个分量中有 3 个不一致（逐元素模式")
    header = report.table(lang="zh").splitlines()[0].split()
    assert header == ["参数", "解析值", "数值", "绝对误差", "相对误差", "容差", "状态"]
    wrong_sign = check("wrong sign", seed=1)
    assert "b1：符号错误" in wrong_sign.to_text("zh")
    assert report.to_dict()["diagnoses"] == report.diagnoses


def test_kink_rows_in_chinese_name_both_one_sided_derivatives():
    text = gradcheck(*chapter_at(-1.0)).to_text("zh")
    assert "折点（左导数" in text and "右导数 0.96）" in text


def test_precision_warning_in_both_languages():
    params, X, T = problem(seed=6)
    params32 = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    with pytest.warns(PrecisionWarning) as caught:
        gradcheck(lambda p: loss(p, X, T), lambda p: backward(p, X, T), params32)
    warning = caught[0].message
    assert str(warning).startswith("gradcheck: w1 (float32), b1 (float32)")
    chinese = warning.to_text("zh")
    assert "精度偏低" in chinese and "float64" in chinese and not english_runs(chinese)


@pytest.mark.parametrize(
    "call",
    [
        lambda: check(mode="fast"),
        lambda: check(rtol=-1.0),
        lambda: check(directions=0),
        lambda: gradcheck(lambda p: np.ones(3), lambda p: {"a": 1.0}, {"a": 1.0}),
        lambda: gradcheck(lambda p: 1.0, lambda p: [1.0], {"a": 1.0}),
        lambda: gradcheck(lambda p: 1.0, lambda p: {}, [1.0]),
        lambda: gradcheck(lambda p: 1.0, lambda p: {}, {"a": True}),
        lambda: gradcheck(lambda p: 1.0, lambda p: {}, {"a": np.array(["x"])}),
        lambda: gradcheck(lambda p: 1.0, lambda p: {"a": 0.0}, {"a": np.array([np.nan])}),
    ],
)
def test_gradcheck_errors_in_chinese(call):
    with pytest.raises(DerivcheckError) as caught:
        call()
    error = caught.value
    assert error.message.key != "error.literal"
    assert not english_runs(error.to_text("zh")), error.to_text("zh")


def test_gradient_table_in_chinese():
    network, params, x, target = chapter_example()
    table = network.check_gradients(params, x, target, use_torch=False)
    chinese = table.to_text("zh")
    assert not english_runs(chinese), chinese
    lines = chinese.splitlines()
    assert lines[0].split() == ["参数", "手写反向传播", "精确（SymPy）", "数值", "误差", "状态"]
    assert lines[2].split() == ["dL/dw1", "1.356", "1.356", "1.356", "0.0e+00", "一致"]
    assert lines[-1] == "全部 4 个梯度分量一致（损失 = 1 个样本的平均）"
    assert str(table) == table.to_text("en")


def test_training_summary_in_chinese():
    setup = chapter_training_setup()
    result = train(setup.network, setup.params, setup.x, setup.target, epochs=101)
    chinese = result.to_text("zh")
    assert chinese.splitlines() == [
        "第 0 轮：损失 = 2.0868",
        "第 100 轮：损失 = 1.1121",
        "训练 101 轮后，最终损失 = 1.1121",
    ]
    assert result.to_text("en").splitlines()[-1] == "final loss = 1.1121 after 101 epochs"
    assert not english_runs(chinese)


def test_divergence_in_chinese_without_numpy_warnings():
    setup = chapter_training_setup()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(setup.network, setup.params, setup.x, setup.target, lr=10.0)
    chinese = result.to_text("zh")
    assert chinese == "训练在第 0 轮发散（损失 3.176 → nan）；请减小学习率"
    assert not english_runs(chinese)


@pytest.mark.parametrize(
    "call",
    [
        lambda: chapter_example()[0].__class__(hidden=0),
        lambda: chapter_example()[0].__class__(activation="softplus"),
        lambda: chapter_example()[0].make_params(w1=0, b1=0, w2=0, c=1),
        lambda: chapter_example()[0].check_params({"w1": 0}),
        lambda: chapter_example()[0].check_params({"w1": [1, 2], "b1": 0, "w2": 0, "b2": 0}),
        lambda: chapter_example()[0].loss(chapter_example()[1], np.zeros((2, 2)), [0, 0]),
        lambda: chapter_example()[0].loss(chapter_example()[1], [1.0, 2.0], [0.0]),
        lambda: chapter_example()[0].program_values(chapter_example()[1], [1.0, 2.0], [0, 0]),
        lambda: chapter_example()[0].__class__(hidden=100, inputs=2).as_program(),
        lambda: train(*chapter_example(), lr=0.0),
        lambda: train(*chapter_example(), epochs=-1),
        lambda: train(*chapter_example(), batch_size=0),
        lambda: (
            chapter_example()[0]
            .loss_function([1.0], [0.0])
            .perturbed(chapter_example()[1], "w3", np.array([0]), np.array([0.0]))
        ),
    ],
)
def test_network_errors_in_chinese(call):
    with pytest.raises(DerivcheckError) as caught:
        call()
    error = caught.value
    assert error.message.key.startswith("network."), error.message.key
    assert not english_runs(error.to_text("zh")), error.to_text("zh")
