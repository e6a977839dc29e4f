"""Train the chapter's two-layer network on y = x^2 + noise (section 4), then exercise 2.

Run:  python examples/train_network.py [--out-dir DIR]

Prints the chapter's losses (Epoch 0: loss = 2.0868 ... Epoch 400: loss = 1.1107)
from per-sample SGD with one hidden neuron, then trains 3 hidden neurons with
mini-batches, and writes the loss curves and fits as PNG files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from derivcheck.network import chapter_training_setup, train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=Path("."), help="where the PNGs go")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)

    print("=== Section 4: 1 hidden neuron, per-sample SGD, lr 0.01, 500 epochs ===")
    setup = chapter_training_setup(hidden=1)
    chapter = train(setup.network, setup.params, setup.x, setup.target, log=print)
    print(f"final loss = {chapter.losses[-1]:.4f}")
    for path in (
        chapter.plot_loss(args.out_dir / "chapter_loss.png"),
        chapter.plot_fit(args.out_dir / "chapter_fit.png"),
    ):
        print(f"wrote {path}")

    print()
    print("=== Exercise 2: 3 hidden neurons, mini-batches of 10, lr 0.05, 500 epochs ===")
    setup = chapter_training_setup(hidden=3)
    wider = train(
        setup.network, setup.params, setup.x, setup.target,
        lr=0.05, batch_size=10, shuffle=True, seed=0, log=print,
    )  # fmt: skip
    print(f"final loss = {wider.losses[-1]:.4f} (one neuron: {chapter.losses[-1]:.4f})")
    print(f"wrote {wider.plot(args.out_dir / 'three_neurons.png')}")


if __name__ == "__main__":
    main()
