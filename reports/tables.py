"""Reports as text: aligned tables with headers, and CSV a spreadsheet loads."""

import csv
import io

from dutyline.spreadsheet import safe_cell

# (heading, key, format) of the text table of `report calls`, by group
CALL_COLUMNS = (
    ("calls", "calls", "d"), ("offered", "offered", "d"), ("answered", "answered", "d"),
    ("within", "answered_within", "d"), ("SL", "service_level", "%"),
    ("ASA s", "asa_seconds", "s"), ("p50 s", "wait_p50_seconds", "s"),
    ("p90 s", "wait_p90_seconds", "s"), ("p98 s", "wait_p98_seconds", "s"),
    ("abandoned", "abandoned", "d"), ("short", "short_abandons", "d"),
    ("voicemail", "voicemail", "d"), ("fallback", "fallback", "d"),
    ("tickets", "tickets", "d"), ("late", "tickets_past_deadline", "d"),
    ("blocked", "blocked", "d"),  # from numbers on the block list: not offered
)
ENGINEER_COLUMNS = (
    ("legs", "legs", "d"), ("accepted", "accepted", "d"), ("no answer", "not_answered", "d"),
    ("busy", "busy", "d"), ("not pressed", "picked_up_not_pressed", "d"),
    ("hung up", "caller_hung_up", "d"), ("ring-accept s", "ring_to_accept_seconds", "s"),
    ("first legs", "first_leg_share", "%"), ("answered", "answered", "d"),
    ("within", "answered_within", "d"), ("ASA s", "asa_seconds", "s"),
    ("acked", "tickets_acknowledged", "d"),
    # the calls nobody answered: in the row of nobody and the total
    ("voicemail", "voicemail", "d"), ("abandoned", "abandoned", "d"),
    ("fallback", "fallback", "d"),
)


def cell(value, kind):
    if value is None:
        return "-"
    if kind == "%":
        return f"{value * 100:.1f}%"
    if kind == "s":
        return f"{value:g}"
    return str(value)


def text_table(headings, rows):
    """Rows of strings under headings, the first column left-aligned, the others right."""
    widths = [max(len(str(part)) for part in column) for column in zip(headings, *rows)]
    lines = []
    for row in (headings, *rows):
        parts = [str(row[0]).ljust(widths[0])]
        parts += [str(value).rjust(width) for value, width in zip(row[1:], widths[1:])]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def report_columns(group):
    return ENGINEER_COLUMNS if group == "engineer" else CALL_COLUMNS


def report_text(result, first_label):
    """The text of `report calls`: a line on the span, the table, the total, the notes."""
    columns = report_columns(result.group)
    threshold = f"<={result.span.threshold_seconds}s"
    headings = [first_label] + [threshold if heading == "within" else heading
                                for heading, _, _ in columns]
    rows = [[row["label"]] + [cell(row.get(key), kind) for _, key, kind in columns]
            for row in (*result.rows, result.total)]
    lines = [text_table(headings, rows), "", result.formula + "."]
    lines += [f"note: {text}" for text in result.unknown]
    return "\n".join(lines)


def report_csv(result):
    """One line per group, then the total; every figure, raw (fractions as 0.875); a name that
    a spreadsheet would run as a formula is written as text (dutyline.spreadsheet)."""
    keys = list(result.total)
    for row in result.rows:
        keys += [key for key in row if key not in keys]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in (*result.rows, result.total):
        writer.writerow({key: "" if row.get(key) is None else safe_cell(row.get(key))
                         for key in keys})
    return out.getvalue()
