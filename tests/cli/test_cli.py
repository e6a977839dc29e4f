"""``derivcheck explain`` and the command line's shell: status, messages, files.

Most tests call ``main(argv)`` in this process (the ``run_cli`` fixture); the few marked
"a real process" start ``python -m derivcheck`` as a user does.
"""

from __future__ import annotations

import json

import pytest

import derivcheck


def test_explain_section_1_4_in_a_real_process(run_process):
    result = run_process("explain", "sin(exp(x^2))", "--at", "0.5")
    assert result.returncode == 0, result.stderr
    assert "0.363194914801726" in result.stdout  # 2x·e^(x²)·cos(e^(x²)) at 0.5
    assert "u1 = x^2" in result.stdout and "u2 = e^u1" in result.stdout
    assert "agrees" in result.stdout and result.stderr == ""


def test_bad_input_in_a_real_process_exits_2_without_traceback(run_process):
    result = run_process("explain", "2*(x+", "--at", "1")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("derivcheck: error: unexpected end of input")
    assert "Traceback" not in result.stderr


def test_explain_network_prints_the_chapter_numbers(run_cli):
    result = run_cli(
        "explain",
        "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2",
        *("--at", "x=2", "--at", "target=1", "--at", "w1=0.5", "--at", "b1=0.1"),
        *("--at", "w2=-0.3", "--at", "b2=0.2", "--wrt", "w1,b1,w2,b2", "--lr", "0.1"),
    )
    assert result.returncode == 0, result.stderr
    for number in ["1.1", "-0.13", "1.2769", "-2.26", "-2.486", "0.678", "1.356"]:
        assert f"= {number}\n" in result.stdout, number
    assert "w1: 0.5 → 0.3644" in result.stdout
    assert "b2: 0.2 → 0.426" in result.stdout


def test_json_format(run_cli):
    result = run_cli("explain", r"\frac{1}{1+e^{-x}}", "--at", "0", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["value"] == 0.25  # sigmoid'(0) = 1/4
    assert data["agrees"] is True


def test_chinese_output_and_keyboard_input(run_cli):
    result = run_cli("explain", "6（2x+1）²", "--at", "1", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "链式法则" in result.stdout
    assert "= 72\n" in result.stdout  # d/dx 6(2x+1)^2 = 24(2x+1) = 72 at x = 1


def test_leading_minus_expression_is_not_an_option(run_cli):
    result = run_cli("explain", "-x^2", "--at", "3")
    assert result.returncode == 0, result.stderr
    assert "= -6\n" in result.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["explain", "2*(x+", "--at", "1"], "end of input"),
        (["explain", "foo(x)", "--at", "1"], "unknown function 'foo'"),
        (["explain", "u = x^2; y = u + 1"], "missing --at"),
        (["explain", "a*x", "--at", "1"], "several variables"),
        (["explain", "x^2", "--at", "1/"], "end of input"),
        (["explain", "__import__('os').system('echo hi')", "--at", "1"], "unexpected character"),
        (["explain", "9^9^9^9", "--at", "1"], "number too large"),
        (["explain", "x^2", "--at", "x=1", "--at", "2"], "name every value"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(run_cli, args, words):
    result = run_cli(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_caret_is_printed_under_the_problem(run_cli):
    result = run_cli("explain", "2*(x+", "--at", "1")
    lines = result.stderr.splitlines()
    assert lines[1] == "  2*(x+" and lines[2] == "       ^"


def test_version_and_help(run_cli):
    version = run_cli("--version")
    assert version.returncode == 0 and derivcheck.__version__ in version.stdout
    help_text = run_cli("explain", "--help")
    assert help_text.returncode == 0 and "examples:" in help_text.stdout
    top = run_cli("--help")
    assert top.returncode == 0 and "derivcheck explain" in top.stdout


def test_unknown_option_exits_2(run_cli):
    result = run_cli("explain", "x^2", "--at", "1", "--frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unrecognized arguments: --frobnicate" in result.stderr


def test_output_file(run_cli, tmp_path):
    target = tmp_path / "out.txt"
    result = run_cli("explain", "(2x+1)^3", "--at", "1", "-o", target)
    assert result.returncode == 0, result.stderr
    assert "= 54\n" in target.read_text(encoding="utf-8")


def test_plot_options_write_png_files(run_cli, tmp_path):
    f_png, steps_png = tmp_path / "f.png", tmp_path / "steps.png"
    result = run_cli("explain", "x^3", "--at", "2", "--plot", f_png, "--plot-steps", steps_png)
    assert result.returncode == 0, result.stderr
    for path in (f_png, steps_png):
        assert path.read_bytes()[:4] == b"\x89PNG"


def test_errors_in_chinese_keep_the_caret(run_cli):
    result = run_cli("explain", "sinn(x)", "--lang", "zh", "--at", "1")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "derivcheck：错误：未知函数 'sinn'（是不是 sin？）（第 1 列）"
    assert lines[2] == "  ^"
