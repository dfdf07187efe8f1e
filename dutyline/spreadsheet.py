"""Cells of the CSV files dutyline writes, made safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` as a
formula, and some skip a leading tab or carriage return first: an engineer or customer
named `=HYPERLINK(…)` would come out as a live formula. Such a text cell gets a leading
single quote, which the spreadsheet takes as "this is text". Only text is changed: a
number the product writes as a number (a negative one too) stays a number.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write in a CSV cell: text that a spreadsheet would run is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

