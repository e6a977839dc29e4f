"""The differential test at length: random expressions against an independent reference.

    python benchmarks/differential.py                       # 100,000 cases, seed 2026
    python benchmarks/differential.py --cases 2000 --jobs 2 --show 40
    python benchmarks/differential.py --recheck findings.log --jobs 2   # a --log's cases again

Each case is a random expression over the whole catalogue at a random point (inside a domain,
on or near a domain edge, on or near a kink or jump, huge or tiny magnitudes), made by
``tests/differential/generator.py`` from ``(seed, index)`` alone, so any case is re-made by its
number (``case(seed, index)``). It goes through ``derivcheck.explain`` and is compared with
the reference of ``tests/differential/reference.py``: ``sympy.diff`` of the same function
written in SymPy's own functions (derivcheck's activations written out from their
definitions), evaluated by an mpmath interpreter at 50+ digits, and one-sided difference
quotients at high precision for differentiability (kinks, jumps, edges). Every
``--answers-every``-th case also grades the true derivative written several ways and
typical wrong answers with ``derivcheck.check_answer``.

The table counts the cases and the findings (each a bug, see ``tests/differential/runner.py``):

* crashes: an exception that is not a ``DerivcheckError`` (or ``check_answer``'s ``error``
  verdict carrying a Python exception);
* wrong values: f, f′ (relative error above 1e-12) or a one-sided derivative (1e-9) that is not
  the reference's;
* false disagreements: ``agrees=False`` (or a one-sided check that disagrees) on a right value;
* wrong differentiability: ``differentiable`` not equal to the truth;
* wrong verdicts: ``check_answer`` grading a right answer incorrect or a wrong one correct;
* slow: a call over 2 s of CPU.

Refusals (a ``DerivcheckError``) and unverified results are counted but are not findings.
Times are CPU seconds per case, in derivcheck and in the reference (``sympy.diff`` + mpmath:
the baseline, measured in the same run on the same cases).
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe  # noqa: E402

from derivcheck.limits import time_limit  # noqa: E402
from tests.differential.generator import case  # noqa: E402
from tests.differential.runner import check_answers, check_explain  # noqa: E402

#: Findings as the table names them.
COLUMNS = (
    ("crashes", ("exception",)),
    ("wrong values", ("wrong value",)),
    ("false disagreements", ("false disagree",)),
    ("wrong differentiability", ("wrong differentiable",)),
    ("wrong verdicts", ("wrong verdict",)),
    ("slow (> 2 s CPU)", ("slow",)),
)


#: CPU seconds the generator may spend making one case, and the address space (bytes) of
#: a worker: case 1422 of seed 2026 sent SymPy's exact arithmetic in the reference's sign
#: test to 20 GB in a minute. The generator is test code; a case it cannot make is counted
#: ("generator failed"), not a finding.
GENERATOR_SECONDS = 30
WORKER_MEMORY = 4 * 2**30


def _bounded_worker() -> None:
    """Each worker's address space is bounded: a runaway case raises MemoryError there. A
    worker dies quietly when the pool terminates it: workers started later (a new one every
    200 tasks) are forked from the parent after it made SIGTERM a KeyboardInterrupt, and
    printed its traceback at the end of every run; Ctrl-C is the parent's."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_one(job: tuple[int, int, int]) -> dict:
    """One case through explain (and check_answer when asked): counts, times, findings."""
    seed, index, answers_every = job
    try:
        with time_limit(GENERATOR_SECONDS):  # the generator's own SymPy work can explode
            c = case(seed, index)
    except (Exception, MemoryError) as error:  # noqa: BLE001 - the generator's, not derivcheck's
        return {"index": index, "category": "generator failed", "explain_seconds": 0.0,
                "reference_seconds": 0.0, "findings": [], "answers": 0, "answer_seconds": 0.0,
                "notes": [f"generator failed: {error!r}"[:200]]}  # fmt: skip
    r = check_explain(c)
    out = {
        "index": index,
        "category": c.category,
        "explain_seconds": r.seconds,
        "reference_seconds": r.reference_seconds,
        "findings": [(f.kind, str(f)) for f in r.findings],
        "notes": [f.kind for f in r.notes],
        "answers": 0,
        "answer_seconds": 0.0,
    }
    if answers_every and index % answers_every == 0:
        try:
            a = check_answers(c, seed=index)
        except Exception as error:  # noqa: BLE001 - the harness itself must not stop the run
            out["notes"].append(f"answers not checked: {error!r}"[:200])
            return out
        out["answers"] = a.answers
        out["answer_seconds"] = a.seconds
        out["findings"] += [(f.kind, str(f)) for f in a.findings]
        out["notes"] += [f.kind for f in a.notes]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--answers-every", type=int, default=10, help="0: no check_answer")
    parser.add_argument("--show", type=int, default=20, help="findings to print (0: none)")
    parser.add_argument("--progress", type=int, default=0, help="print a line every N cases")
    parser.add_argument("--log", type=Path, help="append each finding to this file as it is found")
    parser.add_argument(
        "--recheck", type=Path, metavar="LOG", help="run only the cases a --log file names"
    )
    args = parser.parse_args(argv)

    indices = range(args.start, args.start + args.cases)
    if args.recheck is not None:  # the cases of an earlier run's findings, at this code
        lines = args.recheck.read_text(encoding="utf-8").splitlines()
        indices = sorted({int(line.split("\t", 1)[0]) for line in lines if line.strip()})
    jobs = [(args.seed, i, args.answers_every) for i in indices]
    counts: collections.Counter[str] = collections.Counter()
    notes: collections.Counter[str] = collections.Counter()
    categories: collections.Counter[str] = collections.Counter()
    failing_by_category: collections.Counter[str] = collections.Counter()
    findings: list[tuple[int, str]] = []
    explain_seconds = reference_seconds = answer_seconds = 0.0
    answers = 0
    log = args.log.open("a", encoding="utf-8") if args.log else None
    wall = time.perf_counter()
    # workers even for --jobs 1: the memory bound applies to them, not to this process
    pool = multiprocessing.Pool(args.jobs, initializer=_bounded_worker, maxtasksperchild=200)
    results = pool.imap_unordered(run_one, jobs, chunksize=4)
    # after the workers exist: they must die quietly when the pool terminates them
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        for done, out in enumerate(results, 1):
            categories[out["category"]] += 1
            explain_seconds += out["explain_seconds"]
            reference_seconds += out["reference_seconds"]
            answer_seconds += out["answer_seconds"]
            answers += out["answers"]
            notes.update(out["notes"])
            if out["findings"]:
                failing_by_category[out["category"]] += 1
            for kind, text in out["findings"]:
                counts[kind] += 1
                findings.append((out["index"], text))
                if log is not None:
                    print(f"{out['index']}\t{text}", file=log, flush=True)
            if args.progress and done % args.progress == 0:
                total = sum(counts.values())
                print(f"# {done} cases, {total} findings", file=sys.stderr, flush=True)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the table of the cases done so far
        print("# interrupted: the figures are for the cases done", file=sys.stderr)
    finally:
        pool.terminate()
        if log is not None:
            log.close()
    wall = time.perf_counter() - wall
    n = sum(categories.values())

    where = f"of {args.recheck}" if args.recheck else f"from {args.start}"
    print(f"Differential run: seed {args.seed}, {n} cases {where}, ", end="")
    print(f"{args.jobs} job(s), {wall:.0f} s wall")
    print(describe(["sympy", "mpmath", "numpy"]))
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| cases (explain) | {n} |")
    print(f"| answers graded (check_answer) | {answers} |")
    for name, kinds in COLUMNS:
        print(f"| {name} | {sum(counts[k] for k in kinds)} |")
    print(f"| cases with a finding | {sum(failing_by_category.values())} |")
    print(f"| refused (DerivcheckError, not a finding) | {notes['refused']} |")
    print(f"| unverified numerically (not a finding) | {notes['unverified']} |")
    print(f"| exercises refused by check_answer | {notes['exercise refused']} |")
    print(f"| reference undecided (case skipped) | {notes['reference undecided']} |")
    per = 1000 / max(n, 1)
    print(f"| derivcheck explain, CPU ms per case | {explain_seconds * per:.1f} |")
    if answers:
        each = answer_seconds * 1000 / answers
        print(f"| derivcheck check_answer, CPU ms per answer | {each:.1f} |")
    print(f"| baseline: reference (sympy.diff + mpmath), CPU ms per case | "
          f"{reference_seconds * per:.1f} |")  # fmt: skip
    print()
    print("| category | cases | with a finding |")
    print("|---|---:|---:|")
    for category in sorted(categories):
        print(f"| {category} | {categories[category]} | {failing_by_category[category]} |")
    if args.show and findings:
        print()
        print(f"Findings (first {min(args.show, len(findings))} of {len(findings)}):")
        for _, text in sorted(findings)[: args.show]:
            print(f"- {text}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
