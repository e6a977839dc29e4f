"""The page's files, read as files: no markup from strings, no inline script, every word a
message key, the vendored libraries pinned with their licences and installed with the
package. (The browser tests run the page; these need no browser and no server.)"""

from __future__ import annotations

import re
from fnmatch import fnmatch
from pathlib import Path

import tomllib

from derivcheck.messages import table

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "derivcheck" / "web" / "static"
OWN = [p for p in STATIC.rglob("*") if p.is_file() and "vendor" not in p.parts]
SCRIPTS = [p for p in OWN if p.suffix == ".js"]


def test_the_pages_scripts_never_turn_strings_into_markup_or_code():
    forbidden = re.compile(
        r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
        r"setTimeout\(\s*['\"`]|createContextualFragment|srcdoc|javascript:"
    )
    offenders = [
        f"{path.relative_to(STATIC)}:{number}: {line.strip()}"
        for path in SCRIPTS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offenders == []
    assert len(SCRIPTS) >= 6


def test_the_page_has_no_inline_script_style_or_handler():
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert re.findall(r"\son[a-z]+\s*=", page) == []
    assert "<style" not in page and "style=" not in page
    assert re.findall(r"(?:src|href)=\"(?![/#])", page) == []  # nothing from elsewhere


def test_every_word_the_page_shows_is_a_message_in_both_languages():
    used = set()
    for path in OWN:
        if path.suffix in (".js", ".html"):
            text = path.read_text("utf-8")
            used |= set(re.findall(r"[\"'`](web\.[a-z_]+(?:\.[a-z_-]+)*)[\"'`]", text))
    assert {"web.tab.explain", "web.check.reveal", "web.teacher.progress"} <= used
    keys = table()
    assert sorted(k for k in used if k not in keys) == []
    # words built from data: a verdict or a diagnosis code after its prefix (a mistake's
    # name is the grading area's, the one derivcheck check's report shows)
    from derivcheck.grading.answers import DIAGNOSES, VERDICTS

    for code in VERDICTS:
        assert f"web.verdict.{code}" in keys
    for code in DIAGNOSES:
        assert f"grading.diagnosis.{code}" in keys
    columns = re.search(r"const COLUMNS = \[(.*?)\]", (STATIC / "js/panels/teacher.js").read_text())
    for column in re.findall(r'"(\w+)"', columns[1]):
        assert f"web.col.{column}" in keys


def test_katex_and_mermaid_are_vendored_at_pinned_versions_with_their_licences():
    vendor = STATIC / "vendor"
    versions = (vendor / "VERSIONS.txt").read_text(encoding="utf-8")
    script = (REPO / "tools" / "vendor_web.sh").read_text(encoding="utf-8")
    for name in ("katex", "mermaid"):
        pinned = re.search(rf"{name.upper()}_VERSION=(\S+)", script)[1]
        assert re.search(rf"^{name}@{re.escape(pinned)} sha512-", versions, re.M), name
        assert "MIT License" in (vendor / name / "LICENSE").read_text(encoding="utf-8")
    assert (vendor / "katex" / "katex.min.js").stat().st_size > 100_000
    assert len(list((vendor / "katex" / "fonts").glob("*.woff2"))) >= 19
    third_party = (vendor / "mermaid" / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8")
    for bundled in ("dompurify@", "d3@", "dagre-d3-es@", "katex@"):
        assert bundled in third_party, bundled


def test_pip_installs_every_file_of_the_page():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["derivcheck.web"]
    package = REPO / "derivcheck" / "web"
    files = [p.relative_to(package).as_posix() for p in STATIC.rglob("*") if p.is_file()]
    missed = [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)]
    assert missed == []
    assert {"starlette", "uvicorn"} <= {
        re.split(r"[<>=!\[ ]", requirement)[0] for requirement in
        config["project"]["optional-dependencies"]["web"]
    }  # fmt: skip
