"""The hunt position's compare-and-set, deterministically: a stale snapshot writes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutyline.db import database
from telephony.arrival import Arrival, load_arrival, save_arrival
from telephony.models import Call, HuntPosition, Leg
from telephony.routing import decide_route

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'claim.db'}"


def arrive(n):
    return Arrival(f"CA{n:032x}", "+447400123456", "+442071838750")


def rows():
    return ([tuple(r) for r in HuntPosition.select().tuples()],
            Call.select().count(), Leg.select().count())


def test_a_claim_with_a_stale_version_writes_nothing(app, make_engineer, settings):
    for name in ("Ben Smith", "Tobi Jones", "Asha Patel"):
        make_engineer(name)
    with database.connection_context():
        # the first call makes the position; the second reads it and is then overtaken
        first = load_arrival(arrive(1), settings, TUESDAY_10)
        assert save_arrival(arrive(1), first, decide_route(first, TUESDAY_10), TUESDAY_10)
        stale = load_arrival(arrive(2), settings, TUESDAY_10)
        fresh = load_arrival(arrive(3), settings, TUESDAY_10)
        assert stale.version == fresh.version is not None
        assert save_arrival(arrive(3), fresh, decide_route(fresh, TUESDAY_10), TUESDAY_10)
        before = rows()
        decision = decide_route(stale, TUESDAY_10)
        assert decision.first_rotation is not None  # it would move the position
        assert save_arrival(arrive(2), stale, decision, TUESDAY_10) is None
        assert rows() == before
        assert Call.get_or_none(Call.sid == arrive(2).sid) is None
        # loaded again, the same call is saved, starting after the engineer rung last
        again = load_arrival(arrive(2), settings, TUESDAY_10)
        assert again.version == stale.version + 1
        assert save_arrival(arrive(2), again, decide_route(again, TUESDAY_10), TUESDAY_10)
        assert HuntPosition.get().version == stale.version + 2
