"""Benchmark: derivcheck.check_backprop against per-formula gradient checks written by hand.

Run from the repository root (one command, one run, one table)::

    python benchmarks/backprop.py             # torch rows too when torch is installed
    python benchmarks/backprop.py --no-torch

Two networks, each with its correct hand-derived backward pass (7 formulas):

* exercise 2 of the chapter: ``derivcheck net program --hidden 3 --matrix`` (D = 1, H = 3,
  N = 50, relu, mean squared error);
* a 64 -> 256 -> 10 softmax classifier (relu hidden layer, mean cross-entropy, one-hot
  targets, a batch of N = 32).

Rows, all measured in this run (best of ``--repeats`` after one warm-up for derivcheck's rows):

* derivcheck check_backprop on the right program, and on the program with one mistake
  planted (a value mistake, diagnosed: dY without the mean's 1/N; a shape mistake: dW1
  without its transpose) — reading, shapes in dimension names, 3 draws at each of two
  sets of sizes, the truth by reverse accumulation cross-checked by finite differences;
* a torch loop (when torch is installed): the same per-formula check written by hand, as
  a learner checking a NumPy backward pass against autograd would: for each draw, the
  forward pass in torch float64 with ``retain_grad`` on every intermediate, ``backward()``,
  then the NumPy backward pass, each formula's value compared with ``np.allclose``; the
  same number of draws at the same sizes as derivcheck's;
* a finite-difference loop (always): the same loop with the truth of each formula by
  central differences (h = 1e-6) at 10 random entries of each gradient, as cs231n's
  ``grad_check_sparse`` does (``--entries 0``: every entry, as ``eval_numerical_gradient``;
  minutes on the softmax network), on the same draws. No error budget:
  ``np.allclose(rtol=1e-5, atol=1e-8)`` decides. The loops draw the weights with
  variance 1/fan-in (``W1`` scaled by 1/√D, ``W2`` by 1/√H): with unit variance the softmax
  saturates and h = 1e-6 cannot see the gradient through the rounding of L.

The hand-written loops know the program (its forward pass and its formulas written as
Python functions for this benchmark); derivcheck reads it from text. Ratios are
time / time of the torch loop when torch is installed, else of the finite-difference loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradcheck import best_of
from machine import describe

from derivcheck import check_backprop  # noqa: E402
from derivcheck.matrix.network import matrix_program  # noqa: E402

SOFTMAX = """\
X: D×N, W1: H×D, b1: H×1, W2: C×H, b2: C×1, T: C×N one-hot
dims: D = 64, H = 256, C = 10, N = 32
Z1 = W1 @ X + b1
H = relu(Z1)
Z2 = W2 @ H + b2
P = softmax(Z2, axis=0)
L = -sum(T * log(P)) / N
dZ2 = (P - T) / N
dW2 = dZ2 @ H.T
db2 = sum(dZ2, axis=1, keepdims=True)
dH = W2.T @ dZ2
dZ1 = dH * (Z1 > 0)
dW1 = dZ1 @ X.T
db1 = sum(dZ1, axis=1, keepdims=True)
"""

Values = dict[str, np.ndarray]


def _relu(z):
    return np.maximum(z, 0.0)


def _softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@dataclass(frozen=True)
class Network:
    """A program for the hand-written loops: inputs (shapes from sizes), the forward
    steps (name, function of the values so far) ending in the loss ``L``, and the
    formulas (name, what it is the gradient of, function of values and true gradients)."""

    name: str
    text: str
    inputs: dict[str, Callable[[dict[str, int]], tuple[int, ...]]]
    forward: list[tuple[str, Callable[[Values], np.ndarray]]]
    formulas: list[tuple[str, str, Callable[[Values, Values], np.ndarray]]]
    one_hot: str | None = None

    def draw(self, sizes: dict[str, int], rng: np.random.Generator) -> Values:
        values = {name: rng.normal(size=shape(sizes)) for name, shape in self.inputs.items()}
        for name in ("W1", "W2"):  # variance 1/fan-in
            values[name] /= np.sqrt(values[name].shape[1])
        if self.one_hot is not None:
            target = np.zeros(self.inputs[self.one_hot](sizes))
            target[
                rng.integers(target.shape[0], size=target.shape[1]), np.arange(target.shape[1])
            ] = 1
            values[self.one_hot] = target
        return values

    def run(self, values: Values, override: Values | None = None) -> Values:
        """Every value of the forward pass (``override`` replaces a value once computed)."""
        values = dict(values)
        for name, step in self.forward:
            values[name] = override[name] if override and name in override else step(values)
        return values


def _network_mse(hidden_text: str) -> Network:
    return Network(
        name="exercise 2 (D = 1, H = 3, N = 50)",
        text=hidden_text,
        inputs={
            "X": lambda s: (s["D"], s["N"]),
            "T": lambda s: (1, s["N"]),
            "W1": lambda s: (s["H"], s["D"]),
            "b1": lambda s: (s["H"], 1),
            "W2": lambda s: (1, s["H"]),
            "b2": lambda s: (1, 1),
        },
        forward=[
            ("Z1", lambda v: v["W1"] @ v["X"] + v["b1"]),
            ("H", lambda v: _relu(v["Z1"])),
            ("Y", lambda v: v["W2"] @ v["H"] + v["b2"]),
            ("L", lambda v: np.mean((v["Y"] - v["T"]) ** 2)),
        ],
        formulas=[
            ("dY", "Y", lambda v, g: 2 * (v["Y"] - v["T"]) / v["X"].shape[1]),
            ("dW2", "W2", lambda v, g: g["Y"] @ v["H"].T),
            ("db2", "b2", lambda v, g: g["Y"].sum(axis=1, keepdims=True)),
            ("dH", "H", lambda v, g: v["W2"].T @ g["Y"]),
            ("dZ1", "Z1", lambda v, g: g["H"] * (v["Z1"] > 0)),
            ("dW1", "W1", lambda v, g: g["Z1"] @ v["X"].T),
            ("db1", "b1", lambda v, g: g["Z1"].sum(axis=1, keepdims=True)),
        ],
    )


def _network_softmax() -> Network:
    return Network(
        name="softmax 64 -> 256 -> 10 (N = 32)",
        text=SOFTMAX,
        inputs={
            "X": lambda s: (s["D"], s["N"]),
            "T": lambda s: (s["C"], s["N"]),
            "W1": lambda s: (s["H"], s["D"]),
            "b1": lambda s: (s["H"], 1),
            "W2": lambda s: (s["C"], s["H"]),
            "b2": lambda s: (s["C"], 1),
        },
        forward=[
            ("Z1", lambda v: v["W1"] @ v["X"] + v["b1"]),
            ("H", lambda v: _relu(v["Z1"])),
            ("Z2", lambda v: v["W2"] @ v["H"] + v["b2"]),
            ("P", lambda v: _softmax(v["Z2"])),
            ("L", lambda v: -np.sum(v["T"] * np.log(v["P"])) / v["X"].shape[1]),
        ],
        formulas=[
            ("dZ2", "Z2", lambda v, g: (v["P"] - v["T"]) / v["X"].shape[1]),
            ("dW2", "W2", lambda v, g: g["Z2"] @ v["H"].T),
            ("db2", "b2", lambda v, g: g["Z2"].sum(axis=1, keepdims=True)),
            ("dH", "H", lambda v, g: v["W2"].T @ g["Z2"]),
            ("dZ1", "Z1", lambda v, g: g["H"] * (v["Z1"] > 0)),
            ("dW1", "W1", lambda v, g: g["Z1"] @ v["X"].T),
            ("db1", "b1", lambda v, g: g["Z1"].sum(axis=1, keepdims=True)),
        ],
        one_hot="T",
    )


def finite_difference_truth(
    network: Network, values: Values, entries: int, rng: np.random.Generator, h: float = 1e-6
) -> tuple[Values, dict[str, np.ndarray]]:
    """∂L/∂name of every name a formula is the gradient of, by central differences at
    ``entries`` random entries of each (every entry when 0), and the flat indices used."""
    base = network.run(values)
    truth: Values = {}
    chosen: dict[str, np.ndarray] = {}
    for _, of, _ in network.formulas:
        point = np.array(base[of], dtype=np.float64)
        grad = np.zeros(point.size)
        every = np.arange(point.size)
        chosen[of] = every if not entries else rng.choice(every, min(entries, point.size))
        for i in chosen[of]:
            for sign in (1, -1):
                moved = point.copy()
                moved.reshape(-1)[i] += sign * h
                if of in network.inputs:
                    loss = network.run({**values, of: moved})["L"]
                else:
                    loss = network.run(values, {of: moved})["L"]
                grad[i] = loss if sign == 1 else (grad[i] - loss) / (2 * h)
        truth[of] = grad.reshape(point.shape)
    return truth, chosen


def torch_truth(torch, network: Network, values: Values) -> Values:
    """∂L/∂name of every input and intermediate by torch autograd (float64)."""
    tensors = {
        name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
        for name, value in values.items()
    }
    current = dict(tensors)
    steps = {
        "Z1": lambda v: v["W1"] @ v["X"] + v["b1"],
        "H": lambda v: torch.relu(v["Z1"]),
        "Y": lambda v: v["W2"] @ v["H"] + v["b2"],
        "Z2": lambda v: v["W2"] @ v["H"] + v["b2"],
        "P": lambda v: torch.softmax(v["Z2"], dim=0),
    }
    for name, _ in network.forward:
        if name == "L":
            n = values["X"].shape[1]
            if "P" in current:
                current["L"] = -torch.sum(current["T"] * torch.log(current["P"])) / n
            else:
                current["L"] = torch.mean((current["Y"] - current["T"]) ** 2)
        else:
            current[name] = steps[name](current)
            current[name].retain_grad()
    current["L"].backward()
    grads = {name: current[name].grad.numpy() for name in current if name != "L"}
    return grads, {name: np.arange(grad.size) for name, grad in grads.items()}


def hand_loop(network: Network, sizes_list, draws, truth) -> bool:
    """Each draw at each set of sizes: the truth (and the flat indices it holds), then the
    backward pass, each formula against the truth at those indices."""
    rng = np.random.default_rng(0)
    ok = True
    for sizes, count in zip(sizes_list, draws):
        for _ in range(count):
            values = network.draw(dict(sizes), rng)
            true, chosen = truth(values, rng)
            computed = network.run(values)
            mine_so_far: Values = {}
            for _, of, formula in network.formulas:
                mine_so_far[of] = formula(computed, mine_so_far)
                mine = mine_so_far[of].reshape(-1)[chosen[of]]
                right = true[of].reshape(-1)[chosen[of]]
                ok &= bool(np.allclose(mine, right, rtol=1e-5, atol=1e-8))
    return ok


def _planted(text: str, line: str, mistake: str) -> str:
    assert text.count(line + "\n") == 1, line
    return text.replace(line + "\n", mistake + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-torch", action="store_true", help="skip torch even if installed")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of derivcheck's rows")
    parser.add_argument(
        "--entries",
        type=int,
        default=10,
        help="entries per gradient checked by the finite-difference loop (0: every entry)",
    )
    args = parser.parse_args(argv)
    fd_label = "finite-difference loop, " + (
        "every entry" if not args.entries else f"{args.entries} entries/formula"
    )
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None

    exercise2 = matrix_program(hidden=3) + "\n"
    networks = [_network_mse(exercise2), _network_softmax()]
    rows = []  # (network, method, seconds, verdict)
    for network in networks:
        first = "dY" if network.text is exercise2 else "dZ2"
        value_mistake = {
            "dY": ("dY = 2 * (Y - T) / N", "dY = 2 * (Y - T)"),
            "dZ2": ("dZ2 = (P - T) / N", "dZ2 = P - T"),
        }[first]
        programs = [
            ("derivcheck, right program", network.text),
            (
                f"derivcheck, {first} without 1/N (diagnosed)",
                _planted(network.text, *value_mistake),
            ),
            (
                "derivcheck, dW1 without .T (shape)",
                _planted(network.text, "dW1 = dZ1 @ X.T", "dW1 = dZ1 @ X"),
            ),
        ]
        report = None
        for label, text in programs:
            seconds, result = best_of(args.repeats, lambda text=text: check_backprop(text))
            report = report or result
            verdict = "all right" if result.ok else f"{result.first_error}: "
            if not result.ok:
                verdict += str(result.line(result.first_error).diagnosis)
            rows.append((network.name, label, seconds, verdict))
        sizes, draws = report.sizes, report.draws
        if torch is not None:
            start = time.perf_counter()
            ok = hand_loop(network, sizes, draws, lambda v, _, n=network: torch_truth(torch, n, v))
            rows.append(
                (network.name, "torch autograd loop", time.perf_counter() - start,
                 "all right" if ok else "FAILED")
            )  # fmt: skip
        start = time.perf_counter()
        ok = hand_loop(
            network,
            sizes,
            draws,
            lambda v, rng, n=network: finite_difference_truth(n, v, args.entries, rng),
        )
        rows.append(
            (network.name, fd_label, time.perf_counter() - start,
             "all right" if ok else "FAILED")
        )  # fmt: skip
        sizes_text = " and ".join(
            ", ".join(f"{k} = {v}" for k, v in s.items()) + f" ({d} draws)"
            for s, d in zip(sizes, draws)
        )
        print(f"{network.name}: values at {sizes_text}")

    baseline = "torch autograd loop" if torch is not None else fd_label
    print(f"machine: {describe(['numpy', 'torch'])}")
    print(f"ratios: time / time of the {baseline} on the same network, measured in this run")
    print()
    header = ("network", "method", "time", "ratio", "verdict")
    table = []
    for name, label, seconds, verdict in rows:
        base = next(s for n, m, s, _ in rows if n == name and m == baseline)
        shown = f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        table.append((name, label, shown, f"{seconds / base:.3f}x", verdict))
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[2].rjust(widths[2]), row[3].rjust(widths[3]), row[4].ljust(widths[4])]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
