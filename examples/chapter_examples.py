"""Every worked example of the chapter, explained and checked by derivcheck.

Run: python examples/chapter_examples.py [--lang zh]
"""

from __future__ import annotations

import sys

import derivcheck
from derivcheck.network import CHAPTER_SECTION2, as_program

LANG = "zh" if "--lang" in sys.argv and sys.argv[-1] == "zh" else "en"

NETWORK = as_program(hidden=1)  # z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2
CHAPTER_POINT = CHAPTER_SECTION2  # x = 2, target = 1, w1 = 0.5, b1 = 0.1, w2 = -0.3, b2 = 0.2


def main() -> None:
    # Section 1.3: y = (3x + 2)^2 at x = 1 -> 30
    print(derivcheck.explain("(3x + 2)^2", 1, lang=LANG))
    # Section 1.4: y = sin(exp(x^2)) at x = 0.5 -> 0.363195
    print(derivcheck.explain("sin(exp(x^2))", 0.5, lang=LANG))
    # Sections 2.2-2.4: forward pass, backward pass, one update with lr = 0.1
    network = derivcheck.explain(NETWORK, CHAPTER_POINT, wrt=["w1", "b1", "w2", "b2"], lang=LANG)
    print(network)
    update = network.update(0.1)
    for name, before in update.before.items():
        print(f"{name}: {before:.4f} → {update.after[name]:.4f}")
    print(f"loss: {update.output_before:.4f} → {update.output_after:.4f}\n")
    # Exercise 1: y = (2x + 1)^3 at x = 1 -> 54
    print(derivcheck.explain("(2x+1)^3", 1, lang=LANG))


if __name__ == "__main__":
    main()
