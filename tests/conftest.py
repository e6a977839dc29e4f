"""Helpers shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

#: The checkout: the folder holding pyproject.toml, README.md, examples/ and derivcheck/.
REPO = Path(__file__).resolve().parents[1]

# Property tests are seeded: the same checkout gives the same examples on every run and
# machine (CI must not turn red or green by chance). Run with HYPOTHESIS_PROFILE=explore
# to draw fresh random examples while hunting for bugs.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("seeded", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "seeded"))
