"""An arriving call: one read builds the snapshot the decision needs.

This path runs once per call and is the line's busiest, so the read is a single statement,
built from the models and compiled once (dutyline.compiled): whether the CallSid is logged
already, the caller's customer, the team (the line's, telephony.lines) and its round-robin
position, the team's engineers signed in, on duty or covering, each flagged when on a call
or on leave (telephony.presence, the conditions every later leg asks too), who is on duty
for the team (the rota's own query, rota.periods.on_duty), whatever the mode, and whether
the caller's number is blocked at the call's instant (customers.blocklist); the decision
(telephony.routing) picks what it needs, and telephony.arrival_save writes it.

A retried CallSid is only read here; its answer is replayed from what was stored.
"""

from dataclasses import dataclass

from peewee import JOIN, SQL, Select, fn

from customers.models import BlockedNumber, Customer, CustomerNumber
from dutyline.compiled import slot, statement
from dutyline.phones import is_withheld
from rota.models import FIRST_TEAM, Engineer, Team, TeamMember
from rota.periods import on_duty, resolve_duty
from telephony import presence
from telephony.models import Call, CallStatus, HuntPosition, Leg, Line
from telephony.routing import Block, Person, RouteState, SeenCall, plan_targets


@dataclass(frozen=True)
class Arrival:
    """The arriving call as Twilio describes it (its fields checked by webhooks.twilio_form)."""

    sid: str
    from_number: str
    to_number: str


def _scalar(query, name):
    return query.limit(1).alias(name)


def _team_of_call():
    """The team the call is for: the one of the line called (slot "to"), else slot "team"
    (the first team for a number with no line or a menu's line; the key's for a menu)."""
    return fn.COALESCE(_scalar(Line.select(Line.team).where(Line.number == slot("to")),
                               "line_team"), slot("team"))


@statement
def _load():
    now, number, team = slot("now"), slot("number"), _team_of_call()
    duty = on_duty(now, team)
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
        _scalar(block, "block_ends_at"), team.alias("team_id"),
        _scalar(Team.select(Team.name).where(Team.id == team), "team_name"),
        _scalar(Line.select(Line.id).where(Line.number == slot("to")), "line_id"),
        _scalar(Line.select(Line.menu.is_null(False)).where(Line.number == slot("to")),
                "menu")]).alias("s")
    position, engineer, member = HuntPosition.alias("p"), Engineer.alias("e"), TeamMember.alias("m")
    of_team = fn.EXISTS(member.select(SQL("1")).where(member.team == caller.c.team_id,
                                                       member.engineer == engineer.id))
    hunted = presence.hunted(engineer) & of_team
    covering = engineer.active & (engineer.cover_until > now) & of_team
    on_duty_now = engineer.id.in_([caller.c.primary_id, caller.c.backup_id,
                                   caller.c.override_id])
    return (Select([caller], [
                caller.c.seen, caller.c.customer_id, caller.c.hours, caller.c.primary_id,
                caller.c.backup_id, caller.c.override_id, caller.c.block_id,
                caller.c.block_ends_at, caller.c.team_id, caller.c.team_name, caller.c.line_id,
                caller.c.menu, position.last_rotation, engineer.id, engineer.name,
                engineer.rotation, engineer.mobile, engineer.desk, engineer.desk_connects,
                engineer.location, hunted.alias("hunted"),
                covering.alias("covering"), presence.busy(engineer).alias("busy"),
                presence.away(engineer).alias("away")])
            .join(position, JOIN.LEFT_OUTER, on=(position.id == caller.c.team_id))
            .join(engineer, JOIN.LEFT_OUTER, on=(hunted | on_duty_now | covering)))


def load_arrival(arrival, settings, now, fallback_number=None, team_id=FIRST_TEAM):
    """The snapshot an arrival's decision needs (telephony.routing.RouteState), for the team
    of the line called, else `team_id` (a menu's key): its engineers, its round robin, its
    rota, its settings (dutyline.settings.Settings.for_team). `menu_line` says the number
    called offers a menu first: the snapshot is then of no use."""
    rows = _load.rows(number=arrival.from_number, sid=arrival.sid, to=arrival.to_number,
                      team=team_id, **presence.moments(now))
    first = rows[0]  # the outer joins always give at least one row
    people, hunt, cover, busy = {}, [], [], set()
    for row in rows:
        if row["id"] is None:  # nobody signed in or on duty
            continue
        person = Person(id=row["id"], name=row["name"], rotation=row["rotation"],
                        mobile=row["mobile"], desk=row["desk"],
                        desk_connects=bool(row["desk_connects"]),
                        in_office=row["location"] == "office", signed_in=bool(row["hunted"]))
        people[person.id] = person
        # an engineer on leave is neither hunted nor rung as cover, even when signed in
        if row["hunted"] and not row["away"]:
            hunt.append(person)
        if row["covering"] and not row["away"]:
            cover.append(person)
        if row["busy"]:
            busy.add(person.id)
    primary, backup = resolve_duty(people.get(first["primary_id"]),
                                   people.get(first["backup_id"]),
                                   people.get(first["override_id"]))
    return RouteState(settings=settings.for_team(first["team_name"]), engineers=tuple(hunt),
                      cover=tuple(cover),
                      last_rotation=first["last_rotation"] or 0, busy_ids=frozenset(busy),
                      primary=primary, backup=backup, fallback_number=fallback_number,
                      customer_hours=first["hours"], customer_id=first["customer_id"],
                      withheld=is_withheld(arrival.from_number), block=_block(first),
                      team_id=first["team_id"], line_id=first["line_id"],
                      menu_line=bool(first["menu"]),
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
    return SeenCall(id=call.id, gated=call.gated, targets=plan_targets(call.plan),
                    first_leg_id=leg.id if leg is not None else None, mode=call.mode,
                    blocked=call.status == CallStatus.BLOCKED)
