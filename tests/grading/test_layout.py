"""The grading package's layout: one job per module, no import cycle, explicit caches, and
workers that need nothing inherited (the ``spawn`` start method)."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

import derivcheck
from derivcheck.grading import answers, batch, exercise, grade
from derivcheck.grading.batch import check_answers, grade_rows
from derivcheck.grading.exercise import EXERCISES, Exercise, ExerciseCache, PreparationError
from derivcheck.grading.files import ExerciseRow

PACKAGE = Path(exercise.__file__).parent


def _imports(path: Path) -> set[str]:
    """The derivcheck.grading modules a module imports at its top level (not lazily)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("derivcheck.grading."):
                found.add(node.module.rsplit(".", 1)[1])
            elif node.module == "derivcheck.grading":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(
                a.name.rsplit(".", 1)[1]
                for a in node.names
                if a.name.startswith("derivcheck.grading.")
            )
    return found


def test_no_import_cycle_in_grading():
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
    assert not any("answers" in imported for imported in graph.values())  # a facade only


def test_public_names_still_work():
    assert derivcheck.check_answer is grade.check_answer is answers.check_answer
    assert derivcheck.check_answers is check_answers is answers.check_answers
    assert derivcheck.AnswerResult is answers.AnswerResult
    assert derivcheck.BatchReport is batch.BatchReport is answers.BatchReport
    assert derivcheck.answers is answers and derivcheck.batch is batch


def test_the_exercise_cache_is_bounded_and_can_be_cleared():
    cache = ExerciseCache(maxsize=3)
    for n in range(2, 7):
        assert isinstance(cache.prepare(f"x^{n}"), Exercise)
    assert len(cache) == 3 and ("x^2", None, None) not in cache and ("x^6", None, None) in cache
    first = cache.prepare("x^6")
    assert cache.prepare("x^6") is first and cache.hits == 2
    assert isinstance(cache.prepare("ln(x)", None, "0"), PreparationError)  # kept too
    cache.clear()
    assert len(cache) == 0 and cache.hits == 0


def test_prepared_exercises_cannot_be_changed():
    prepared = EXERCISES.prepare("sin(x)/x")
    with pytest.raises(ValueError):
        prepared.target_values[0] = 1.0
    with pytest.raises(ValueError):
        prepared.candidates[0].values[0] = 1.0
    with pytest.raises(AttributeError):
        prepared.derivative = 0  # type: ignore[misc]


def test_check_answer_takes_its_own_cache():
    cache = ExerciseCache(maxsize=4)
    result = grade.check_answer("x^7", "7x^6", cache=cache)
    assert result.correct and ("x^7", None, None) in cache


def test_the_cache_is_shared_by_threads():
    cache = ExerciseCache()
    results = []

    def work() -> None:
        results.append(cache.prepare("(x^2+1)^5"))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 1 and all(isinstance(r, Exercise) for r in results)


def test_workers_started_with_spawn_grade_like_one_process():
    rows = [
        ExerciseRow(str(k), f, a, line=k + 2, index=k)
        for k, (f, a) in enumerate(
            [("(2x+1)^3", "6(2x+1)^2"), ("x sin x", "cos x"), ("sin(x)/x", "(x"), ("x^2", "2x")] * 5
        )
    ]
    alone = [r.to_dict() for r in grade_rows(rows, jobs=1)]
    spawned = [r.to_dict() for r in grade_rows(rows, jobs=2, start_method="spawn")]
    assert spawned == alone
    assert [d["verdict"] for d in spawned[:4]] == ["correct", "incorrect", "unparseable", "correct"]
