"""The README's section "On the web", run: ``derivcheck serve`` as the README starts it (on
a free port: 8000 may be taken while the suite runs), the address it prints, each ``curl``
command against it with what the README shows it printing, and the screenshot.

tests/test_readme.py leaves these blocks to this file (its ``served``); the comparison of
shown and actual output is the same (``matches``)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from tests.test_readme import (
    BLOCKS,
    README,
    _after,
    derivcheck_part,
    first_difference,
    matches,
    served,
)
from tests.web.conftest import REPO, serving

pytest.importorskip("uvicorn", reason='the web extra is not installed: pip install ".[web]"')

SERVED = [b for b in BLOCKS if served(b)]
#: The address the README shows; the test's server is elsewhere.
SHOWN_URL = "http://127.0.0.1:8000/"


def _serve_command() -> tuple[list[str], str]:
    (block,) = [b for b in SERVED if "derivcheck serve" in b.text]
    (line,) = block.text.splitlines()
    following = _after(block)
    assert following is not None and following.kind == "text", block.name
    return derivcheck_part(shlex.split(line)), following.text


@pytest.fixture(scope="module")
def readme_server():
    """``derivcheck serve`` with the README's arguments (and ``--port 0``): its address and
    its first line, the port shown as the README's."""
    args, _ = _serve_command()
    with serving(*args, "--port", "0") as (_, line):
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found is not None, line
        yield found[0], line.replace(found[0], SHOWN_URL)


def test_the_web_section_is_there_and_run_here():
    assert SERVED, "the README has no block that runs derivcheck serve"
    assert any(b.text.startswith("curl ") for b in SERVED)


def test_derivcheck_serve_prints_what_the_readme_shows(readme_server):
    _, shown = _serve_command()
    _, printed = readme_server
    assert matches(shown, printed), first_difference(shown, printed)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize(
    "block", [b for b in SERVED if b.text.startswith("curl ")], ids=lambda b: b.name
)
def test_each_curl_command_prints_what_the_readme_shows(readme_server, block):
    url, _ = readme_server
    command = block.text.replace(SHOWN_URL, url)
    assert command != block.text, f"{block.name} does not ask {SHOWN_URL}"
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    result = subprocess.run(["bash", "-c", "set -o pipefail; " + command], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PATH": path})  # fmt: skip
    assert result.returncode == 0, result.stderr
    following = _after(block)
    assert following is not None and following.kind == "text", block.name
    assert matches(following.text, result.stdout), (
        f"{following.name}: {first_difference(following.text, result.stdout)}; "
        f"the output is:\n{result.stdout}"
    )


def test_the_screenshot_is_the_browser_tests(tmp_path):
    """The README's picture is the explain test's screenshot (its window, its input)."""
    found = re.search(r"!\[[^\]]*\]\((docs/[\w.-]+\.png)\)", README.read_text(encoding="utf-8"))
    assert found is not None
    picture = REPO / found[1]
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    assert width == 1280  # the browser tests' window (test_browser.py)
