"""Printed tables: a header line, then one aligned line a row."""


def table(headings, rows, right=()):
    """Rows of strings under headings, left-aligned except the columns numbered in `right`."""
    rows = [[str(value) for value in row] for row in rows]
    widths = [max(len(part) for part in column) for column in zip(headings, *rows)]
    lines = []
    for row in (list(headings), *rows):
        cells = [value.rjust(width) if index in right else value.ljust(width)
                 for index, (value, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
