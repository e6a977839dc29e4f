"""Files the commands write: one behaviour for every ``-o``, ``--out`` and ``--plot``.

- The extension decides the format. An extension the writer cannot produce is refused
  before any work is done (exit status 2), naming the ones it can.
- A missing folder is created, as ``mkdir -p`` would. A folder that cannot be created
  (a file is in the way, no permission) is refused before the work when that can be
  seen, and otherwise when writing; either way exit status 2 with the path and reason.

>>> from derivcheck.errors import DerivcheckError
>>> check_output("f.png", "--plot", PNG).name
'f.png'
>>> try:
...     check_output("f.gif", "--plot", PNG)
... except DerivcheckError as error:
...     print(error)
--plot f.gif: the file name must end in .png
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from derivcheck.errors import DerivcheckError
from derivcheck.messages import Message, table

#: What ``explain --plot`` and ``--plot-steps`` write (derivcheck.render.plots draws PNG).
PNG = (".png",)
#: What ``-o`` of ``latex`` and ``solutions`` write.
DOCUMENTS = (".tex", ".pdf")


@cache
def matplotlib_formats() -> tuple[str, ...]:
    """The extensions matplotlib writes from a file name (``.png``, ``.pdf``, ``.svg`` ...)."""
    from matplotlib.backend_bases import FigureCanvasBase

    return tuple(f".{name}" for name in sorted(FigureCanvasBase.get_supported_filetypes()))


def _choices(allowed: Sequence[str]) -> Message | str:
    if len(allowed) == 1:
        return allowed[0]
    return Message("cli.or", first=", ".join(allowed[:-1]), last=allowed[-1])


def check_output(path: str | os.PathLike[str], option: str, allowed: Sequence[str] = ()) -> Path:
    """``path`` when it can be written as asked; a :class:`DerivcheckError` otherwise.

    ``allowed``: the extensions the writer produces (any when empty). Nothing is
    created yet: the folders come with :func:`make_folder`, just before writing.
    """
    target = Path(path)
    if allowed and target.suffix.lower() not in allowed:
        raise DerivcheckError(
            Message(
                "cli.unknown_extension", option=option, path=str(path), allowed=_choices(allowed)
            )
        )
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the nearest folder that exists, or a file in the way
    if not folder.is_dir():
        reason = Message("cli.not_a_folder", folder=str(folder))
        raise DerivcheckError(Message("cli.cannot_write", path=str(path), reason=reason))
    return target


def make_folder(path: str | os.PathLike[str]) -> Path:
    """Create the folders ``path`` needs; a :class:`DerivcheckError` names what failed."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(path, error) from None
    return target


def cannot_write(path: str | os.PathLike[str], error: OSError) -> DerivcheckError:
    """The error for a file that could not be written."""
    return DerivcheckError(Message("cli.cannot_write", path=str(path), reason=os_reason(error)))


def os_reason(error: OSError) -> Message | str:
    """Why the system refused, in derivcheck's words when it is a common reason.

    >>> os_reason(OSError(28, "No space left on device")).to_text("zh")
    '设备上没有剩余空间'
    """
    name = errno.errorcode.get(error.errno or 0, "")
    if f"cli.os.{name}" in table():
        return Message(f"cli.os.{name}")
    return error.strerror or str(error)
