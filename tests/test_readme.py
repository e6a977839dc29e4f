"""What the README promises, checked: every command and snippet it shows is run and what it
shows as their output is compared, and the generated examples are what the code writes now.

How the README's code blocks are read:

- ```sh: each line (``\\`` continues it) is a command. ``derivcheck ...`` runs (in this
  process, in a scratch folder where ``examples/`` is the checkout's) and must exit 0; other
  programs (pip, pytest) are not run here. In a ``# comment`` after a command, each
  ``name = number`` must appear on one line of the output: the name, then the number.
- ```text right after a ```sh block: the output of that block's first command. A ```text
  block whose first line is ``$ derivcheck ...``: the command, then its output (exit status
  2 when the output is an error).
- ```python: run statement by statement. A ``# comment`` after a statement shows its value:
  what ``print`` prints, else the repr (a REPL's view of it), followed by an optional gloss;
  or ``TypeName: a, b`` (the value's type, with those attributes). Comments that describe
  rather than show are listed in DESCRIPTIONS with what is checked instead. ``>>>`` blocks
  are doctests (the shown output compared as doctest does, ``...`` allowed).
- In shown output: a line ``...`` or ``…`` stands for any lines, inside a line for any
  text; runs of spaces for any spaces; numbers agree to the digits shown (``1.28403`` is
  1.2840254… rounded; an integer must be that integer).

A README that drifts from the code fails here: fix the README where it is wrong. Where the
code shows users something it should not (a repr), the check is in KNOWN_PROBLEMS: an
expected failure (strict) until the code is fixed.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import importlib.util
import io
import re
import shlex
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
EXAMPLES = REPO / "examples"

# --------------------------------------------------------------------------------------
# The generated examples
# --------------------------------------------------------------------------------------


def _stale(name: str, command: str) -> str:
    return f"examples/{name} is not what the code writes now; regenerate it with: {command}"


def test_chapter_page_is_what_make_chapter_writes(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("make_chapter", EXAMPLES / "make_chapter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--no-pdf", "--out", str(tmp_path)]) == 0
    written = (tmp_path / "chapter.md").read_bytes()
    assert written == (EXAMPLES / "chapter.md").read_bytes(), _stale(
        "chapter.md", "python examples/make_chapter.py (--no-pdf: the page only)"
    )


def test_answers_report_is_what_derivcheck_check_writes(run_cli, tmp_path):
    report = tmp_path / "answers_report.json"
    result = run_cli("check", "examples/answers.csv", "--out", report, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert report.read_bytes() == (EXAMPLES / "answers_report.json").read_bytes(), _stale(
        "answers_report.json",
        "derivcheck check examples/answers.csv --out examples/answers_report.json",
    )


# --------------------------------------------------------------------------------------
# Reading the README
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, text and the README line of its first line."""

    kind: str
    text: str
    line: int

    @property
    def name(self) -> str:
        return f"README.md:{self.line} ({self.kind})"


def readme_blocks() -> list[Block]:
    blocks, kind, start, body = [], None, 0, []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if kind is None and line.startswith("```"):
            kind, start, body = line[3:].strip() or "plain", number + 1, []
        elif kind is not None and line.startswith("```"):
            blocks.append(Block(kind, "\n".join(body), start))
            kind = None
        elif kind is not None:
            body.append(line)
    return blocks


def split_comment(line: str) -> tuple[str, str]:
    """``code  # comment`` -> (code, comment), a ``#`` inside quotes being code."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip(), line[index + 1 :].strip()
    return line.rstrip(), ""


def shell_commands(text: str) -> list[tuple[list[str], str]]:
    """(words, comment) of each command line; continuation lines joined."""
    commands, pending = [], ""
    for line in text.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        code, comment = split_comment(pending + line)
        pending = ""
        if code.strip():
            commands.append((shlex.split(code), comment))
    return commands


def derivcheck_part(words: list[str]) -> list[str] | None:
    """The arguments of the ``derivcheck`` command in ``a && derivcheck ...``, if any."""
    parts, current = [], []
    for word in words:
        if word == "&&":
            parts.append(current)
            current = []
        else:
            current.append(word)
    parts.append(current)
    for part in parts:
        if part[0] == "derivcheck":
            return part[1:]
        assert part[0] in ("pip", "pytest"), f"the README runs {part[0]!r}: teach this test"
    return None


# --------------------------------------------------------------------------------------
# Comparing what the README shows with what happens
# --------------------------------------------------------------------------------------

NUMBER = r"(?<![\w.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w]|\.\d)"
_PIECES = re.compile(rf"(\.\.\.|…)|({NUMBER})|([ \t]+)")
_NUMBER_GROUP = r"(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"


def same_to_the_digits_shown(shown: str, actual: str) -> bool:
    """``1.28403`` ~ ``1.28402541668774``; an integer must be that integer.

    >>> same_to_the_digits_shown("1.28403", "1.28402541668774")
    True
    >>> same_to_the_digits_shown("0", "3.55e-15"), same_to_the_digits_shown("0.0048", "0.004")
    (False, False)
    """
    s, a = Decimal(shown), Decimal(actual)
    if "." not in shown and "e" not in shown.lower():
        return s == a
    return abs(s - a) <= Decimal(5) * Decimal(10) ** (s.as_tuple().exponent - 1)


def _line_pattern(line: str, numbers: list[str]) -> str:
    pattern, position = "", 0
    for match in _PIECES.finditer(line):
        pattern += re.escape(line[position : match.start()])
        wildcard, number, space = match.groups()
        if wildcard:
            pattern += r"[^\n]*?"
        elif number:
            numbers.append(number)
            pattern += _NUMBER_GROUP
        else:
            pattern += r"[ \t]+"
        position = match.end()
    return pattern + re.escape(line[position:])


def shown_pattern(shown: str) -> tuple[re.Pattern[str], list[str]]:
    """A README text (lines) as a regular expression, and the numbers it shows, in order."""
    numbers: list[str] = []
    pattern = ""
    for line in shown.strip("\n").splitlines():
        if line.strip() in ("...", "…"):
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += _line_pattern(line.rstrip(), numbers) + r"\n"
    return re.compile(pattern), numbers


def _subject(actual: str) -> str:
    return "\n".join(line.rstrip() for line in actual.strip("\n").splitlines()) + "\n"


def _agrees(pattern: re.Pattern[str], numbers: list[str], subject: str, whole: bool) -> bool:
    found = (pattern.fullmatch if whole else pattern.match)(subject)
    return found is not None and all(
        same_to_the_digits_shown(number, value) for number, value in zip(numbers, found.groups())
    )


def matches(shown: str, actual: str) -> bool:
    """Whether ``actual`` is what the README text ``shown`` shows (the rules above)."""
    return _agrees(*shown_pattern(shown), _subject(actual), whole=True)


def first_difference(shown: str, actual: str) -> str:
    """The first README line that the output does not show (for failure messages)."""
    lines = shown.strip("\n").splitlines()
    for count in range(1, len(lines) + 1):
        if not _agrees(*shown_pattern("\n".join(lines[:count])), _subject(actual), whole=False):
            return f"the README's line {count} of the block, {lines[count - 1]!r}, is not shown"
    return "the output goes on after the README's last line (end the block with ...)"


def shows_value(comment: str, actual: str) -> bool:
    """A comment ``VALUE  gloss`` shows ``actual``: some start of it matches all of it."""
    if "\n" in actual.strip():
        return False
    ends = [m.start() for m in re.finditer(r"  | \(|: | — ", comment)] + [len(comment)]
    return any(matches(comment[:end], actual) for end in ends)


_CLAIM = re.compile(rf"([\w/']+) = ({NUMBER})")


def unshown_claims(comment: str, output: str) -> list[str]:
    """The ``name = number`` of a command's comment that no line of its output shows."""
    missing = []
    for name, number in _CLAIM.findall(comment):
        found = False
        for line in output.splitlines():
            at = line.find(name)
            if at >= 0 and any(
                same_to_the_digits_shown(number, value)
                for value in re.findall(NUMBER, line[at + len(name) :])
            ):
                found = True
        if not found:
            missing.append(f"{name} = {number}")
    return missing


def without_column(shown: str, column: str) -> str:
    """A README table with one column left out (``PyTorch`` where torch is not installed)."""
    lines, index, width = [], None, 0
    for line in shown.splitlines():
        cells = re.split(r" {2,}", line.strip())
        if index is None and column in cells:
            index, width = cells.index(column), len(cells)
        if index is not None and len(cells) == width:
            line = "  ".join(cells[:index] + cells[index + 1 :])
        lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    """A scratch working folder whose ``examples/`` is the checkout's."""
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    return tmp_path


def run_command(run_cli, args: list[str], folder: Path, status: int = 0):
    terminal = args[:1] == ["check"]  # "a table on a terminal"
    result = run_cli(*args, cwd=folder, terminal=terminal)
    assert result.returncode == status, (args, result.stderr)
    return result


BLOCKS = readme_blocks()


def _after(block: Block) -> Block | None:
    following = BLOCKS.index(block) + 1
    return BLOCKS[following] if following < len(BLOCKS) else None


def _is_transcript(block: Block) -> bool:
    return block.kind == "text" and block.text.startswith("$ ")


def served(block: Block) -> bool:
    """A block of the web section: ``derivcheck serve`` runs until it is stopped and ``curl``
    needs it running, so tests/web/test_readme_web.py runs these blocks against a server."""
    return block.kind == "sh" and (
        re.search(r"^curl |derivcheck serve", block.text, re.M) is not None
    )


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.kind == "sh" and not served(b)], ids=lambda b: b.name
)
def test_shell_commands_run_and_show_what_the_readme_says(run_cli, folder, block):
    outputs = []
    for words, comment in shell_commands(block.text):
        args = derivcheck_part(words)
        if args is None:
            continue  # pip and pytest: what .ci/run does, not this test
        result = run_command(run_cli, args, folder)
        outputs.append(result.stdout + result.stderr)
        assert unshown_claims(comment, outputs[-1]) == [], (block.name, words)
    following = _after(block)
    if following is not None and following.kind == "text" and not _is_transcript(following):
        shown = following.text
        if "PyTorch" in shown and find_spec("torch") is None:
            shown = without_column(shown, "PyTorch")  # the rest of the table still counts
        assert matches(shown, outputs[0]), (
            f"{following.name}: {first_difference(shown, outputs[0])}; the output is:\n{outputs[0]}"
        )


@pytest.mark.parametrize("block", [b for b in BLOCKS if _is_transcript(b)], ids=lambda b: b.name)
def test_transcripts_show_what_the_commands_print(run_cli, folder, block):
    command, _, shown = block.text.partition("\n")
    args = derivcheck_part(shlex.split(command[2:]))
    status = 2 if "error:" in shown else 0
    result = run_command(run_cli, args, folder, status)
    actual = result.stdout + result.stderr
    assert matches(shown, actual), (
        f"{block.name}: {first_difference(shown, actual)}; the output is:\n{actual}"
    )


def test_every_block_is_checked():
    followers = [_after(b) for b in BLOCKS if b.kind == "sh"]
    for block in BLOCKS:
        known = block.kind in ("sh", "python") or _is_transcript(block) or block in followers
        assert known, f"{block.name}: this test does not know what the block shows"


# --------------------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------------------


@dataclass
class Statement:
    """One statement of a snippet, what it shows (a comment, or a doctest's output)."""

    source: str
    comment: str = ""
    want: str | None = None


def python_statements(text: str) -> list[Statement]:
    if text.lstrip().startswith(">>>"):
        return [
            Statement(example.source, split_comment(example.source.rstrip())[1], example.want)
            for example in doctest.DocTestParser().get_examples(text)
        ]
    tree = ast.parse(text)
    lines = text.splitlines()
    comments = {
        token.start[0]: token.string[1:].strip()
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    }
    return [
        Statement(
            "\n".join(lines[node.lineno - 1 : node.end_lineno]), comments.get(node.end_lineno, "")
        )
        for node in tree.body
    ]


def _run(statement: Statement, namespace: dict[str, Any]) -> tuple[Any, str, bool]:
    """(value, what it printed, whether it is a bare ``print(...)``)."""
    node = ast.parse(statement.source).body[0]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        if isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), "README", "eval"), namespace)
        else:
            exec(compile(statement.source, "README", "exec"), namespace)
            targets = getattr(node, "targets", [])
            value = namespace.get(targets[0].id) if targets and hasattr(targets[0], "id") else None
    is_print = (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) == "print"
    )
    return value, printed.getvalue(), is_print


#: Comments that describe a value instead of showing it, and what is checked instead.
DESCRIPTIONS: dict[str, Callable[[Any, str], bool]] = {
    "the derivation as text": lambda value, printed: printed.startswith("Derivative of y ="),
    "SymPy expression;": lambda value, printed: type(value).__module__.startswith("sympy"),
    "an align* derivation": lambda value, printed: value.startswith("\\begin{align*}"),
    "a whole document for pdflatex": lambda value, printed: value.startswith("\\documentclass"),
    "rule by rule": lambda value, printed: "\\tag*{power rule}" in value,
    "a Docusaurus section": lambda value, printed: "```mermaid" in value and "$$" in value,
    "the graph alone": lambda value, printed: value.startswith("flowchart LR"),
    "the same graph drawn with matplotlib": lambda value, printed: Path("graph.png").exists(),
    "at the end of a Jupyter cell": lambda value, printed: "```mermaid" in value._repr_markdown_(),
    "worst first:": lambda value, printed: any(
        line.startswith("parameter") and "analytic" in line and "tolerance" in line
        for line in printed.splitlines()
    ),
    "e.g.": lambda value, printed: True,  # an illustration of other inputs
}

#: Statements whose output users should not see as it is today: strict expected failures.
KNOWN_PROBLEMS: dict[str, str] = {}


def check_statement(statement: Statement, value: Any, printed: str, is_print: bool) -> str:
    """'' when the statement shows what the README says, else what went wrong."""
    if statement.want is not None:
        got = printed + (repr(value) + "\n" if value is not None else "")
        if statement.want and not doctest.OutputChecker().check_output(
            statement.want, got, doctest.ELLIPSIS
        ):
            return f"shows {got!r}, the README {statement.want!r}"
        if statement.want:
            return ""
    comment = statement.comment
    if not comment:
        return ""
    for start, check in DESCRIPTIONS.items():
        if comment.startswith(start):
            return "" if check(value, printed) else f"is not {comment!r}"
    actual = printed.rstrip("\n") if is_print else repr(value)
    if shows_value(comment, actual):
        return ""
    kind = re.fullmatch(r"([A-Z]\w+): (.*)", comment)
    if kind and type(value).__name__ == kind[1]:
        names = re.fullmatch(r"\.?\w+(?:\(\))?(?:, \.?\w+(?:\(\))?)*", kind[2])
        wanted = re.findall(r"\.?(\w+)", kind[2]) if names else []
        missing = [name for name in wanted if not hasattr(value, name)]
        return f"has no {missing}" if missing else ""
    return f"shows {actual!r}, the README {comment!r}"


def run_snippet(block: Block, folder: Path, monkeypatch, only: str | None = None) -> list[str]:
    """Run a snippet; the problems found (only the statement ``only`` is checked if given)."""
    monkeypatch.chdir(folder)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    problems = []
    for statement in python_statements(block.text):
        value, printed, is_print = _run(statement, namespace)
        code = split_comment(statement.source.splitlines()[-1])[0].lstrip(">. ")
        if (only is None and code in KNOWN_PROBLEMS) or (only is not None and code != only):
            continue
        problem = check_statement(statement, value, printed, is_print)
        if problem:
            problems.append(f"{block.name}: {code}  {problem}")
        if code == only:
            break
    return problems


PYTHON = [b for b in BLOCKS if b.kind == "python"]


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: b.name)
def test_python_snippets_run_and_show_what_the_readme_says(folder, monkeypatch, block):
    assert run_snippet(block, folder, monkeypatch) == []


@pytest.mark.parametrize(
    ("block", "code"),
    [
        pytest.param(b, code, marks=pytest.mark.xfail(strict=True, reason=reason), id=code)
        for code, reason in KNOWN_PROBLEMS.items()
        for b in PYTHON
        if code in b.text
    ],
)
def test_known_problems_of_what_users_see(folder, monkeypatch, block, code):
    assert run_snippet(block, folder, monkeypatch, only=code) == []


def test_known_problems_are_in_the_readme():
    for code in KNOWN_PROBLEMS:
        assert any(code in block.text for block in PYTHON), code


def test_the_comparison_fails_on_drift():
    assert matches("u2 = e^0.25 = 1.28403", "u2 = e^0.25 = 1.28402541668774")
    assert not matches("du2/du1 = 1.28403  (exp rule)", "du2/du1 = 1.28403  (exponential rule)")
    assert not matches("budget 1.2e-14 (ratio 0.0048)", "budget 1.4e-14 (ratio 0.004)")
    assert matches("a\n...\nd", "a\nb\nc\nd") and matches("a …\n…", "a b c\nd")
    assert not matches("a\nd", "a\nb\nd") and not matches("a", "a\nb")
    assert shows_value("30.0   (the exact derivative)", "30.0")
    assert not shows_value("30.0", "30.5") and not shows_value("left -1, right 1", "(-1.0, 1.0)")
    assert unshown_claims("Epoch 0: loss = 2.0868 ...", "Epoch 0: loss = 2.0868\n") == []
    assert unshown_claims("dL/dw1 = 1.356", "dL/dw1   1.35\n") == ["dL/dw1 = 1.356"]
