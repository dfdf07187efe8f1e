"""Spans of time: business hours inside a window, what is left outside them, and period kinds."""

from datetime import timedelta

from dutyline.localtime import local_instant
from hours.business_hours import is_closed_day

WEEKNIGHT = "weeknight"
WEEKEND = "weekend_or_holiday"


def in_hours_windows(settings, start, end):
    """Business-hours windows (UTC pairs) clipped to [start, end), on open local days only."""
    tz = settings.tz
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    windows = []
    while day <= last:
        if not is_closed_day(settings, day):
            for opens, closes in settings.hours.get(day.weekday(), ()):
                a = max(local_instant(day, opens, tz), start)
                b = min(local_instant(day, closes, tz), end)
                if a < b:
                    windows.append((a, b))
        day += timedelta(days=1)
    return merge_spans(windows)


def merge_spans(spans):
    """The union of (start, end) spans, as sorted disjoint spans."""
    merged = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def subtract_spans(start, end, holes):
    """What is left of [start, end) after removing the (start, end) `holes`."""
    left, cursor = [], start
    for a, b in merge_spans(holes):
        if b <= cursor or a >= end:
            continue
        if a > cursor:
            left.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        left.append((cursor, end))
    return left


def out_of_hours_spans(settings, start, end):
    """The parts of [start, end) outside business hours: when the duty engineer is needed."""
    return subtract_spans(start, end, in_hours_windows(settings, start, end))


def period_kind(settings, start, end):
    """WEEKEND (no business hours at all in the period: weekends, holidays) or WEEKNIGHT."""
    return WEEKNIGHT if in_hours_windows(settings, start, end) else WEEKEND
