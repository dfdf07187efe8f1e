"""Ids and reference numbers that come from outside (a URL, a query, a text, a command).

Every table's key is an integer the database bounds: PostgreSQL's `integer` ends at
2**31 - 1, and SQLite refuses to bind a number past 2**63 - 1 at all. A number beyond the
keys' range names nothing, so it is "not found", never a fault.
"""

MAX_ID = 2**31 - 1  # the largest key any table holds (PostgreSQL's integer)


def as_id(value):
    """A key as a positive int when `value` is one (an int, or ASCII digits) a table could
    hold, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None
