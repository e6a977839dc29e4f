"""The command line: no --at, --order N, --wrt x,y --order 2, --tangent, latex without --at."""

from __future__ import annotations

import json

from derivcheck.cli import main


def run(capsys, *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


def test_explain_without_a_point(capsys):
    status, out = run(capsys, "explain", "x^x")
    assert status == 0
    assert "x^x·(ln(x) + 1)" in out and "Checks at points inside the domain" in out


def test_order_and_tangent(capsys):
    status, out = run(capsys, "explain", "x^3", "--at", "2", "--order", "3", "--tangent")
    assert status == 0
    assert "d³y/dx³|(x = 2) = 6" in out and "y = 8 + 12·(x - 2)" in out


def test_hessian_matrix(capsys):
    args = ["explain", "x^2 y^3", "--wrt", "x,y", "--order", "2", "--at", "x=1", "--at", "y=2"]
    status, out = run(capsys, *args)
    assert status == 0
    assert "[ 16  24 ]" in out and "[ 24  12 ]" in out


def test_json_and_chinese(capsys):
    status, out = run(capsys, "explain", "x^x", "--at", "2", "--order", "2", "--format", "json")
    assert status == 0 and json.loads(out)["orders"][1]["order"] == 2
    status, out = run(capsys, "explain", "x^x", "--at", "2", "--order", "2", "--lang", "zh")
    assert status == 0 and "高阶导数" in out


def test_latex_without_a_point(tmp_path, capsys):
    target = tmp_path / "steps.tex"
    assert main(["latex", "x^x", "-o", str(target)]) == 0
    source = target.read_text(encoding="utf-8")
    assert "\\begin{document}" in source and "\\frac{dy}{dx}" in source


def test_bad_order_exits_2(capsys):
    assert main(["explain", "x^2", "--at", "1", "--order", "0"]) == 2
