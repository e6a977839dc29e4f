"""``derivcheck explain``: explain and check one derivative."""

from __future__ import annotations

import argparse
import sys

from derivcheck.cli import add_lang_argument, say
from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message
from derivcheck.reading.points import parse_point_assignments

DESCRIPTION = (
    "Explain the derivative of EXPR at a point, step by step (chain rule), and check it "
    "exactly (SymPy) and numerically (finite differences)."
)
EPILOG = """examples:
  derivcheck explain "(3x+2)^2" --at 1
  derivcheck explain "sin(exp(x^2))" --at 0.5 --lang zh
  derivcheck explain "6（2x+1）²" --at 1
  derivcheck explain "\\frac{1}{1+e^{-x}}" --at 0 --format json
  derivcheck explain "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2" \\
      --at x=2 --at target=1 --at w1=0.5 --at b1=0.1 --at w2=-0.3 --at b2=0.2 \\
      --wrt w1,b1,w2,b2 --lr 0.1
  derivcheck explain "relu(3x-1)" --at 1/3          (a kink: left and right derivatives)
  derivcheck explain "x^3" --at 2 --plot f.png --plot-steps steps.png
  derivcheck explain "x^2 + y^2 = 1" --at x=0.6,y=0.8 --wrt x --order 2   (implicit)
  derivcheck explain "x = t - sin t; y = 1 - cos t" --at 1 --wrt t         (parametric)
"""

FORMATS = ("text", "json", "latex", "markdown", "mermaid")


def add_point_arguments(parser: argparse.ArgumentParser, style_help: str) -> None:
    """EXPR, --at, --wrt, --lang, --style and --lr: shared by explain and latex."""
    parser.add_argument("expr", metavar="EXPR", help="formula or program (name = expression; ...)")
    parser.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="X0",
        help="the point: a number (one variable) or name=value, repeated for several",
    )
    parser.add_argument("--wrt", help="comma-separated variables to differentiate by")
    add_lang_argument(parser)
    parser.add_argument("--style", choices=("chain", "rules"), default="chain", help=style_help)
    parser.add_argument("--lr", help="also show one gradient-descent step with this learning rate")
    parser.add_argument(
        "--order",
        type=int,
        default=1,
        metavar="N",
        help="the N-th derivative, each order from the previous (several variables: 2 = Hessian;"
        " curves: d^N y/dx^N)",
    )
    parser.add_argument(
        "--tangent", action="store_true", help="also show the tangent line at the point"
    )
    parser.add_argument(
        "--dependent", metavar="NAME", help="curves: the name that is a function of --wrt"
    )


def configure(parser: argparse.ArgumentParser) -> None:
    add_point_arguments(
        parser, "latex/markdown: chain-rule graph (default) or rule-by-rule derivation"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--standalone", action="store_true", help="latex: a whole document, ready for pdflatex"
    )
    parser.add_argument(
        "--method",
        default="auto",
        choices=("auto", "complex", "richardson", "central", "forward", "backward"),
        help="numeric method (default: the most accurate the function allows)",
    )
    parser.add_argument(
        "--plot", metavar="PNG", help="draw f, its tangent and f' to this .png file"
    )
    parser.add_argument(
        "--plot-steps", metavar="PNG", help="draw |error| against the step h to this .png file"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout (folders are created)",
    )


def point_from_arguments(values: list[str]) -> str | dict[str, str]:
    """``["0.5"]`` -> "0.5"; ``["x=2", "w=0.5"]`` -> {"x": "2", "w": "0.5"}.

    >>> point_from_arguments(["x=2", " w = 0.5"])
    {'x': '2', 'w': '0.5'}
    >>> point_from_arguments(["x=1, y=max(1, 2)"])
    {'x': '1', 'y': 'max(1, 2)'}
    """
    if not values:
        raise DerivcheckError("cli.missing_at")
    named = [v for v in values if "=" in v]
    if not named:
        if len(values) > 1:
            raise DerivcheckError("cli.at_needs_names")
        return values[0]
    if len(named) != len(values):
        raise DerivcheckError("cli.at_mixed")
    point: dict[str, str] = {}
    for item in values:  # --at x=1 --at y=2, or --at "x=1, y=2"
        name, _, value = item.partition("=")
        if not name.strip() or not value.strip():
            raise DerivcheckError("cli.at_malformed", item=item)
        for name, value in parse_point_assignments(item).items():
            if name in point:
                raise DerivcheckError("cli.at_twice", name=name)
            point[name] = value.strip()
    return point


#: The library's point errors, and the same said with --at.
_POINT_ERRORS = {
    "explain.several_variables": "cli.several_variables",
    "explain.missing_values": "cli.no_value",
}


def explain_arguments(args: argparse.Namespace, **options: object):
    """``explain(EXPR, --at ..., wrt=--wrt, lang=--lang)``; missing values are asked with --at."""
    from derivcheck.errors import EvaluationError
    from derivcheck.explanation import explain

    point = point_from_arguments(args.at) if args.at else None
    if getattr(args, "dependent", None) is not None:
        options["dependent"] = args.dependent
    try:
        return explain(args.expr, point, wrt=args.wrt, lang=args.lang, order=args.order, **options)
    except DerivcheckError as error:
        if point is None and error.message.key == "orders.program":
            raise DerivcheckError("cli.missing_at") from None  # a program needs its point
        if not isinstance(error, EvaluationError):
            raise
        key = _POINT_ERRORS.get(error.message.key)
        if key is None:
            raise
        names = str(error.message["names"]).split(", ")
        example = " ".join(f"--at {name}={k}" for k, name in enumerate(names, 1))
        raise DerivcheckError(Message(key, names=", ".join(names), example=example)) from None


def run(args: argparse.Namespace) -> int:
    from derivcheck.cli.output import PNG, check_output
    from derivcheck.render.text import update_to_text

    plots = [
        (check_output(path, option, PNG), draw)
        for path, option, draw in (
            (args.plot, "--plot", "plot"),
            (args.plot_steps, "--plot-steps", "plot_error_vs_step"),
        )
        if path
    ]
    output = check_output(args.output, "-o") if args.output else None
    explanation = explain_arguments(args, method=args.method)
    from derivcheck.higher import HigherExplanation

    if isinstance(explanation, HigherExplanation):
        return _run_higher(args, explanation, plots, output)
    update = explanation.update(args.lr) if args.lr is not None else None
    if args.format == "json":
        data = explanation.to_dict()
        if update is not None:
            data["update"] = vars(update)
        import json

        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "latex":
        text = explanation.to_latex(standalone=args.standalone, lang=args.lang, style=args.style)
        text = text if text.endswith("\n") else text + "\n"
        if update is not None:
            from derivcheck.render.latex import update_to_latex

            text += update_to_latex(update, explanation.output.name, args.lang)
    elif args.format == "markdown":
        text = explanation.to_markdown(lang=args.lang, style=args.style)
        if update is not None:
            from derivcheck.render.markdown import update_to_markdown

            text += "\n" + update_to_markdown(update, explanation.output.name, args.lang)
    elif args.format == "mermaid":
        text = explanation.to_mermaid(lang=args.lang)
    else:
        text = explanation.to_text(args.lang)
        if update is not None:
            text += "\n" + update_to_text(update, explanation.output.name, args.lang)
        if args.tangent and explanation.tangent is not None:
            from derivcheck.render.orders import tangent_section
            from derivcheck.render.text import sections_to_text

            text += "\n" + sections_to_text([tangent_section(explanation)], args.lang)
    return _write(args, explanation, text, plots, output)


def _run_higher(args: argparse.Namespace, explanation, plots, output) -> int:
    """``--order N``, no ``--at``, ``--wrt x,y --order 2``: a HigherExplanation."""
    from derivcheck.render import orders

    if args.format == "json":
        import json

        text = json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "latex":
        text = orders.higher_to_latex(explanation, args.standalone, args.lang, args.tangent)
    elif args.format == "markdown":
        text = orders.higher_to_markdown(explanation, args.lang, tangent=args.tangent)
    else:
        text = orders.higher_to_text(explanation, args.lang, tangent=args.tangent)
    return _write(args, explanation, text if text.endswith("\n") else text + "\n", plots, output)


def _write(args: argparse.Namespace, explanation, text: str, plots, output) -> int:
    from derivcheck.cli.output import cannot_write, make_folder

    written = []
    for path, draw in plots:
        try:
            getattr(explanation, draw)(str(make_folder(path)))
        except OSError as error:
            raise cannot_write(path, error) from None
        written.append(path)
    if output is not None:
        try:
            make_folder(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise cannot_write(output, error) from None
        written.append(output)
    else:
        sys.stdout.write(text)
    for path in written:
        say("cli.wrote", args.lang, path=path)
    return 0
