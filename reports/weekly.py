"""The weekly summary mail: last week's service level, speed of answer, missed calls, late
tickets and calls from blocked numbers, queued in the outbox once per week (the week is the
message's key). With several teams, one mail a team, each of its own calls, tickets and
call-backs, with its own settings (zone, hours, service level)."""

import logging
from datetime import timedelta

from reports.call_log import OUTCOME_LABELS, logged_calls
from reports.limits import StillCounting
from reports.report import report
from reports.span import Span
from outbox import queue
from outbox.models import EMAIL, OutboxMessage
from reports.reactions import reactions
from rota.models import FIRST_TEAM, Team
from rota.teams import list_teams
from voicemail.missed import callbacks_due, can_call_back

log = logging.getLogger(__name__)

MISSED_LISTED = 20  # the mail lists this many missed calls, then counts the rest


def last_full_week(settings, now):
    """(Monday, Sunday) of the latest local week that ended before `now`."""
    today = now.astimezone(settings.tz).date()
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    return monday, monday + timedelta(days=6)


def summary_key(monday, team=None):
    """The outbox key of a week's mail: of every call, or of one team's (an id). The first
    team's is the key of every call's, so adding a second team never mails a week again."""
    return f"report:week:{monday.isoformat()}" + (
        f":team:{team}" if team not in (None, FIRST_TEAM) else "")


def _percent(value):
    return "-" if value is None else f"{value * 100:.1f}%"


def _seconds(value):
    return "-" if value is None else f"{value:g} s"


def summary_mail(settings, monday, sunday, now, team=None):
    """(subject, body) of the summary of the week Monday…Sunday; of one team's calls with
    `team` (an id), whose settings `settings` are then."""
    span = Span.days(settings, monday, sunday, now=now, team=team)
    total = report(span).total
    # a caller who hung up within short_abandon_seconds was never an offered call
    missed = [item for item in logged_calls(span, missed=True, limit=None)
              if not item.short_abandon]
    tz = settings.tz
    whose = f"{settings.team_name}, week" if team is not None else "Week"
    subject = (f"[dutyline] {whose} of {monday:%d %b %Y}: service level "
               f"{_percent(total['service_level'])}, {len(missed)} missed call(s)")
    lines = [
        f"{settings.team_name}: calls from {monday:%a %d %b} to {sunday:%a %d %b %Y} "
        f"({settings.timezone}).",
        "",
        f"Service level:   {_percent(total['service_level'])} answered within "
        f"{total['threshold_seconds']} s ({total['answered_within']} of {total['offered']} "
        "offered calls)",
        f"Answered:        {total['answered']}",
        f"Speed of answer: mean {_seconds(total['asa_seconds'])}, median "
        f"{_seconds(total['wait_p50_seconds'])}, 90% within "
        f"{_seconds(total['wait_p90_seconds'])}",
        f"Missed calls:    {len(missed)} (voicemail {total['voicemail']}, abandoned "
        f"{total['abandoned']}, fallback {total['fallback']}); short abandons "
        f"{total['short_abandons']} not counted",
        f"Tickets:         {total['tickets']}, past their deadline "
        f"{total['tickets_past_deadline']}",
        f"Blocked:         {total['blocked']} call(s) from numbers on the block list, "
        "not offered",
    ]
    if missed:
        lines += ["", "Missed calls:"]
        for item in missed[:MISSED_LISTED]:
            call = item.call
            lines.append(f"  {call.started_at.astimezone(tz):%a %d %b %H:%M}  "
                         f"{call.from_number:<16} {OUTCOME_LABELS.get(item.outcome, item.outcome):<22}"
                         f" rung: {', '.join(item.rung) or 'nobody'}")
        if len(missed) > MISSED_LISTED:
            lines.append(f"  … and {len(missed) - MISSED_LISTED} more "
                         "(dutyline calls list --missed)")
    lines += callback_lines(tz, team)
    lines += reaction_lines(settings, span, now)
    option = f' --team "{Team.get_by_id(team).name}"' if team is not None else ""
    lines += ["", "Definitions: docs/statistics.md; figures: dutyline report calls "
              f"--from {monday} --to {sunday}{option}."]
    return subject, "\n".join(lines) + "\n"


def callback_lines(tz, team=None):
    """The call-backs still due as the mail is written (dutyline calls missed), of the
    team's calls only with `team` (an id)."""
    due = callbacks_due(team=team)
    lines = ["", f"Call-backs due: {len(due)}"]
    for ticket in due[:MISSED_LISTED]:
        caller = ticket.caller if can_call_back(ticket) else "withheld"
        lines.append(f"  #{ticket.number}  {ticket.created_at.astimezone(tz):%a %d %b %H:%M}  "
                     f"{caller:<16} {ticket.customer.name if ticket.customer_id else ''}")
    if len(due) > MISSED_LISTED:
        lines.append(f"  … and {len(due) - MISSED_LISTED} more (dutyline calls missed)")
    return lines


def reaction_lines(settings, span, now):
    """Per customer: tickets, reacted to in time (a call-back that reached the customer, or
    the acknowledgement where the contract says so), and those that broke the contract's
    reaction time (dutyline report reactions)."""
    found = reactions(settings, span.start, span.end, now, team=span.team)
    if not found:
        return []
    lines = ["", "Reaction (arrival to a call-back that reached the customer, or to the "
                 "acknowledgement where the contract says so):"]
    for row in found:
        broken = ", ".join(f"#{b.ticket}" for b in row.broken[:MISSED_LISTED]) or "none"
        median = "" if row.median_minutes is None else \
            f", median {row.median_minutes:g} {row.unit}"
        lines.append(f"  {row.customer or '(no contract)'}: {row.tickets} ticket(s), "
                     f"{row.within} in time{median}; broke the contract: {broken}")
    return lines


def queue_weekly_summary(settings, recipient, now):
    """Queue last week's summary for `recipient` unless it was queued before; True if added.
    With several teams, a summary a team (each in its own week and settings): True if any
    was added.

    The clock calls this every pass: the outbox's key makes it once per week however often
    the process restarts, and the figures are only worked out when the week has no mail.
    A week whose days are still being counted (StillCounting) waits for a later pass,
    which goes on counting where this one stopped.
    """
    teams = list_teams()
    if len(teams) < 2:
        return _queue_summary(settings, recipient, now, None)
    added = [_queue_summary(settings.of_team(team.name, team.id == FIRST_TEAM), recipient, now,
                            team.id) for team in teams]
    return any(added)


def _queue_summary(settings, recipient, now, team):
    monday, sunday = last_full_week(settings, now)
    key = summary_key(monday, team)
    if OutboxMessage.select().where(OutboxMessage.dedupe_key == key).exists():
        return False
    try:
        subject, body = summary_mail(settings, monday, sunday, now, team)
    except StillCounting as exc:
        log.info("reports.weekly: the week of %s waits: %s", monday.isoformat(), exc)
        return False
    return queue.enqueue(EMAIL, recipient, body, key, now, subject=subject)
