"""Out-of-hours cover: engineers who sign in to be rung after the duty engineer and the
backup, until the next handover unless they renew it (asked for in office hours: for the
coming out-of-hours stretch); and who is on leave now."""

from datetime import timedelta

from dutyline.localtime import local_instant, local_midnight
from hours.business_hours import is_in_hours
from rota.models import FIRST_TEAM, Absence, Engineer, TeamMember
from rota.spans import in_hours_windows, out_of_hours_spans


def next_handover(now, settings):
    """The first local handover time strictly after `now`, as an aware UTC instant."""
    local = now.astimezone(settings.tz)
    day = local.date()
    while True:
        at = local_instant(day, settings.handover, settings.tz)
        if at > now:
            return at
        day += timedelta(days=1)


def coming_out_of_hours(now, settings):
    """(start, end) of the out-of-hours stretch after today's close of business: from the
    end of the day's last business-hours window to the next opening or the next handover,
    whichever comes first. None when no out-of-hours time comes before that handover."""
    tomorrow = local_midnight(now.astimezone(settings.tz).date() + timedelta(days=1),
                              settings.tz)
    windows = in_hours_windows(settings, now, tomorrow)
    close = windows[-1][1] if windows else now
    spans = out_of_hours_spans(settings, close, next_handover(close, settings))
    return spans[0] if spans else None


def cover_span(now, settings):
    """(start, end) of the cover asked for at `now`: out of hours, from now to the next
    handover; in office hours, the coming out-of-hours stretch (cover is only rung then)."""
    if is_in_hours(settings, now):
        coming = coming_out_of_hours(now, settings)
        if coming is not None:
            return coming
    return now, next_handover(now, settings)


def set_cover(engineer, on, settings, now):
    """Sign `engineer` in as cover (`on`) until the end of `cover_span`, or out; returns the
    end of the cover, or None when it was turned off."""
    until = cover_span(now, settings)[1] if on else None
    (Engineer
     .update(cover_until=until, updated_at=now)
     .where(Engineer.id == engineer.id)
     .execute())
    return until


def cover_at(now, team=FIRST_TEAM):
    """The team's active engineers signed in as cover at `now`, in rotation order: those the
    team's calls ring as cover (an engineer's cover holds in each team they are in)."""
    return list(Engineer
                .select()
                .join(TeamMember, on=(TeamMember.engineer == Engineer.id))
                .where(TeamMember.team == team, Engineer.active, Engineer.cover_until > now)
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
