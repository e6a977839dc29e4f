"""Train the chapter's two-layer network on y = x^2 + noise (section 4), then exercise 2.

Run:  python examples/train_network.py [--out-dir DIR]

1. One hidden neuron, per-sample SGD, lr 0.01, 500 epochs: the chapter's printed
   losses (Epoch 0: loss = 2.0868 ... Epoch 400: loss = 1.1107) and its two plots.
2. Exercise 2, three hidden neurons drawn the chapter's way (w1, w2 ~ randn,
   b1 = 0): every kink starts at x = 0 and two units stay nearly dead, so the loss
   ends near the one-neuron value.
3. The same three neurons with biases drawn from U(-1, 1), which spreads the
   kinks over the data: the piecewise-linear fit now follows x^2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

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
    print(f"wrote {chapter.plot_loss(args.out_dir / 'chapter_loss.png')}")
    print(f"wrote {chapter.plot_fit(args.out_dir / 'chapter_fit.png')}")

    print()
    print("=== Exercise 2: 3 hidden neurons, drawn as the chapter draws them (b1 = 0) ===")
    setup = chapter_training_setup(hidden=3)
    three = train(setup.network, setup.params, setup.x, setup.target, log=print)
    print(f"final loss = {three.losses[-1]:.4f}; hidden weights {three.params['w1'].ravel()}")
    print(f"wrote {three.plot(args.out_dir / 'three_neurons_chapter_init.png')}")

    print()
    print("=== Exercise 2 again: the same data, biases b1 ~ U(-1, 1) (seed 0) ===")
    rng = np.random.RandomState(0)
    params = setup.network.init_params(rng)
    params["b1"] = rng.uniform(-1, 1, setup.network.hidden)
    spread = train(setup.network, params, setup.x, setup.target, log=print)
    print(f"final loss = {spread.losses[-1]:.4f} (one neuron: {chapter.losses[-1]:.4f})")
    print(f"wrote {spread.plot(args.out_dir / 'three_neurons.png')}")


if __name__ == "__main__":
    main()
