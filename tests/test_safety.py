"""Project rules checked by tests: no eval on user text, a light import, ruff clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "derivcheck"
EVAL_FAMILY = re.compile(r"\b(eval|exec|sympify|parse_expr|parse_latex|S)\(")


def test_no_eval_family_call_in_the_package():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            code = re.sub(r"\.evalf\(|literal_eval|_eval\w*|evaluate=|def eval\(", "", code)
            if EVAL_FAMILY.search(code):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_import_is_light():
    code = (
        "import sys, derivcheck; "
        "heavy = [m for m in ('numpy', 'matplotlib', 'torch', 'scipy') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_explain_does_not_import_matplotlib():
    code = (
        "import sys, derivcheck; derivcheck.explain('sin(x)', 1); "
        "print('matplotlib' in sys.modules, 'torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False False", result.stderr


def test_ruff_is_clean():
    """Lint and format: both must pass (ruff comes with the test extra)."""
    root = PACKAGE.parent
    folders = [f for f in ("derivcheck", "tests", "benchmarks", "examples") if (root / f).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *folders],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *folders],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
