"""``derivcheck explain``: explain and check one derivative."""

from __future__ import annotations

import argparse
import sys

from derivcheck.errors import DerivcheckError

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
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language")
    parser.add_argument("--style", choices=("chain", "rules"), default="chain", help=style_help)
    parser.add_argument("--lr", help="also show one gradient-descent step with this learning rate")


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
    parser.add_argument("--plot", metavar="PNG", help="draw f, its tangent and f' to this file")
    parser.add_argument(
        "--plot-steps", metavar="PNG", help="draw |error| against the step h to this file"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def point_from_arguments(values: list[str]) -> object:
    """``["0.5"]`` -> "0.5"; ``["x=2", "w=0.5"]`` -> {"x": "2", "w": "0.5"}."""
    if not values:
        raise DerivcheckError("missing --at: give the point, e.g. --at 0.5 or --at x=0.5")
    named = [v for v in values if "=" in v]
    if not named:
        if len(values) > 1:
            raise DerivcheckError("several --at values need names: --at x=1 --at y=2")
        return values[0]
    if len(named) != len(values):
        raise DerivcheckError("mix of --at VALUE and --at name=VALUE: name every value")
    point: dict[str, str] = {}
    for item in values:
        name, _, value = item.partition("=")
        name = name.strip()
        if not name or not value.strip():
            raise DerivcheckError(f"--at {item!r}: expected name=value")
        if name in point:
            raise DerivcheckError(f"--at gives '{name}' twice")
        point[name] = value.strip()
    return point


def run(args: argparse.Namespace) -> int:
    from derivcheck.explanation import explain
    from derivcheck.render.text import update_to_text

    point = point_from_arguments(args.at)
    explanation = explain(args.expr, point, wrt=args.wrt, lang=args.lang, method=args.method)
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
    written = []
    if args.plot:
        explanation.plot(args.plot)
        written.append(args.plot)
    if args.plot_steps:
        explanation.plot_error_vs_step(args.plot_steps)
        written.append(args.plot_steps)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(args.output)
    else:
        sys.stdout.write(text)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0
