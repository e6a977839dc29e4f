"""The command line: ``derivcheck backprop FILE`` and ``derivcheck net program --matrix``."""

from __future__ import annotations

import json

import pytest

from derivcheck import check_backprop
from derivcheck.matrix.network import matrix_program
from tests.matrix.programs import EXERCISE2, MATRIX, network, planted

WRONG = planted(
    planted(MATRIX, "dY = 2 * (Y - T) / N", "dY = 2 * (Y - T)"), "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X"
)


def test_backprop_exit_status_and_output(run_cli, tmp_path):
    right = tmp_path / "right.txt"
    right.write_text(EXERCISE2, encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(WRONG, encoding="utf-8")
    result = run_cli("backprop", right)
    assert result.returncode == 0, result.stderr
    assert "all 7 gradient formulas are right" in result.stdout
    assert "D = 1, H = 3, N = 50 (3 random draws)" in result.stdout
    result = run_cli("backprop", wrong)
    assert result.returncode == 1
    assert "the first is dY" in result.stdout and result.stderr == ""


def test_backprop_bad_input_exits_2_without_a_traceback(run_cli, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("X: D×N, W: H×D\nZ = X @ W\nL = sum(Z)\ndZ = Z\n", encoding="utf-8")
    result = run_cli("backprop", bad)
    assert result.returncode == 2
    assert "the inner dimensions N and H differ" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "^" in result.stderr
    result = run_cli("backprop", tmp_path / "missing.txt")
    assert result.returncode == 2 and "cannot read" in result.stderr
    result = run_cli("backprop", bad, "--dims", "D=x")
    assert result.returncode == 2
    result = run_cli("backprop", bad, "--lang", "zh")
    assert result.returncode == 2 and "内维度" in result.stderr


def test_backprop_formats_files_and_standard_input(run_cli, tmp_path):
    result = run_cli("backprop", "-", "--format", "json", stdin=WRONG)
    assert result.returncode == 1
    assert json.loads(result.stdout)["first_error"] == "dY"
    out = tmp_path / "deep" / "report.md"
    result = run_cli("backprop", "-", "-o", out, stdin=WRONG)
    assert result.returncode == 1 and out.read_text(encoding="utf-8").startswith("**")
    result = run_cli("backprop", "-", "--format", "latex", "--standalone", stdin=MATRIX)
    assert result.returncode == 0 and result.stdout.startswith(r"\documentclass")
    result = run_cli("backprop", "-", "-o", tmp_path / "r.pdf", stdin=MATRIX)
    assert result.returncode == 2
    result = run_cli("backprop", "-", "--dims", "H=3,N=3", stdin=MATRIX)
    assert result.returncode == 0 and "H = 3, N = 3, D = 2 (3 random draws)" in result.stdout


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_net_program_matrix_is_a_right_starting_point(run_cli, activation):
    result = run_cli("net", "program", "--hidden", "3", "--matrix", "--activation", activation)
    assert result.returncode == 0
    assert result.stdout == matrix_program(3, 1, activation) + "\n"
    assert "dims: D = 1, H = 3, N = 50" in result.stdout
    report = check_backprop(result.stdout)
    assert report.ok, report.to_text()
    # the same backward pass as the tests derive by hand
    assert result.stdout.split("# backward pass\n")[1].strip() == (
        network(activation).split("L = mean((Y - T)**2)\n")[1].strip()
    )


def test_net_program_matrix_in_chinese(run_cli):
    result = run_cli("net", "program", "--matrix", "--lang", "zh")
    assert result.returncode == 0
    assert "# 前向传播" in result.stdout and "# 反向传播" in result.stdout
    assert check_backprop(result.stdout).ok
