"""The route decision: hunt order, modes, duty engineers, what comes after each leg."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutyline.settings import parse_settings
from hours.business_hours import IN_HOURS, OUT_OF_HOURS
from telephony.routing import (BACKUP, CLOSED_GREETING, COVER, HUNT, PRIMARY, Person,
                               RouteState, Target, decide_route, dial_timeout, hunt_order,
                               next_step)

LONDON = ZoneInfo("Europe/London")
SETTINGS = parse_settings({})
IN = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
OUT = datetime(2026, 12, 1, 22, 0, tzinfo=LONDON)

BEN = Person(1, "Ben", 1, "+447911123401", desk="+442079460101", in_office=True)
TOBI = Person(2, "Tobi", 2, "+447911123402", in_office=False)
ASHA = Person(3, "Asha", 3, "+447911123403", desk="+442079460103", in_office=False)
CHRIS = Person(4, "Chris", 4, "+447911123404", signed_in=False)
TEAM = (BEN, TOBI, ASHA, CHRIS)


@pytest.mark.parametrize("last, busy, expected", [
    # header: last rotation rung, busy engineer ids -> hunt order (names)
    (0, set(), ["Ben", "Tobi", "Asha"]),
    (1, set(), ["Tobi", "Asha", "Ben"]),
    (2, set(), ["Asha", "Ben", "Tobi"]),
    (3, set(), ["Ben", "Tobi", "Asha"]),        # Chris (4) is signed out: wrap to Ben
    (4, set(), ["Ben", "Tobi", "Asha"]),
    (1, {2}, ["Asha", "Ben"]),                  # Tobi on a call: skipped
    (1, {1, 2, 3}, []),                         # everyone busy
    (99, set(), ["Ben", "Tobi", "Asha"]),       # position of an engineer since removed
])
def test_hunt_order(last, busy, expected):
    assert [p.name for p in hunt_order(TEAM, last, frozenset(busy))] == expected


def test_in_hours_rings_desk_in_the_office_and_mobile_when_remote():
    plan = decide_route(RouteState(SETTINGS, TEAM, last_rotation=0), IN)
    assert plan.mode == IN_HOURS
    assert [(t.name, t.number, t.role) for t in plan.targets] == [
        ("Ben", "+442079460101", HUNT),      # in the office with a desk phone
        ("Tobi", "+447911123402", HUNT),     # remote
        ("Asha", "+447911123403", HUNT),     # has a desk phone but works remotely
    ]
    assert plan.first_rotation == 1
    assert plan.greeting == SETTINGS.greeting


def test_hunt_rounds_repeat_the_order():
    settings = parse_settings({"hunt_rounds": 2})
    plan = decide_route(RouteState(settings, (BEN, TOBI), last_rotation=1), IN)
    assert [t.name for t in plan.targets] == ["Tobi", "Ben", "Tobi", "Ben"]


@pytest.mark.parametrize("primary, backup, fallback, expected, expected_fallback", [
    # header: duty primary, backup, FALLBACK_NUMBER -> targets (name, role), fallback dialled
    (TOBI, ASHA, None, [("Tobi", PRIMARY), ("Asha", BACKUP)], None),
    (TOBI, None, None, [("Tobi", PRIMARY)], None),
    (TOBI, TOBI, None, [("Tobi", PRIMARY)], None),
    (None, None, None, [], None),
    (None, None, "+442079460999", [], "+442079460999"),
    (TOBI, None, "+442079460999", [("Tobi", PRIMARY)], None),
    (CHRIS, None, None, [("Chris", PRIMARY)], None),  # signed out of hunting, still on duty
])
def test_out_of_hours_rings_the_duty_engineers_on_their_mobiles(primary, backup, fallback,
                                                                 expected, expected_fallback):
    state = RouteState(SETTINGS, TEAM, primary=primary, backup=backup, fallback_number=fallback)
    plan = decide_route(state, OUT)
    assert plan.mode == OUT_OF_HOURS
    assert [(t.name, t.role) for t in plan.targets] == expected
    assert all(t.number.startswith("+447") for t in plan.targets)
    assert plan.fallback_number == expected_fallback
    assert plan.first_rotation is None  # out of hours never moves the hunt position
    nobody = primary is None and backup is None
    assert plan.nobody_on_duty is nobody
    assert plan.greeting == (CLOSED_GREETING if nobody else SETTINGS.out_of_hours_greeting)


# out of hours with cover: (primary, backup, cover, busy, last rotation) -> who is rung
@pytest.mark.parametrize("primary, backup, cover, busy, last, expected", [
    (TOBI, ASHA, (BEN, CHRIS), (), 0, [("Tobi", PRIMARY), ("Asha", BACKUP), ("Ben", COVER),
                                       ("Chris", COVER)]),
    # round robin from the shared position, like the hunt
    (TOBI, None, (BEN, CHRIS), (), BEN.rotation, [("Tobi", PRIMARY), ("Chris", COVER),
                                                  ("Ben", COVER)]),
    # an engineer on duty who also signed in as cover is rung once, a busy one not as cover
    (TOBI, None, (TOBI, BEN), (BEN.id,), 0, [("Tobi", PRIMARY)]),
    # nobody on duty: cover only, after the office-closed greeting
    (None, None, (BEN,), (), 0, [("Ben", COVER)]),
    # signed out of in-hours hunting does not matter to cover
    (TOBI, None, (CHRIS,), (), 0, [("Tobi", PRIMARY), ("Chris", COVER)]),
])
def test_out_of_hours_cover_is_rung_after_the_duty_engineers(primary, backup, cover, busy,
                                                             last, expected):
    state = RouteState(SETTINGS, TEAM, primary=primary, backup=backup, cover=cover,
                       busy_ids=frozenset(busy), last_rotation=last)
    plan = decide_route(state, OUT)
    assert [(t.name, t.role) for t in plan.targets] == expected
    assert plan.nobody_on_duty is (primary is None and backup is None)
    assert plan.fallback_number is None


def test_cover_is_not_rung_in_hours():
    plan = decide_route(RouteState(SETTINGS, (BEN,), cover=(TOBI,)), IN)
    assert [(t.name, t.role) for t in plan.targets] == [("Ben", HUNT)]


def test_in_hours_with_nobody_signed_in_uses_the_fallback_number():
    state = RouteState(SETTINGS, (CHRIS,), fallback_number="+442079460999")
    plan = decide_route(state, IN)
    assert plan.targets == () and plan.fallback_number == "+442079460999"


def test_in_hours_ignores_the_duty_rota():
    plan = decide_route(RouteState(SETTINGS, (BEN,), primary=TOBI), IN)
    assert [t.name for t in plan.targets] == ["Ben"]


TARGETS = [Target(1, "Ben", "+1", HUNT, 1), Target(2, "Tobi", "+2", HUNT, 2),
           Target(3, "Asha", "+3", HUNT, 3)]
DUTY = [Target(2, "Tobi", "+2", PRIMARY, 2), Target(3, "Asha", "+3", BACKUP, 3)]


@pytest.mark.parametrize("targets, after, ready, waited, expected", [
    # header: plan, step just finished, ready engineer ids, seconds waited -> next step
    (TARGETS, 0, {1, 2, 3}, 20, 1),
    (TARGETS, 1, {1, 2, 3}, 40, 2),
    (TARGETS, 2, {1, 2, 3}, 60, None),     # list exhausted: voicemail
    (TARGETS, 0, {1, 3}, 20, 2),           # Tobi signed out or busy meanwhile
    (TARGETS, 0, {1}, 20, None),
    (TARGETS, 0, {1, 2, 3}, 90, None),     # waited max_wait_seconds: voicemail
    (DUTY, 0, set(), 30, 1),               # duty engineers are rung whatever their presence
    (DUTY, 1, set(), 50, None),
])
def test_next_step(targets, after, ready, waited, expected):
    assert next_step(targets, after, frozenset(ready), waited, SETTINGS) == expected


@pytest.mark.parametrize("ring, timeout", [(15, 10), (20, 15), (8, 5), (5, 5)])
def test_dial_timeout_allows_for_twilios_extra_ring(ring, timeout):
    assert dial_timeout(ring) == timeout


# withheld_callers, withheld?, when -> gated
@pytest.mark.parametrize("setting, withheld, at, gated", [
    ("unknown", True, OUT, False),        # the default: like any unknown caller
    ("core-hours", True, OUT, True),      # press 1 for an emergency, else a message
    ("core-hours", False, OUT, False),    # a caller with a number is matched as before
    ("core-hours", True, IN, False),      # in hours nobody is gated
])
def test_a_withheld_number_at_the_gate(setting, withheld, at, gated):
    settings = parse_settings({"withheld_callers": setting})
    state = RouteState(settings=settings, engineers=TEAM, primary=TOBI, withheld=withheld)
    assert decide_route(state, at).gate is gated


def test_withheld_callers_is_unknown_by_default():
    assert parse_settings({}).withheld_callers == "unknown"
