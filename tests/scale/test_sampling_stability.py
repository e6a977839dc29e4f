"""Grading at course scale: sample points where the derivative's floating-point value is
trustworthy (found by the benchmark's generated file: tanh(7x))."""

import pytest

from derivcheck import check_answer


@pytest.mark.parametrize("k", [7, 8, 9])
def test_tanh_forms_are_equal_where_floats_saturate(k):
    # d/dx tanh(kx) = k(1 - tanh(kx)^2) = k / cosh(kx)^2 (tanh' = sech^2): both are correct,
    # although at |kx| > 19 the first is 0 in floating point and the second is not.
    for answer in (f"{k}/cosh({k}x)^2", f"{k}(1 - tanh({k}x)^2)", f"{k} - {k}tanh({k}x)^2"):
        result = check_answer(f"tanh({k}x)", answer)
        assert (result.verdict, result.diagnosis) == ("correct", None), answer
    missing = check_answer(f"tanh({k}x)", f"1/cosh({k}x)^2")
    assert (missing.verdict, missing.diagnosis) == ("incorrect", "missing-inner-derivative")
