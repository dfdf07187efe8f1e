"""Printed tables: a header line, then one aligned line a row."""

import json

import click


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


def emit_table(rows, as_json, headings, cells, empty, right=()):
    """Rows as JSON, or as a table of `cells(row)` under `headings`, or `empty` when none."""
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif not rows:
        click.echo(empty)
    else:
        click.echo(table(headings, [cells(row) for row in rows], right))
