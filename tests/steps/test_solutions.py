"""Worked solutions written by hand, as students write them, checked line by line.

Every expectation below was worked out from the mathematics when the solution was
written (which line is the first wrong one, and what went wrong there), not read off
the checker. ``first`` is the first wrong line (None: every line right); ``why`` the
diagnoses that name that line's mistake correctly (several when the mathematics allows
more than one reading: ``2x`` for ``(2x + 1)′`` is the term ``2x`` copied); ``final`` the
verdict of the final answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from derivcheck import check_answer, check_steps


@dataclass(frozen=True)
class Solution:
    name: str
    function: str
    text: str
    final: str
    first: int | None = None
    why: tuple[str, ...] = ()
    at: str | None = None


SOLUTIONS = [
    # ---- the chapter's exercise 1, y = (2x + 1)³, and its variations ----
    Solution(
        "chapter exercise 1, English",
        "(2x+1)^3",
        "u = 2x + 1\ny = u^3\ndy/du = 3u^2\ndu/dx = 2\n"
        "dy/dx = dy/du · du/dx = 3u^2 · 2 = 6(2x+1)^2",
        "correct",
    ),
    Solution(
        "chapter exercise 1, Chinese, checked at x = 1",
        "(2x+1)^3",
        "令 u = 2x + 1，则 y = u³\ndy/du = 3u²，du/dx = 2\n"
        "由链式法则，dy/dx = 3u² × 2 = 6(2x + 1)²\n"
        "当 x = 1 时，dy/dx = 6 × 3² = 54",
        "correct",
        at="1",
    ),
    Solution(
        "du/dx written as 2x: the term 2x copied, not differentiated",
        "(2x+1)^3",
        "u = 2x + 1\ny = u^3\ndy/du = 3u^2\ndu/dx = 2x\ndy/dx = 3u^2 · 2x = 6x(2x+1)^2",
        "incorrect",
        4,
        ("sum-rule", "local-derivative"),
    ),
    Solution(
        "6 × 3² computed as 48",
        "(2x+1)^3",
        "令 u = 2x + 1\ny = u^3\ndy/du = 3u^2\ndu/dx = 2\ndy/dx = 6(2x+1)^2\n"
        "x = 1 时，dy/dx = 6 × 3² = 48",
        "incorrect",
        6,
        ("arithmetic",),
        at="1",
    ),
    Solution(
        "y' = 3(2x+1)² (inner derivative forgotten), then the right answer",
        "(2x+1)^3",
        "y' = 3(2x+1)^2\n= 6(2x+1)^2",
        "correct",
        1,
        ("missing-inner-derivative",),
    ),
    Solution(
        "prime notation, not simplified at the end",
        "(2x+1)^3",
        "y' = 3(2x+1)^2 · (2x+1)'\n= 3(2x+1)^2 · 2",
        "correct",
    ),
    Solution(
        "a substitution that is not a part of the function (the rest is right)",
        "(2x+1)^3",
        "u = 2x + 2\ny = (u - 1)^3\ndy/du = 3(u - 1)^2\ndy/dx = 3(u - 1)^2 · 2 = 6(2x + 1)^2",
        "correct",
        1,
        ("not-a-part",),
    ),
    Solution(
        "y = u² is not the function",
        "(2x+1)^3",
        "u = 2x + 1\ny = u^2\ndy/dx = 2u · 2 = 4(2x + 1)",
        "incorrect",
        2,
        ("not-the-function",),
    ),
    Solution(
        "f'(1) with no point asked: the formula is the answer",
        "(2x+1)^3",
        "y' = 6(2x+1)^2\nf'(1) = 6·9 = 54",
        "correct",
    ),
    Solution(
        "f'(1) = 6·3: the square forgotten when evaluating a right formula",
        "(2x+1)^3",
        "y' = 6(2x+1)^2\nf'(1) = 6·3 = 18",
        "correct",
        2,
        ("arithmetic",),
    ),
    Solution(
        "dy/du = 3u³: the power not reduced, later lines right",
        "(x^2+1)^3",
        "令 u = x² + 1\ny = u³\ndy/du = 3u³\ndu/dx = 2x\ndy/dx = 3u² · 2x = 6x(x² + 1)²",
        "correct",
        3,
        ("power-not-reduced",),
    ),
    Solution(
        "(x² + 1)³ at x = 1, Chinese",
        "(x^2+1)^3",
        "令 u = x² + 1\ny = u³\ndy/du = 3u²\ndu/dx = 2x\ndy/dx = 3u² · 2x = 6x(x² + 1)²\n"
        "当 x = 1 时，dy/dx = 6 × 1 × 2² = 24",
        "correct",
        at="1",
    ),
    Solution(
        "a line that cannot be read, the answer right",
        "(2x+1)^3",
        "u = 2x + 1\ny = u^3 @@\ndy/dx = 6(2x+1)^2",
        "correct",
        2,
        (),
    ),
    Solution(
        "sentences: Let … Then …",
        "(2x+1)^3",
        "Let u = 2x+1. Then y = u^3.\ndy/dx = 3u^2 · 2 = 6(2x+1)^2.",
        "correct",
    ),
    Solution(
        "the outer layer named before the inner one",
        "(2x+1)^3",
        "y = u^3, u = 2x+1\ndy/dx = 3u^2·2",
        "correct",
    ),
    # ---- the chapter's section 1.3 and 1.4 ----
    Solution(
        "section 1.3, (3x + 2)²",
        "(3x+2)^2",
        "分解：u = 3x + 2, y = u²\ndy/dx = dy/du × du/dx = 2u × 3 = 6(3x + 2)",
        "correct",
    ),
    Solution(
        "(3x + 2)²: 6(3x + 2) expanded as 18x + 2",
        "(3x+2)^2",
        "u = 3x + 2, y = u^2\ndy/du = 2u\ndu/dx = 3\ndy/dx = 2u · 3 = 6(3x + 2) = 18x + 2",
        "incorrect",
        4,
        ("algebra",),
    ),
    Solution(
        "section 1.4, sin(exp(x²))",
        "sin(exp(x^2))",
        "a = x², b = exp(a), y = sin(b)\ndy/dx = dy/db × db/da × da/dx\n= cos(b) × exp(a) × 2x",
        "correct",
    ),
    Solution(
        "sin(exp(x²)) without da/dx",
        "sin(exp(x^2))",
        "a = x^2\nb = e^a\ny = sin b\ndy/dx = cos(b) · e^a",
        "incorrect",
        4,
        ("missing-inner-derivative",),
    ),
    Solution(
        "sin(exp(x²)) at 0.5, rounded to three digits",
        "sin(exp(x^2))",
        "y' = 2x e^(x^2) cos(e^(x^2))\nf'(0.5) ≈ 0.363",
        "correct",
        at="0.5",
    ),
    Solution(
        "sin(exp(x²)) at 0.5: 0.363195 rounded up to 0.364",
        "sin(exp(x^2))",
        "y' = 2x e^(x^2) cos(e^(x^2))\nf'(0.5) ≈ 0.364",
        "incorrect",
        2,
        ("rounding",),
        at="0.5",
    ),
    # ---- product rule ----
    Solution(
        "x² sin x by the product rule",
        "x^2 sin x",
        "by the product rule\ny' = (x^2)' sin x + x^2 (sin x)'\n= 2x sin x + x^2 cos x",
        "correct",
    ),
    Solution(
        "x² sin x as (x²)′(sin x)′",
        "x^2 sin x",
        "y' = (x^2)'(sin x)'\n= 2x cos x",
        "incorrect",
        1,
        ("product-rule",),
    ),
    Solution(
        "d/dx notation with a remark line",
        "x^2 sin x",
        "d/dx[x^2 sin x] = 2x sin x + x^2 cos x\n(product rule)",
        "correct",
    ),
    Solution(
        "LaTeX notation",
        "x^2 sin x",
        "\\frac{dy}{dx} = \\frac{d}{dx}\\left(x^2 \\sin x\\right)\n= 2x\\sin x + x^2\\cos x",
        "correct",
    ),
    Solution(
        "x e^x, factored at the end",
        "x e^x",
        "y' = (x)' e^x + x (e^x)' = e^x + x e^x = (1 + x)e^x",
        "correct",
    ),
    Solution(
        "x e^x with (e^x)′ = x e^(x−1): the power rule used on an exponential",
        "x e^x",
        "y' = (x)' e^x + x (e^x)'\n= e^x + x · x e^(x - 1)",
        "incorrect",
        2,
        ("power-rule-misapplied",),
    ),
    Solution(
        "e^(2x) sin x, chain inside a product",
        "e^(2x) sin x",
        "u = 2x\n(e^u)' = e^u · u' = 2e^(2x)\ny' = 2e^(2x) sin x + e^(2x) cos x",
        "correct",
    ),
    Solution(
        "e^(2x) sin x without the inner 2",
        "e^(2x) sin x",
        "by the product rule\ny' = e^(2x) sin x + e^(2x) cos x",
        "incorrect",
        2,
        ("missing-inner-derivative",),
    ),
    Solution(
        "e^(−x) cos 3x",
        "e^(-x) cos(3x)",
        "y' = (e^(-x))' cos 3x + e^(-x) (cos 3x)'\n= -e^(-x) cos 3x + e^(-x) · (-sin 3x) · 3\n"
        "= -e^(-x)(cos 3x + 3 sin 3x)",
        "correct",
    ),
    Solution(
        "e^(−x) cos 3x without the 3 of (3x)′",
        "e^(-x) cos(3x)",
        "y' = -e^(-x) cos 3x - e^(-x) sin 3x",
        "incorrect",
        1,
        ("missing-inner-derivative",),
    ),
    # ---- quotient rule ----
    Solution(
        "sin x / x by the quotient rule",
        "sin(x)/x",
        "y' = ((sin x)' · x − sin x · (x)')/x²\n= (x cos x − sin x)/x²",
        "correct",
    ),
    Solution(
        "sin x / x with the numerator's terms swapped",
        "sin(x)/x",
        "由商的求导法则\ny' = (sin x − x cos x)/x²",
        "incorrect",
        2,
        ("quotient-rule-sign",),
    ),
    Solution(
        "x/(x + 1)",
        "x/(x+1)",
        "y' = ((x)'(x+1) - x(x+1)')/(x+1)^2\n= (x + 1 - x)/(x+1)^2\n= 1/(x+1)^2",
        "correct",
    ),
    Solution(
        "x/(x + 1): x + 1 − x simplified to 2x + 1",
        "x/(x+1)",
        "y' = ((x)'(x+1) - x(x+1)')/(x+1)^2\n= (x + 1 - x)/(x+1)^2\n= (2x + 1)/(x+1)^2",
        "incorrect",
        3,
        ("algebra",),
    ),
    Solution(
        "the sigmoid",
        "sigmoid(x)",
        "y = 1/(1 + e^(-x))\ny' = e^(-x)/(1 + e^(-x))^2\n= sigmoid(x)(1 - sigmoid(x))",
        "correct",
    ),
    Solution(
        "the sigmoid with a minus sign too many",
        "sigmoid(x)",
        "y = 1/(1 + e^(-x))\ny' = -e^(-x)/(1 + e^(-x))^2",
        "incorrect",
        2,
        ("sign-error", "missing-inner-derivative"),  # (−x)′ = −1 forgotten is a sign
    ),
    # ---- sum rule ----
    Solution(
        "x³ − 4x + 7 term by term",
        "x^3 - 4x + 7",
        "y' = (x^3)' - (4x)' + (7)'\n= 3x^2 - 4 + 0\n= 3x^2 - 4",
        "correct",
    ),
    Solution(
        "x³ − 4x + 7 with the term 4x copied",
        "x^3 - 4x + 7",
        "y' = (x^3)' - (4x)' + (7)'\n= 3x^2 - 4x + 0",
        "incorrect",
        2,
        ("sum-rule",),
    ),
    # ---- chain rule, other outer functions ----
    Solution(
        "√(1 + x²), Chinese",
        "sqrt(1+x^2)",
        "设 u = 1 + x²，则 y = √u\ndy/du = 1/(2√u)\ndu/dx = 2x\n"
        "所以 dy/dx = 2x/(2√(1 + x²)) = x/√(1 + x²)",
        "correct",
    ),
    Solution(
        "√(1 + x²): 2x/(2√u) simplified to 2x/√(1 + x²)",
        "sqrt(1+x^2)",
        "u = 1 + x^2\ny = sqrt(u)\ndy/du = 1/(2 sqrt(u))\ndu/dx = 2x\n"
        "dy/dx = 1/(2 sqrt(u)) · 2x = 2x/sqrt(1 + x^2)",
        "incorrect",
        5,
        ("algebra",),
    ),
    Solution(
        "ln(x² + 1) at x = 1",
        "ln(x^2+1)",
        "u = x^2 + 1\ny = ln u\ndy/du = 1/u\ndu/dx = 2x\ndy/dx = 2x/(x^2+1)\nf'(1) = 2/2 = 1",
        "correct",
        at="1",
    ),
    Solution(
        "ln(x² + 1) at x = 1: 2/2 computed as 2",
        "ln(x^2+1)",
        "u = x^2 + 1\ny = ln u\ndy/du = 1/u\ndu/dx = 2x\ndy/dx = 2x/(x^2+1)\n"
        "f'(1) = 2·1/(1^2 + 1) = 2",
        "incorrect",
        6,
        ("arithmetic",),
        at="1",
    ),
    Solution(
        "tan(x²)",
        "tan(x^2)",
        "u = x^2; y = tan u; dy/du = sec^2 u; du/dx = 2x; dy/dx = 2x sec^2(x^2)",
        "correct",
    ),
    Solution(
        "tan(x²) with d(tan u)/du = −sec² u",
        "tan(x^2)",
        "u = x^2\ny = tan u\ndy/du = -sec^2 u\ndu/dx = 2x\ndy/dx = -2x sec^2(x^2)",
        "incorrect",
        3,
        ("sign-error",),
    ),
    Solution(
        "sin² x",
        "sin(x)^2",
        "u = sin x\ny = u^2\ndy/du = 2u\ndu/dx = cos x\ndy/dx = 2 sin x cos x",
        "correct",
    ),
    Solution(
        "sin² x as 2 sin x",
        "sin(x)^2",
        "u = sin x\ny = u^2\ndy/du = 2u\ndu/dx = cos x\ndy/dx = 2 sin x",
        "incorrect",
        5,
        ("missing-inner-derivative",),
    ),
    Solution(
        "cos(3x² + 1), Chinese",
        "cos(3x^2+1)",
        "令 u = 3x² + 1\ny = cos u\ndy/du = −sin u\ndu/dx = 6x\ndy/dx = −6x sin(3x² + 1)",
        "correct",
    ),
    Solution(
        "cos(3x² + 1) with d(cos u)/du = sin u",
        "cos(3x^2+1)",
        "令 u = 3x² + 1\ny = cos u\ndy/du = sin u\ndu/dx = 6x\ndy/dx = 6x sin(3x² + 1)",
        "incorrect",
        3,
        ("sign-error",),
    ),
    Solution(
        "e^(sin 2x), three layers, Chinese",
        "e^(sin(2x))",
        "令 u = 2x，v = sin u，y = e^v\ndy/dv = e^v，dv/du = cos u，du/dx = 2\n"
        "dy/dx = e^v · cos u · 2 = 2cos(2x)e^(sin 2x)",
        "correct",
    ),
    Solution(
        "e^(sin 2x) with du/dx = 2x",
        "e^(sin(2x))",
        "令 u = 2x，v = sin u，y = e^v\ndy/dv = e^v，dv/du = cos u，du/dx = 2x\n"
        "dy/dx = e^v · cos u · 2x = 2x cos(2x) e^(sin 2x)",
        "incorrect",
        2,
        ("not-differentiated", "local-derivative"),
    ),
]


def _ids() -> list[str]:
    return [s.name for s in SOLUTIONS]


def test_there_are_enough_solutions_and_half_have_a_mistake():
    planted = [s for s in SOLUTIONS if s.first is not None]
    assert len(SOLUTIONS) >= 40
    assert len(planted) >= len(SOLUTIONS) // 2 - 1
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in s.text) for s in SOLUTIONS) >= 8
    assert sum(s.at is not None for s in SOLUTIONS) >= 5


@pytest.mark.parametrize("solution", SOLUTIONS, ids=_ids())
def test_first_wrong_line_diagnosis_and_final_verdict(solution: Solution):
    result = check_steps(solution.function, solution.text, at=solution.at)
    shown = result.to_text()
    assert result.verdict == solution.final, shown
    assert result.first_error == solution.first, shown
    if solution.first is not None:
        line = result.lines[solution.first - 1]
        assert line.number == solution.first
        assert line.message, shown
        if solution.why:
            assert line.diagnosis in solution.why, shown
    else:
        assert all(line.verdict in ("correct", "skipped") for line in result.lines), shown


@pytest.mark.parametrize("solution", SOLUTIONS, ids=_ids())
def test_check_answer_gives_the_same_final_verdict(solution: Solution):
    answer = check_answer(solution.function, solution.text, at=solution.at)
    steps = check_steps(solution.function, solution.text, at=solution.at)
    assert answer.verdict == steps.verdict
    if "\n" in solution.text or ";" in solution.text:  # one line is graded as one answer
        assert answer.steps is not None and answer.steps.first_error == steps.first_error
