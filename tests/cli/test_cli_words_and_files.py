"""What the command line says itself (derivcheck.messages.cli, in English and Chinese) and
the files it writes (one behaviour for every -o, --out and --plot)."""

from __future__ import annotations

import re
import string

import pytest

from derivcheck.messages import table
from derivcheck.messages.cli import MESSAGES

# Two English words in a row: what a Chinese message must not contain (options, metavars,
# placeholders and file names are not words).
ENGLISH = re.compile(r"\b[a-z]{2,}[ ,]+[a-z]{2,}\b")


def english_runs(shown: str) -> list[str]:
    prose = re.sub(r"--[\w-]+|\{[^}]*\}|\S*[/\\.=]\S*|derivcheck(?: [a-z]+)*", " ", shown)
    return ENGLISH.findall(prose)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------


def test_every_cli_message_has_both_languages_with_the_same_parameters():
    assert MESSAGES and all(key.startswith("cli.") for key in MESSAGES)
    for key, (english, chinese) in MESSAGES.items():
        assert english.strip() and chinese.strip(), key
        assert fields(english) == fields(chinese), key
        assert table()[key] == (english, chinese)


def test_argparse_sentences_in_chinese_keep_their_parameters():
    from derivcheck.messages.cli import ARGPARSE_ZH

    def placeholders(template: str) -> list[str]:
        return sorted(re.findall(r"%(?:\([a-z_]+\))?[rs]", template))

    for msgid, chinese in ARGPARSE_ZH.items():
        assert placeholders(msgid) == placeholders(chinese), msgid
        assert english_runs(chinese) == [], msgid


def test_chinese_messages_use_chinese_words_and_full_width_punctuation():
    for key, (_, chinese) in MESSAGES.items():
        assert english_runs(chinese) == [], key
        outside = re.sub(r"\{[^}]*\}", "", chinese)
        assert not set(outside) & set(":;()"), (key, chinese)


# --------------------------------------------------------------------------------------
# What users see
# --------------------------------------------------------------------------------------

BAD_COMMANDS = [
    (["explain", "u = x^2; y = u + 1"], "missing --at", "缺少 --at"),
    (["explain", "x*y", "--at", "1", "--at", "2"], "several --at values need names", "写明名称"),
    (["explain", "x*y", "--at", "x=1", "--at", "2"], "name every value", "混用"),
    (["explain", "x^2", "--at", "x="], "expected name=value", "应为 name=value"),
    (["explain", "x^2", "--at", "x=1", "--at", "x=2"], "gives 'x' twice", "两次"),
    (["explain", "x^2", "--at", "1", "--plot", "f.gif"], "must end in .png", "须以 .png 结尾"),
    (["latex", "x^2", "--at", "1", "-o", "f.docx"], "must end in .tex or .pdf", ".tex 或 .pdf"),
    (["check", "answers.csv", "--jobs", "0"], "--jobs must be at least 1", "至少为 1"),
    (["check", "answers.csv", "--resume"], "--resume needs --out", "需要 --out"),
    (["check", "answers.csv", "--time-limit", "0"], "must be positive", "须为正数"),
    (["net", "check", "--hidden", "0"], "must be between 1 and 1024, got 0", "须在 1 到 1024 之间"),
    (["net", "check", "--hidden", "three"], "expected an integer, got 'three'", "应为整数"),
    (["net", "train", "--lr", "-1"], "must be a positive number", "须为正数"),
    (["net", "train", "--epochs", "0", "--plot", "f.png"], "no epochs", "没有训练轮次"),
    # argparse's own sentences, through its gettext ids (messages.cli.ARGPARSE_ZH)
    (["explain", "x", "--at", "1", "--method", "foo"], "invalid choice: 'foo'", "无效的选项 'foo'"),
    (["explain"], "the following arguments are required: EXPR", "缺少以下参数：EXPR"),
    (["explain", "x", "--at"], "expected one argument", "需要一个参数值"),
    (["explain", "x", "--at", "1", "--bogus"], "unrecognized arguments: --bogus", "无法识别的参数"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("args", "english", "chinese"), BAD_COMMANDS)
def test_usage_problems_exit_2_in_the_commands_language(
    run_cli, tmp_path, args, english, chinese, lang
):
    (tmp_path / "answers.csv").write_text("id,function,answer\n1,x^2,2x\n", encoding="utf-8")
    result = run_cli(*args, "--lang", lang, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    message = result.stderr.splitlines()[-1]  # after argparse's usage lines, if any
    assert (english if lang == "en" else chinese) in message
    if lang == "zh":
        assert message.startswith("derivcheck") and "：错误：" in message
        assert english_runs(message) == [], message
    assert not list(tmp_path.glob("f.*"))  # refused before anything was written


def test_the_missing_point_is_asked_for_with_at_not_with_a_python_dict(run_cli):
    several = run_cli("explain", "x*y + a", "--at", "1")
    assert several.returncode == 2
    assert several.stderr == (
        "derivcheck: error: the expression has several variables (a, x, y): give each a value, "
        "e.g. --at a=1 --at x=2 --at y=3\n"
    )
    missing = run_cli("explain", "x*y", "--at", "x=1")
    assert missing.stderr == (
        "derivcheck: error: no value given for y: give every name a value, e.g. --at y=1\n"
    )
    chinese = run_cli("latex", "x*y", "--at", "1", "--lang", "zh")
    assert chinese.stderr.startswith("derivcheck：错误：表达式有多个变量（x, y）")
    assert "--at x=1 --at y=2" in chinese.stderr and "{" not in chinese.stderr


def test_an_internal_error_says_it_is_a_bug_in_the_commands_language(run_cli, monkeypatch):
    from derivcheck.cli import explain

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(explain, "run", broken)
    result = run_cli("explain", "x", "--at", "1")
    assert result.returncode == 1
    assert result.stderr == (
        "derivcheck: internal error: RuntimeError: boom\n"
        "  (this is a bug in derivcheck; run with DERIVCHECK_DEBUG=1 for details)\n"
    )
    chinese = run_cli("explain", "x", "--at", "1", "--lang", "zh")
    assert chinese.stderr.startswith("derivcheck：内部错误：RuntimeError：boom\n")
    assert "这是 derivcheck 的缺陷" in chinese.stderr


def test_ctrl_c_is_exit_status_130_with_a_word(run_cli, monkeypatch):
    from derivcheck.cli import explain

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(explain, "run", interrupted)
    assert run_cli("explain", "x", "--at", "1").stderr == "derivcheck: interrupted\n"
    result = run_cli("explain", "x", "--at", "1", "--lang", "zh")
    assert result.returncode == 130 and result.stderr == "derivcheck：已中断\n"


def test_net_takes_lang_for_its_own_words(run_cli):
    check = run_cli("net", "check", "--lang", "zh", "--no-torch")
    assert check.returncode == 0, check.stderr
    title = "本章的网络，取第 2 节的点：x = 2, target = 1, w1 = 0.5, b1 = 0.1, w2 = -0.3, b2 = 0.2"
    assert check.stdout.splitlines()[0] == title
    train = run_cli("net", "train", "--epochs", "3", "--every", "0", "--lang", "zh")
    assert train.returncode == 0 and train.stdout.startswith("训练 3 轮后，最终损失 = ")
    english = run_cli("net", "check", "--hidden", "3", "--samples", "5", "--no-torch")
    assert english.stdout.splitlines()[0] == (
        "Two-layer network, 3 hidden units (relu), on 5 points of y = x^2 + noise and first "
        "parameters as in section 4 (seed 42)"
    )


# --------------------------------------------------------------------------------------
# Output files: missing folders are created; what cannot be written is exit status 2
# --------------------------------------------------------------------------------------

ANSWERS = "id,function,answer\n1,x^2,2x\n"

WRITERS = {
    # name -> (command with OUT standing for the output, file name, what it starts with)
    "explain -o": (["explain", "x^2", "--at", "1", "-o", "OUT"], "x.txt", b"Derivative"),
    "explain --plot": (["explain", "x^3", "--at", "2", "--plot", "OUT"], "f.png", b"\x89PNG"),
    "explain --plot-steps": (
        ["explain", "x^3", "--at", "2", "--plot-steps", "OUT"], "s.png", b"\x89PNG"
    ),
    "latex -o .tex": (["latex", "x^2", "--at", "1", "-o", "OUT"], "x.tex", b"\\documentclass"),
    "solutions -o .tex": (["solutions", "answers.csv", "-o", "OUT"], "s.tex", b"\\documentclass"),
    "check --out": (["check", "answers.csv", "--out", "OUT"], "r.json", b"{"),
    "net train --plot": (["net", "train", "--epochs", "2", "--plot", "OUT"], "t.png", b"\x89PNG"),
    "net train --fit-plot .gif": (
        ["net", "train", "--epochs", "2", "--fit-plot", "OUT"], "t.gif", b"GIF8"
    ),
}  # fmt: skip


def _command(args: list[str], out: object) -> list[object]:
    return [out if item == "OUT" else item for item in args]


@pytest.mark.parametrize("writer", list(WRITERS))
def test_missing_folders_are_created(run_cli, tmp_path, writer):
    args, name, magic = WRITERS[writer]
    (tmp_path / "answers.csv").write_text(ANSWERS, encoding="utf-8")
    target = tmp_path / "new" / "folder" / name
    result = run_cli(*_command(args, target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(magic)
    assert f"wrote {target}" in result.stdout + result.stderr or writer == "check --out"


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_file_in_the_way_is_a_short_error_before_the_work(run_cli, tmp_path, writer):
    args, name, _ = WRITERS[writer]
    (tmp_path / "answers.csv").write_text(ANSWERS, encoding="utf-8")
    (tmp_path / "file").write_text("", encoding="utf-8")
    target = tmp_path / "file" / "sub" / name
    result = run_cli(*_command(args, target), cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""  # no derivation, no training
    assert result.stderr == (
        f"derivcheck: error: cannot write {target}: {tmp_path / 'file'} is not a folder\n"
    )


def test_a_pdf_goes_to_a_new_folder_too(run_cli, tmp_path):
    from derivcheck.render.latex import latex_engine

    target = tmp_path / "new" / "steps.pdf"
    result = run_cli("latex", "x^2", "--at", "1", "-o", target)
    assert result.returncode == 0, result.stderr
    written = target if latex_engine("en") is not None else target.with_suffix(".tex")
    assert written.stat().st_size > 100


def test_plot_formats_come_from_the_extension(run_cli, tmp_path):
    # explain draws PNG only: anything else is refused, not PNG bytes under another name
    result = run_cli("explain", "x^3", "--at", "2", "--plot", tmp_path / "f.svg")
    assert result.returncode == 2 and "--plot" in result.stderr and ".png" in result.stderr
    assert not (tmp_path / "f.svg").exists()
    # net train writes what matplotlib writes, in the format the extension names
    svg = tmp_path / "loss.svg"
    assert run_cli("net", "train", "--epochs", "2", "--loss-plot", svg).returncode == 0
    assert b"<svg" in svg.read_bytes()[:500]
    refused = run_cli("net", "train", "--epochs", "2", "--plot", tmp_path / "f.xyz")
    assert refused.returncode == 2 and refused.stdout == ""  # refused before training
    assert "must end in .avif, .eps" in refused.stderr and ".png" in refused.stderr
