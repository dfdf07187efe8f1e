"""Engineers' text messages to the support number: WHO, ON, OFF, COVER, TAKE, ACK, CALL,
YES, HELP.

A text is a command only when the whole message is one; anything else changes nothing
and is answered with the list of commands.

Pure of the web: given the sender's number, the text and `now`, it does the change and
returns the reply. The sender is matched on an active engineer's mobile (E.164); anyone
else gets a short refusal and nothing changes.
"""

import logging
import re
from dataclasses import dataclass

from accounts import audit
from dutyline.phones import InvalidNumber, masked, to_e164
from rota.cover import cover_span, set_cover
from rota.engineers import RotaError, set_signed_in
from inbox.team_texts import (not_in_team, sender_teams, team_names, which_team,
                              who_reply)
from rota.labels import local_label, relative_label
from rota.models import Engineer
from rota.teams import named_team
from rota.swap_requests import NoSwapWaiting, accept_only, day_labels, waiting_for
from rota.take import NothingToTake, take_duty
from voicemail.callbacks import request_callback
from voicemail.models import PRIORITIES
from voicemail.tickets import TicketError, acknowledge, get_ticket

log = logging.getLogger(__name__)

REFUSAL = "Sorry, this number is not registered with the support line."
TURNED_OFF = "Text commands are turned off for this support line; please call the office."
# A text's sender is known by its number alone, which can be forged: every change a text
# makes is confirmed to the engineer's own mobile, with what to do when it was not theirs.
NOT_YOU = " Not sent by you? Reply {undo} and tell the office."
NOT_A_COMMAND = ("Not a command, so nothing was changed. Send one of: WHO, ON, OFF, TAKE, "
                 "COVER, COVER OFF, ACK 1234, HELP.")
HELP_TEXT = ("Commands: WHO (on duty now and next), ON / OFF (join or leave in-hours calls), "
             "COVER / COVER OFF (be rung out of hours after the duty engineer), TAKE (take "
             "duty now until the next handover; in office hours, the coming out-of-hours "
             "period), ACK 1234 (acknowledge ticket 1234; ACK 1234 A also sets its priority: "
             "A critical, B important, C normal, D low), CALL 1234 (we ring you, then put "
             "you through to ticket 1234's caller from the support number), YES (accept the "
             "swap a colleague asked you for), HELP.")


def engineer_by_mobile(number, region):
    """The active engineer whose mobile is `number`, or None."""
    try:
        e164 = to_e164(number, region)
    except InvalidNumber:
        return None
    return (Engineer
            .select()
            .where(Engineer.mobile == e164, Engineer.active)
            .first())


# a text is a command only when the whole of it is one: "take care" or "on my way" are not;
# an ACK of a number past any ticket is one too, answered "no ticket"
_COMMAND = re.compile(r"(WHO|ON|OFF|TAKE|HELP|COVER|COVER OFF|YES)"
                      r"|ACK #?([0-9]{1,30})(?: ([A-Z]))?|CALL #?([0-9]{1,30})")
_TRAILING = ".!?,;: "


@dataclass(frozen=True)
class Command:
    """A text read as a command: its name ("COVER OFF", "ACK" …), and for ACK the ticket
    number and the priority letter (None when not given)."""

    name: str
    ticket: str | None = None
    priority: str | None = None
    team: str | None = None  # for TAKE and COVER: the team named after it, as it is called


def parse_text(text, teams=()):
    """The Command the whole text is, or None. Case, runs of spaces and punctuation at the
    end are forgiven ("take", " TAKE. ", "ack 1042 a"); anything more is not a command,
    but for the name of one of `teams` after TAKE or COVER ("TAKE NETWORK")."""
    cleaned = " ".join((text or "").split()).rstrip(_TRAILING).upper()
    match = _COMMAND.fullmatch(cleaned)
    if match is None:
        first, _, rest = cleaned.partition(" ")
        named = named_team_name(teams, rest) if first in ("TAKE", "COVER") and rest else None
        return Command(first, team=named) if named is not None else None
    if match.group(1):
        return Command(match.group(1))
    if match.group(4):
        return Command("CALL", match.group(4))
    return Command("ACK", match.group(2), match.group(3))


def named_team_name(teams, text):
    """The one of the team names `teams` that `text` is (any case), or None."""
    wanted = text.casefold()
    return next((name for name in teams if " ".join(name.split()).casefold() == wanted), None)


def parse_command(text):
    """The name of the command the text is ("TAKE", "COVER OFF", "ACK" …), or ""."""
    command = parse_text(text)
    return command.name if command is not None else ""


def _sender_team(engineer, command):
    """The team a TAKE or COVER acts in: (team, None), or (None, the reply that says why
    not): the sender's one team, the one they named, or a question which of theirs."""
    teams = sender_teams(engineer)
    if command.team is not None:
        team = named_team(teams, command.team)
        return (team, None) if team is not None else (None, not_in_team(command.team, teams))
    if len(teams) > 1:
        return None, which_team(teams, command.name)
    return teams[0], None


def _take_in_team(engineer, command, now, settings):
    """TAKE in the sender's team: the one they are in, the one they named, or a question."""
    team, reply = _sender_team(engineer, command)
    if team is None:
        return reply
    return _take(engineer, now, settings.for_team(team.name), team.id)


def _take(engineer, now, settings, team):
    tz = settings.tz
    try:
        taken = take_duty(engineer, now, settings, team)
    except NothingToTake as exc:
        if exc.ahead_from is None:
            return "There is no duty period now, so there is nothing to take."
        return (f"There is no duty period from {relative_label(exc.ahead_from, now, tz)}, "
                "so there is nothing to take.")
    if not taken.already:
        _audit(engineer, "duty taken", f"{engineer.name} on duty from "
               f"{local_label(taken.starts_at, tz)} to {local_label(taken.ends_at, tz)}"
               + (f" instead of {taken.previous.name}" if taken.previous else ""), now)
    if taken.ahead:  # in office hours: the coming out-of-hours stretch
        span = (f"from {relative_label(taken.starts_at, now, tz)} until "
                f"{relative_label(taken.ends_at, now, tz)}")
        if taken.already:
            return f"You are already on duty {span}."
        told = f" {taken.previous.name} has been told." if taken.previous is not None else ""
        return (f"You are on duty out of hours {span}; the support line forwards to you "
                f"then.{told} Not sent by you? Call the office.")
    until = local_label(taken.ends_at, tz)
    if taken.already:
        return f"You are already on duty until {until}."
    told = f" {taken.previous.name} has been told." if taken.previous is not None else ""
    return (f"You are on duty now until {until}; the support line forwards to you.{told}"
            " Not sent by you? Call the office.")


def _ack(engineer, command, now, delivery):
    try:
        was_new = get_ticket(command.ticket).status == "new"
        ticket = acknowledge(command.ticket, now, engineer, command.priority, delivery)
    except TicketError as exc:
        return f"Not acknowledged: {exc}."
    set_to = (f", priority {ticket.priority} ({PRIORITIES[ticket.priority]})"
              if command.priority else "")
    if was_new:
        _audit(engineer, "ticket acknowledged", f"#{ticket.number}{set_to}", now)
    elif command.priority:
        _audit(engineer, "ticket priority", f"#{ticket.number}: {ticket.priority_label}", now)
    if ticket.acknowledged_by_id == engineer.id:
        return f"Ticket #{ticket.number} acknowledged{set_to}. Thank you."
    by = ticket.acknowledged_by.name if ticket.acknowledged_by_id else "someone"
    return f"Ticket #{ticket.number} was already acknowledged by {by}{set_to}."


def _call(engineer, command, now):
    """CALL 1234: ring the engineer's own phone, then the ticket's caller (a call-back)."""
    try:
        callback = request_callback(command.ticket, engineer, now)
    except TicketError as exc:
        return f"No call-back: {exc}."
    ticket = callback.ticket
    _audit(engineer, "call-back", f"#{ticket.number}", now)
    return (f"Calling you now for ticket #{ticket.number}: answer and press 1 to be put "
            "through; the customer sees the support number.")


def _cover(engineer, off, now, settings):
    until = set_cover(engineer, not off, settings, now)
    _audit(engineer, "cover", f"{engineer.name}: " + (
        "off" if until is None else f"until {local_label(until, settings.tz)}"), now)
    if until is None:
        return "Cover off: out-of-hours calls will not ring you unless you are on duty."
    starts_at = cover_span(now, settings)[0]
    if starts_at > now:  # asked for in office hours: the coming out-of-hours stretch
        when = (f"from {relative_label(starts_at, now, settings.tz)} until "
                f"{relative_label(until, now, settings.tz)}")
    else:
        when = f"until {local_label(until, settings.tz)}"
    return (f"You are cover {when}: out-of-hours calls ring you after the duty engineer and "
            "the backup. COVER OFF ends it.")


def _yes(engineer, now, settings):
    """YES: accept the one swap request waiting for the engineer, in its team's rota (with
    the team's settings)."""
    waiting = waiting_for(engineer, now)
    if len(waiting) == 1:
        settings = settings.for_team(waiting[0].team.name)
    try:
        request = accept_only(engineer, settings, now)
    except NoSwapWaiting:
        return "No swap request is waiting for your answer, so nothing was changed."
    except RotaError as exc:
        return f"Not swapped: {exc}."
    give, take = day_labels(request, settings)
    requester = request.requester.name
    _audit(engineer, "swap accepted", f"{engineer.name} takes {give} from {requester}, who "
           f"takes {take}", now)
    return (f"Swapped: you are on duty from {give} instead of {take}; {requester} has been "
            "told. Not sent by you? Call the office.")


def _audit(engineer, action, detail, now):
    """Every change a text makes is in the audit log, in the name of the engineer whose
    mobile sent it; written in the text's own transaction (see inbox.once)."""
    audit.record(audit.text_actor(engineer), action, detail, now)


def handle_text(sender, text, now, settings, delivery=None):
    """Carry out an engineer's text command and return the reply to send back; `delivery`
    says where ticket notices go (the helpdesk hears of a priority set by ACK)."""
    command = parse_text(text, team_names())
    name = command.name if command is not None else ""
    if not settings.text_commands:
        log.warning("rota.text_commands.handle_text: turned off, refused sender=%s command=%s",
                    masked(sender), name or "-")
        return TURNED_OFF
    engineer = engineer_by_mobile(sender, settings.phone_region)
    if engineer is None:
        log.warning("inbox.commands.handle_text: unknown sender=%s", masked(sender))
        return REFUSAL
    log.info("inbox.commands.handle_text: engineer=%s command=%s", engineer.id, name or "-")
    if command is None:
        return NOT_A_COMMAND
    if name == "WHO":
        return who_reply(sender_teams(engineer), now, settings)
    if name == "ON":
        set_signed_in(engineer.name, True, now=now)
        _audit(engineer, "presence", f"{engineer.name} signed in", now)
        return "You are signed in: in-hours calls will ring you." + NOT_YOU.format(undo="OFF")
    if name == "OFF":
        set_signed_in(engineer.name, False, now=now)
        _audit(engineer, "presence", f"{engineer.name} signed out", now)
        return ("You are signed out: in-hours calls will not ring you."
                + NOT_YOU.format(undo="ON"))
    if name == "COVER OFF":  # cover is the engineer's, whatever the team
        return _cover(engineer, True, now, settings)
    if name == "COVER":  # until the next handover of the sender's team, in its zone
        team, reply = _sender_team(engineer, command)
        return reply if team is None else _cover(engineer, False, now,
                                                 settings.for_team(team.name))
    if name == "TAKE":
        return _take_in_team(engineer, command, now, settings)
    if name == "ACK":
        return _ack(engineer, command, now, delivery)
    if name == "YES":
        return _yes(engineer, now, settings)
    if name == "CALL":
        return _call(engineer, command, now)
    return HELP_TEXT
