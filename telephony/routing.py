"""Who a call should reach: a pure decision from loaded data and the call's instant."""

import json
from dataclasses import dataclass, field, replace
from datetime import datetime

from hours.business_hours import IN_HOURS, OUT_OF_HOURS, mode_at

HUNT = "hunt"
PRIMARY = "primary"
BACKUP = "backup"
COVER = "cover"
CORE_HOURS = "core"


# out of hours with nobody on duty: no promise of "the engineer on duty"
CLOSED_GREETING = "Thank you for calling support. Our office is closed."
# all a caller on the block list hears before the line hangs up
BLOCKED_SENTENCE = "This number cannot reach support. Goodbye."


@dataclass(frozen=True)
class Person:
    """An engineer as the router sees them."""

    id: int
    name: str
    rotation: int
    mobile: str
    desk: str | None = None
    in_office: bool = True
    signed_in: bool = True
    desk_connects: bool = False  # the desk phone connects on pick-up, with no whisper

    @property
    def hunt_number(self):
        return self.desk if self.in_office and self.desk else self.mobile

    @property
    def hunt_on_pickup(self):
        """True when the in-hours number (the desk phone) connects on pick-up."""
        return bool(self.desk_connects and self.in_office and self.desk)


@dataclass(frozen=True)
class Target:
    """One engineer to ring, on one number, in one role."""

    engineer_id: int
    name: str
    number: str
    role: str
    rotation: int = 0
    # a desk phone set to connect on pick-up: no press-1 whisper, the pick-up is the accept
    on_pickup: bool = False

    def as_dict(self):
        data = {"engineer_id": self.engineer_id, "name": self.name, "number": self.number,
                "role": self.role, "rotation": self.rotation}
        if self.on_pickup:
            data["on_pickup"] = True
        return data

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


def plan_json(targets):
    """The plan as Call.plan stores it: its targets in the order they are rung."""
    return json.dumps([target.as_dict() for target in targets])


def plan_targets(text):
    """The targets of a plan as Call.plan stores it."""
    return tuple(Target.from_dict(item) for item in json.loads(text or "[]"))


@dataclass(frozen=True)
class SeenCall:
    """A call already logged under the arriving CallSid: Twilio retried its request."""

    id: int
    gated: bool
    targets: tuple = ()
    first_leg_id: int | None = None  # its step 0, once rung
    mode: str = ""  # as logged: IN_HOURS or OUT_OF_HOURS
    blocked: bool = False  # logged as a call from a number on the block list


@dataclass(frozen=True)
class Block:
    """The caller's number is on the block list (customers.blocklist), until `ends_at`, the
    end of a local day (None: until removed)."""

    ends_at: datetime | None = None

    def in_force(self, now):
        return self.ends_at is None or now < self.ends_at


@dataclass(frozen=True)
class RouteState:
    """The snapshot of everything the decision needs, loaded before it is made, for either mode."""

    settings: object
    engineers: tuple = ()  # signed-in, active engineers not on leave: the hunt
    cover: tuple = ()  # engineers signed in as out-of-hours cover, not on leave
    last_rotation: int = 0
    busy_ids: frozenset = frozenset()  # engineers on a support call
    primary: Person | None = None  # on duty out of hours
    backup: Person | None = None
    fallback_number: str | None = None
    customer_hours: str | None = None  # the caller's contract: core | 24x7 | None (unknown)
    customer_id: int | None = None
    seen: SeenCall | None = None
    withheld: bool = False  # the caller withheld the number
    block: Block | None = None  # the caller's number is on the block list
    team_id: int = 1  # the team the call is for (rota.models.FIRST_TEAM unless a line says)
    line_id: int | None = None  # the line called (telephony.lines), None for a number with none
    menu_line: bool = False  # the line called offers a menu first: nothing else here counts


@dataclass(frozen=True)
class RoutePlan:
    mode: str
    greeting: str
    targets: tuple = field(default_factory=tuple)
    fallback_number: str | None = None  # dialled plainly when there is nobody to hunt
    gate: bool = False  # out of hours for a core-hours customer: press 1 for an emergency
    nobody_on_duty: bool = False  # out of hours with no duty engineer: a fault to report

    @property
    def first_rotation(self):
        """The rotation of the engineer a hunt starts at; None for a plan that does not
        start with a hunt, and so claims no hunt position."""
        return self.targets[0].rotation if self.targets and self.targets[0].role == HUNT else None

    @property
    def rotations(self):
        """The rotations of a hunt's engineers (each round rings them all)."""
        return tuple(sorted({t.rotation for t in self.targets if t.role == HUNT}))

    def starting_at(self, rotation):
        """The hunt with every round turned to start at the engineer of `rotation` (the one
        the position's claim gave), each round keeping its order round the circle."""
        if rotation == self.first_rotation:
            return self  # as decided: no other call moved the position since the snapshot
        size = len({t.engineer_id for t in self.targets})
        one_round = self.targets[:size]
        turn = next(i for i, t in enumerate(one_round) if t.rotation == rotation)
        rounds = len(self.targets) // size
        return replace(self, targets=(one_round[turn:] + one_round[:turn]) * rounds)

    @property
    def duty_engineer_id(self):
        """Out of hours, the primary the call was routed to (its voicemail goes to them)."""
        if self.mode != OUT_OF_HOURS or not self.targets or self.targets[0].role != PRIMARY:
            return None
        return self.targets[0].engineer_id


@dataclass(frozen=True)
class Blocked:
    """A caller on the block list: one sentence, then the line hangs up. Nobody is rung and
    the hunt position stays; the call is logged with the status CallStatus.BLOCKED."""

    mode: str
    targets: tuple = ()
    gate: bool = False
    first_rotation = None  # nobody rung: no position claimed
    duty_engineer_id = None
    nobody_on_duty = False


@dataclass(frozen=True)
class Replay:
    """A retried arrival: answer as the call was answered, decide nothing again.

    The greeting and the fallback number are derived from the logged call as the first
    answer derived them from its plan, so the retry's answer is the first one's.
    """

    call: SeenCall
    greeting: str | None = None
    fallback_number: str | None = None
    nobody_on_duty = False  # told already, at the first answer


def hunt_order(engineers, last_rotation, busy_ids=frozenset()):
    """Signed-in, idle engineers in rotation order, starting after the last one rung."""
    return rotation_order([p for p in engineers if p.signed_in], last_rotation, busy_ids)


def rotation_order(people, last_rotation, busy_ids=frozenset()):
    """Idle `people` in rotation order, starting after the last one rung."""
    ready = sorted((p for p in people if p.id not in busy_ids), key=lambda p: (p.rotation, p.id))
    after = [p for p in ready if p.rotation > last_rotation]
    before = [p for p in ready if p.rotation <= last_rotation]
    return after + before


def decide_route(state, now):
    """The plan for a call arriving at the aware instant `now`: a Replay for a retried one,
    Blocked for a caller whose number is blocked at that instant."""
    if state.seen is not None:
        return _replay(state.seen, state)
    settings = state.settings
    mode = mode_at(settings, now)
    if is_blocked(state, now):
        return Blocked(mode)
    if mode == IN_HOURS:
        order = hunt_order(state.engineers, state.last_rotation, state.busy_ids)
        one_round = tuple(Target(p.id, p.name, p.hunt_number, HUNT, p.rotation,
                                 on_pickup=p.hunt_on_pickup) for p in order)
        targets = one_round * settings.hunt_rounds  # each round the same engineers, in order
    else:
        duty = [(state.primary, PRIMARY), (state.backup, BACKUP)]
        targets = tuple(Target(p.id, p.name, p.mobile, role, p.rotation)
                        for p, role in duty if p is not None)
        # cover engineers after the duty engineers, round robin from the shared position
        targets += tuple(Target(p.id, p.name, p.mobile, COVER, p.rotation)
                         for p in rotation_order(state.cover, state.last_rotation,
                                                 state.busy_ids))
        # the same engineer as primary and backup (or cover) is rung once
        targets = tuple(t for i, t in enumerate(targets)
                        if t.engineer_id not in {s.engineer_id for s in targets[:i]})
    greeting = greeting_for(mode, targets, settings)
    fallback = state.fallback_number if not targets else None
    core_hours = state.customer_hours == CORE_HOURS or (
        state.withheld and settings.withheld_callers == "core-hours")
    gate = mode == OUT_OF_HOURS and core_hours
    return RoutePlan(mode=mode, greeting=greeting, targets=targets, fallback_number=fallback,
                     gate=gate, nobody_on_duty=mode == OUT_OF_HOURS and not _on_duty(targets))


def is_blocked(state, now):
    """True when the caller's number is blocked at `now`; a withheld number never is."""
    return state.block is not None and not state.withheld and state.block.in_force(now)


def greeting_for(mode, targets, settings):
    """What the caller hears first: the greeting in hours; out of hours the duty greeting, or
    only that the office is closed when the plan has nobody on duty (cover is no duty)."""
    if mode == IN_HOURS:
        return settings.greeting
    return settings.out_of_hours_greeting if _on_duty(targets) else CLOSED_GREETING


def _on_duty(targets):
    return any(t.role in (PRIMARY, BACKUP) for t in targets)


def _replay(seen, state):
    """The retried arrival's answer, derived from the logged call as the first one was: the
    gate says its own words; a plan with nobody in it dials the fallback number; a blocked
    call hears its sentence again."""
    if seen.blocked:
        return Replay(seen)
    greeting = None if seen.gated else greeting_for(seen.mode, seen.targets, state.settings)
    fallback = state.fallback_number if not seen.targets else None
    return Replay(seen, greeting=greeting, fallback_number=fallback)


def next_step(targets, after_step, ready_ids, waited_seconds, settings):
    """The index of the next target to ring after `after_step`, or None for voicemail.

    Hunt targets must still be signed in and idle (`ready_ids`); duty targets are always
    rung. Hunting stops once the caller has waited `max_wait_seconds`.
    """
    if waited_seconds >= settings.max_wait_seconds:
        return None
    for index in range(after_step + 1, len(targets)):
        target = targets[index]
        if target.role != HUNT or target.engineer_id in ready_ids:
            return index
    return None


def dial_timeout(ring_seconds):
    """Twilio rings about five seconds longer than a <Dial> timeout says."""
    return max(5, ring_seconds - 5)
