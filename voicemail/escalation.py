"""A voicemail ticket left out of hours is called through until somebody acknowledges it.

The ladder: the duty engineer the call went to, then the period's backup, then the managers'
numbers (all at once), one step each `escalate_after_minutes` after the step before
(the first that long after the ticket was made). Each step is one outbox row per number,
channel `voice`, under a key of the ticket, the step and the number: queued once however
often and in however many processes the clock runs, and made by the outbox worker with its
retries. Acknowledging the ticket (the call's key press, ACK by text, the command line, the
web) cancels the calls not yet made and stops the ladder. In office hours nothing is
called: the ticket is the helpdesk's, as every ticket is. After the last step the managers
are told once by text or mail that nobody acknowledged it, and the ladder ends there. The
office hours, the minutes and the managers are those of the ticket's call's team (its table
in the settings file over the top-level keys; its managers rota.managers.managers_of).
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from accounts import audit
from dutyline.db import database
from dutyline.phones import masked
from hours.business_hours import OUT_OF_HOURS, is_in_hours
from outbox.models import VOICE, OutboxMessage
from outbox.queue import enqueue
from rota.managers import managers_of, tell_managers
from rota.models import Engineer
from rota.models import FIRST_TEAM
from rota.periods import duty_at
from rota.teams import settings_of
from telephony.models import Call
from voicemail.models import Ticket, escalation_prefix
from voicemail.tickets import acknowledge, get_ticket

log = logging.getLogger(__name__)

# tickets older than this are not escalated (a clock down for a day does not ring at once)
LOOK_BACK = timedelta(hours=24)
_KEY = re.compile(r"ticket:([0-9]+):escalate:([0-9]+):")
_NOBODY_TOLD = set()  # tickets whose ended ladder was logged by this process (no managers)


@dataclass(frozen=True)
class Rung:
    """One step of the ladder: who is called, on which numbers."""

    role: str  # duty | backup | managers
    name: str
    numbers: tuple


def who_left_it(ticket):
    """How a call names the ticket's caller: the customer, else an unknown caller."""
    if ticket.customer_id:
        return ticket.customer.name
    return "an unknown caller" if ticket.caller else "a withheld number"


def prompt_text(ticket):
    """What the escalation call asks (as `outbox list` shows it)."""
    return (f"Voicemail ticket {ticket.number} from {who_left_it(ticket)} is waiting. "
            "Press 1 to acknowledge.")


def ladder(ticket, managers):
    """The steps for this ticket: its duty engineer, the backup of its call's team at the
    time, the numbers of `managers` (that team's)."""
    rungs = []
    duty = ticket.engineer if ticket.engineer_id else None
    if duty is not None and duty.active:
        rungs.append(Rung("duty", duty.name, (duty.mobile,)))
    _primary, backup = duty_at(ticket.created_at, ticket.call.team_id or FIRST_TEAM)
    if backup is not None and (duty is None or backup.id != duty.id):
        rungs.append(Rung("backup", backup.name, (backup.mobile,)))
    called = {number for rung in rungs for number in rung.numbers}
    numbers = tuple(n for n in (managers.numbers if managers else ()) if n not in called)
    if numbers:
        rungs.append(Rung("managers", "the managers", numbers))
    return rungs


def step_key(ticket, step, number):
    return f"{escalation_prefix(ticket.number)}{step}:{number}"


def steps_queued(ticket):
    """{step: when it was queued} of the ticket's escalation calls so far."""
    queued = {}
    for message in (OutboxMessage
                    .select(OutboxMessage.dedupe_key, OutboxMessage.created_at)
                    .where(OutboxMessage.channel == VOICE,
                           OutboxMessage.dedupe_key.startswith(escalation_prefix(ticket.number)))):
        match = _KEY.match(message.dedupe_key)
        if match:
            step = int(match.group(2))
            queued[step] = min(queued.get(step, message.created_at), message.created_at)
    return queued


def _waiting_tickets(now):
    return list(Ticket
                .select(Ticket, Call)
                .join(Call, on=(Ticket.call == Call.id))
                .where(Ticket.status == "new", Call.mode == OUT_OF_HOURS,
                       Ticket.created_at > now - LOOK_BACK, Ticket.created_at <= now)
                .order_by(Ticket.id))


def next_step(ticket, rungs, queued, after, now):
    """The step to queue now (an index into `rungs`, or len(rungs) once the ladder is
    done), or None when nothing is due yet."""
    step = max(queued) + 1 if queued else 0
    since = queued[step - 1] if queued else ticket.created_at
    if now < since + after:
        return None
    return min(step, len(rungs))


def _ended(ticket, text, managers, now):
    if managers and tell_managers(managers, f"{escalation_prefix(ticket.number)}ended", text,
                                  now, subject=f"dutyline: ticket #{ticket.number} not seen"):
        log.warning("voicemail.escalation: ticket=%s not acknowledged after every step; "
                    "managers told", ticket.number)
        return True
    if not managers and ticket.id not in _NOBODY_TOLD:
        _NOBODY_TOLD.add(ticket.id)
        log.warning("voicemail.escalation: ticket=%s not acknowledged after every step; no "
                    "managers to tell", ticket.number)
    return False


def _ended_text(ticket):
    return (f"Voicemail ticket #{ticket.number} from {who_left_it(ticket)} is still not "
            "acknowledged after every escalation call.")


def queue_escalations(settings, managers, now):
    """Queue every escalation step now due; the (ticket number, step) pairs newly queued.
    `settings` are the top-level ones: a ticket is escalated in its call's team's hours and
    after its team's `escalate_after_minutes` (none there: that team's tickets ring nobody),
    its last step to that team's managers (managers_of its settings and the installation's
    `managers`)."""
    teams = {}  # team id -> its settings, read once a pass
    plans = []
    # everything is read before the first write: on SQLite a transaction that read first
    # cannot write once another clock has written meanwhile ("database is locked")
    for ticket in _waiting_tickets(now):
        team_id = ticket.call.team_id or FIRST_TEAM
        if team_id not in teams:
            teams[team_id] = settings_of(settings, team_id)
        own = teams[team_id]
        if not own.escalate_after_minutes or is_in_hours(own, now):
            continue
        after = timedelta(minutes=own.escalate_after_minutes)
        told = managers_of(own, managers)
        rungs = ladder(ticket, told)
        step = next_step(ticket, rungs, steps_queued(ticket), after, now)
        if step is not None:
            text = _ended_text(ticket) if step == len(rungs) else prompt_text(ticket)
            plans.append((ticket, rungs, step, text, told))
    added = []
    with database.atomic():
        for ticket, rungs, step, text, told in plans:
            if step == len(rungs):
                _ended(ticket, text, told, now)
                continue
            rung = rungs[step]
            new = [enqueue(VOICE, number, text, step_key(ticket, step, number), now)
                   for number in rung.numbers]
            if any(new):
                added.append((ticket.number, step))
                log.info("voicemail.escalation: ticket=%s step=%s role=%s to=%s", ticket.number,
                         step, rung.role, ",".join(masked(n) for n in rung.numbers))
    return added


def escalation_calls(ticket):
    """The ticket's escalation calls so far, oldest first: step, number, outbox status."""
    return [{"step": int(_KEY.match(m.dedupe_key).group(2)) + 1, "to": m.recipient,
             "status": m.status, "queued_at": m.created_at, "sent_at": m.sent_at,
             "error": m.last_error}
            for m in (OutboxMessage
                      .select()
                      .where(OutboxMessage.channel == VOICE,
                             OutboxMessage.dedupe_key.startswith(escalation_prefix(ticket.number)))
                      .order_by(OutboxMessage.id))
            if _KEY.match(m.dedupe_key)]


def call_of(message):
    """The ticket an escalation call (an outbox row) is about, or None."""
    match = _KEY.match(message.dedupe_key or "") if message.channel == VOICE else None
    return get_ticket(int(match.group(1))) if match else None


def acknowledge_by_key(message, now):
    """The key press on an escalation call: the ticket acknowledged by whoever was called
    (an engineer by their mobile, else a manager's number); True when it was new."""
    ticket = call_of(message)
    engineer = (Engineer
                .select()
                .where(Engineer.mobile == message.recipient, Engineer.active)
                .first())
    # its own write transaction (no read before it in the same one, for SQLite's sake)
    done = acknowledge(ticket.number, now, engineer)
    newly = done.acknowledged_at == now and ticket.status == "new"
    if newly:
        who = engineer.name if engineer is not None else f"manager {masked(message.recipient)}"
        audit.record(who, "ticket acknowledged",
                     f"#{ticket.number} by pressing 1 on an escalation call", now)
    log.info("voicemail.escalation.acknowledge_by_key: ticket=%s to=%s newly=%s",
             ticket.number, masked(message.recipient), newly)
    return newly
