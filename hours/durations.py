"""Durations as contracts write them: '4h', '90m', '2h30m'."""

import re


def parse_duration(text):
    """'4h', '90m', '2h30m' -> minutes; ValueError for anything else."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*", str(text or ""))
    if not match or not any(match.groups()):
        raise ValueError(f"not a duration like 4h, 90m or 2h30m: {text!r}")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if minutes <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    return minutes


def format_duration(minutes):
    hours, rest = divmod(int(minutes), 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")
