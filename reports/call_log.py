"""The call log as a manager reads it: calls of a span with how each ended and who was rung,
and one call in full (every leg: who, when, for how long, how it ended)."""

from dataclasses import dataclass

from peewee import JOIN

from reports.call_figures import ABANDONED, in_span, outcome_case, team_condition
from reports.models import partial_until
from rota.models import Engineer
from telephony.models import Call, CallStatus, Leg, LegOutcome
from voicemail.models import Ticket, ticket_id


class CallNotFound(LookupError):
    """No call under that CallSid or ticket number."""


# the outcome, as a manager reads it
OUTCOME_LABELS = {"answered": "answered", "voicemail": "voicemail", "fallback": "fallback",
                  "unfinished": "in progress", "abandoned_greeting": "abandoned (greeting)",
                  "abandoned_hunting": "abandoned (ringing)", "abandoned": "abandoned",
                  "blocked": "blocked number"}
# how a leg ended (Leg.outcome)
LEG_ENDINGS = {LegOutcome.ACCEPTED: "accepted", LegOutcome.NO_ANSWER: "no answer",
               LegOutcome.BUSY: "busy", LegOutcome.FAILED: "failed",
               LegOutcome.NOT_ACCEPTED: "picked up, 1 not pressed",
               LegOutcome.CANCELED: "caller hung up", LegOutcome.CALLER_HUNG_UP: "caller hung up",
               LegOutcome.RINGING: "caller hung up",
               LegOutcome.TAKEN_BY_ANOTHER: "cancelled: answered on another leg",
               LegOutcome.JOIN_FAILED: "accepted, dropped before the join",
               LegOutcome.NOT_STARTED: "not started (REST API)",
               LegOutcome.WITHDRAWN: "stopped: no longer needed"}


@dataclass(frozen=True)
class LoggedCall:
    call: Call
    outcome: str  # a key of OUTCOME_LABELS
    rung: tuple  # engineer names, in the order rung
    short_abandon: bool = False

    def as_dict(self):
        call = self.call
        return {"sid": call.sid, "from": call.from_number, "to": call.to_number,
                "started_at": call.started_at.isoformat(), "mode": call.mode,
                "status": call.status, "outcome": self.outcome,
                "answered_by": call.answered_by.name if call.answered_by_id else None,
                "rung": list(self.rung),
                "wait_seconds": _seconds(call.started_at, call.connected_at or call.answered_at),
                "ended_at": call.ended_at.isoformat() if call.ended_at else None,
                "duration": call.duration}


def _seconds(start, end):
    return round((end - start).total_seconds(), 1) if start and end else None


def logged_calls(span=None, missed=False, limit=200, team=None):
    """The calls of `span` (all when None), newest first; `missed` keeps those nobody
    accepted (voicemail, fallback, abandoned, still ringing), not those from blocked numbers,
    which were never offered; `team` (an id) keeps that team's (the first team's with the
    calls of no team)."""
    outcome = outcome_case().alias("outcome")
    query = (Call
             .select(Call, Engineer, outcome)
             .join(Engineer, JOIN.LEFT_OUTER, on=(Call.answered_by == Engineer.id))
             .order_by(Call.started_at.desc(), Call.id.desc())
             .limit(limit))
    if span is not None:
        query = in_span(query, span)
    if missed:
        query = query.where(Call.answered_at.is_null(), Call.status != CallStatus.BLOCKED)
    if team is not None:
        query = query.where(team_condition(team))
    found = list(query)
    rung = _rung([call.id for call in found])
    short = span.short_abandon_seconds if span is not None else None
    return [LoggedCall(call, call.outcome, tuple(rung.get(call.id, ())),
                       _is_short(call, short)) for call in found]


def _is_short(call, seconds):
    if seconds is None or call.outcome not in ABANDONED or call.ended_at is None:
        return False
    return (call.ended_at - call.started_at).total_seconds() <= seconds


def _rung(call_ids):
    """{call id: [engineer names in step order]}."""
    if not call_ids:
        return {}
    rows = (Leg
            .select(Leg.call, Engineer.name)
            .join(Engineer, on=(Leg.engineer == Engineer.id))
            .where(Leg.call.in_(call_ids))
            .order_by(Leg.call, Leg.step)
            .tuples())
    names = {}
    for call_id, name in rows:
        names.setdefault(call_id, []).append(name)
    return names


def find_call(reference):
    """The call with this CallSid, or the call of ticket #NNNN; CallNotFound otherwise."""
    text = str(reference).strip()
    query = Call.select(Call, outcome_case().alias("outcome"))
    call = None
    if text.lstrip("#").isdigit():
        key = ticket_id(text)  # None past any ticket: not found
        ticket = Ticket.get_or_none(Ticket.id == key) if key is not None else None
        if ticket is not None:
            call = query.where(Call.id == ticket.call_id).first()
    else:
        call = query.where(Call.sid == text).first()
    if call is None:
        raise CallNotFound(f"no call with CallSid or ticket number {text!r}")
    return call


def call_detail(reference):
    """One call in full: the call, its outcome, its legs and its ticket number (or None)."""
    call = find_call(reference)
    legs = list(Leg
                .select(Leg, Engineer)
                .join(Engineer, JOIN.LEFT_OUTER, on=(Leg.engineer == Engineer.id))
                .where(Leg.call == call.id)
                .order_by(Leg.step))
    ticket = Ticket.get_or_none(Ticket.call == call.id)
    until = partial_until()
    return {
        **LoggedCall(call, call.outcome, tuple(leg.engineer.name for leg in legs
                                               if leg.engineer_id)).as_dict(),
        "ringing_at": _stamp(call.ringing_at), "connected_at": _stamp(call.connected_at),
        "voicemail_at": _stamp(call.voicemail_at), "fallback_at": _stamp(call.fallback_at),
        "ticket": ticket.number if ticket else None, "team_id": call.team_id,
        "logged_in_part": until is not None and call.started_at <= until,
        "legs": [_leg(leg, call) for leg in legs]}


def _stamp(value):
    return value.isoformat() if value else None


def _leg(leg, call):
    ending = LEG_ENDINGS.get(leg.outcome, leg.outcome)
    if leg.outcome in (LegOutcome.CANCELED, LegOutcome.RINGING, LegOutcome.CALLER_HUNG_UP) \
            and call.answered_at and leg.accepted_at is None:
        ending = "cancelled: answered on another leg"
    if leg.ended_at is None and leg.outcome == LegOutcome.RINGING:
        ending = "ringing"
    rang_from = leg.ringing_at or leg.started_at
    return {"step": leg.step, "engineer": leg.engineer.name if leg.engineer_id else None,
            "number": leg.number, "role": leg.role, "dialled_at": _stamp(leg.started_at),
            "ringing_at": _stamp(leg.ringing_at), "picked_up_at": _stamp(leg.picked_up_at),
            "accepted_at": _stamp(leg.accepted_at), "ended_at": _stamp(leg.ended_at),
            "rang_seconds": _seconds(rang_from, leg.picked_up_at or leg.ended_at),
            "ended": ending}
