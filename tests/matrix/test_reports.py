"""What a learner sees: the report in text, Markdown and LaTeX, in English and Chinese."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from derivcheck import check_backprop
from derivcheck.matrix import CODES
from derivcheck.messages import table
from tests.english import english_runs
from tests.matrix.programs import CS231N, MATRIX, SOFTMAX, planted

WRONG = planted(
    planted(MATRIX, "dY = 2 * (Y - T) / N", "dY = 2 * (Y - T)"), "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X"
)


@pytest.fixture(scope="module")
def wrong_report():
    return check_backprop(WRONG)


def test_the_text_report(wrong_report):
    shown = wrong_report.to_text()
    lines = shown.splitlines()
    assert lines[0] == (
        "Backward pass checked: 2 of 7 gradient formulas are wrong; the first is dY"
    )
    assert "d<name> is ∂L/∂<name>" in shown
    rows = [line for line in lines if line and line[0] in "✓✗"]
    assert [row[0] for row in rows] == ["✗", "✓", "✓", "✓", "✓", "✗", "✓"]
    assert rows[5].startswith("✗ dW1 = dZ1 @ X ")
    assert "H×D" in rows[5] and "a transpose is missing: dW1 = dZ1 @ X.T" in rows[5]
    assert str(wrong_report) == shown


def test_results_hold_messages_shown_in_either_language_afterwards(wrong_report):
    line = wrong_report.line("dW1")
    assert line.message.to_text("zh").startswith("(H×N)·(D×N)：内维度 N 和 D 不同；缺少一个转置")
    chinese = wrong_report.to_text("zh")
    assert chinese.splitlines()[0].startswith("反向传播检查：")
    for row in chinese.splitlines():
        for line in wrong_report.lines:  # formulas are code, not English
            for code in (line.fix, f"{line.name} = {line.formula}"):
                row = row.replace(code or "\0", "")
        assert english_runs(row) == [], row
    zh_report = check_backprop(WRONG, lang="zh")
    assert str(zh_report) == chinese
    assert zh_report.to_dict("en")["lines"][0]["message"] == str(wrong_report.line("dY").message)


def test_to_dict(wrong_report):
    data = json.loads(json.dumps(wrong_report.to_dict()))
    assert data["ok"] is False and data["first_error"] == "dY"
    first = data["lines"][0]
    assert (first["name"], first["of"], first["status"], first["diagnosis"]) == (
        "dY", "Y", "wrong", "missing-mean",
    )  # fmt: skip
    assert first["shape"] == "1×N" and first["expected_shape"] == "1×N"
    assert first["worst"]["index"] and len(data["sizes"]) == 2


def test_markdown(wrong_report):
    md = wrong_report.to_markdown()
    assert r"| ✗ | $\mathrm{d}W_{1} = \mathrm{d}Z_{1} \, X$ | $\in \mathbb{R}^{H \times D}$ |" in md
    assert r"$\mathrm{d}Z_{1} = \mathrm{d}H \odot \mathbf{1}\left[Z_{1} > 0\right]$" in md
    assert r"\sum_{N} \mathrm{d}Z_{1}" in md
    assert wrong_report._repr_markdown_() == md


def test_latex_with_marks(wrong_report):
    tex = wrong_report.to_latex()
    assert (
        r"\mathrm{d}W_{2} &= \mathrm{d}Y \, H^{\top} && \in \mathbb{R}^{1 \times H} && \checkmark"
        in tex
    )
    assert (
        r"\mathrm{d}W_{1} &= \mathrm{d}Z_{1} \, X && \in \mathbb{R}^{H \times D} && \times" in tex
    )
    assert r"\item $\mathrm{d}W_{1}$:" in tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_the_latex_document_compiles(wrong_report, tmp_path):
    (tmp_path / "report.tex").write_text(wrong_report.to_latex(standalone=True), encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "report.pdf").stat().st_size > 1000


def test_every_diagnosis_code_has_words_in_both_languages():
    for code in CODES:
        english, chinese = table()[f"matrix.diagnosis.{code}"]
        assert english and chinese


def test_notes_say_how_inputs_were_drawn():
    report = check_backprop(SOFTMAX)
    assert any("T is drawn one-hot along axis 0" in str(note) for note in report.notes)
    # the softmax written out along axis 1 (rows are samples): the classes are axis 1
    for program in (CS231N, CS231N.replace(" one-hot", "")):
        notes = [str(note) for note in check_backprop(program).notes]
        assert any("Y is drawn one-hot along axis 1" in note for note in notes), notes
    report = check_backprop("X: D×N\nL = sum(log(X))\ndX = 1 / X")
    assert any("X is drawn positive" in str(note) for note in report.notes)
    report = check_backprop(MATRIX)
    assert report.kink_distance is not None and report.kink_distance >= 1e-3
    text = report.to_text()
    assert "relu inputs kept away from the kink: the closest was" in text


def test_a_misnamed_gradient_is_pointed_out():
    report = check_backprop(MATRIX + "dw1 = dZ1 @ X.T\n")
    assert any("dw1 is not checked: there is no w1" in str(note) and "dW1" in str(note)
               for note in report.notes)  # fmt: skip
