"""An arriving call's one write, all or nothing: the hunt position claimed, the call and
its first leg logged.

A call that hunts claims the position first (telephony.position.claim, with the rotations
of its plan's engineers): the database picks the engineer after the one rung last as the
position stands, and the plan is turned to start there before it is stored. However many
calls arrive at once, each starts with its own engineer, and the snapshot the decision was
made from may be overtaken without anything being decided again.

On SQLite the transaction takes the write lock first, so the claim and the rows are
written under it. On PostgreSQL a hunting call's claim, call and first leg are one
statement (the claim's query composed with the two inserts): each statement there is a
round trip to the server, and a transaction of three would hold the position's row locked
over four more of them, a fifth of an arrival's time (docs/performance.md). Python still
decides every order: the statement is given the plan for each rotation the claim can land
on, and stores the one it landed on.

A call from a number on the block list is logged with the status CallStatus.BLOCKED, with
no leg and no claim. A retried CallSid writes nothing new; its answer is replayed from what
was stored.
"""

from dataclasses import dataclass

import json

from peewee import Cast, IntegrityError, PostgresqlDatabase, Select, fn

from dutyline.compiled import slot, statement
from dutyline.db import database
from telephony.models import Call, CallStatus, Leg, LegOutcome
from telephony.position import claim, claim_query, claim_slots
from telephony.routing import Blocked, Replay, plan_json
from telephony.steps import Ring, Step, shown_caller_id


@dataclass(frozen=True)
class Retry:
    """Nothing was written: the same arrival, retried at the same moment, logged the call
    first. Load again: the new snapshot finds it, and its answer is replayed."""


CALL_VALUES = (Call.sid, Call.from_number, Call.to_number, Call.customer, Call.started_at,
               Call.mode, Call.plan, Call.gated, Call.duty_engineer, Call.status, Call.team,
               Call.line)
LEG_VALUES = (Leg.call, Leg.step, Leg.engineer, Leg.number, Leg.role, Leg.started_at,
              Leg.outcome)

_NEW_CALL = statement(lambda: Call.insert({f: slot(f.name) for f in CALL_VALUES})
                      .returning(Call.id))
_FIRST_LEG = statement(lambda: Leg.insert({f: slot(f.name) for f in LEG_VALUES})
                       .returning(Leg.id))


def save_arrival(arrival, state, decision, now, arrived_at=None):
    """Write what was decided, all or nothing; the Step the caller hears next, or a Retry.
    The call arrived at `arrived_at` (a menu's caller, who chose a moment ago), else `now`;
    its first leg starts `now`."""
    if isinstance(decision, Replay):
        return _replayed(arrival, decision, now)
    try:
        if (decision.first_rotation is not None and not decision.gate
                and isinstance(database.obj, PostgresqlDatabase)):
            decision, call_id, leg_id = _claim_and_log(arrival, state, decision, now,
                                                       arrived_at or now)
        else:
            with _write_transaction():
                if decision.first_rotation is not None:
                    decision = decision.starting_at(claim(decision.rotations, state.team_id))
                call_id, leg_id = _log(arrival, state, decision, now, arrived_at or now)
    except IntegrityError:
        return Retry()
    if isinstance(decision, Blocked):
        return Step(blocked=True)
    if decision.gate:
        return Step(gate_call_id=call_id)
    ring = None
    if decision.targets:
        ring = Ring(decision.targets[0], leg_id, shown_caller_id(arrival.from_number))
    return Step(greeting=decision.greeting, fallback_number=decision.fallback_number, ring=ring)


def _write_transaction():
    """SQLite: the write lock before anything is read. PostgreSQL: the claim's row lock."""
    if isinstance(database.obj, PostgresqlDatabase):
        return database.atomic()
    return database.atomic("IMMEDIATE")


def _log(arrival, state, decision, now, arrived_at):
    """The call, and its first leg unless nobody is rung yet: (call id, leg id or None)."""
    started_at = Call.started_at.db_value(arrived_at)
    status = CallStatus.BLOCKED if isinstance(decision, Blocked) else CallStatus.RINGING
    call_id = _NEW_CALL.value(
        sid=arrival.sid, from_number=arrival.from_number, to_number=arrival.to_number,
        customer=state.customer_id, started_at=started_at, mode=decision.mode,
        plan=plan_json(decision.targets), gated=decision.gate,
        duty_engineer=decision.duty_engineer_id, status=status, team=state.team_id,
        line=state.line_id)
    if not decision.targets or decision.gate:
        return call_id, None
    first = decision.targets[0]
    leg_id = _FIRST_LEG.value(call=call_id, step=0, engineer=first.engineer_id,
                              number=first.number, role=first.role,
                              started_at=Leg.started_at.db_value(now),
                              outcome=LegOutcome.RINGING)
    return call_id, leg_id


def _choice(claimed, field):
    """A field of the plan chosen by the rotation claimed, as text."""
    rotation = Cast(claimed.c.last_rotation, "text")
    return fn.json_extract_path_text(Cast(slot("choices"), "json"), rotation, field)


@statement
def _claimed_call_and_leg():
    """PostgreSQL: the claim, the call and its first leg in one statement; its slots are
    the claim's, the call's values but its plan, the leg's start and outcome, and `choices`
    (JSON: for each rotation the claim may give, the plan turned to start there and its
    first target). Returns the call's and the leg's ids and the rotation claimed."""
    claimed = claim_query().cte("claimed")
    call_fields = [f for f in CALL_VALUES if f is not Call.plan] + [Call.plan]
    new_call = (Call.insert_from(
        Select([claimed], [slot(f.name) for f in call_fields[:-1]] + [_choice(claimed, "plan")]),
        call_fields).returning(Call.id).cte("new_call"))
    new_leg = (Leg.insert_from(
        Select([new_call, claimed],
               [new_call.c.id, 0, Cast(_choice(claimed, "engineer"), "integer"),
                _choice(claimed, "number"), _choice(claimed, "role"), slot("leg_started_at"),
                slot("outcome")]),
        LEG_VALUES).returning(Leg.id).cte("new_leg"))
    return (Select([new_call, new_leg, claimed],
                   [new_call.c.id, new_leg.c.id, claimed.c.last_rotation])
            .with_cte(claimed, new_call, new_leg))


def _claim_and_log(arrival, state, decision, now, arrived_at):
    """The PostgreSQL write of a hunting call: (decision as claimed, call id, leg id)."""
    choices = {}
    for rotation in decision.rotations:
        turned = decision.starting_at(rotation)
        first = turned.targets[0]
        choices[rotation] = {"plan": plan_json(turned.targets), "engineer": first.engineer_id,
                             "number": first.number, "role": first.role}
    call_id, leg_id, rotation = _claimed_call_and_leg.run(
        **claim_slots(decision.rotations, state.team_id), choices=json.dumps(choices),
        sid=arrival.sid, from_number=arrival.from_number, to_number=arrival.to_number,
        customer=state.customer_id, started_at=Call.started_at.db_value(arrived_at),
        leg_started_at=Leg.started_at.db_value(now),
        mode=decision.mode, gated=decision.gate, duty_engineer=decision.duty_engineer_id,
        status=CallStatus.RINGING, line=state.line_id,  # the team: the claim's own slot
        outcome=LegOutcome.RINGING).fetchone()
    return decision.starting_at(rotation), call_id, leg_id


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
