"""Helpers shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

#: The checkout: the folder holding pyproject.toml, README.md, examples/ and derivcheck/.
REPO = Path(__file__).resolve().parents[1]
