"""Absences from an iCalendar file or URL: timed, all-day and recurring events."""

import os
from datetime import date, datetime, timedelta

import icalendar
import recurring_ical_events
import requests

from dutyline.localtime import local_midnight, wall_clock_to_utc
from dutyline.plain_text import one_line
from rota.absences import replace_imported
from rota.engineers import RotaError, find_engineer

FETCH_TIMEOUT = 20
# Recurring events are expanded over this window around the import.
LOOK_BACK = timedelta(days=31)
LOOK_AHEAD = timedelta(days=400)


def read_source(source):
    """The bytes of a local file or an http(s) URL; RotaError when they cannot be read."""
    if source.startswith(("http://", "https://", "webcal://")):
        url = "https://" + source[len("webcal://"):] if source.startswith("webcal://") else source
        try:
            response = requests.get(url, timeout=FETCH_TIMEOUT)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise RotaError(f"cannot fetch {source}: {exc}") from exc
        return response.content
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise RotaError(f"cannot read {source}: {exc.strerror or exc}") from exc


def _instant(value, tz):
    """An iCalendar DATE or DATE-TIME as an aware UTC datetime (dates and floating times local)."""
    if isinstance(value, datetime):
        return wall_clock_to_utc(value, tz)
    if isinstance(value, date):
        return local_midnight(value, tz)
    raise RotaError(f"not a date or date-time in the calendar: {value!r}")


def absence_spans(data, tz, window_start, window_end):
    """(start, end, summary) of every busy event occurrence in [window_start, window_end)."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise RotaError(f"not an iCalendar file: {exc}") from exc
    try:
        occurrences = recurring_ical_events.of(calendar).between(window_start, window_end)
    except Exception as exc:  # the library raises several kinds for malformed rules
        raise RotaError(f"cannot expand the calendar's events: {exc}") from exc
    spans = []
    for event in occurrences:
        if event.name != "VEVENT" or str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        raw_start = event.get("DTSTART")
        if raw_start is None:
            continue
        begins = raw_start.dt
        raw_end = event.get("DTEND")
        if raw_end is not None:
            finishes = raw_end.dt
        elif event.get("DURATION") is not None:
            finishes = begins + event.get("DURATION").dt
        elif isinstance(begins, datetime):
            continue  # a moment, not a stretch of time away
        else:
            finishes = begins + timedelta(days=1)
        starts_at, ends_at = _instant(begins, tz), _instant(finishes, tz)
        if ends_at > starts_at:
            spans.append((starts_at, ends_at, one_line(str(event.get("SUMMARY", "")))))
    return sorted(spans)


def import_absences(name, source, settings, now):
    """Replace `name`'s absences from `source` with the calendar's events; returns how many."""
    engineer = find_engineer(name)
    data = read_source(source)
    spans = absence_spans(data, settings.tz, now - LOOK_BACK, now + LOOK_AHEAD)
    key = source if "://" in source else os.path.abspath(source)
    return replace_imported(engineer, key, spans, now)
