"""The machine a benchmark ran on, as one line for its report (shared by every benchmark).

>>> "Python" in describe(["numpy"])
True
"""

from __future__ import annotations

import importlib
import os
import platform
from collections.abc import Iterable
from pathlib import Path


def describe(packages: Iterable[str] = ()) -> str:
    """CPU model, cores available, load, OS, Python and the versions of ``packages``."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count()
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    versions = [f"Python {platform.python_version()}"]
    for name in packages:
        try:
            versions.append(f"{name} {importlib.import_module(name).__version__}")
        except ImportError:
            versions.append(f"{name} not installed")
    return f"{cpu}, {cores} cores available{load}; {platform.system()}; " + ", ".join(versions)
