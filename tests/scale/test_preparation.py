"""Preparing an exercise for grading builds the chain-rule graph without the rules'
symbolic self-checks; the derivative is checked instead against the function's central
differences at the sample points, and when it does not agree, every rule is checked as
before — so a wrong rule still stops the exercise, never grades it against a wrong
derivative."""

from __future__ import annotations

import pickle

from derivcheck.calculus import rules
from derivcheck.grading import exercise as exercise_module
from derivcheck.grading.exercise import Exercise, ExerciseCache
from derivcheck.grading.grade import check_answer


def test_the_derivative_is_checked_by_differences_and_the_rules_are_not_run(monkeypatch):
    checks = []
    original = rules.LocalRule.check
    monkeypatch.setattr(
        rules.LocalRule, "check", lambda self: checks.append(self) or original(self)
    )
    prepared = ExerciseCache().prepare("(2x+1)^3 sin(x)")
    assert isinstance(prepared, Exercise)
    assert checks == []
    assert {step.check for step in prepared.graph.steps} == {"unchecked"}
    # (uv)' = u'v + uv' with u = (2x+1)^3, v = sin x
    assert check_answer("(2x+1)^3 sin(x)", "6(2x+1)^2 sin x + (2x+1)^3 cos x").correct


def test_a_wrong_rule_stops_the_exercise(monkeypatch):
    # the power rule made wrong: d/du u^n = n·u^n (the exponent not reduced)
    monkeypatch.setattr(
        rules.PowerRule,
        "partials",
        lambda self: {self.base: self.exponent * self.base**self.exponent},
    )
    cache = ExerciseCache()
    prepared = cache.prepare("(2x+1)^3")
    assert isinstance(prepared, exercise_module.PreparationError)
    result = check_answer("(2x+1)^3", "6(2x+1)^3", cache=cache)  # the wrong rule's derivative
    assert result.verdict == "error"


def test_a_prepared_exercise_pickles_without_its_graph():
    prepared = ExerciseCache().prepare("sin(x^2)")
    copy = pickle.loads(pickle.dumps(prepared))
    assert "graph" not in copy.__dict__ and copy.key == prepared.key
    assert [c.code for c in copy.candidates] == [c.code for c in prepared.candidates]
