"""Go's `text/tabwriter`, as kubectl uses it for tables and `describe`.

kubectl writes tab-separated cells and lets tabwriter align them: `get`
tables use minwidth 6, padding 3 (`cli-runtime/pkg/printers/tabwriter.go`),
`describe` uses minwidth 0, padding 2 (`describe.go tabbedString`). Columns
are aligned per *column block*: consecutive lines that have a cell in that
column, which is why a `describe` section starts a new alignment after a line
without tabs. The last cell of a line is not part of any column.
"""

from __future__ import annotations

from collections.abc import Sequence


def format_tabbed(text: str, *, minwidth: int = 0, padding: int = 2) -> str:
    """Align tab-terminated cells exactly as Go's tabwriter (padchar ' ', no flags) would.

    Args:
        text: lines of cells separated by tabs; the text after a line's last tab
            is its trailing cell and is never padded.
        minwidth: the minimal width of a column, padding included.
        padding: spaces added to the widest cell of each column.

    Returns:
        The aligned text (a final line without newline stays without one).
    """
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    _format(lines, 0, len(lines), [], minwidth, padding, out)
    return "\n".join(out)


def _format(
    lines: list[list[str]],
    line0: int,
    line1: int,
    widths: list[int],
    minwidth: int,
    padding: int,
    out: list[str],
) -> None:
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        # A cell exists in this column: print the lines before the block, then size it.
        _write(lines, line0, this, widths, out)
        line0 = this
        width = minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + padding)
            this += 1
        widths.append(width)
        _format(lines, line0, this, widths, minwidth, padding, out)
        widths.pop()
        line0 = this
    _write(lines, line0, line1, widths, out)


def _write(
    lines: list[list[str]], line0: int, line1: int, widths: list[int], out: list[str]
) -> None:
    for i in range(line0, line1):
        cells = lines[i]
        parts = []
        for j, cell in enumerate(cells):
            if j < len(widths):
                parts.append(cell.ljust(widths[j]))
            else:
                parts.append(cell)
        out.append("".join(parts))


def render_table(rows: Sequence[Sequence[str]], *, minwidth: int = 6, padding: int = 3) -> str:
    """Render rows that all have the same number of cells, as kubectl's `get` tables.

    The fast path of `format_tabbed` for uniform rows: every column but the last
    is padded to `max(minwidth, widest cell + padding)`.

    Returns:
        The table with a newline after every row ("" for no rows).
    """
    if not rows:
        return ""
    # Transposing with zip and measuring with map keep the per-cell work in C.
    widths = [max(minwidth, max(map(len, column)) + padding) for column in zip(*rows, strict=True)][
        :-1
    ]
    ljust = str.ljust
    join = "".join
    out = [join(map(ljust, row, widths)) + row[-1] for row in rows]
    out.append("")
    return "\n".join(out)
