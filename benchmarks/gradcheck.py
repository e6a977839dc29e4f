"""Benchmark: derivcheck.gradcheck against torch.autograd.gradcheck on a 64 -> 256 -> 1 ReLU net.

Run from the repository root (one command, one run, one table)::

    python benchmarks/gradcheck.py

The network is derivcheck.network.TwoLayerNetwork(inputs=64, hidden=256): the
hidden layer has 64·256 + 256 = 16,640 parameters (w1, b1), the output layer
256 + 1 (w2, b2), 16,897 in all; a batch of 32 samples, loss
mean((y - target)^2), parameters He-initialised (seed 0). The analytic gradient
checked by derivcheck is the network's hand-written backward pass; torch checks
its own autograd of the same network in float64.

Rows, all measured in this run:

* derivcheck full, perturbable — every element; the loss implements the
  vectorised ``perturbed`` protocol (one cached forward pass, O(N) per element);
* derivcheck directional — 2 random directions per parameter, with the
  perturbable loss and with a plain function (as a new user would call it);
* derivcheck full, plain callable — every element; f is a plain function, so it
  is called once per perturbed element, like torch's slow mode;
* a textbook loop — the chapter's ``(f(x+h) - f(x-h)) / 2h`` with h = 1e-7 on a
  copy of the parameters per element, no error budget;
* torch.autograd.gradcheck slow mode (fast_mode=False) and fast mode, when torch
  is installed.

The fast rows (derivcheck full and directional, torch fast mode) are the median of
``--repeats`` runs each, taken in turns in blocks (a rest, then five runs of one, the
first untimed: see :func:`medians_in_turns`), so that they see the same load; the slow
rows run once. ``--quick`` leaves the slow rows out.
Ratios are against torch's slow mode when it ran, else against torch's fast mode,
else against the textbook loop. Goals: full <= 1 s, directional <= 5 ms and at most
torch's fast mode in the same run. The BLAS threads are whatever the environment
says (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``; unset: one per core), printed
with the results: set them to compare, e.g. ``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
python benchmarks/gradcheck.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe

from derivcheck.network import TwoLayerNetwork  # noqa: E402
from derivcheck.network.gradcheck import gradcheck  # noqa: E402

INPUTS, HIDDEN, BATCH = 64, 256, 32


def problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    network = TwoLayerNetwork(hidden=HIDDEN, inputs=INPUTS)
    params = {
        "w1": rng.normal(size=(HIDDEN, INPUTS)) * np.sqrt(2.0 / INPUTS),
        "b1": rng.normal(size=HIDDEN) * 0.1,
        "w2": rng.normal(size=HIDDEN) * np.sqrt(2.0 / HIDDEN),
        "b2": np.array(0.1),
    }
    x = rng.normal(size=(BATCH, INPUTS))
    target = rng.normal(size=BATCH)
    return network, params, x, target


#: Runs of one row in a row, in :func:`medians_in_turns`; the first of each is not timed.
BLOCK = 5
#: Seconds of rest before each block: OpenBLAS's idle threads spin for about 2^28 cycles
#: (0.1 s) before they sleep, OpenMP's for up to 0.2 s.
REST = 0.3


def medians_in_turns(runs: dict, repeats: int) -> dict:
    """label -> (median time, last result): after a warm-up, the rows take turns in blocks
    of :data:`BLOCK` runs, each after :data:`REST` seconds of rest and its first run
    untimed, until each has ``repeats`` timed runs. Blocks after a rest, not single runs in
    turn: torch's OpenMP threads and NumPy's OpenBLAS threads keep spinning for a while
    after a call, and one call of each in turn slowed them (derivcheck directional 3.78 ms
    against 2.40 ms for torch's fast mode, where each takes about 2 ms on its own, on 2
    cores), which no user who runs one of them sees."""
    results = {label: run() for label, run in runs.items()}
    times: dict = {label: [] for label in runs}
    while any(len(t) < repeats for t in times.values()):
        for label, run in runs.items():
            time.sleep(REST)
            for k in range(BLOCK):
                start = time.perf_counter()
                results[label] = run()
                if k:
                    times[label].append(time.perf_counter() - start)
    return {label: (statistics.median(times[label]), results[label]) for label in runs}


def threads() -> str:
    """The thread settings of BLAS (NumPy's OpenBLAS) and torch, as the environment has them."""
    shown = []
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        shown.append(f"{name}={os.environ.get(name, 'unset')}")
    return ", ".join(shown) + f" (unset: one thread per core, {os.cpu_count()})"


def textbook_loop(f, params, h=1e-7):
    """The chapter's numerical derivative, element by element, on copies."""
    numeric = {}
    evaluations = 0
    for name, value in params.items():
        value = np.asarray(value, dtype=np.float64)
        out = np.empty(value.size)
        for i in range(value.size):
            plus = {k: np.array(v, copy=True) for k, v in params.items()}
            minus = {k: np.array(v, copy=True) for k, v in params.items()}
            plus[name].reshape(-1)[i] += h
            minus[name].reshape(-1)[i] -= h
            out[i] = (f(plus) - f(minus)) / (2 * h)
            evaluations += 2
        numeric[name] = out.reshape(value.shape)
    return numeric, evaluations


TORCH_SLOW = "torch.autograd.gradcheck slow mode"
TORCH_FAST = "torch.autograd.gradcheck fast mode"
TEXTBOOK = "textbook loop, h = 1e-7 (no verdict)"
FULL = "derivcheck full, perturbable loss"
DIRECTIONAL = "derivcheck directional, perturbable loss"
DIRECTIONAL_PLAIN = "derivcheck directional, plain callable"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-torch", action="store_true", help="skip torch even if installed")
    parser.add_argument("--quick", action="store_true", help="leave out the slow rows")
    parser.add_argument("--repeats", type=int, default=41, help="runs of each fast row")
    args = parser.parse_args(argv)

    network, params, x, target = problem()
    perturbable = network.loss_function(x, target)
    gradient = network.gradient_function(x, target)

    def plain(p):
        return network.loss(p, x, target)

    n_params = sum(np.asarray(v).size for v in params.values())
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None

    fast = {
        DIRECTIONAL: lambda: gradcheck(perturbable, gradient, params, mode="directional"),
        DIRECTIONAL_PLAIN: lambda: gradcheck(plain, gradient, params, mode="directional"),
    }
    if torch is not None:
        tensors = [
            torch.tensor(np.asarray(params[k], dtype=np.float64), requires_grad=True)
            for k in ("w1", "b1", "w2", "b2")
        ]
        inputs = torch.tensor(x)
        targets = torch.tensor(target)

        def torch_loss(w1, b1, w2, b2):
            y = torch.relu(inputs @ w1.T + b1) @ w2 + b2
            return torch.mean((y - targets) ** 2)

        fast[TORCH_FAST] = lambda: torch.autograd.gradcheck(
            torch_loss, tensors, fast_mode=True, raise_exception=False
        )
    measured = medians_in_turns(fast, args.repeats)
    full_repeats = max(3, args.repeats // 8)
    measured.update(
        medians_in_turns(
            {FULL: lambda: gradcheck(perturbable, gradient, params, mode="full")}, full_repeats
        )
    )
    rows = []  # (label, evaluations, seconds, verdict)
    for label in (FULL, DIRECTIONAL, DIRECTIONAL_PLAIN):
        seconds, report = measured[label]
        rows.append((label, report.evaluations, seconds, report))
    if not args.quick:
        start = time.perf_counter()
        report = gradcheck(plain, gradient, params, mode="full")
        rows.append(
            ("derivcheck full, plain callable", report.evaluations,
             time.perf_counter() - start, report)
        )  # fmt: skip
        start = time.perf_counter()
        numeric, evaluations = textbook_loop(plain, params)
        textbook_seconds = time.perf_counter() - start
        hand = gradient(params)
        worst = max(float(np.max(np.abs(numeric[k] - hand[k]))) for k in params)
        rows.append((TEXTBOOK, evaluations, textbook_seconds, f"max abs. error {worst:.1e}"))
    if torch is not None:
        if not args.quick:
            start = time.perf_counter()
            passed = torch.autograd.gradcheck(torch_loss, tensors, raise_exception=False)
            rows.append(
                (TORCH_SLOW, 2 * n_params, time.perf_counter() - start,
                 "passed" if passed else "FAILED")
            )  # fmt: skip
        seconds, passed = measured[TORCH_FAST]
        rows.append((TORCH_FAST, None, seconds, "passed" if passed else "FAILED"))
    labels = [label for label, *_ in rows]
    baseline_label = next(
        (b for b in (TORCH_SLOW, TORCH_FAST, TEXTBOOK) if b in labels), DIRECTIONAL
    )
    baseline = next(seconds for label, _, seconds, _ in rows if label == baseline_label)

    print(f"gradcheck benchmark: {INPUTS} -> {HIDDEN} -> 1 ReLU network, {n_params:,} parameters, "
          f"batch {BATCH}")  # fmt: skip
    print(f"machine: {describe(['numpy', 'torch'])}")
    torch_threads = f"; torch threads {torch.get_num_threads()}" if torch is not None else ""
    print(f"threads: {threads()}{torch_threads}")
    print(
        f"times: median of {args.repeats} runs in turns, in blocks of {BLOCK} "
        f"(full: {full_repeats}); slow rows once"
    )
    print(f"ratios: time / time of {baseline_label}, measured in this run")
    print()
    header = ("method", "f evaluations", "time", "ratio", "verdict")
    table = []
    for label, evaluations, seconds, verdict in rows:
        if hasattr(verdict, "ok"):
            kinks = sum(e.status == "kink" for e in verdict.entries)
            verdict = ("passed" if verdict.ok else "FAILED") + (
                f", {kinks} at kinks" if kinks else ""
            )
        table.append(
            (
                label,
                "-" if evaluations is None else f"{evaluations:,}",
                f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s",
                f"{seconds / baseline:.4f}x",
                str(verdict),
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:4], widths[1:4])]
        cells.append(row[4].ljust(widths[4]))
        print("| " + " | ".join(cells) + " |")
    full = measured[FULL][0]
    directional = max(measured[DIRECTIONAL][0], measured[DIRECTIONAL_PLAIN][0])
    print()
    goals = [
        f"full <= 1 s: {'met' if full <= 1 else 'MISSED'} ({full:.3f} s)",
        f"directional <= 5 ms: {'met' if directional <= 0.005 else 'MISSED'} "
        f"({directional * 1e3:.2f} ms)",
    ]
    if torch is not None:
        fast_mode = measured[TORCH_FAST][0]
        goals.append(
            f"directional <= torch fast mode: {'met' if directional <= fast_mode else 'MISSED'} "
            f"({directional / fast_mode:.2f}x)"
        )
    print("goals: " + "; ".join(goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
