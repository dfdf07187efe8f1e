"""Whole calls through the simulator, signed as Twilio signs them."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from rota import engineers as engineer_service
from rota import periods
from telephony.models import Call, Leg
from voicemail.models import Ticket
from webhooks.simulator import Scenario

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
WEDNESDAY_03 = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    """Three engineers signed in, in rotation order Ben, Tobi, Asha."""
    return [make_engineer("Ben Smith", desk="+442079460101", location="office"),
            make_engineer("Tobi Jones"),
            make_engineer("Asha Patel")]


@pytest.fixture
def duty(app, db, team, settings):
    """Tobi on duty from Tuesday 1 December 18:00 with Asha as backup."""
    periods.assign_period(date(2026, 12, 1), team[1], team[2], settings)


def legs(db, outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [(leg.engineer.name, leg.number, leg.outcome) for leg in call.legs.order_by(Leg.step)]


def test_first_engineer_accepts(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, others="accept"))
    assert outcome.answered_by == "Ben Smith"
    # Ben is in the office: his desk phone rings, not his mobile
    assert legs(db, outcome) == [("Ben Smith", "+442079460101", "accepted")]
    call = Call.get(Call.sid == outcome.call_sid)
    assert call.status == "answered" and call.answered_by.name == "Ben Smith"
    assert Ticket.select().count() == 0
