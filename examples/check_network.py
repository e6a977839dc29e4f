"""Check the chapter's hand-written backpropagation three ways, then catch a wrong one.

Run:  python examples/check_network.py

1. Section 2 of the chapter: the forward and backward pass with its numbers.
2. Exercise 2 (3 hidden neurons): the hand-written gradient next to the exact
   SymPy gradient, central differences and (when installed) PyTorch autograd.
3. Your own backward pass with a classic mistake (the relu mask is missing, and
   the bias gradient is a mean instead of a sum): gradcheck names the parameters.
4. A correct gradient 1e-9 away from a ReLU kink: accepted, marked "kink".
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from derivcheck import gradcheck  # noqa: E402
from derivcheck.network import chapter_example, chapter_training_setup  # noqa: E402


def section_2() -> None:
    network, params, x, target = chapter_example()
    backward = network.backward(params, x, target)
    forward = backward.forward
    print("=== Section 2: forward pass ===")
    print(f"z1 = w1*x + b1 = {forward.z1[0, 0]:.4g}")
    print(f"h  = relu(z1) = {forward.h[0, 0]:.4g}")
    print(f"y  = w2*h + b2 = {forward.y[0]:.4g}")
    print(f"L  = (y - target)^2 = {backward.loss:.4f}")
    print("=== backward pass ===")
    print(f"dL/dy  = {backward.dL_dy[0]:.4f}")
    print(f"dL/dh  = {backward.dL_dh[0, 0]:.4f}")
    print(f"dL/dz1 = {backward.dL_dz1[0, 0]:.4f}")
    for name, value in backward.gradients.items():
        print(f"dL/d{name} = {float(np.sum(value)):.4f}")
    print()
    print(network.check_gradients(params, x, target))
    print()


def exercise_2() -> None:
    setup = chapter_training_setup(hidden=3)
    print("=== Exercise 2: 3 hidden neurons, the 50 points of section 4 ===")
    print(setup.network.as_program())
    print()
    print(setup.network.check_gradients(setup.params, setup.x, setup.target))
    print()


def my_backward(params, x, target):
    """A hand-written backward pass with two mistakes in it."""
    z1 = x @ params["w1"].T + params["b1"]
    h = np.maximum(z1, 0.0)
    y = h @ params["w2"] + params["b2"]
    dL_dy = 2 * (y - target) / len(target)
    dL_dz1 = dL_dy[:, None] * params["w2"][None, :]  # mistake: no relu'(z1) mask
    return {
        "w1": dL_dz1.T @ x,
        "b1": dL_dz1.sum(axis=0),
        "w2": h.T @ dL_dy,
        "b2": dL_dy.mean(),  # mistake: mean where the sum belongs
    }


def catch_a_mistake() -> None:
    setup = chapter_training_setup(hidden=3)
    x, target = setup.x[:8], setup.target[:8]
    loss = setup.network.loss_function(x, target)
    print("=== A wrong backward pass ===")
    report = gradcheck(loss, lambda p: my_backward(p, x, target), setup.params)
    print(report)
    print()


def next_to_a_kink() -> None:
    network, params, x, target = chapter_example()
    params["b1"] = np.array([-1.0 + 1e-9])  # z1 = w1*x + b1 = 1e-9
    print("=== A correct gradient 1e-9 from the ReLU kink ===")
    report = gradcheck(
        network.loss_function(x, target), network.gradient_function(x, target), params
    )
    print(report)


if __name__ == "__main__":
    section_2()
    exercise_2()
    catch_a_mistake()
    next_to_a_kink()
