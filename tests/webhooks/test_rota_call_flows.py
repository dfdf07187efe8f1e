"""Overrides and swaps change whom an out-of-hours call rings, end to end."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from rota import overrides, periods, swaps
from telephony.models import Call, Leg
from console.scenario import Scenario

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    return {name.split()[0]: make_engineer(name)
            for name in ("Ben Smith", "Tobi Jones", "Asha Patel", "Chris Wong")}


@pytest.fixture
def plan(app, db, team, settings):
    """Tobi on duty on Tuesday 1 December with Asha as backup; Chris on Wednesday 2."""
    periods.assign_period(date(2026, 12, 1), team["Tobi"], team["Asha"], settings, now=NOW)
    periods.assign_period(date(2026, 12, 2), team["Chris"], None, settings, now=NOW)


def rung(outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [(leg.engineer.name.split()[0], leg.role) for leg in call.legs.order_by(Leg.step)]


TOBI_ASHA = [("Tobi", "primary"), ("Asha", "backup")]
BEN_ASHA = [("Ben", "primary"), ("Asha", "backup")]


@pytest.mark.parametrize("cover_from, cover_to, call_at, expected", [
    # override span                                  call at               rung in order
    (None, None,                                     local(2026, 12, 1, 23), TOBI_ASHA),
    (local(2026, 12, 1, 21), local(2026, 12, 2, 2),  local(2026, 12, 1, 23), BEN_ASHA),
    (local(2026, 12, 1, 21), local(2026, 12, 2, 2),  local(2026, 12, 2, 3),  TOBI_ASHA),
    # the override's end is not part of it
    (local(2026, 12, 1, 21), local(2026, 12, 2, 2),  local(2026, 12, 2, 2),  TOBI_ASHA),
])
def test_override_changes_who_is_rung(simulate, plan, db, settings, cover_from, cover_to, call_at,
                                      expected):
    if cover_from:
        overrides.add_override("Ben Smith", cover_from, cover_to, settings, NOW)
    outcome = simulate(Scenario(at=call_at, others="ignore", caller_action="hangup"))
    assert rung(outcome) == expected


def test_override_by_the_backup_rings_them_once(simulate, plan, db, settings):
    overrides.add_override("Asha Patel", local(2026, 12, 1, 21), local(2026, 12, 2, 2),
                           settings, NOW)
    outcome = simulate(Scenario(at=local(2026, 12, 1, 23), answers={"Asha Patel": "accept"}))
    assert rung(outcome) == [("Asha", "primary")]
    assert outcome.answered_by == "Asha Patel"


def test_override_in_a_night_with_no_plan(simulate, team, db, settings):
    overrides.add_override("Chris Wong", local(2026, 12, 5, 0), local(2026, 12, 5, 6),
                           settings, NOW)
    outcome = simulate(Scenario(at=local(2026, 12, 5, 3), others="accept"))
    assert outcome.answered_by == "Chris Wong"


def test_swap_changes_who_is_rung(simulate, plan, db, settings):
    before = simulate(Scenario(at=local(2026, 12, 2, 3), others="accept"))
    assert before.answered_by == "Tobi Jones"
    swaps.swap_periods(date(2026, 12, 1), date(2026, 12, 2), settings, NOW)
    tuesday = simulate(Scenario(at=local(2026, 12, 2, 3), others="accept"))
    wednesday = simulate(Scenario(at=local(2026, 12, 3, 3), others="ignore",
                                  caller_action="hangup"))
    assert tuesday.answered_by == "Chris Wong"
    assert rung(wednesday) == [("Tobi", "primary"), ("Asha", "backup")]


def test_override_in_business_hours_leaves_the_hunt_alone(simulate, plan, db, settings):
    overrides.add_override("Chris Wong", local(2026, 12, 2, 9), local(2026, 12, 2, 11),
                           settings, NOW)
    outcome = simulate(Scenario(at=local(2026, 12, 2, 10), others="accept"))
    assert rung(outcome)[0][1] == "hunt"
