"""The queued hunts' phones, started through the REST API after the answer has gone, ring
with the settings of the call's team, as the <Dial> legs do."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from rota.teams import add_team, join_team
from telephony import lines
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
NETWORK_LINE = "+442071838751"


@pytest.fixture
def settings_data():
    return {"hunt": "target", "max_phones": 2, "teams": {"Network": {"ring_seconds": 25}}}


@pytest.fixture
def app_config(dialer):
    return {"DIALER": dialer}


@pytest.mark.parametrize("to, timeout", [(NETWORK_LINE, 20), ("+442071838750", 10)])
def test_every_rest_leg_rings_as_long_as_its_team_says(simulate, make_engineer, db, dialer,
                                                       to, timeout):
    network = add_team("Network", ADDED_AT)
    for name in ("Ann Archer", "Ben Smith", "Cat Lee"):
        join_team(network, make_engineer(name))
    lines.add_line(NETWORK_LINE, "GB", ADDED_AT, team=network)
    simulate(Scenario(at=TUESDAY_10, to=to, others="ignore"))
    assert len(dialer.started) >= 3  # the first two at once, the third from a later tick
    assert {leg["timeout"] for leg in dialer.started} == {timeout}
