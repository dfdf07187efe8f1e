"""Reading dates and times typed into forms, in the team's time zone (as the command line does)."""

from datetime import date, datetime

from dutyline.localtime import wall_clock_to_utc
from rota.engineers import RotaError


def parse_day(text):
    """'YYYY-MM-DD' -> date, or RotaError with the command line's message."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise RotaError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def parse_instant(text, tz):
    """ISO-8601 date-time (a browser's datetime-local value); local time in `tz` without offset."""
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise RotaError(f"not an ISO-8601 date-time: {text!r}") from exc
    return wall_clock_to_utc(value, tz).astimezone(tz)
