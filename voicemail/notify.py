"""Who hears of a voicemail ticket, and what they are told; queued in the ticket's transaction.

- the caller: a text with the reference, when the number is a mobile;
- the duty engineer (out of hours) or the engineers signed in (in hours): a text with the
  reference, customer, callback number and the start of the transcript. It is held back a
  minute so that the transcript, which Twilio sends a little later, can be in it; once
  sent, it is not sent again;
- the helpdesk: an e-mail, and a second one in the same thread when the transcript comes;
- optionally a signed JSON webhook for each of those two events.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from dutyline.phones import is_mobile
from hours.business_hours import OUT_OF_HOURS
from hours.durations import format_duration
from outbox.models import EMAIL, SMS, WEBHOOK
from outbox.queue import amend_queued, enqueue
from rota.models import FIRST_TEAM, Engineer, TeamMember
from voicemail.models import (MISSED_KIND, PRIORITIES, TICKET_BASE, Ticket,
                              engineer_text_prefix, ticket_as_dict)

ENGINEER_TEXT_HOLD = timedelta(seconds=60)
# the notices that ask for an acknowledgement: the keys of engineer_text_prefix (the
# engineers' texts) and of escalation_prefix (the escalation calls, the managers' last word)
_ASKS = re.compile(r"ticket:([0-9]+):(?:engineer-text|escalate):")
TRANSCRIPT_IN_TEXT = 120  # characters of the transcript in an engineer's text


@dataclass(frozen=True)
class Delivery:
    """Where ticket notices go besides texts (from the environment)."""

    helpdesk_email: str | None = None
    webhook_url: str | None = None


def _who(ticket):
    customer = ticket.customer.name if ticket.customer_id else None
    return f"{customer} ({ticket.caller})" if customer else (ticket.caller or "a withheld number")


def _local(instant, tz):
    return instant.astimezone(tz).strftime("%a %d %b %Y %H:%M %Z") if instant else "-"


def _what(ticket):
    return "Missed call" if ticket.kind == MISSED_KIND else "Voicemail"


def subject(ticket):
    label = f"{ticket.priority} {PRIORITIES.get(ticket.priority, '')}".strip()
    return f"[dutyline #{ticket.number}] [{label}] {_what(ticket)} from {_who(ticket)}"


def caller_text(ticket, tz):
    """The caller's text: the reference, and for a missed call the time it came in."""
    if ticket.kind == MISSED_KIND:
        return (f"We missed your call at {ticket.created_at.astimezone(tz):%H:%M}; an engineer "
                f"will call you back. Reference {ticket.number}.")
    return (f"Thank you for your message to support. Your reference is "
            f"#{ticket.number}; an engineer will call you back.")


def engineer_text(ticket):
    text = (f"{_what(ticket)} ticket #{ticket.number} from {_who(ticket)}. "
            f"Call back: {ticket.caller or 'withheld'}.")
    if ticket.transcript:
        start = ticket.transcript[:TRANSCRIPT_IN_TEXT]
        text += f' "{start}{"…" if len(ticket.transcript) > TRANSCRIPT_IN_TEXT else ""}"'
    return text + f" Reply ACK {ticket.number} to acknowledge."


def mail_body(ticket, tz):
    if ticket.customer_id:
        customer = ticket.customer
        contract = (f"{customer.name} ({'24x7' if customer.hours == '24x7' else 'core hours'}, "
                    f"reaction {format_duration(customer.reaction_minutes)})")
    else:
        contract = "unknown caller (no contract on file)"
    lines = [
        f"{_what(ticket)} ticket #{ticket.number}",
        "",
        f"Customer:      {contract}",
        f"Caller:        {ticket.caller or 'withheld'}",
        f"Received:      {_local(ticket.created_at, tz)}",
        f"Reaction due:  {_local(ticket.deadline, tz)}",
        f"Recording:     {ticket.recording_url or '-'}"
        + (f" ({ticket.recording_seconds} s)" if ticket.recording_seconds is not None else ""),
        f"Sent to:       {ticket.engineer.name if ticket.engineer_id else 'the engineers on shift'}",
        "",
        "Transcript:",
        ticket.transcript or ("(no message left)" if ticket.kind == MISSED_KIND else
                              "(not yet available; it follows in a reply to this message)"),
    ]
    return "\n".join(lines) + "\n"


def event_body(event, ticket):
    return json.dumps({"event": event, "ticket": ticket_as_dict(ticket)}, sort_keys=True)


def _engineers_for(ticket, call):
    """Out of hours the duty engineer the call was routed to; in hours the engineers of the
    call's team signed in."""
    if call.mode == OUT_OF_HOURS:
        return [ticket.engineer] if ticket.engineer_id else []
    return list(Engineer
                .select()
                .join(TeamMember)
                .where(TeamMember.team == (call.team_id or FIRST_TEAM), Engineer.active,
                       Engineer.signed_in)
                .order_by(Engineer.rotation))


def _mail_key(ticket, call):
    # the Message-ID is made from this key: the call's Twilio sid makes it unique beyond the
    # ticket number, which another database or a reset one repeats
    return f"ticket:{ticket.number}:mail:{call.sid}"


def queue_ticket_created(ticket, call, delivery, settings, now):
    """Queue the caller's, the engineers' and the helpdesk's notices of a new ticket."""
    key = f"ticket:{ticket.number}"
    if ticket.caller and is_mobile(ticket.caller):
        enqueue(SMS, ticket.caller, caller_text(ticket, settings.tz), f"{key}:caller-text", now)
    for engineer in _engineers_for(ticket, call):
        enqueue(SMS, engineer.mobile, engineer_text(ticket),
                f"{engineer_text_prefix(ticket.number)}{engineer.id}", now,
                not_before=now + ENGINEER_TEXT_HOLD)
    if delivery.helpdesk_email:
        enqueue(EMAIL, delivery.helpdesk_email, mail_body(ticket, settings.tz),
                _mail_key(ticket, call), now, subject=subject(ticket))
    if delivery.webhook_url:
        enqueue(WEBHOOK, delivery.webhook_url, event_body("ticket.created", ticket),
                f"{key}:webhook:created", now)


def queue_transcript(ticket, call, delivery, settings, now):
    """The transcript arrived: into the engineers' held texts, and a follow-up to the helpdesk."""
    key = f"ticket:{ticket.number}"
    for engineer in _engineers_for(ticket, call):
        amend_queued(f"{engineer_text_prefix(ticket.number)}{engineer.id}",
                     engineer_text(ticket))
    if delivery.helpdesk_email:
        enqueue(EMAIL, delivery.helpdesk_email,
                f"Transcript of voicemail ticket #{ticket.number}:\n\n{ticket.transcript}\n",
                f"{_mail_key(ticket, call)}:transcript", now, subject=f"Re: {subject(ticket)}",
                thread_key=_mail_key(ticket, call))
    if delivery.webhook_url:
        enqueue(WEBHOOK, delivery.webhook_url,
                event_body("ticket.transcribed", ticket), f"{key}:webhook:transcribed",
                now)


def queue_priority_changed(ticket, delivery, now, engineer=None):
    """The helpdesk hears of a new priority in the ticket's thread (its subject shows it)."""
    if not delivery.helpdesk_email:
        return False
    call = ticket.call
    by = f" by {engineer.name}" if engineer is not None else ""
    stamp = f"{now:%Y%m%dT%H%M%S.%f}"
    return enqueue(EMAIL, delivery.helpdesk_email,
                   f"Voicemail ticket #{ticket.number} is now priority {ticket.priority} "
                   f"({PRIORITIES.get(ticket.priority, '?')}){by}.\n",
                   f"{_mail_key(ticket, call)}:priority:{ticket.priority}:{stamp}", now,
                   subject=f"Re: {subject(ticket)}", thread_key=_mail_key(ticket, call))


def no_longer_wanted(message):
    """Why an outbox message should not be sent any more, or None: a ticket's engineer text
    or escalation call whose ticket is no longer new (acknowledged or closed meanwhile).
    The outbox worker asks right before sending (outbox.queue.deliver_due's `stale`)."""
    match = _ASKS.match(message.dedupe_key or "")
    if match is None:
        return None
    ticket = Ticket.get_or_none(Ticket.id == int(match.group(1)) - TICKET_BASE)
    if ticket is None or ticket.status == "new":
        return None
    return f"ticket #{ticket.number} is {ticket.status}"
