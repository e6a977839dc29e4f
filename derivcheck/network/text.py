"""Text tables of the network's results (the gradient table, gradcheck's worst-first table)."""

from __future__ import annotations

from collections.abc import Sequence

from derivcheck.messages import display_width

__all__ = ["format_table"]


def format_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a table: the header (``rows[0]``), a rule under it, then the rows.

    The first column is aligned left, the middle ones right, and the last (a status with
    notes of any length) is not padded; the rule under it is as wide as its header. Widths
    are display widths, so Chinese headers line up.

    >>> print("\\n".join(format_table([["参数", "值", "状态"], ["w1", "1.356", "ok"]])))
    参数     值  状态
    ----  -----  ----
    w1    1.356  ok
    """
    columns = len(rows[0])
    widths = [max(display_width(row[i]) for row in rows) for i in range(columns - 1)]
    widths.append(display_width(rows[0][-1]))

    def pad(cell: str, width: int, left: bool) -> str:
        space = " " * (width - display_width(cell))
        return cell + space if left else space + cell

    lines = []
    for n, row in enumerate(rows):
        cells = [pad(row[0], widths[0], True)]
        cells += [pad(cell, width, False) for cell, width in zip(row[1:-1], widths[1:-1])]
        cells.append(row[-1])
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines
