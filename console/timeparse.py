"""Reading dates and times typed on the command line, in the team's time zone."""

import calendar
import re
from datetime import date, datetime

import click

from dutyline.localtime import wall_clock_to_utc
from reports.span import Span, asked_days
from webhooks.runtime import runtime

DATE_SHAPE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _no_such_day(text):
    """A message when `text` starts with a date of the right shape that the calendar lacks."""
    match = DATE_SHAPE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}: {text!r}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (f"there is no such day: {text!r} ({calendar.month_name[month]} {year} has "
                f"{days} days)")
    return None


def parse_instant(text, tz):
    """ISO-8601 date-time; without an offset it is local wall-clock time in `tz`."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.ClickException(_no_such_day(text) or
                                   f"not an ISO-8601 date-time: {text!r}") from exc
    return wall_clock_to_utc(value, tz).astimezone(tz)


def parse_day(text):
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.ClickException(_no_such_day(text) or
                                   f"not a date (YYYY-MM-DD): {text!r}") from exc


def parse_day_or_instant(text, tz):
    """A plain date stays a date (whole local days); anything longer is an instant."""
    return parse_day(text) if len(text.strip()) == 10 else parse_instant(text, tz)


def parse_span(starts_text, ends_text, parse, what):
    """(start, end) parsed with `parse`; an end not after the start is refused in the words
    the user typed (local times as given), not as converted instants."""
    starts, ends = parse(starts_text), parse(ends_text)
    if type(starts) is type(ends) and (ends < starts or
                                       (ends == starts and isinstance(ends, datetime))):
        raise click.ClickException(f"the {what} ends ({ends_text}) before it starts "
                                   f"({starts_text})")
    return starts, ends


def asked_span(from_text, to_text, mode=None, default_days=None, settings=None):
    """The local days --from … --to (both included) as a report span, made now: --to
    defaults to today, --from to `default_days` before it or else the 1st of its month;
    in the zone of `settings` (a team's), the top-level settings' by default."""
    rt = runtime()
    now = rt.clock()
    settings = settings or rt.settings
    try:
        first, last = asked_days(now.astimezone(settings.tz).date(),
                                 parse_day(from_text) if from_text else None,
                                 parse_day(to_text) if to_text else None, default_days)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    return Span.days(settings, first, last, mode=mode, now=now)
