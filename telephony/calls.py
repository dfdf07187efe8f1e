"""The call log around the routing decision: arrival, legs, acceptance, the end of a call."""

import json
import logging

from peewee import JOIN, IntegrityError

from dutyline.db import database
from hours.business_hours import IN_HOURS, OUT_OF_HOURS, mode_at
from rota.models import Engineer
from rota.periods import duty_at
from telephony import arrival
from telephony.models import Call, HuntPosition, Leg
from telephony.routing import HUNT, Person, RouteState, Target, decide_route, next_step

log = logging.getLogger(__name__)

CLAIM_ATTEMPTS = 20


def _person(engineer):
    return Person(id=engineer.id, name=engineer.name, rotation=engineer.rotation,
                  mobile=engineer.mobile, desk=engineer.desk,
                  in_office=engineer.location == "office", signed_in=engineer.signed_in)


def targets_of(call):
    return [Target.from_dict(item) for item in json.loads(call.plan or "[]")]


def _replay(call, now):
    """A retried arrival: the stored plan again, its first leg if it was rung."""
    targets = targets_of(call)
    started = Leg.select().where(Leg.call == call).exists()
    step = begin_leg(call, targets, 0, now) if targets and (started or not call.gated) else None
    return call, None, step


def start_call(settings, sid, from_number, to_number, now, fallback_number=None):
    """Log the call and decide its route; returns (call, plan-or-None, first step or None).

    A retried arrival (same CallSid) replays the stored plan instead of deciding again. In
    hours the first engineer is claimed by compare-and-set on the hunt position's version:
    two calls deciding at the same moment cannot both start with the same engineer; the
    loser reads and decides again.
    """
    # Twilio's values are short; anything longer is not a real call and is cut to fit
    sid, from_number, to_number = sid[:64], (from_number or "")[:64], (to_number or "")[:64]
    hunting = mode_at(settings, now) == IN_HOURS
    for _ in range(CLAIM_ATTEMPTS):
        seen = arrival.arrival_state(sid, from_number, now, hunting)
        if seen.seen_call_id is not None:
            return _replay(Call.get_by_id(seen.seen_call_id), now)
        if hunting:
            state = RouteState(settings=settings, engineers=seen.engineers,
                               last_rotation=seen.last_rotation, busy_ids=seen.busy_ids,
                               fallback_number=fallback_number,
                               customer_hours=seen.customer_hours)
        else:
            primary, backup = duty_at(now)
            state = RouteState(settings=settings, primary=_person(primary) if primary else None,
                               backup=_person(backup) if backup else None,
                               fallback_number=fallback_number,
                               customer_hours=seen.customer_hours)
        plan = decide_route(state, now)
        if plan.first_rotation is not None and seen.version is None:
            continue  # the position row was only just made: read it
        duty = state.primary.id if plan.mode == OUT_OF_HOURS and state.primary else None
        targets = list(plan.targets)
        first = targets[0] if targets and not plan.gate else None
        claim = (plan.first_rotation, seen.version) if plan.first_rotation is not None else None
        values = {"sid": sid, "from_number": from_number, "to_number": to_number,
                  "customer_id": seen.customer_id, "started_at": now, "mode": plan.mode,
                  "plan": json.dumps([t.as_dict() for t in targets]), "gated": plan.gate,
                  "duty_engineer_id": duty}
        try:
            written = arrival.record_arrival(values, claim, first)
        except IntegrityError:  # the same arrival, retried at the same moment, won the insert
            return _replay(Call.get(Call.sid == sid), now)
        if written is None:
            continue  # another call moved the position first: decide again
        call_id, leg_id = written
        call = Call(id=call_id, sid=sid, from_number=from_number, to_number=to_number,
                    customer=seen.customer_id, started_at=now, mode=plan.mode,
                    gated=plan.gate, duty_engineer=duty)
        return call, plan, ((first, leg_id) if first is not None else None)
    raise RuntimeError("could not claim the hunt position")


def pass_gate(call, now):
    """The caller pressed 1 for an emergency: the first duty leg, or None when nobody is on duty."""
    targets = targets_of(call)
    return begin_leg(call, targets, 0, now) if targets else None


def begin_leg(call, targets, index, now):
    """The leg for step `index` of the call (created once); moves the hunt position on."""
    target = targets[index]
    leg = Leg.get_or_none(Leg.call == call, Leg.step == index)
    if leg is None:
        try:
            leg = Leg.create(call=call, step=index, engineer=target.engineer_id,
                             number=target.number, role=target.role, started_at=now)
        except IntegrityError:  # a retried callback made it a moment ago
            leg = Leg.get(Leg.call == call, Leg.step == index)
        if target.role == HUNT and index > 0:
            (HuntPosition
             .update(last_rotation=target.rotation, version=HuntPosition.version + 1)
             .where(HuntPosition.id == 1)
             .execute())
    return target, leg.id


def get_leg(leg_id):
    """The leg named in a callback URL, or None."""
    try:
        return Leg.select(Leg, Call).join(Call).where(Leg.id == int(leg_id)).first()
    except (TypeError, ValueError):
        return None


def get_call(call_id):
    """The call named in a callback URL, or None."""
    try:
        return Call.get_or_none(Call.id == int(call_id))
    except (TypeError, ValueError):
        return None


def record_pickup(leg, now):
    """The engineer's phone answered (a person, or their personal voicemail)."""
    (Leg
     .update(picked_up_at=now)
     .where(Leg.id == leg.id, Leg.picked_up_at.is_null())
     .execute())


def record_accept(leg, now):
    """The engineer pressed 1: only this connects the caller."""
    with database.atomic():
        (Leg
         .update(accepted_at=now, outcome="accepted")
         .where(Leg.id == leg.id, Leg.accepted_at.is_null())
         .execute())
        (Call
         .update(status="answered", answered_by=leg.engineer_id, answered_at=now)
         .where(Call.id == leg.call_id, Call.answered_at.is_null())
         .execute())


DIAL_OUTCOMES = {"busy", "no-answer", "failed", "canceled"}


def after_dial(leg, dial_status, settings, now):
    """Close a leg after its <Dial> and say what comes next.

    Returns "done" when the engineer had accepted (the conversation is over), else the next
    (target, leg_id) to ring, else None for voicemail. DialCallStatus alone never counts as
    an answer: a whisper that hung up reports 'completed' too.
    """
    leg = Leg.get_by_id(leg.id)
    accepted = leg.accepted_at is not None
    if leg.ended_at is None:
        outcome = "accepted" if accepted else (
            dial_status if dial_status in DIAL_OUTCOMES else "not-accepted")
        (Leg
         .update(ended_at=now, outcome=outcome)
         .where(Leg.id == leg.id, Leg.ended_at.is_null())
         .execute())
    if accepted or dial_status == "canceled":
        return "done"
    call = leg.call
    targets = targets_of(call)
    ready = frozenset(e.id for e in Engineer.select(Engineer.id)
                      .where(Engineer.active, Engineer.signed_in)) - arrival.engineers_on_a_call(now)
    waited = (now - call.started_at).total_seconds()
    index = next_step(targets, leg.step, ready, waited, settings)
    if index is None:
        return None
    return begin_leg(call, targets, index, now)


TERMINAL_LEG = {"completed", "busy", "no-answer", "failed", "canceled"}


def update_leg_status(leg, status, child_sid, now):
    """Record a status callback of an engineer leg."""
    changes = {}
    if child_sid and not leg.child_sid:
        changes["child_sid"] = child_sid[:64]
    if status == "in-progress" and leg.picked_up_at is None:
        changes["picked_up_at"] = now
    if status in TERMINAL_LEG and leg.ended_at is None:
        changes["ended_at"] = now
        if leg.accepted_at is None:
            changes["outcome"] = status if status != "completed" else "not-accepted"
    if changes:
        Leg.update(**changes).where(Leg.id == leg.id).execute()


def finish_call(sid, duration, now):
    """The caller's call has ended: close its open legs and settle its status."""
    call = Call.get_or_none(Call.sid == sid)
    if call is None:
        return None
    with database.atomic():
        Leg.update(ended_at=now).where(Leg.call == call, Leg.ended_at.is_null()).execute()
        status = call.status
        if status == "ringing":
            status = "missed"
        seconds = int(duration) if str(duration or "").isdigit() else None
        (Call
         .update(ended_at=now, duration=seconds, status=status)
         .where(Call.id == call.id, Call.ended_at.is_null())
         .execute())
    return call


def mark_voicemail(call):
    Call.update(status="voicemail").where(Call.id == call.id, Call.status != "answered").execute()


def list_calls(status=None, limit=200):
    """The most recent calls, newest first, with who answered."""
    query = (Call
             .select(Call, Engineer)
             .join(Engineer, JOIN.LEFT_OUTER, on=(Call.answered_by == Engineer.id))
             .order_by(Call.started_at.desc(), Call.id.desc())
             .limit(limit))
    if status:
        query = query.where(Call.status == status)
    return list(query)


def call_as_dict(call):
    return {"sid": call.sid, "from": call.from_number, "to": call.to_number,
            "started_at": call.started_at.isoformat(), "mode": call.mode, "status": call.status,
            "answered_by": call.answered_by.name if call.answered_by_id else None,
            "ended_at": call.ended_at.isoformat() if call.ended_at else None,
            "duration": call.duration}
