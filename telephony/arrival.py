"""An arriving call: one read builds the snapshot the decision needs.

This path runs once per call and is the line's busiest, so the read is a single statement,
built from the models and compiled once (dutyline.compiled): whether the CallSid is logged
already, the caller's customer, the round-robin position, the signed-in engineers each
flagged when on a support call, the duty engineers (the rota's own query of who is on
duty, rota.periods.on_duty), whatever the mode, and whether the caller's number is blocked
at the call's instant (customers.blocklist); the decision (telephony.routing) picks what it
needs, and telephony.arrival_save writes it.

A retried CallSid is only read here; its answer is replayed from what was stored.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

from peewee import JOIN, SQL, Select, fn

from customers.models import BlockedNumber, Customer, CustomerNumber
from dutyline.compiled import slot, statement, to_db
from dutyline.phones import is_withheld
from rota.models import Absence, DutyPeriod, Engineer
from rota.periods import on_duty, resolve_duty
from telephony.models import Call, CallStatus, HuntPosition, Leg
from telephony.routing import Block, Person, RouteState, SeenCall, Target

CONNECTED_STALE = timedelta(hours=4)  # a picked-up leg with no news for this long has ended


@dataclass(frozen=True)
class Arrival:
    """The arriving call as Twilio describes it (its fields checked by webhooks.twilio_form)."""

    sid: str
    from_number: str
    to_number: str


def on_a_call(leg, engineer_id):
    """A leg picked up (whisper or conversation), not ended and not stale.

    A phone that is only ringing does not count. The partial index leg_on_a_call
    (telephony.models) holds exactly these legs, however long the call log grows.
    """
    return ((leg.engineer == engineer_id) & leg.ended_at.is_null()
            & leg.picked_up_at.is_null(False) & leg.engineer.is_null(False)
            & (leg.started_at > slot("stale")))


def _scalar(query, name):
    return query.limit(1).alias(name)


@statement
def _load():
    now, number = slot("now"), slot("number")
    duty = on_duty(now)
    block = (BlockedNumber.select(BlockedNumber.ends_at)  # not ended at the call's instant
             .where(BlockedNumber.number == number,
                    BlockedNumber.ends_at.is_null() | (BlockedNumber.ends_at > now)))
    caller = Select(columns=[
        _scalar(Call.select(Call.id).where(Call.sid == slot("sid")), "seen"),
        _scalar(CustomerNumber.select(CustomerNumber.customer)
                .where(CustomerNumber.number == number), "customer_id"),
        _scalar(Customer.select(Customer.hours).join(CustomerNumber)
                .where(CustomerNumber.number == number), "hours"),
        duty.primary.alias("primary_id"), duty.backup.alias("backup_id"),
        duty.override.alias("override_id"), _scalar(block.select(BlockedNumber.id), "block_id"),
        _scalar(block, "block_ends_at")]).alias("s")
    position, engineer, leg = HuntPosition.alias("p"), Engineer.alias("e"), Leg.alias("l")
    busy = fn.EXISTS(leg.select(SQL("1")).where(on_a_call(leg, engineer.id)))
    absence = Absence.alias("a")
    away = fn.EXISTS(absence.select(SQL("1")).where(absence.engineer == engineer.id,
                                                     absence.starts_at <= now,
                                                     absence.ends_at > now))
    covering = engineer.active & (engineer.cover_until > now)
    duty = engineer.id.in_([caller.c.primary_id, caller.c.backup_id, caller.c.override_id])
    return (Select([caller], [
                caller.c.seen, caller.c.customer_id, caller.c.hours, caller.c.primary_id,
                caller.c.backup_id, caller.c.override_id, caller.c.block_id,
                caller.c.block_ends_at, position.last_rotation,
                position.version, engineer.id, engineer.name, engineer.rotation,
                engineer.mobile, engineer.desk, engineer.desk_connects, engineer.location,
                engineer.active, engineer.signed_in, covering.alias("covering"), busy.alias("busy"),
                away.alias("away")])
            .join(position, JOIN.LEFT_OUTER, on=(position.id == 1))
            .join(engineer, JOIN.LEFT_OUTER,
                  on=((engineer.active & engineer.signed_in) | duty | covering)))


def load_arrival(arrival, settings, now, fallback_number=None):
    """The snapshot an arrival's decision needs (telephony.routing.RouteState)."""
    rows = _load.rows(now=to_db(DutyPeriod.starts_at, now), number=arrival.from_number,
                      sid=arrival.sid, stale=to_db(Leg.started_at, now - CONNECTED_STALE))
    first = rows[0]  # the outer joins always give at least one row
    people, hunt, cover, busy = {}, [], [], set()
    for row in rows:
        if row["id"] is None:  # nobody signed in or on duty
            continue
        person = Person(id=row["id"], name=row["name"], rotation=row["rotation"],
                        mobile=row["mobile"], desk=row["desk"],
                        desk_connects=bool(row["desk_connects"]),
                        in_office=row["location"] == "office", signed_in=bool(row["signed_in"]))
        people[person.id] = person
        # an engineer on leave is neither hunted nor rung as cover, even when signed in
        if row["active"] and row["signed_in"] and not row["away"]:
            hunt.append(person)
        if row["covering"] and not row["away"]:
            cover.append(person)
        if row["busy"]:
            busy.add(person.id)
    primary, backup = resolve_duty(people.get(first["primary_id"]),
                                   people.get(first["backup_id"]),
                                   people.get(first["override_id"]))
    return RouteState(settings=settings, engineers=tuple(hunt), cover=tuple(cover),
                      last_rotation=first["last_rotation"] or 0, busy_ids=frozenset(busy),
                      primary=primary, backup=backup, fallback_number=fallback_number,
                      customer_hours=first["hours"], customer_id=first["customer_id"],
                      version=first["version"], withheld=is_withheld(arrival.from_number),
                      block=_block(first),
                      seen=_seen(first["seen"]) if first["seen"] is not None else None)


def _block(row):
    """The caller's block in force, as the read found it, or None."""
    if row["block_id"] is None:
        return None
    return Block(ends_at=BlockedNumber.ends_at.python_value(row["block_ends_at"]))


def _seen(call_id):
    """What a retry needs of the call logged first: read only, nothing written."""
    call = Call.get_by_id(call_id)
    leg = Leg.get_or_none(Leg.call == call_id, Leg.step == 0)
    targets = tuple(Target.from_dict(item) for item in json.loads(call.plan or "[]"))
    return SeenCall(id=call.id, gated=call.gated, targets=targets,
                    first_leg_id=leg.id if leg is not None else None, mode=call.mode,
                    blocked=call.status == CallStatus.BLOCKED)


def engineers_on_a_call(now):
    """Engineers on a support call right now (see on_a_call)."""
    rows = _busy.rows(stale=to_db(Leg.started_at, now - CONNECTED_STALE))
    return frozenset(row["id"] for row in rows)


@statement
def _busy():
    engineer, leg = Engineer.alias("e"), Leg.alias("l")
    return (engineer.select(engineer.id).distinct()
            .join(leg, on=on_a_call(leg, engineer.id)))
