"""Why each phone rang when it did, as `dutyline simulate` prints it and the call's page shows
it; and the service level the engineers signed in are forecast to give, on the Now page and
the reports page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from rota import engineers as engineer_service
from dutyline.db import database
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def app_config(dialer):
    return {"SECRET_KEY": "test-secret-key", "DIALER": dialer}


@pytest.fixture
def settings_data():
    return {"hunt": "target", "max_phones": 2}


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ann Archer", "Ben Smith", "Cat Lee")]


def test_simulate_and_the_call_page_say_why_each_phone_rang_then(simulate, team, manager):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "ignore",
                                                       "Ben Smith": "ignore",
                                                       "Cat Lee": "accept@2s"}))
    assert outcome.answered_by == "Cat Lee"
    whys = [line.split("why: ", 1)[1] for line in outcome.lines if "why: " in line]
    # with no history each phone is taken to answer 85% of calls in 2-8 s: one gives 85%
    # within 12 s, so Ben starts with Ann; Cat once two phones ringing no longer give 98%
    assert whys[:2] == [
        "Ann Archer at 0.0 s: no other phone was ringing",
        "Ben Smith too at 0.0 s, at once: Ann Archer alone had a 85% chance of an acceptance "
        "within 12 s, and even with Ben Smith under the 98% target"]
    assert len(whys) == 3 and whys[2].startswith("Cat Lee ")
    with database.connection_context():
        call = Call.get(Call.sid == outcome.call_sid)
        kept = [leg.reason for leg in call.legs.order_by(Leg.step)]
    assert kept == whys  # the call log keeps the words the simulator printed
    page = manager.get(f"/calls/{call.id}").get_data(as_text=True)
    for reason in whys:
        assert f"Why then: {reason}" in page


@pytest.mark.parametrize("path", ["/now", "/reports"])
def test_the_now_and_reports_pages_forecast_the_service_level_of_those_signed_in(
        path, team, manager):
    page = manager.get(path).get_data(as_text=True)
    # three signed in, each 85% in 2-8 s: two phones at once from the start give 97.75%
    assert "Forecast: 97.8% within 12 s with the 3 engineers signed in" in page
    with database.connection_context():
        for engineer in team[1:]:
            engineer_service.set_signed_in(engineer.name, False, now=ADDED_AT)
    page = manager.get(path).get_data(as_text=True)
    assert "Forecast: 85.0% within 12 s with the 1 engineer signed in" in page
    with database.connection_context():
        engineer_service.set_signed_in("Ann Archer", False, now=ADDED_AT)
    page = manager.get(path).get_data(as_text=True)
    assert "Forecast: nobody is signed in, so no call is accepted within 12 s" in page
