"""Helpers shared by the whole suite.

``run_cli`` (a fixture) runs the command line in this process: ``main(argv)`` with
stdout and stderr captured, which is what almost every CLI test needs and costs no
interpreter start. ``run_process`` runs ``python -m derivcheck`` for real, for the few
things only a process shows (the entry point, signals, worker pools, a terminal).

>>> Result(0, "out", "").returncode
0
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import settings

#: The checkout: the folder holding pyproject.toml, README.md, examples/ and derivcheck/.
REPO = Path(__file__).resolve().parents[1]

# Compiled bytecode. Where the environment says not to write it (PYTHONDONTWRITEBYTECODE,
# to keep __pycache__ folders out of the checkout), each of the suite's fresh interpreters
# (xdist workers, real-process CLI tests, spawned grading workers) would compile derivcheck
# and the rewritten tests from source again: about 25 s of the suite's CPU time. Keep the
# checkout's folders clean and still compile once, under build/pycache (ignored by git).
if sys.dont_write_bytecode:
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"] = str(REPO / "build" / "pycache")
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Property tests are seeded: the same checkout gives the same examples on every run and
# machine (CI must not turn red or green by chance). Run with HYPOTHESIS_PROFILE=explore
# to draw fresh random examples while hunting for bugs.
settings.register_profile("seeded", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "seeded"))


class Result(NamedTuple):
    """What a command did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def _stdin(data: str | bytes) -> io.TextIOWrapper:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")


@pytest.fixture
def run_cli(capsys, monkeypatch) -> Callable[..., Result]:
    """``run_cli(*args, stdin=None, cwd=None, env=None, terminal=False) -> Result``.

    derivcheck in this process. ``stdin`` (text or bytes) becomes standard input; ``cwd``
    the working folder and ``env`` extra environment variables for the duration of the
    command; ``terminal=True`` makes stdout and stderr say they are a terminal.
    """
    from derivcheck.cli import main

    def run(
        *args: object,
        stdin: str | bytes | None = None,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        terminal: bool = False,
    ) -> Result:
        capsys.readouterr()  # what the test printed before is not the command's
        with monkeypatch.context() as patch:
            patch.delenv("DERIVCHECK_DEBUG", raising=False)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            if cwd is not None:
                patch.chdir(cwd)
            if stdin is not None:
                patch.setattr(sys, "stdin", _stdin(stdin))
            if terminal:
                patch.setattr(sys.stdout, "isatty", lambda: True)
                patch.setattr(sys.stderr, "isatty", lambda: True)
            code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(
    *args: object,
    stdin: str | bytes | None = None,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> Result:
    """``python -m derivcheck *args`` in a fresh interpreter that imports this checkout."""
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.pop("DERIVCHECK_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "derivcheck", *map(str, args)],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=timeout,
    )
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture(name="run_process")
def run_process_fixture() -> Callable[..., Result]:
    """:func:`run_process` as a fixture, for tests that take their helpers as arguments."""
    return run_process
