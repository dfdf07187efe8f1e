"""iCalendar rendering of published events and of whole feeds (pure, no database)."""

from datetime import timedelta, timezone

from icalendar import Calendar, Event, vDuration

PRODID = "-//dutyline//duty rota feeds//EN"
REFRESH = timedelta(hours=1)
END = b"END:VCALENDAR\r\n"


def _utc(instant):
    return instant.astimezone(timezone.utc).replace(microsecond=0)


def render_event(event, sequence, modified_at, cancelled=False):
    """One VEVENT as bytes; DTSTAMP and LAST-MODIFIED are the event's last change."""
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", _utc(modified_at))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("sequence", sequence)
    vevent.add("last-modified", _utc(modified_at))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    return vevent.to_ical()


def render_calendar(name, event_blocks):
    """A whole feed: calendar properties around already rendered VEVENT blocks."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    head = calendar.to_ical()
    if not head.endswith(END):
        raise ValueError("unexpected calendar serialisation")
    # Each VEVENT was serialised by the same library when it last changed; joining the
    # blocks keeps an hourly refresh of a year of events from serialising them all again.
    return head[: -len(END)] + b"".join(event_blocks) + END
