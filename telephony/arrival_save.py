"""An arriving call's one write: the hunt position claimed, the call and its first leg logged.

All or nothing, and the busiest write the line has, so each database does it its own way:

- PostgreSQL in one statement (data-modifying CTEs, INSERT ... SELECT). A call that hunts
  claims the position by upsert: the database moves it past the engineer rung last, as the
  position stands when the row is locked, so no claim is lost however many calls arrive at
  once, and the stored plan starts from the engineer the move picked.
- SQLite in one immediate transaction: the write lock first, then a compare-and-set of the
  position the snapshot read. When another call moved it first, the position is read again
  under that lock, the decision is made again from it and written in the same transaction:
  nobody can move it meanwhile, so the lock is waited for once.

A call from a number on the block list is logged with the status CallStatus.BLOCKED, with no leg and
no claim. A retried CallSid writes nothing new; its answer is replayed from what was stored.
"""

import json
from dataclasses import dataclass, replace
from functools import lru_cache

from peewee import SQL, Cast, IntegrityError, Node, NodeList, PostgresqlDatabase, Select, fn

from dutyline.compiled import slot, statement, to_db
from dutyline.db import database
from telephony.models import Call, CallStatus, HuntPosition, Leg, LegOutcome
from telephony.routing import HUNT, Blocked, Replay, decide_route
from telephony.steps import Ring, Step, shown_caller_id

CALL_VALUES = (Call.sid, Call.from_number, Call.to_number, Call.customer, Call.started_at,
               Call.mode, Call.plan, Call.gated, Call.duty_engineer, Call.status)
LEG_VALUES = (Leg.step, Leg.engineer, Leg.number, Leg.role, Leg.started_at, Leg.outcome)


@dataclass(frozen=True)
class Retry:
    """Nothing was written: the same arrival, retried at the same moment, logged the call
    first. Load again: the new snapshot finds it, and its answer is replayed."""


@dataclass(frozen=True)
class _Write:
    """What one decision writes: the rows' values, and whether it claims the position."""

    decision: object  # telephony.routing.RoutePlan or Blocked
    values: dict
    first: object  # the Target rung first, or None
    claim: bool


def _write(arrival, state, decision, started_at):
    targets = decision.targets
    first = targets[0] if targets and not decision.gate else None
    values = {"sid": arrival.sid, "from_number": arrival.from_number,
              "to_number": arrival.to_number, "customer": state.customer_id,
              "started_at": started_at, "mode": decision.mode, "gated": decision.gate,
              "duty_engineer": decision.duty_engineer_id,
              "status": CallStatus.BLOCKED if isinstance(decision, Blocked) else CallStatus.RINGING,
              "rotation": decision.first_rotation, "version": state.version}
    if first is not None:
        values.update(step=0, engineer=first.engineer_id, number=first.number, role=first.role,
                      outcome=LegOutcome.RINGING)
    return _Write(decision, values, first, decision.first_rotation is not None)


def save_arrival(arrival, state, decision, now):
    """Write what was decided, all or nothing; the Step the caller hears next, or a Retry."""
    if isinstance(decision, Replay):
        return _replayed(arrival, decision, now)
    started_at = to_db(Call.started_at, now)
    write = _write(arrival, state, decision, started_at)
    try:
        if isinstance(database.obj, PostgresqlDatabase):
            call_id, leg_id, engineer_id = _save_postgres(write)
        else:
            write, (call_id, leg_id, engineer_id) = _save_sqlite(arrival, state, write, now)
    except IntegrityError:
        return Retry()
    decision, first, targets = write.decision, write.first, write.decision.targets
    if isinstance(decision, Blocked):
        return Step(blocked=True)
    if decision.gate:
        return Step(gate_call_id=call_id)
    if first is not None and first.engineer_id != engineer_id:  # the claim picked another
        first = next(t for t in targets if t.engineer_id == engineer_id and t.role == HUNT)
    return Step(greeting=decision.greeting, fallback_number=decision.fallback_number,
                ring=Ring(first, leg_id, shown_caller_id(arrival.from_number))
                if first is not None else None)


def _plan(targets):
    """The call's plan as stored: its targets in the order they are rung.

    The text json.dumps makes of the list of their dicts, put together from each target's
    own text: the same engineers come back in every round and in every call.
    """
    return "[" + ", ".join([_target_json(t) for t in targets]) + "]"


@lru_cache(maxsize=1024)
def _target_json(target):
    return json.dumps(target.as_dict())


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


def _item(target, key, cast=None):
    """One key of a plan's target (a json value), as text or cast."""
    node = NodeList((target, SQL(f"->> '{key}'")))
    return Cast(node, cast) if cast else node


def _hunt_claim():
    """The position moved past the engineer rung last, as it stands once the row is locked.

    `rotations`: the hunt's engineers' rotations, lowest first. The next one after the
    position, or the lowest once past the last: what telephony.routing.hunt_order starts at.
    """
    rotation = fn.unnest(Cast(slot("rotations"), "integer[]")).alias("r")
    following = (Select(from_list=[rotation], columns=[fn.MIN(SQL('"r"'))])
                 .where(SQL('"r"') > HuntPosition.last_rotation))
    lowest = Select(from_list=[rotation], columns=[fn.MIN(SQL('"r"'))])
    return (HuntPosition.insert(id=1, last_rotation=slot("rotation"), version=1)
            .on_conflict(conflict_target=[HuntPosition.id],
                         update={HuntPosition.last_rotation: fn.COALESCE(following, lowest),
                                 HuntPosition.version: HuntPosition.version + 1})
            .returning(HuntPosition.last_rotation))


def _hunt_postgres():
    """One statement for a call that hunts: claim, plan from the claimed engineer, call, leg.

    `rounds` is the hunt's rounds one after the other, each in rotation order from the
    lowest and `per_round` long; the plan is each round started at the claimed rotation and
    wrapped round, as hunt_order would have ordered it had the snapshot seen the position
    the claim moved. (The rounds come as one list, not counted out by generate_series: its
    row estimate follows a literal count but not a parameter, which made every generic
    plan look dearer than a custom one and had the statement planned anew at every call.)
    """
    claimed = _hunt_claim().cte("claimed")
    target, n = SQL('"t"."target"'), SQL('"t"."n"')
    items = NodeList((fn.json_array_elements(Cast(slot("rounds"), "json")),
                      SQL('WITH ORDINALITY AS "t" ("target", "n")')))
    cycle = (n - SQL("1")) / Cast(slot("per_round"), "integer")
    step = fn.row_number().over(order_by=[
        cycle, _item(target, "rotation", "integer") < claimed.c.last_rotation, n]) - SQL("1")
    ordered = Select(from_list=[claimed, items],
                     columns=[target.alias("target"), step.alias("step")]).cte("ordered")
    plan = Select([ordered], [Cast(fn.json_agg(NodeList((ordered.c.target, SQL("ORDER BY"),
                                                         ordered.c.step))), "text")])
    call_values = [plan if f is Call.plan else _Typed(f) for f in CALL_VALUES]
    new_call = (Call.insert_from(Select([claimed], call_values), CALL_VALUES)
                .returning(Call.id).cte("new_call"))
    leg = (Select([new_call, ordered],
                  [new_call.c.id, _Typed(Leg.step),
                   _item(ordered.c.target, "engineer_id", "integer"),
                   _item(ordered.c.target, "number"), _item(ordered.c.target, "role"),
                   _Typed(Leg.started_at), _Typed(Leg.outcome)])
           .where(ordered.c.step == 0))
    return (Leg.insert_from(leg, (Leg.call,) + LEG_VALUES)
            .returning(Leg.call.alias("call_id"), Leg.id.alias("leg_id"),
                       Leg.engineer.alias("engineer_id"))
            .with_cte(claimed, ordered, new_call))


def _log_postgres(leg):
    """One statement for a call that claims nothing: the call, and its first leg if any."""
    new_call = Call.insert({f: slot(f.name) for f in CALL_VALUES}).returning(Call.id)
    if not leg:
        return new_call.returning(Call.id.alias("call_id"), SQL("NULL").alias("leg_id"),
                                  SQL("NULL").alias("engineer_id"))
    new_call = new_call.cte("new_call")
    values = Select([new_call], [new_call.c.id] + [_Typed(f) for f in LEG_VALUES])
    return (Leg.insert_from(values, (Leg.call,) + LEG_VALUES)
            .returning(Leg.call.alias("call_id"), Leg.id.alias("leg_id"),
                       Leg.engineer.alias("engineer_id"))
            .with_cte(new_call))


_HUNT_POSTGRES = statement(_hunt_postgres)
_LOG_POSTGRES = {leg: statement(lambda g=leg: _log_postgres(g)) for leg in (False, True)}


def _save_postgres(write):
    values = write.values
    if not write.claim:
        row = _LOG_POSTGRES[write.first is not None].row(plan=_plan(write.decision.targets),
                                                          **values)
        return row["call_id"], row["leg_id"], row["engineer_id"]
    # one round of the hunt, lowest rotation first (a round repeats every engineer once)
    targets = write.decision.targets
    engineers = {t.engineer_id: t for t in targets}
    one_round = sorted(engineers.values(), key=lambda t: (t.rotation, t.engineer_id))
    row = _HUNT_POSTGRES.row(
        rotations=[t.rotation for t in one_round], per_round=len(one_round),
        rounds=_plan(one_round * (len(targets) // len(one_round))), **values)
    return row["call_id"], row["leg_id"], row["engineer_id"]


def _claim(version_known):
    """Move the position only if nobody moved it since it was read; make it when missing."""
    if not version_known:
        return (HuntPosition.insert(id=1, last_rotation=slot("rotation"), version=1)
                .on_conflict_ignore())
    return (HuntPosition
            .update(last_rotation=slot("rotation"), version=HuntPosition.version + 1)
            .where(HuntPosition.id == 1, HuntPosition.version == slot("version")))


_SQLITE_CLAIM = {known: statement(lambda k=known: _claim(k)) for known in (False, True)}
_SQLITE_CALL = statement(lambda: Call.insert({f: slot(f.name) for f in CALL_VALUES})
                         .returning(Call.id))
_SQLITE_LEG = statement(lambda: Leg.insert({f: slot(f.name) for f in (Leg.call,) + LEG_VALUES})
                        .returning(Leg.id))


@statement
def _position():
    return HuntPosition.select(HuntPosition.last_rotation, HuntPosition.version).where(
        HuntPosition.id == 1)


def _save_sqlite(arrival, state, write, now):
    """One immediate transaction: the write lock first, so nothing can slip in between.

    A claim lost to another call is decided again from the position read under the lock,
    and that decision written: its compare-and-set cannot lose, nobody else can write.
    """
    plan = _plan(write.decision.targets)  # made before the lock is taken
    with database.obj.atomic("IMMEDIATE"):  # the database itself, not through its proxy
        if write.claim and not _claimed(state, write):
            row = _position.row() or {"last_rotation": 0, "version": None}
            state = replace(state, last_rotation=row["last_rotation"], version=row["version"])
            write = _write(arrival, state, decide_route(state, now), write.values["started_at"])
            plan = _plan(write.decision.targets)
            if write.claim and not _claimed(state, write):
                raise RuntimeError("the hunt position moved under the write lock")
        values = write.values
        call_id = _SQLITE_CALL.run(plan=plan, **values).fetchone()[0]
        leg_id = (_SQLITE_LEG.run(call=call_id, **values).fetchone()[0]
                  if write.first is not None else None)
        return write, (call_id, leg_id, values.get("engineer"))


def _claimed(state, write):
    return _SQLITE_CLAIM[state.version is not None].run(**write.values).rowcount == 1


def _replayed(arrival, replay, now):
    """The retried arrival's answer, as the first one was: the gate again, or the greeting
    and the first leg of its stored plan (the caller's number shown), else the greeting and
    the fallback number or voicemail; a blocked call hears its sentence again."""
    seen = replay.call
    if seen.blocked:
        return Step(blocked=True)
    if seen.gated and seen.first_leg_id is None:
        return Step(gate_call_id=seen.id)
    if not seen.targets:
        return Step(greeting=replay.greeting, fallback_number=replay.fallback_number)
    first = seen.targets[0]
    leg_id = seen.first_leg_id
    if leg_id is None:  # a call logged without its first leg (by an older version)
        (Leg.insert(call=seen.id, step=0, engineer=first.engineer_id, number=first.number,
                    role=first.role, started_at=now).on_conflict_ignore().execute())
        leg_id = Leg.get(Leg.call == seen.id, Leg.step == 0).id
    return Step(greeting=replay.greeting,
                ring=Ring(first, leg_id, shown_caller_id(arrival.from_number)))
