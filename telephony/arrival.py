"""An arriving call: one read builds the snapshot, one write saves the decision.

This path runs once per call and is the line's busiest, so each side is a single statement
where the database allows it, built from the models and compiled once (dutyline.compiled):

- `load_arrival`: whether the CallSid is logged already, the caller's customer, the
  round-robin position, the signed-in engineers each flagged when on a support call, and
  the duty engineers, whatever the mode; the decision (telephony.routing) picks what it needs;
- `save_arrival`: the compare-and-set of the position, the call and its first leg, all or
  nothing. PostgreSQL does it in one statement (data-modifying CTEs, INSERT ... SELECT);
  SQLite in one immediate transaction.

A retried CallSid is only read here; its answer is replayed from what was stored.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

from peewee import JOIN, SQL, IntegrityError, Node, PostgresqlDatabase, Select, fn

from customers.models import Customer, CustomerNumber
from dutyline.compiled import slot, statement, to_db
from dutyline.db import database
from dutyline.phones import is_withheld
from rota.models import Absence, DutyPeriod, Engineer, Override
from rota.periods import resolve_duty
from telephony.models import Call, HuntPosition, Leg
from telephony.routing import Person, Replay, RouteState, SeenCall, Target
from telephony.steps import Ring, Step, shown_caller_id

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
    period = (DutyPeriod.select(DutyPeriod.primary)
              .where(DutyPeriod.starts_at <= now, DutyPeriod.ends_at > now)
              .order_by(DutyPeriod.starts_at.desc()))
    backup = period.select(DutyPeriod.backup)
    override = (Override.select(Override.engineer).join(Engineer)
                .where(Override.starts_at <= now, Override.ends_at > now, Engineer.active)
                .order_by(Override.created_at.desc(), Override.id.desc()))
    caller = Select(columns=[
        _scalar(Call.select(Call.id).where(Call.sid == slot("sid")), "seen"),
        _scalar(CustomerNumber.select(CustomerNumber.customer)
                .where(CustomerNumber.number == number), "customer_id"),
        _scalar(Customer.select(Customer.hours).join(CustomerNumber)
                .where(CustomerNumber.number == number), "hours"),
        _scalar(period, "primary_id"), _scalar(backup, "backup_id"),
        _scalar(override, "override_id")]).alias("s")
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
                caller.c.backup_id, caller.c.override_id, position.last_rotation,
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
                      seen=_seen(first["seen"]) if first["seen"] is not None else None)


def _seen(call_id):
    """What a retry needs of the call logged first: read only, nothing written."""
    call = Call.get_by_id(call_id)
    leg = Leg.get_or_none(Leg.call == call_id, Leg.step == 0)
    targets = tuple(Target.from_dict(item) for item in json.loads(call.plan or "[]"))
    return SeenCall(id=call.id, gated=call.gated, targets=targets,
                    first_leg_id=leg.id if leg is not None else None)


CALL_VALUES = (Call.sid, Call.from_number, Call.to_number, Call.customer, Call.started_at,
               Call.mode, Call.plan, Call.gated, Call.duty_engineer, Call.status)
LEG_VALUES = (Leg.step, Leg.engineer, Leg.number, Leg.role, Leg.started_at, Leg.outcome)


def _claim(version_known):
    """Move the position only if nobody moved it since it was read; make it when missing."""
    if not version_known:
        return (HuntPosition.insert(id=1, last_rotation=slot("rotation"), version=1)
                .on_conflict_ignore())
    return (HuntPosition
            .update(last_rotation=slot("rotation"), version=HuntPosition.version + 1)
            .where(HuntPosition.id == 1, HuntPosition.version == slot("version")))


class _Typed(Node):
    """A slot cast to its column's type, in the dialect's name for it.

    Values selected rather than inserted, as INSERT ... SELECT does, need it: PostgreSQL
    takes a bare NULL or literal in a select list for text.
    """

    def __init__(self, field):
        self.field = field

    def __sql__(self, ctx):
        kind = ctx.state.field_types[self.field.field_type]
        return ctx.literal("CAST(").sql(slot(self.field.name)).literal(f" AS {kind})")


def _write_postgres(claim, version_known, leg):
    """One statement: a lost claim inserts nothing, a duplicate CallSid undoes the claim."""
    ctes = []
    if claim:
        claimed = _claim(version_known).returning(HuntPosition.id).cte("claimed")
        ctes.append(claimed)
        call = Call.insert_from(Select([claimed], [_Typed(f) for f in CALL_VALUES]), CALL_VALUES)
    else:
        call = Call.insert({f: slot(f.name) for f in CALL_VALUES})
    new_call = call.returning(Call.id).cte("new_call")
    ctes.append(new_call)
    if leg:
        leg_values = Select([new_call], [new_call.c.id] + [_Typed(f) for f in LEG_VALUES])
        last = (Leg.insert_from(leg_values, (Leg.call,) + LEG_VALUES)
                .returning(Leg.call.alias("call_id"), Leg.id.alias("leg_id")))
    else:
        last = Select([new_call], [new_call.c.id.alias("call_id"), SQL("NULL").alias("leg_id")])
    return last.with_cte(*ctes)


# (claim, version known, first leg) -> the statement of that shape
_POSTGRES = {(c, k, g): statement(lambda c=c, k=k, g=g: _write_postgres(c, k, g))
             for c in (False, True) for k in (False, True) for g in (False, True)}
_SQLITE_CLAIM = {known: statement(lambda k=known: _claim(k)) for known in (False, True)}
_SQLITE_CALL = statement(lambda: Call.insert({f: slot(f.name) for f in CALL_VALUES})
                         .returning(Call.id))
_SQLITE_LEG = statement(lambda: Leg.insert({f: slot(f.name) for f in (Leg.call,) + LEG_VALUES})
                        .returning(Leg.id))


def save_arrival(arrival, state, decision, now):
    """Write what was decided, all or nothing; the Step the caller hears next.

    None when nothing could be written: another call moved the hunt position since the
    snapshot, or the same arrival, retried at the same moment, logged the call first.
    Either way: load and decide again.
    """
    if isinstance(decision, Replay):
        return _replayed(decision.call, now)
    targets = decision.targets
    first = targets[0] if targets and not decision.gate else None
    values = {"sid": arrival.sid, "from_number": arrival.from_number,
              "to_number": arrival.to_number, "customer": state.customer_id,
              "started_at": to_db(Call.started_at, now), "mode": decision.mode,
              "plan": json.dumps([t.as_dict() for t in targets]),
              "gated": decision.gate, "duty_engineer": decision.duty_engineer_id,
              "status": "ringing", "rotation": decision.first_rotation,
              "version": state.version}
    if first is not None:
        values.update(step=0, engineer=first.engineer_id, number=first.number, role=first.role,
                      outcome="ringing")
    claim = decision.first_rotation is not None
    try:
        written = (_save_postgres if isinstance(database.obj, PostgresqlDatabase)
                   else _save_sqlite)(values, claim, state.version is not None, first is not None)
    except IntegrityError:
        return None
    if written is None:
        return None
    call_id, leg_id = written
    if decision.gate:
        return Step(gate_call_id=call_id)
    return Step(greeting=decision.greeting, fallback_number=decision.fallback_number,
                ring=Ring(first, leg_id, shown_caller_id(arrival.from_number))
                if first is not None else None)


def _save_postgres(values, claim, version_known, leg):
    row = _POSTGRES[claim, version_known, leg].row(**values)
    return None if row is None else (row["call_id"], row["leg_id"])


def _save_sqlite(values, claim, version_known, leg):
    """One immediate transaction: the write lock first, so nothing can slip in between."""
    with database.atomic("IMMEDIATE"):
        if claim and _SQLITE_CLAIM[version_known].run(**values).rowcount != 1:
            return None
        call_id = _SQLITE_CALL.run(**values).fetchone()[0]
        leg_id = _SQLITE_LEG.run(call=call_id, **values).fetchone()[0] if leg else None
        return call_id, leg_id


def _replayed(seen, now):
    """The retried arrival's answer: the gate again, or the first leg of its stored plan."""
    if seen.gated and seen.first_leg_id is None:
        return Step(gate_call_id=seen.id)
    if not seen.targets:
        return Step()
    first = seen.targets[0]
    leg_id = seen.first_leg_id
    if leg_id is None:  # a call logged without its first leg (by an older version)
        (Leg.insert(call=seen.id, step=0, engineer=first.engineer_id, number=first.number,
                    role=first.role, started_at=now).on_conflict_ignore().execute())
        leg_id = Leg.get(Leg.call == seen.id, Leg.step == 0).id
    return Step(ring=Ring(first, leg_id))


def engineers_on_a_call(now):
    """Engineers on a support call right now (see on_a_call)."""
    rows = _busy.rows(stale=to_db(Leg.started_at, now - CONNECTED_STALE))
    return frozenset(row["id"] for row in rows)


@statement
def _busy():
    engineer, leg = Engineer.alias("e"), Leg.alias("l")
    return (engineer.select(engineer.id).distinct()
            .join(leg, on=on_a_call(leg, engineer.id)))
