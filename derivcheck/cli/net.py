"""``derivcheck net``: the chapter's two-layer network — check its gradient, train it."""

from __future__ import annotations

import argparse
import json
import sys

from derivcheck.cli import ArgumentProblem, add_lang_argument
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message

DESCRIPTION = """\
The chapter's two-layer network, z1 = w1*x + b1, h = relu(z1), y = w2*h + b2,
L = (y - target)^2, with any number of hidden units.

  check    the hand-written gradient next to the exact (SymPy), numeric (finite
           differences) and PyTorch ones (when torch is installed)
  train    per-sample SGD on the chapter's 50 points of y = x^2 + noise (section 4)
  program  the network as a program for `derivcheck explain` (--matrix: in matrix
           form with its backward pass, for `derivcheck backprop`)
"""

EPILOG = """examples:
  derivcheck net check                      # section 2: x = 2, target = 1
  derivcheck net check --hidden 3           # exercise 2 on the data of section 4
  derivcheck net train --hidden 1 --plot out.png
  derivcheck net train --hidden 3 --batch-size 10 --lr 0.05 --epochs 300
  derivcheck net program --hidden 3
  derivcheck net program --hidden 3 --matrix > ex2.txt && derivcheck backprop ex2.txt
"""

MAX_HIDDEN = 1024
MAX_INPUTS = 64
MAX_SAMPLES = 100_000
MAX_EPOCHS = 1_000_000


def _bounded_int(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ArgumentProblem(Message("cli.expected_integer", text=text)) from None
        if not low <= value <= high:
            raise ArgumentProblem(Message("cli.integer_range", low=low, high=high, value=value))
        return value

    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ArgumentProblem(Message("cli.expected_number", text=text)) from None
    if not (value > 0 and value < float("inf")):
        raise ArgumentProblem(Message("cli.positive_number", text=text))
    return value


def _add_network_arguments(parser: argparse.ArgumentParser, hidden_help: str) -> None:
    add_lang_argument(parser, "language of everything the command prints")
    parser.add_argument(
        "--hidden", type=_bounded_int(1, MAX_HIDDEN), default=1, metavar="H", help=hidden_help
    )
    parser.add_argument(
        "--activation",
        choices=("relu", "tanh", "sigmoid"),
        default="relu",
        help="activation of the hidden layer (default relu)",
    )


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="net_command", metavar="ACTION")
    actions.required = True

    check = actions.add_parser(
        "check",
        help="check the hand-written gradient three ways",
        description="Print the gradient table: parameter, hand-written, exact (SymPy), "
        "numeric, PyTorch (when installed), error, status. Exit 0 when every entry agrees, "
        "1 when one does not.",
        epilog="With --hidden 1 and no data options the point is the chapter's section 2 "
        "(x = 2, target = 1, w1 = 0.5, b1 = 0.1, w2 = -0.3, b2 = 0.2); otherwise the data and "
        "first parameters of section 4 (seed 42), as exercise 2 asks.",
    )
    _add_network_arguments(check, "hidden units (default 1; exercise 2 uses 3)")
    check.add_argument(
        "--inputs",
        type=_bounded_int(1, MAX_INPUTS),
        default=1,
        metavar="D",
        help="input features (default 1; more than 1 uses random data)",
    )
    check.add_argument(
        "--samples",
        type=_bounded_int(1, MAX_SAMPLES),
        default=None,
        metavar="N",
        help="samples in the batch (default: all 50 of section 4)",
    )
    check.add_argument(
        "--seed",
        type=_bounded_int(0, 2**32 - 1),
        default=42,
        help="seed of NumPy's legacy stream for data and parameters (default 42)",
    )
    torch_group = check.add_mutually_exclusive_group()
    torch_group.add_argument(
        "--torch",
        dest="use_torch",
        action="store_true",
        default=None,
        help="add the PyTorch autograd column (requires torch)",
    )
    torch_group.add_argument(
        "--no-torch",
        dest="use_torch",
        action="store_false",
        help="leave out PyTorch even when it is installed",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")

    train = actions.add_parser(
        "train",
        help="train on y = x^2 + noise as in section 4",
        description="Train with the hand-written gradient on the chapter's 50 points "
        "(seed 42) and print the loss every 100 epochs, as the chapter does.",
    )
    _add_network_arguments(train, "hidden units (default 1, as in the chapter)")
    train.add_argument("--epochs", type=_bounded_int(0, MAX_EPOCHS), default=500)
    train.add_argument("--lr", type=_positive_float, default=0.01, help="learning rate")
    train.add_argument(
        "--batch-size",
        type=_bounded_int(1, MAX_SAMPLES),
        default=1,
        help="1 is the chapter's per-sample SGD (default)",
    )
    train.add_argument(
        "--shuffle",
        action="store_true",
        help="shuffle the samples every epoch (default: the chapter's order)",
    )
    train.add_argument("--seed", type=_bounded_int(0, 2**32 - 1), default=42)
    train.add_argument(
        "--every",
        type=_bounded_int(0, MAX_EPOCHS),
        default=100,
        help="print the loss every N epochs (0: never)",
    )
    train.add_argument(
        "--plot",
        metavar="PATH",
        help="write the loss curve and the fit side by side; the extension names the format "
        "(.png, .pdf, .svg, .gif, ...: what matplotlib writes)",
    )
    train.add_argument("--loss-plot", metavar="PATH", help="write the loss curve alone")
    train.add_argument("--fit-plot", metavar="PATH", help="write the fit alone")

    program = actions.add_parser(
        "program",
        help="print the network as a program for `derivcheck explain`",
        description="Print the network as derivcheck program text.",
    )
    _add_network_arguments(program, "hidden units (default 1)")
    program.add_argument("--inputs", type=_bounded_int(1, MAX_INPUTS), default=1, metavar="D")
    program.add_argument(
        "--matrix",
        action="store_true",
        help="the matrix form (one column per sample) with a correct backward pass, "
        "for `derivcheck backprop`",
    )


def run(args: argparse.Namespace) -> int:
    if args.net_command == "check":
        return _check(args)
    if args.net_command == "train":
        return _train(args)
    return _program(args)


def _check(args: argparse.Namespace) -> int:
    from derivcheck.network.model import (
        CHAPTER_SECTION2,
        chapter_example,
        chapter_training_setup,
        random_setup,
    )

    chapter_point = args.hidden == 1 and args.inputs == 1 and args.samples is None
    if chapter_point and args.activation == "relu" and args.seed == 42:
        network, params, x, target = chapter_example()
        point = ", ".join(f"{name} = {value:g}" for name, value in CHAPTER_SECTION2.items())
        title = Message("cli.net_chapter_title", point=point)
    elif args.inputs == 1:
        setup = chapter_training_setup(
            hidden=args.hidden,
            activation=args.activation,
            seed=args.seed,
            samples=args.samples or 50,
        )
        network, params, x, target = setup.network, setup.params, setup.x, setup.target
        units = Message("cli.hidden_unit" if args.hidden == 1 else "cli.hidden_units",
                        count=args.hidden)  # fmt: skip
        title = Message(
            "cli.net_training_title",
            units=units,
            activation=args.activation,
            samples=x.shape[0],
            seed=args.seed,
        )
    else:
        setup = random_setup(
            args.hidden, args.inputs, args.activation, args.seed, args.samples or 50
        )
        network, params, x, target = setup.network, setup.params, setup.x, setup.target
        title = Message(
            "cli.net_random_title",
            inputs=args.inputs,
            hidden=args.hidden,
            activation=args.activation,
            samples=x.shape[0],
            seed=args.seed,
        )
    table = network.check_gradients(params, x, target, use_torch=args.use_torch)
    heading = title.to_text(args.lang)
    if args.format == "json":
        rows = [
            {
                "parameter": row.symbol,
                "name": row.name,
                "index": list(row.index),
                "hand_written": row.hand_written,
                "exact": row.exact,
                "numeric": row.numeric,
                "torch": row.torch,
                "error": row.error,
                "status": row.status,
            }
            for row in table.rows
        ]
        json.dump({"ok": table.ok, "title": heading, "rows": rows}, sys.stdout, indent=2)
        print()
    else:
        print(heading)
        print()
        print(table.to_text(args.lang))
        print(table.report.summary(args.lang))
    return 0 if table.ok else 1


def _train(args: argparse.Namespace) -> int:
    from derivcheck.cli.output import check_output, make_folder, matplotlib_formats
    from derivcheck.network.model import chapter_training_setup, train

    plots = [
        (check_output(path, option, matplotlib_formats()), draw)
        for path, option, draw in (
            (args.plot, "--plot", "plot"),
            (args.loss_plot, "--loss-plot", "plot_loss"),
            (args.fit_plot, "--fit-plot", "plot_fit"),
        )
        if path
    ]  # checked before training, not after it
    if plots and args.epochs == 0:
        raise DerivcheckError("cli.nothing_to_plot")
    setup = chapter_training_setup(hidden=args.hidden, activation=args.activation, seed=args.seed)
    result = train(
        setup.network,
        setup.params,
        setup.x,
        setup.target,
        lr=args.lr,
        epochs=args.epochs,
        batch_size=args.batch_size,
        shuffle=args.shuffle,
        seed=args.seed,
        log_every=args.every,
        log=lambda line: print(line.to_text(args.lang)),
    )
    if result.diverged is None and result.summary_message is not None:
        print(result.summary_message.to_text(args.lang))  # (a divergence is logged already)
    for path, draw in plots:  # the network's writer says when a file cannot be written
        if not result.losses:
            raise DerivcheckError("cli.nothing_to_plot")
        getattr(result, draw)(make_folder(path), lang=args.lang)
        print(Message("cli.wrote", path=path).to_text(args.lang))
    return 0 if result.diverged is None else 1


def _program(args: argparse.Namespace) -> int:
    from derivcheck.network.model import as_program

    if args.matrix:
        from derivcheck.matrix.network import matrix_program

        print(matrix_program(args.hidden, args.inputs, args.activation, lang=args.lang))
        return 0
    print(as_program(hidden=args.hidden, inputs=args.inputs, activation=args.activation))
    return 0
