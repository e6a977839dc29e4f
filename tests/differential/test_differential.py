"""Issue 10's differential test, seeded and bounded: derivcheck against an independent truth.

Random expressions over the whole catalogue (``generator.py``) at points inside domains, on
and near their edges, on and near kinks and jumps, huge and tiny, go through ``explain`` and
``check_answer``; the truth is ``sympy.diff`` of the same function in SymPy's own functions
evaluated with mpmath at 50+ digits, one-sided difference quotients for kinks
(``reference.py``). Any exception but a DerivcheckError, a wrong value, ``agrees=False`` on
a right value, a ``differentiable`` that is not the truth, or a wrong grade fails.

A case that hits a bug already found is a strict xfail naming the bug (:data:`KNOWN`): when
the bug is fixed the case passes and the xfail must go. :data:`REPRODUCTIONS` holds each
bug's smallest input with the truth worked out. The long run is
``python benchmarks/differential.py``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy

from tests.differential.fuzz import attempt, fuzz_texts
from tests.differential.generator import DEFINITIONS, case, function_keys, given_case, x
from tests.differential.reference import Huge, RefFloor, decide, exact_of_float
from tests.differential.runner import check_answers, check_explain

#: The seed of the CI sample (the benchmark's long run uses another, 2026).
SEED = 7
#: Cases through explain, cases whose answers go through check_answer, fuzzed texts.
EXPLAIN_CASES = 100
ANSWER_CASES = 16
FUZZ_TEXTS = 150

#: CPU seconds explain may take in the sample (a call over 2 s is a "slow" finding anyway).
SECONDS = 3.0

# Bugs found by this suite (named in the xfail reasons and the report).
OVERFLOW_TANGENT = (
    "fixed: an f' beyond float range (cosh(800)) was called infinite, 'a vertical tangent', "
    "differentiable=False"
)
FLOOR_SLOPE = (
    "fixed: smoothness._within_resolution took sympy.diff of floor's argument (a Derivative) "
    "at a number: ValueError 'Can't calculate derivative wrt 23/10'"
)
TINY_SLOPE = (
    "fixed: smoothness._within_resolution divided by the slope of a break's argument as a "
    "float, 0 for 2^-2000: ZeroDivisionError"
)
NONREAL_ORDER = (
    "fixed: precise.py compared a non-real value in relu/hardtanh/Heaviside: TypeError "
    "'no ordering relation is defined for complex numbers'"
)
SLOW_POWER = (
    "fixed: explain evaluates f' exactly (graph.value_at) before the domain check; x^x at a "
    "negative rational with a 14-digit denominator makes SymPy take its root: LimitError "
    "after the whole time limit instead of 'not real' at once"
)
SLOW_HUGE = (
    "fixed: tanh(sinh(x)) at -4.13e9 ran into the time limit (sinh(x) is -e^(4.13e9), "
    "mpmath's tanh of it takes seconds): now a magnitude error at once (catalogue: "
    "exponential functions past |u| = ln(10^(10^6)))"
)
LOST_DIGITS = (
    "fixed: the 'exact' value of (x^2+1)^x at 7.80563e-13 is 1.8278358862377113e-24, "
    "truth 1.827835790907e-24 (8 digits; ln(1 + x^2) loses them)"
)
ARGUMENT_ROUNDING = (
    "fixed: the error budget leaves out the rounding of x0 itself: 1/(x+4) at -3.9999999996 "
    "(x+4 = 4e-10 exactly; the float x0 is 3.3e-17 off, so f' at the float differs by "
    "1.7e-7 relative): agrees=False on the right value -6.25e18"
)

TIE_RESOLUTION = (
    "fixed: a max/min tie within float resolution of x0 is not taken as at x0 "
    "(smoothness._within_resolution skips 'ties'): min(x, pi/4) at math.pi/4 is "
    "differentiable with f' = 1 (one-sided derivatives 1 and 0), agrees=False"
)
ZERO_TIMES_INFINITE = (
    "fixed: sqrt(relu(x)) at -1 is 0 near -1 (f' = 0) but is said to have 'a vertical "
    "tangent': the chain rule's 1/(2√u) at u = 0 is infinite while du/dx = 0 on both sides"
)
SLOW_EDGE = (
    "fixed: arcsin(x^x-2) at 0.999999999999 (x^x - 2 = -1 - 1e-12: not defined) runs into "
    "the time limit"
)

#: (seed, index) of sampled cases that meet a known bug -> the bug.
KNOWN: dict[tuple[int, int], str] = {}


def _mark(seed: int, index: int):
    reason = KNOWN.get((seed, index))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(index, marks=marks, id=f"{seed}:{index}")


def _fail(result) -> None:
    if result.findings:
        pytest.fail("\n".join(str(f) for f in result.findings), pytrace=False)


@pytest.mark.parametrize("index", [_mark(SEED, i) for i in range(EXPLAIN_CASES)])
def test_explain_against_the_reference(index: int) -> None:
    _fail(check_explain(case(SEED, index), seconds=SECONDS))


ANSWER_SEED = SEED + 1


@pytest.mark.parametrize("index", [_mark(ANSWER_SEED, i) for i in range(ANSWER_CASES)])
def test_check_answer_against_the_reference(index: int) -> None:
    result = check_answers(case(ANSWER_SEED, index), seed=index)
    _fail(result)


def test_fuzzed_text_ends_in_a_value_or_a_derivcheck_error() -> None:
    """Mutations of valid expressions (deleted, doubled, swapped characters, Unicode look-
    alikes, giant numbers, wrappings): a value or a DerivcheckError, within 2 s CPU."""
    from derivcheck import check_answer, explain

    bad = []
    for text in fuzz_texts(SEED, FUZZ_TEXTS):
        for name, call in (
            ("explain", lambda t=text: explain(t, 1.3)),
            ("check_answer", lambda t=text: check_answer("x^2", t)),
        ):
            a = attempt(call)
            if not a.ok:
                bad.append(f"{name}({text!r}): {a.outcome} {a.cpu:.1f} s {a.detail}")
    assert bad == []


def test_every_catalogue_function_is_drawn() -> None:
    """The generator knows every record (a new record without a definition fails here)."""
    from derivcheck.calculus import catalogue

    assert {r.key for r in catalogue.records()} <= set(function_keys())
    assert set(function_keys()) <= set(DEFINITIONS)


# --------------------------------------------------------------------------------------
# The reference itself, on values worked out by hand
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "point", "kind", "value"),
    [
        (sympy.sin(x), sympy.Integer(1), "smooth", sympy.cos(1)),
        (DEFINITIONS["sigmoid"](x), sympy.Integer(400), "smooth", sympy.exp(-400)),
        (sympy.log(x), sympy.Rational(1, 10**300), "smooth", sympy.Integer(10) ** 300),
        (DEFINITIONS["relu"](x), sympy.Integer(0), "kink", None),
        (sympy.Abs(x) * x, sympy.Integer(0), "smooth", sympy.Integer(0)),
        (sympy.sqrt(x), sympy.Integer(0), "edge", None),
        (sympy.cbrt(x), sympy.Integer(0), "singular", None),  # odd roots are real (README)
        (sympy.cbrt(x), sympy.Integer(-8), "smooth", sympy.Rational(1, 12)),
        (x ** sympy.Rational(2, 3), sympy.Integer(-8), "smooth", sympy.Rational(-1, 3)),
        (sympy.sqrt(x), sympy.Integer(-1), "undefined", None),
        (x ** sympy.Rational(2, 3) + 0 * x, sympy.Integer(1), "smooth", sympy.Rational(2, 3)),
        (sympy.sign(x), sympy.Integer(0), "singular", None),
        (
            1 / (sympy.log(x, 10) - sympy.log(sympy.Rational(1, 3), 10)),
            sympy.Rational(3333333333333333, 10**16),
            "smooth",
            None,
        ),  # fmt: skip
    ],
)
def test_reference_on_known_values(expression, point, kind, value) -> None:
    truth = decide(expression, x, point)
    assert truth.kind == kind
    if value is not None:
        assert abs(truth.value - sympy.N(value, 60)) <= 1e-40 * abs(sympy.N(value, 60))


def test_reference_sigmoid_400_is_exact() -> None:
    """σ′(400) = e^-400/(1+e^-400)^2 = 1.915…e-174 (issue 10)."""
    truth = decide(DEFINITIONS["sigmoid"](x), x, sympy.Integer(400))
    assert f"{float(truth.value):.4g}" == "1.915e-174"


_R = sympy.Rational


@pytest.mark.parametrize(
    ("expression", "point", "value"),
    [
        # sin((x-3)/x) + ceil(x) at -1e-261: (x-3)/x = 1 - 3/x, so f' = 3·cos(1 - 3/x)/x²
        # (ceil is 0 on (-1, 0]), about 1e522
        (sympy.sin((x - 3) / x) + DEFINITIONS["ceil"](x), -_R(1, 10**261),
         3 * sympy.cos(1 - 3 / x) / x**2),
        # cos(2x/x³) = cos(2/x²) at 1.79198e-45: f' = 4·sin(2/x²)/x³, about 1e134
        (sympy.cos((x + x) / x**3), _R(89599, 5 * 10**49), 4 * sympy.sin(2 / x**2) / x**3),
        # softplus(artanh(x³)) at -1e-97: f' = σ(artanh(x³))·3x²/(1 - x⁶) = 1.5e-194 (to
        # 290 digits) beside f = ln 2
        (DEFINITIONS["softplus"](sympy.atanh(x**3)), -_R(1, 10**97),
         3 * x**2 / (1 - x**6) / (1 + sympy.exp(-sympy.atanh(x**3)))),
        # 1 + x³ at -1e-97: f' = 3x² = 3e-194 beside f = 1
        (1 + x**3, -_R(1, 10**97), 3 * x**2),
    ],
)  # fmt: skip
def test_reference_scales_the_step_by_the_derivative(expression, point, value) -> None:
    """A step chosen from |x0| alone is far too coarse where f′ is huge (the quotients never
    settle: "singular"), and f(x0 + h) − f(x0) is at the edge of the precision where f′ is
    tiny beside f (the slopes are noise): sympy.diff's formula at the point sets the step
    and the digits, the one-sided quotients still decide. The expected f′ is the derivative
    worked out by hand (in each comment), evaluated by SymPy at the point."""
    truth = decide(expression, x, point)
    want = sympy.N(value.subs(x, point), 60)
    assert truth.kind == "smooth" and not truth.by_limits
    assert abs(truth.value - want) <= 1e-30 * abs(want)
    assert abs(truth.left - want) <= 1e-9 * abs(want)
    assert abs(truth.right - want) <= 1e-9 * abs(want)


def test_reference_takes_the_formula_where_the_quotients_see_zero() -> None:
    """3^(2^-x) at 10^5: f = 3^(2^-100000) = 1 + 4e-30104, f' = -ln 2·ln 3·2^-x·3^(2^-x) ≈
    -7.6e-30104. Resolving f(x0 + h) − f(x0) would take 30,000 more digits than
    MAX_DIGITS, but it is far below the precision: the quotients see 0 on both sides (no
    kink, no jump) and f' is the formula's, as before the step was scaled."""
    f = 3 ** (_R(1, 2) ** x)
    truth = decide(f, x, sympy.Integer(10**5))
    want = sympy.N((-sympy.log(2) * sympy.log(3) * 2**-x * f).subs(x, 10**5), 60)
    assert truth.kind == "smooth" and not truth.by_limits
    assert abs(truth.value - want) <= 1e-40 * abs(want)


def test_reference_does_not_decide_beyond_its_digits() -> None:
    """cos(2/x²) at 1e-1000: f' = 4·sin(2/x²)/x³ is about 1e3000, so a step that moves f by
    1e-20 is about 1e-3020 and needs more than MAX_DIGITS digits: undecided (Huge), not a
    verdict from quotients that cannot settle."""
    with pytest.raises(Huge):
        decide(sympy.cos(2 / x**2), x, _R(1, 10**1000))


def test_reference_does_not_decide_a_ceiling_beyond_its_precision() -> None:
    """ceil(3^(x^x·x·(7/4)·x)) at 17/4: the argument is 3^((17/4)^(17/4)·7·17²/64), about
    5.8e7064, whose fractional part no working precision here holds (mpmath's ceil of it is
    it rounded), so whether ceil is locally constant (f' = 0) or jumps cannot be told:
    undecided (Huge), not a slope of 2.75e7069. ceil(3^x) at 17/4 (3^4.25 = 106.6…, not an
    integer) is still decided: constant near it, f' = 0."""
    ceil = DEFINITIONS["ceil"]
    huge = ceil(3 ** (x**x * (x * (_R(7, 4) * x))))
    with pytest.raises(Huge):
        decide(huge, x, _R(17, 4))
    truth = decide(ceil(3**x), x, _R(17, 4))
    assert truth.kind == "smooth" and truth.value == 0


def _unevaluated_cube(inner: sympy.Expr) -> sympy.Expr:
    """u³ kept as a power of a product, as the generator writes it: sympy.diff gives
    u³·(3u′/u), undefined where u = 0."""
    return sympy.Pow(inner, 3, evaluate=False)


def test_reference_zero_by_limits_is_zero() -> None:
    """((1 + ln x)·((x − 3/2) + (1/2)^x))³ at 1: the inner factor u is (1 + 0)·(1 − 3/2 +
    1/2) = 0, so f′(1) = 3u²u′ = 0 exactly. sympy.diff's formula divides by u (undefined
    at 1) and the quotients' mean is their Richardson remainder (~c·h², -2.8e-54): it
    shrinks with the step, so the value by limits is 0."""
    inner = sympy.Mul(
        sympy.Add(x, -_R(3, 2), _R(1, 2) ** x, evaluate=False), sympy.log(x) + 1, evaluate=False
    )
    truth = decide(_unevaluated_cube(inner), x, sympy.Integer(1))
    assert truth.kind == "smooth" and truth.by_limits
    assert truth.value == 0


def test_reference_keeps_a_tiny_true_value_by_limits() -> None:
    """x/10^20 + ((x − 1)(x + 1))³ at 1: the cube's derivative 3u²u′ is 0 there (u = 0), so
    f′(1) = 10^-20; sympy.diff's formula divides by u (undefined at 1). The value by
    limits is below the quotients' resolution but does not move with the step: kept."""
    cube = _unevaluated_cube(sympy.Mul(x - 1, x + 1, evaluate=False))
    truth = decide(sympy.Add(x / 10**20, cube, evaluate=False), x, sympy.Integer(1))
    assert truth.kind == "smooth" and truth.by_limits
    assert abs(truth.value - sympy.N(_R(1, 10**20), 60)) <= 1e-50


#: (-3/5)/(-3/5) kept unevaluated, as the generator writes it: the number 1.
_ONE = sympy.Mul(_R(-3, 5), sympy.Pow(_R(-3, 5), -1, evaluate=False), evaluate=False)


def test_reference_reads_a_number_exponent_as_its_value() -> None:
    """(-3/5)^((-3/5)/(-3/5)) is (-3/5)^1 = -3/5: an exponent with no x is the number it
    evaluates to (here 1), not a varying exponent of a negative base (undefined). So
    x + (-3/5)^1 has f′ = 1 at 1, and floor(x^(x/x) − (-3/5)^1 + 2) = floor(x + 13/5) at
    -0.60000000001 (x + 13/5 = 2 − 1e-11, 1e-11 from the break: far beyond the float's
    resolution) is 1, constant nearby: f′ = 0. Likewise x^(10^8) is an even power, real
    at -1, with f' = 10^8·(-1)^(10^8 - 1) = -10^8."""
    minus_three_fifths = sympy.Pow(_R(-3, 5), _ONE, evaluate=False)
    truth = decide(x + minus_three_fifths, x, sympy.Integer(1))
    assert truth.kind == "smooth" and abs(truth.function - sympy.N(_R(2, 5), 60)) <= 1e-40
    assert abs(truth.value - 1) <= 1e-40
    ten_to_the_8 = sympy.Pow(10, 8, evaluate=False)  # x^(10^8) at -1: f' = 10^8·(-1)^odd
    truth = decide(x**ten_to_the_8, x, sympy.Integer(-1))
    assert truth.kind == "smooth" and truth.function == 1
    assert abs(truth.value + 10**8) <= 1e-30
    floor = DEFINITIONS["floor"](x ** (x / x) - minus_three_fifths + 2)
    given = -0.60000000001
    truth = decide(floor, x, exact_of_float(given), resolution=math.ulp(given))
    assert truth.kind == "smooth" and truth.function == 1 and truth.value == 0


def test_reference_steps_across_a_located_edge() -> None:
    """(x + 4/3)^(-1/2) at the float -1.3333333333333333, a float of -4/3: the edge of the
    domain within its resolution is decided (located to 100 digits), where f is defined on
    the right only: "edge". f′ there is about 1e157, but the step must not shrink below the
    distance the edge is located to, or both sides would seem defined."""
    given = -1.3333333333333333
    f = (x + _R(4, 3)) ** _R(-1, 2)
    truth = decide(f, x, exact_of_float(given), resolution=math.ulp(given))
    assert truth.moved and truth.kind == "edge"


def test_reference_does_not_decide_at_a_stair_edge_narrower_than_its_step() -> None:
    """ceil((-x)^(-1/2)) at the float -3.89091e-153: the argument is 1.6e76 and moves by
    (1/2)·|x|^(-3/2) = 6.5e228 per unit, so its integers are 1.5e-229 apart, far below the
    float's resolution (1e-168): a stair's edge lies within it, and the quotients across
    the reference's step see the staircase's mean slope (2.06e228), not f' (case
    2026:138017, where the reference said "smooth, f' = 2.06e228"): undecided (Huge)."""
    f = DEFINITIONS["ceil"]((-x) ** _R(-1, 2))
    given = -3.89091e-153
    with pytest.raises(Huge):
        decide(f, x, exact_of_float(given), resolution=math.ulp(given))


def test_reference_does_not_decide_a_jump_below_its_precision() -> None:
    """e^(3x/5) − swish(ceil x) at -10^6: ceil jumps there, and f with it by swish(-999999)
    − swish(-10^6), about 10^-434288, beside f ~ 10^-260577: no working precision sees it,
    and the reference said "smooth" (case 2026:9514): undecided. x + relu(floor x) at -3 is
    continuous (relu is 0 on both stairs): still decided, f′ = 1."""
    f = sympy.exp(_R(3, 5) * x) - DEFINITIONS["silu"](DEFINITIONS["ceil"](x))
    with pytest.raises(Huge):
        decide(f, x, sympy.Integer(-(10**6)))
    truth = decide(x + DEFINITIONS["relu"](DEFINITIONS["floor"](x)), x, sympy.Integer(-3))
    assert truth.kind == "smooth" and truth.value == 1


def test_reference_does_not_decide_where_a_located_break_moves_faster_than_its_steps() -> None:
    """cos|e^((x−7)⁴) − e^((π/6−7)⁴)| at the float of π/6: the break of |·| within the
    float's resolution is located to 105 digits, so steps stay above 1e-85, over which the
    argument (g′ ~ 10^767) moves by 10^682: the quotients see cos vary along g, and the
    reference said "singular" where f = cos(g) is smooth (case 2026:9833): undecided."""
    g = sympy.exp((x - 7) ** 4) - sympy.exp((sympy.pi / 6 - 7) ** 4)
    given = 0.5235987755982989
    with pytest.raises(Huge):
        decide(sympy.cos(sympy.Abs(g)), x, exact_of_float(given), resolution=math.ulp(given))


def test_reference_at_a_located_edge_takes_f_from_its_defined_side() -> None:
    """sin(asin(x − ln 2 − 1)) at the decimal 0.6931471805599453: the edge x = ln 2 (the
    argument −1) lies 9.4e-18 away, within the float's resolution; the 100-digit location
    of it rounded just outside, and the reference said "undefined" (case 2026:10494). f is
    defined on the right only, and is sin(asin(−1)) = −1 at the edge. ln(x − ln 2) there
    has no value at its edge: none is given."""
    given = 0.6931471805599453
    point, resolution = sympy.Rational(str(given)), math.ulp(given)
    f = sympy.sin(sympy.asin(x - sympy.log(2) - 1), evaluate=False)  # as typed: not u
    truth = decide(f, x, point, resolution=resolution)
    assert truth.moved and truth.kind == "edge"
    assert abs(truth.function + 1) < 1e-40
    truth = decide(sympy.log(x - sympy.log(2)), x, point, resolution=resolution)
    assert truth.moved and truth.kind in ("edge", "undefined") and truth.function is None


def test_reference_sees_an_edge_among_tiny_terms_and_leaves_it_when_it_cannot_step_over_it():
    """arcsin(e^(x⁵) − e^((-11/3)⁵) − 1) at the decimal -3.6666666666666665: e^(x⁵) −
    e^((-11/3)⁵) is 2.2e-301 there, beside terms of 1e-287, so the point is not on the
    edge (an absolute 10^-200 said it was), and the edge at -11/3 lies within the float's
    resolution; but the argument −1 moves by 1e-369 over any step the reference may take
    there, below its 110 digits: undecided, where it said "smooth, f′ = 0" (case
    2026:11579). relu(3x − 1) at the float of 1/3 is still decided: a kink."""
    given = -3.6666666666666665
    inner = sympy.Add(sympy.exp(x**5), -sympy.exp(sympy.Rational(-11, 3) ** 5), -1, evaluate=False)
    with pytest.raises(Huge):
        decide(sympy.asin(inner), x, sympy.Rational(str(given)), resolution=math.ulp(given))
    third = 0.3333333333333333
    relu = DEFINITIONS["relu"](3 * x - 1)
    truth = decide(relu, x, exact_of_float(third), resolution=math.ulp(third))
    assert truth.moved and truth.kind == "kink"


def test_reference_takes_rounding_beside_the_point_for_rounding() -> None:
    """sign(min(x + 6, −4x/x) − min(11/3 + 6, −4)) − (1/2)^x at 36666966666666667/10^16:
    the sign's argument is 0 all around (min picks −4x/x = −4), so f = −(1/2)^x, smooth
    with f′ = ln 2·(1/2)^x. Beside the point x⁻¹·(−4x) rounds to ±1e-50, which the
    reference took for the argument's sign: "singular" (case 2026:140143)."""
    inner = sympy.Mul(sympy.Pow(x, -1), -4 * x, evaluate=False)
    c = sympy.Rational(11, 3)
    constant = sympy.Min(sympy.Mul(sympy.Pow(c, -1), -4 * c, evaluate=False), c + 6)
    f = sympy.sign(sympy.Min(inner, x + 6) - constant) - sympy.Rational(1, 2) ** x
    point = sympy.Rational(36666966666666667, 10**16)
    truth = decide(f, x, point)
    want = sympy.N(sympy.log(2) * sympy.Rational(1, 2) ** point, 50)
    assert truth.kind == "smooth" and abs(truth.value - want) < 1e-30


def test_reference_does_not_take_tiny_one_sided_slopes_for_equal() -> None:
    """hardtanh(csch(−8x)³ − csch(−40)³ + 1) at 5: the argument is 1 there and rises with
    slope 3·8·csch(−40)³·coth(−40)… ≈ 1.47e-50, so f′ is 1.47e-50 on the left and 0 on the
    right, a kink; the sides differ by less than the reference's absolute floor (1e-40),
    which called them equal ("smooth": case 2026:141870): undecided."""
    f = DEFINITIONS["hardtanh"](sympy.csch(-8 * x) ** 3 - sympy.csch(-40) ** 3 + 1)
    with pytest.raises(Huge):
        decide(f, x, sympy.Integer(5))


def test_reference_does_not_decide_stairs_it_cannot_tell_apart() -> None:
    """tanh(ceil x) + x at 150216: ceil jumps there, and tanh of it by tanh(150217) −
    tanh(150216), about 10^-130476, which no working precision sees: undecided, where the
    reference said "smooth" (case 2026:143000)."""
    f = sympy.tanh(DEFINITIONS["ceil"](x)) + x
    with pytest.raises(Huge):
        decide(f, x, sympy.Integer(150216))


def test_reference_has_no_value_on_a_pole_an_outer_function_would_smooth() -> None:
    """arctan(1/(x² − e²/4)²) at the float of e/2: the pole at e/2 lies within the float's
    resolution and f has no value on it (arctan would tend to π/2 there); the reference
    said "smooth, f′ = 0" (case 2026:142913)."""
    given = 1.3591409142295225
    f = sympy.atan((x * x - sympy.E**2 / 4) ** -2)
    truth = decide(f, x, exact_of_float(given), resolution=math.ulp(given))
    assert truth.moved and truth.kind == "undefined"


def test_reference_keeps_a_tiny_true_value_beside_the_point() -> None:
    """(sech((x − 7)⁵)^-2)^-2 at 5/4 is sech((x − 7)⁵)⁴, about 10^-10932: sech(−6293) is
    1e-2733 at any precision, no rounding to take for 0 (and then for a pole: the reference
    said "edge", case 2026:142101). f′ = −20(x − 7)⁴·tanh((x − 7)⁵)·f."""
    inner = sympy.Pow(sympy.sech((x - 7) ** 5), -2, evaluate=False)
    f = sympy.Pow(inner, -2, evaluate=False)
    point = sympy.Rational(5, 4)
    truth = decide(f, x, point)
    u = (point - 7) ** 5
    want = sympy.N(-20 * (point - 7) ** 4 * sympy.tanh(u) * sympy.sech(u) ** 4, 30)
    assert truth.kind == "smooth" and abs(truth.value - want) <= 1e-20 * abs(want)


def test_reference_keeps_erf_tails_at_a_domain_edge() -> None:
    """arcsec(erf(A(x)) − erf(A(e/2)) + 1), A = (x² + 1)^(7x/2), at 1.3591399142295226
    (1e-6 below e/2, not a float of it): A is 145.1, the argument is 1 − 6.1e-9149 (below 1,
    where arcsec is undefined); both erf are 1.0 at any working precision, and the reference
    took the argument for exactly 1 and f for smooth (case 2026:16193)."""
    a = (x * x + 1) ** (sympy.Rational(7, 2) * x)
    f = sympy.asec(sympy.erf(a) - sympy.erf(a.subs(x, sympy.E / 2)) + 1)
    given = 1.3591399142295226
    truth = decide(f, x, exact_of_float(given), resolution=math.ulp(given))
    assert truth.kind == "undefined"


def test_reference_keeps_a_derivative_that_cancels_to_zero_at_its_digits() -> None:
    """tanh(cot(x − 4)) at 4.004: sympy.diff's (1 − tanh²(u))·(−1 − cot²(x − 4)), u =
    cot(0.004) ≈ 250, is 0 at 50 digits (tanh²(250) rounds to 1), but the derivative is
    −sech²(u)·csc²(0.004) ≈ −1.79e-212: the reference said 0 (case 2026:146295)."""
    f = sympy.tanh(sympy.cot(x - 4))
    point = sympy.Rational(1001, 250)
    truth = decide(f, x, point)
    offset = point - 4
    want = sympy.N(-(sympy.sech(sympy.cot(offset)) ** 2) * sympy.csc(offset) ** 2, 30)
    assert truth.kind == "smooth" and abs(truth.value - want) <= 1e-20 * abs(want)


def test_reference_does_not_decide_a_derivative_beyond_its_digits() -> None:
    """asin(σ(x⁴) − σ(625) − 1) at −5.0005 is asin(−1 + 5e-273): f is −π/2 to every digit
    the quotients see, and the formula's 1 − u² is 0 at 50 digits, but has a value with
    more: f′ ≈ −1.1e-133, not the 0 the reference said (case 2026:147502)."""
    sigma = lambda t: 1 / (1 + sympy.exp(-t))  # noqa: E731
    f = sympy.asin(sigma(x**4) - sigma(sympy.Integer(625)) - 1)
    with pytest.raises(Huge):
        decide(f, x, sympy.Rational(-10001, 2000))


def test_reference_takes_slopes_that_shrink_with_the_step_for_zero() -> None:
    """(x^(2/3))² = x^(4/3) at 0 is differentiable, f′(0) = 0: the quotients are ±h^(1/3),
    ±4.6e-12 at the reference's steps, which it took for a kink (case 2026:147587)."""
    f = sympy.Pow(sympy.Pow(x, sympy.Rational(2, 3)), 2, evaluate=False)
    truth = decide(f, x, sympy.S.Zero)
    assert truth.kind == "smooth" and truth.value == 0


def test_reference_sees_a_kink_below_its_tolerance_for_equal_sides() -> None:
    """10^x·max(erf(36/5), erf(9x)) at 4/5: a tie, left of it max is the constant erf(7.2),
    right of it erf(9x), so the right slope exceeds the left by 10^0.8·9·erf′(7.2) ≈ 2e-21
    (of 14.5): a kink, which the reference called smooth (sides within 1e-9 count as
    equal: case 2026:153460; derivcheck said not differentiable)."""
    f = 10**x * sympy.Max(sympy.erf(sympy.Rational(36, 5)), sympy.erf(9 * x))
    point = sympy.Rational(4, 5)
    truth = decide(f, x, point)
    gap = sympy.N(
        10**point * 9 * 2 / sympy.sqrt(sympy.pi) * sympy.exp(-(sympy.Rational(36, 5) ** 2)), 30
    )
    assert truth.kind == "kink" and abs((truth.right - truth.left) - gap) <= 1e-3 * gap


def test_reference_takes_sides_equal_to_half_its_digits_for_equal() -> None:
    """erf(x)·floor(|H(x)| − |H(9)| − 1) at 9 is −erf(x) around 9 (floor of −1 on the
    break's integer exactly, constant all around): smooth, f′ = −erf′(9) ≈ −7.5e-36. Its
    sides agree to every digit but the last few, rounding that need not shrink with the
    step, and the finer look took them for a kink (case 2026:9088)."""
    f = sympy.erf(x) * RefFloor(sympy.Abs(sympy.Heaviside(x)) - sympy.Abs(sympy.Heaviside(9)) - 1)
    truth = decide(f, x, sympy.Integer(9))
    want = sympy.N(-2 / sympy.sqrt(sympy.pi) * sympy.exp(-81), 30)
    assert truth.kind == "smooth" and abs(truth.value - want) <= 1e-20 * abs(want)


def test_reference_slope_at_a_located_break_below_its_location_is_zero() -> None:
    """cos(relu(x + 11/3)) at the float -3.6666666666666665, a float of -11/3: the break
    within its resolution is decided (located to 100 digits), and there f is cos(0) = 1
    with both one-sided derivatives 0 (0 on the left, -sin(0)·1 on the right): f′ = 0,
    not -sin of the location's rounding (-1.2e-105). cos(relu(x + 11/3)) + x there has
    f′ = 1."""
    f = sympy.cos(DEFINITIONS["relu"](x + _R(11, 3)))
    given = -3.6666666666666665
    point, resolution = exact_of_float(given), math.ulp(given)
    truth = decide(f, x, point, resolution=resolution)
    assert truth.moved and truth.kind == "smooth"
    assert truth.value == 0
    truth = decide(f + x, x, point, resolution=resolution)
    assert truth.moved and truth.kind == "smooth"
    assert abs(truth.value - 1) <= 1e-40


# --------------------------------------------------------------------------------------
# The bugs found, each by its smallest input (the truth computed with SymPy/mpmath here)
# --------------------------------------------------------------------------------------

#: (text, point, reference expression, the bug, fixed on this branch).
REPRODUCTIONS = [
    ("sinh(x)", 800, sympy.sinh(x), OVERFLOW_TANGENT, True),
    ("sinh(10^x)", 3, sympy.sinh(10**x), OVERFLOW_TANGENT, True),
    ("relu(floor(x))", 2.3, DEFINITIONS["relu"](DEFINITIONS["floor"](x)), FLOOR_SLOPE, True),
    ("lrelu(floor(x+(1/3)))", 2.347698485013349,
     DEFINITIONS["leaky_relu"](DEFINITIONS["floor"](x + sympy.Rational(1, 3))), FLOOR_SLOPE,
     True),
    ("relu(2^x - 1)", -2000.5, DEFINITIONS["relu"](2**x - 1), TINY_SLOPE, True),
    ("hardtanh(2^x)", -2000.5, DEFINITIONS["hardtanh"](2**x), TINY_SLOPE, True),
    ("hardtanh(x^(1/2))", -0.5, DEFINITIONS["hardtanh"](x ** sympy.Rational(1, 2)),
     NONREAL_ORDER, True),
    ("relu(x^x)", -10.01, DEFINITIONS["relu"](x**x), NONREAL_ORDER, True),
    ("relu(arccot(x^x))", -10.01, DEFINITIONS["relu"](DEFINITIONS["arccot"](x**x)),
     NONREAL_ORDER, True),
    ("(x^2+1)^x", 7.80563e-13, (x**2 + 1) ** x, LOST_DIGITS, True),
    ("1/(x+4)", -3.9999999996, 1 / (x + 4), ARGUMENT_ROUNDING, True),
    ("4x*csc(x-2)", 2.0000000002, 4 * x * sympy.csc(x - 2), ARGUMENT_ROUNDING, True),
    ("min(x, pi/4)", 0.7853981633974483, sympy.Min(x, sympy.pi / 4), TIE_RESOLUTION, True),
    ("sqrt(relu(x))", -1, sympy.sqrt(DEFINITIONS["relu"](x)), ZERO_TIMES_INFINITE, True),
    ("sinh(cbrt(hardtanh(x+6) - 1))", Fraction(11, 10),
     sympy.sinh(DEFINITIONS["cbrt"](DEFINITIONS["hardtanh"](x + 6) - 1)),
     ZERO_TIMES_INFINITE, True),
]  # fmt: skip

#: (text, point, the bug): inputs that must end within 2 s of CPU time.
SLOW = [
    ("relu(x)*x^x", Fraction(-40000000000007, 70000000000000), SLOW_POWER),
    ("tanh(sinh(x))", -4130490000.0, SLOW_HUGE),
    ("arcsin(x^x-2)", 0.999999999999, SLOW_EDGE),
]


@pytest.mark.parametrize(
    ("text", "point"),
    [
        pytest.param(
            t,
            p,
            marks=[pytest.mark.xfail(strict=True, reason=b)] if b.startswith("bug") else [],
            id=t,
        )
        for t, p, b in SLOW
    ],
)
def test_ends_within_two_seconds(text, point) -> None:
    from derivcheck import explain

    outcome = attempt(lambda: explain(text, point, seconds=SECONDS))
    assert outcome.ok, f"{outcome.outcome} after {outcome.cpu:.1f} s CPU: {outcome.detail}"


def _reproduction(text, point, expression, bug, fixed):
    marks = () if fixed else (pytest.mark.xfail(strict=True, reason=bug),)
    return pytest.param(text, point, expression, marks=marks, id=f"{text} at {point}")


@pytest.mark.parametrize(
    ("text", "point", "expression"), [_reproduction(*r) for r in REPRODUCTIONS]
)
def test_reproduction(text, point, expression) -> None:
    _fail(check_explain(given_case(text, expression, point)))


def test_reproductions_are_stated_with_exact_points() -> None:
    """Points are ints, Fractions or floats (a float carries its resolution)."""
    assert all(isinstance(r[1], (int, float, Fraction)) for r in REPRODUCTIONS)


@pytest.mark.parametrize(
    ("expression", "point", "function"),
    [
        # softplus(-1.5e7) = ln(1 + e^-1.5e7) ≈ e^-1.5e7 > 0, so its sign is 1
        (sympy.sign(DEFINITIONS["softplus"](x + 7)), sympy.Integer(-15111700), 1),
        # H(softplus(u)) = 1 for every u: softplus is positive
        (sympy.Heaviside(DEFINITIONS["softplus"](x)), -_R(144409, 10), 1),
    ],
)  # fmt: skip
def test_reference_keeps_the_sign_of_a_tiny_logarithm(expression, point, function) -> None:
    """ln(1 + r) with r = e^-1.5e7: 1 + r rounds to 1 at every working precision, so the
    reference read softplus as 0 and sign(softplus) as 0 (differential case 2026:36650)."""
    truth = decide(expression, x, point)
    assert truth.function == function and truth.kind == "smooth" and truth.value == 0
