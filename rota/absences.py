"""Absences: leave, training and the like; an absent engineer is never put on duty."""

from collections import defaultdict
from datetime import date, datetime

from dutyline.db import database
from dutyline.ids import as_id
from dutyline.localtime import local_day_span
from dutyline.plain_text import plain
from rota.engineers import RotaError, find_engineer
from rota.models import Absence, Engineer


def day_span(first, last, tz):
    """(start, end) in UTC of the local dates `first` to `last`, both included."""
    if last < first:
        raise RotaError(f"the absence ends ({last}) before it starts ({first})")
    return local_day_span(first, last, tz)


def add_absence(name, starts, ends, settings, now, reason=""):
    """Record `name` as away; dates are whole local days (both included), datetimes exact."""
    if isinstance(starts, date) and not isinstance(starts, datetime):
        if not (isinstance(ends, date) and not isinstance(ends, datetime)):
            raise RotaError("give both ends of the absence as dates, or both as date-times")
        starts, ends = day_span(starts, ends, settings.tz)
    if ends <= starts:
        raise RotaError(f"the absence ends ({ends.isoformat()}) before it starts "
                        f"({starts.isoformat()})")
    reason = plain((reason or "").strip(), "absence reason", RotaError)
    engineer = find_engineer(name)
    return Absence.create(engineer=engineer, starts_at=starts, ends_at=ends,
                          reason=reason, created_at=now)


def replace_imported(engineer, source, spans, now):
    """Swap the absences imported earlier for `engineer` from `source` for `spans`."""
    with database.atomic():
        (Absence
         .delete()
         .where(Absence.engineer == engineer, Absence.source == source)
         .execute())
        for starts_at, ends_at, reason in spans:
            Absence.create(engineer=engineer, starts_at=starts_at, ends_at=ends_at,
                           reason=reason, source=source, created_at=now)
    return len(spans)


def remove_absence(absence_id):
    """Delete the absence with this id (as `absence list` shows it); returns it."""
    key = as_id(absence_id)  # a number past the keys' range names no absence
    absence = (Absence.select(Absence, Engineer).join(Engineer)
               .where(Absence.id == key).first()) if key else None
    if absence is None:
        raise RotaError(f"no absence with id {absence_id}")
    absence.delete_instance()
    return absence


def list_absences(since=None):
    """Absences (those ending after `since`, when given), by start."""
    query = Absence.select(Absence, Engineer).join(Engineer)
    if since is not None:
        query = query.where(Absence.ends_at > since)
    return list(query.order_by(Absence.starts_at, Engineer.name, Absence.id))


def absences_between(start, end):
    """{engineer id: [(start, end), ...]} of absences overlapping [start, end)."""
    rows = (Absence
            .select(Absence.engineer, Absence.starts_at, Absence.ends_at)
            .where(Absence.starts_at < end, Absence.ends_at > start)
            .order_by(Absence.starts_at))
    spans = defaultdict(list)
    for row in rows:
        spans[row.engineer_id].append((row.starts_at, row.ends_at))
    return dict(spans)


def is_absent(spans, start, end):
    """True when any of the (start, end) `spans` overlaps [start, end)."""
    return any(a < end and b > start for a, b in spans)


def absence_as_dict(absence, tz):
    """An absence as plain data for output, with local times."""
    return {"id": absence.id, "engineer": absence.engineer.name,
            "starts_at": absence.starts_at.isoformat(), "ends_at": absence.ends_at.isoformat(),
            "local": f"{absence.starts_at.astimezone(tz):%a %d %b %Y %H:%M} to "
                     f"{absence.ends_at.astimezone(tz):%a %d %b %Y %H:%M}",
            "reason": absence.reason, "source": absence.source}
