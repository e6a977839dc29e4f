"""Grade a student's derivative: is it right, and if not, which rule went wrong?

This module gathers the grader's public names; the work is done, one job per module, in

* :mod:`~derivcheck.grading.exercise` — preparing an exercise (parse, derivative, sample
  points, target values), cached in an :class:`~derivcheck.grading.exercise.ExerciseCache`;
* :mod:`~derivcheck.grading.sampling` — sample points inside the real domain, away from kinks;
* :mod:`~derivcheck.grading.candidates` — the typical wrong derivatives, from the chain-rule
  graph;
* :mod:`~derivcheck.grading.grade` — grading one answer (:func:`check_answer`);
* :mod:`~derivcheck.grading.batch`, :mod:`~derivcheck.grading.report`,
  :mod:`~derivcheck.grading.journal`, :mod:`~derivcheck.grading.files` — whole files.

>>> result = check_answer("(2x+1)^3", "6(2x+1)^2")
>>> result.verdict, result.correct
('correct', True)
>>> result = check_answer("(2x+1)^3", "3(2x+1)^2")
>>> result.verdict, result.diagnosis
('incorrect', 'missing-inner-derivative')
>>> print(result.message)
Chain rule: the derivative of the inner function 2x + 1 is missing; multiply by (2x + 1)′ = 2.
>>> check_answer("(2x+1)^3", "54", at=1).verdict
'correct'
>>> check_answer("sigmoid(x)", "1/(4cosh(x/2)^2)").verdict
'correct'
>>> check_answer("x^3", "3x^3", lang="zh").message
'幂函数求导：(uⁿ)′ = n·uⁿ⁻¹，x 的指数要减 1（从 3 变为 2）。'
>>> check_answer("x^2", "__import__('os').system('rm -rf /')").verdict
'unparseable'

Equivalence is decided numerically at up to ten points inside the real domain
(fixed seeds, so every run gives the same verdicts), with a relative
tolerance; only when the numbers are borderline is the difference evaluated
with exact arithmetic at the exact sample points. Each answer has a time limit
(2 s by default) and ends in verdict ``"error"`` rather than hanging.
"""

from __future__ import annotations

from derivcheck.errors import DerivcheckError
from derivcheck.grading.batch import BatchReport, check_answers
from derivcheck.grading.candidates import DIAGNOSES
from derivcheck.grading.exercise import EXERCISES, PREPARE_TIME_LIMIT, ExerciseCache
from derivcheck.grading.grade import (
    DEFAULT_TIME_LIMIT,
    VERDICTS,
    AnswerResult,
    ParseProblem,
    check_answer,
    prepare_exercise,
)

__all__ = [
    "check_answer",
    "check_answers",
    "AnswerResult",
    "BatchReport",
    "ParseProblem",
    "ExerciseCache",
    "EXERCISES",
    "VERDICTS",
    "DIAGNOSES",
    "DEFAULT_TIME_LIMIT",
    "PREPARE_TIME_LIMIT",
    "DerivcheckError",
    "prepare_exercise",
]
