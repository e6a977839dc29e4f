"""`derivcheck latex`, `derivcheck solutions` and `explain --format latex|markdown|mermaid`,
called in this process (``run_cli``); every LaTeX document they write is compiled where TeX
is installed, and skipped with the reason where it is not."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from derivcheck.render.latex import compile_latex, latex_engine

NETWORK = "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2"
NETWORK_AT = ["--at", "x=2", "--at", "target=1", "--at", "w1=0.5", "--at", "b1=0.1",
              "--at", "w2=-0.3", "--at", "b2=0.2", "--wrt", "w1,b1,w2,b2"]  # fmt: skip

needs_pdflatex = pytest.mark.skipif(
    latex_engine("en") is None, reason="pdflatex is not installed (texlive-latex-base)"
)
needs_xelatex = pytest.mark.skipif(
    latex_engine("zh") is None, reason="xelatex with ctex is not installed (texlive-lang-chinese)"
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed: the PDF's text cannot be read",
)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.replace("\u2212", "-")


def no_tex(tmp_path: Path) -> dict[str, str]:
    """Environment variables for a PATH without any TeX (only an empty private folder)."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    return {"PATH": str(empty)}


# --------------------------------------------------------------------------------------
# derivcheck latex
# --------------------------------------------------------------------------------------


@needs_pdflatex
@needs_pdftotext
def test_latex_command_writes_a_pdf(run_cli, tmp_path):
    result = run_cli("latex", "(3x+2)^2", "--at", "1", "-o", "steps.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote steps.pdf" in result.stderr
    assert (tmp_path / "steps.pdf").stat().st_size > 1000
    text = pdf_text(tmp_path / "steps.pdf")
    assert "30" in text and "Chain rule" in text  # d/dx (3x+2)^2 = 6(3x+2) = 30 at x = 1


@needs_pdflatex
@needs_pdftotext
def test_latex_command_network_with_update(run_cli, tmp_path):
    result = run_cli("latex", NETWORK, *NETWORK_AT, "--lr", "0.1", "-o", "net.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "net.pdf")
    for shown in ("1.356", "0.678", "-2.486", "-2.26", "0.3644", "0.0322", "-0.0514"):
        assert shown in text  # the chapter's sections 2.3 and 2.4


def test_latex_command_without_tex_writes_the_source_and_says_so(run_cli, tmp_path):
    result = run_cli(
        "latex", "x^x", "--at", "2", "--style", "rules", "-o", "steps.pdf",
        cwd=tmp_path, env=no_tex(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "steps.pdf").exists()
    source = (tmp_path / "steps.tex").read_text(encoding="utf-8")
    assert "pdflatex not found" in result.stderr and "steps.tex" in result.stderr
    assert "logarithmic differentiation" in source


def test_latex_command_messages_in_chinese(run_cli, tmp_path):
    result = run_cli(
        "latex", "(2x+1)^3", "--at", "1", "--lang", "zh", "-o", "steps.pdf",
        cwd=tmp_path, env=no_tex(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "未找到" in result.stderr and "steps.tex" in result.stderr
    source = (tmp_path / "steps.tex").read_text(encoding="utf-8")
    assert "{ctexart}" in source and "链式法则" in source and "局部导数" in source


@needs_xelatex
@needs_pdftotext
def test_latex_command_chinese_pdf(run_cli, tmp_path):
    result = run_cli("latex", "sin(exp(x^2))", "--at", "0.5", "--lang", "zh", "-o", "zh.pdf",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "已写入" in result.stderr
    text = pdf_text(tmp_path / "zh.pdf")
    assert "链式法则" in text and "0.363194914801726" in text


def test_latex_command_to_tex_and_stdout(run_cli, tmp_path):
    result = run_cli("latex", "(3x+2)^2", "--at", "1", "-o", "steps.tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "steps.tex").read_text(encoding="utf-8")
    printed = run_cli("latex", "(3x+2)^2", "--at", "1").stdout
    assert written == printed and printed.startswith("\\documentclass")


def test_latex_command_bad_input_is_a_short_error(run_cli, tmp_path):
    result = run_cli("latex", "2*(x+", "--at", "1", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "^" in result.stderr
    result = run_cli("latex", "x^2", "--at", "1", "-o", "steps.docx", cwd=tmp_path)
    assert result.returncode == 2 and ".tex or .pdf" in result.stderr
    result = run_cli("latex", NETWORK, *NETWORK_AT, "--style", "rules", cwd=tmp_path)
    assert result.returncode == 2 and "one variable" in result.stderr


# --------------------------------------------------------------------------------------
# derivcheck explain --format latex|markdown|mermaid
# --------------------------------------------------------------------------------------


def test_explain_formats(run_cli):
    standalone = run_cli("explain", "(2x+1)^3", "--at", "1", "--format", "latex", "--standalone")
    assert standalone.returncode == 0, standalone.stderr
    assert standalone.stdout.startswith("\\documentclass") and "54" in standalone.stdout
    rules = run_cli("explain", "asin(x)", "--at", "0.5", "--format", "latex", "--standalone",
                    "--style", "rules")  # fmt: skip
    assert rules.returncode == 0 and "arcsine rule" in rules.stdout
    fragment = run_cli("explain", NETWORK, *NETWORK_AT, "--format", "latex")
    assert fragment.stdout.startswith("\\begin{align*}") and "1.356" in fragment.stdout
    markdown = run_cli("explain", NETWORK, *NETWORK_AT, "--format", "markdown", "--lang", "zh")
    assert "```mermaid" in markdown.stdout and "反向传播" in markdown.stdout
    mermaid = run_cli("explain", "(3x+2)^2", "--at", "1", "--format", "mermaid")
    assert mermaid.stdout.startswith("flowchart LR") and "dy/du = 2u = 10" in mermaid.stdout


# --------------------------------------------------------------------------------------
# derivcheck solutions
# --------------------------------------------------------------------------------------

EXERCISES = """id,function,answer,var,at,student
1,(2x+1)^3,54,x,1,Alice
1,(2x+1)^3,6(2x+1)^2,x,1,张三
2,x^x,,,2,
3,sin(exp(x^2)),,,0.5,
4,asin(x) + sinh(x) + |x|,,,,
5,a*x^2 + b,,x,,
6,ln(x),,,-1,
7,foo(x),,,,
8,(3x+2)^2,,,1,
"""

UNSOLVABLE = 'id,function,at\n1,x^2,"x=1, 2"\n2,x^2,x=\n3,a*x^2,\n4,a*b,\n5,(3x+2)^2,1\n'


def write_exercises(folder: Path, encoding: str = "utf-8") -> Path:
    path = folder / "exercises.csv"
    path.write_bytes(EXERCISES.encode(encoding))
    return path


def test_solutions_sheet_as_tex(run_cli, tmp_path):
    write_exercises(tmp_path)
    result = run_cli("solutions", "exercises.csv", "-o", "solutions.tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "solutions.tex").read_text(encoding="utf-8")
    assert source.count("\\section*{Exercise 1:") == 1  # the two answers share one solution
    for heading in ("Exercise 2:", "Exercise 3:", "Exercise 4:", "Exercise 5:", "Exercise 8:"):
        assert heading in source
    assert "unknown function" in source  # exercise 7 is listed, the sheet goes on
    assert "ln needs a positive argument" in source
    assert "logarithmic differentiation" in source and "arcsine rule" in source
    assert "Alice" not in source  # students' answers are not printed


@needs_pdflatex
@needs_pdftotext
def test_solutions_sheet_as_pdf_and_chain_style(run_cli, tmp_path):
    write_exercises(tmp_path)
    result = run_cli("solutions", "exercises.csv", "-o", "sheet.pdf", "--style", "chain",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "sheet.pdf")
    assert "Chain rule" in text and "Rule by rule" in text  # no point: rules instead
    # (2x+1)^3 at 1: 54; (3x+2)^2 at 1: 30; sin(exp(x^2)) at 0.5: 0.363194914801726
    assert "54" in text and "30" in text and "0.363194914801726" in text


def test_solutions_from_a_gbk_file_in_chinese(run_cli, tmp_path):
    write_exercises(tmp_path, "gbk")
    result = run_cli("solutions", "exercises.csv", "--lang", "zh", "-o", "参考答案.tex",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "参考答案.tex").read_text(encoding="utf-8")
    assert "参考答案" in source and "练习 1" in source and "链式法则" in source


def test_solutions_bad_file_is_a_short_error(run_cli, tmp_path):
    result = run_cli("solutions", "missing.csv", cwd=tmp_path)
    assert result.returncode == 2 and "no such file" in result.stderr
    (tmp_path / "empty.csv").write_text("id,answer\n1,2x\n", encoding="utf-8")
    result = run_cli("solutions", "empty.csv", cwd=tmp_path)
    assert result.returncode == 2 and "function" in result.stderr


def test_solutions_rows_that_cannot_be_solved_are_listed(run_cli, tmp_path):
    (tmp_path / "rows.csv").write_text(UNSOLVABLE, encoding="utf-8")
    result = run_cli("solutions", "rows.csv", "-o", "sheet.tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "sheet.tex").read_text(encoding="utf-8")
    assert source.count("expected name=value") == 2  # rows 1 and 2, the sheet goes on
    # a*x^2 without var: x, as `derivcheck check` takes it; d/dx = 2ax
    assert r"\frac{\partial y}{\partial x} &= 2 a x" in source
    assert "several names (a, b)" in source  # a*b: which is the variable?
    assert "Exercise 5:" in source


# --------------------------------------------------------------------------------------
# Every document the commands write compiles
# --------------------------------------------------------------------------------------


def _fallback_source(run_cli, folder: Path) -> str:
    run_cli("latex", "x^x", "--at", "2", "--style", "rules", "-o", "steps.pdf",
            cwd=folder, env=no_tex(folder))  # fmt: skip
    return (folder / "steps.tex").read_text(encoding="utf-8")


def _sheet(run_cli, folder: Path, content: str, lang: str = "en") -> str:
    (folder / "rows.csv").write_bytes(content.encode("gbk" if lang == "zh" else "utf-8"))
    return run_cli("solutions", "rows.csv", "--lang", lang, cwd=folder).stdout


def _explained(run_cli, *args: str) -> str:
    return run_cli("explain", *args, "--format", "latex").stdout


DOCUMENTS = {
    # what the user does -> the document it leaves (a function of run_cli and a folder)
    "latex -o FILE.pdf without TeX, compiled later": _fallback_source,
    "latex -o FILE.tex": lambda run, _: run("latex", "(3x+2)^2", "--at", "1").stdout,
    "explain --format latex --standalone": lambda run, _: _explained(
        run, "(2x+1)^3", "--at", "1", "--standalone"
    ),
    "explain --format latex --standalone --style rules": lambda run, _: _explained(
        run, "asin(x)", "--at", "0.5", "--standalone", "--style", "rules"
    ),
    "explain --format latex (a fragment)": lambda run, _: (
        "\\documentclass{article}\\usepackage{amsmath}\\begin{document}"
        + _explained(run, NETWORK, *NETWORK_AT)
        + "\\end{document}"
    ),
    "solutions": lambda run, folder: _sheet(run, folder, EXERCISES),
    "solutions with unsolvable rows": lambda run, folder: _sheet(run, folder, UNSOLVABLE),
}


@needs_pdflatex
@pytest.mark.parametrize("what", list(DOCUMENTS))
def test_the_documents_compile(run_cli, tmp_path, what):
    source = DOCUMENTS[what](run_cli, tmp_path)
    assert compile_latex(source, tmp_path / "out.pdf").stat().st_size > 1000


@needs_xelatex
def test_the_chinese_solution_sheet_compiles(run_cli, tmp_path):
    source = _sheet(run_cli, tmp_path, EXERCISES, "zh")
    assert compile_latex(source, tmp_path / "zh.pdf").stat().st_size > 1000


def test_an_output_that_cannot_be_written_is_a_short_error(run_cli, tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    for output in ("file/steps.tex", "file/steps.pdf"):
        result = run_cli("latex", "x^2", "--at", "1", "-o", output, cwd=tmp_path)
        assert result.returncode == 2 and f"cannot write {output}" in result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@needs_pdflatex
@needs_pdftotext
@pytest.mark.parametrize("lang", ["en", pytest.param("zh", marks=needs_xelatex)])
def test_hostile_rows_cannot_inject_latex(run_cli, tmp_path, lang):
    """Every cell a teacher's file can carry, and its name, hold TeX; none of it runs."""
    marker = tmp_path / "marker.tex"
    marker.write_text("INJECTEDMARKER\n", encoding="utf-8")
    sentinel = tmp_path / "shell-escape-ran"
    include = rf"\input{{{marker}}}"
    control = compile_latex(  # the marker shows wherever \input is really read
        f"\\documentclass{{article}}\\begin{{document}}{include}\\end{{document}}",
        tmp_path / "control.pdf",
    )
    assert "INJECTEDMARKER" in pdf_text(control)
    cells = [
        include,
        rf"\immediate\write18{{touch {sentinel}}}",
        rf"\catcode`\@=0 @input{{{marker}}}",
        rf"^^5cinput{{{marker}}}",
        "}\\end{document}",
        r"\def\x{\input{" + str(marker) + r"}}\x",
        "two\n\nparagraphs\r\n\r\nin a heading",  # a blank line ends a paragraph
    ]
    rows = [("id", "function", "var", "at", "student")]
    for k, cell in enumerate(cells):
        rows += [(cell, "x^2", "", "", ""), (str(k), cell, "", "", ""),
                 (f"v{k}", "x^2", cell, "1", cell), (f"a{k}", "x^2", "", cell, "")]  # fmt: skip
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "50% {of} #1 & $x_1$~^.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    pdf = tmp_path / f"sheet-{lang}.pdf"
    result = run_cli("solutions", path, "--lang", lang, "-o", pdf, cwd=folder)
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf)
    assert "INJECTEDMARKER" not in text
    assert "write18" in text and "50% {of} #1" in text  # shown as text, not run
    assert not sentinel.exists()
