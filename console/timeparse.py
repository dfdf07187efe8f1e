"""Reading times typed on the command line, in the team's time zone."""

from datetime import date, datetime

import click


def parse_instant(text, tz):
    """ISO-8601 date-time; without an offset it is local wall-clock time in `tz`."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.ClickException(f"not an ISO-8601 date-time: {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value


def parse_day(text):
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.ClickException(f"not a date (YYYY-MM-DD): {text!r}") from exc


def parse_day_or_instant(text, tz):
    """A plain date stays a date (whole local days); anything longer is an instant."""
    return parse_day(text) if len(text.strip()) == 10 else parse_instant(text, tz)
