"""Out-of-hours cover: engineers who sign in to be rung after the duty engineer and the
backup, until the next handover unless they renew it; and who is on leave now."""

from datetime import timedelta

from dutyline.localtime import local_instant
from rota.models import Absence, Engineer


def next_handover(now, settings):
    """The first local handover time strictly after `now`, as an aware UTC instant."""
    local = now.astimezone(settings.tz)
    day = local.date()
    while True:
        at = local_instant(day, settings.handover, settings.tz)
        if at > now:
            return at
        day += timedelta(days=1)


def set_cover(engineer, on, settings, now):
    """Sign `engineer` in as cover until the next handover (`on`), or out; returns the end
    of the cover, or None when it was turned off."""
    until = next_handover(now, settings) if on else None
    (Engineer
     .update(cover_until=until, updated_at=now)
     .where(Engineer.id == engineer.id)
     .execute())
    return until


def cover_at(now):
    """Active engineers signed in as cover at `now`, in rotation order."""
    return list(Engineer
                .select()
                .where(Engineer.active, Engineer.cover_until > now)
                .order_by(Engineer.rotation, Engineer.id))


def on_leave_until(now):
    """{engineer id: end of the absence they are on at `now`} (the latest end when several)."""
    rows = (Absence
            .select(Absence.engineer, Absence.ends_at)
            .where(Absence.starts_at <= now, Absence.ends_at > now))
    ends = {}
    for row in rows:
        ends[row.engineer_id] = max(ends.get(row.engineer_id, row.ends_at), row.ends_at)
    return ends
