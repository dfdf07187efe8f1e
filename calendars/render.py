"""iCalendar rendering of published events and of whole feeds (pure, no database)."""

from datetime import timedelta, timezone

from icalendar import Calendar, Event, vDatetime, vDuration, vInt, vText

PRODID = "-//dutyline//duty rota feeds//EN"
REFRESH = timedelta(hours=1)
END = b"END:VCALENDAR\r\n"


def _utc(instant):
    return instant.astimezone(timezone.utc).replace(microsecond=0)


def render_event(event, sequence, modified_at, cancelled=False):
    """One VEVENT as bytes; DTSTAMP and LAST-MODIFIED are the event's last change."""
    # typed values rather than add(): a year of events is rendered when a rota is first published
    changed = vDatetime(_utc(modified_at))
    vevent = Event()
    vevent["UID"] = vText(event.uid)
    vevent["DTSTAMP"] = changed
    vevent["DTSTART"] = vDatetime(_utc(event.starts_at))
    vevent["DTEND"] = vDatetime(_utc(event.ends_at))
    vevent["SUMMARY"] = vText(event.summary)
    vevent["DESCRIPTION"] = vText(event.description)
    vevent["SEQUENCE"] = vInt(sequence)
    vevent["LAST-MODIFIED"] = changed
    vevent["STATUS"] = vText("CANCELLED" if cancelled else "CONFIRMED")
    vevent["TRANSP"] = vText("TRANSPARENT")
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
