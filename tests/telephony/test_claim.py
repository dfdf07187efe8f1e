"""The hunt position under races, deterministically: a call whose snapshot was overtaken
still rings the engineer after the one rung last, and never the same engineer twice.

Each database claims the position in one statement (telephony.position: the next engineer
after the position as the row stands) and the stored plan is turned to start there; both
must look the same from outside.
"""

import json
import sqlite3
import threading
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dutyline.db import database
from telephony.arrival import Arrival, load_arrival
from telephony.arrival_save import Retry, save_arrival
from telephony.models import Call, HuntPosition, Leg
from telephony.routing import Person, RouteState, decide_route

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TEAM = ("Ben Smith", "Tobi Jones", "Asha Patel")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'claim.db'}"


def arrive(n):
    return Arrival(f"CA{n:032x}", "+447400123456", "+442071838750")


def save(arrival, state):
    """As /voice/incoming does: decide from the snapshot and save, once.

    An overtaken snapshot is the save's own business: it must never hand the call back
    (a Retry is only for a CallSid logged first).
    """
    step = save_arrival(arrival, state, decide_route(state, TUESDAY_10), TUESDAY_10)
    assert not isinstance(step, Retry)
    return step


def logged(arrival):
    """The engineers in the stored plan's order, and the one its first leg rings."""
    call = Call.get(Call.sid == arrival.sid)
    leg = Leg.get(Leg.call == call, Leg.step == 0)
    return [t["name"] for t in json.loads(call.plan)], leg.engineer.name


def test_an_overtaken_snapshot_rings_the_engineer_after_the_one_rung_last(
        app, make_engineer, settings):
    for name in TEAM:
        make_engineer(name)
    with database.connection_context():
        # the first call makes the position; the second reads it and is then overtaken
        first = load_arrival(arrive(1), settings, TUESDAY_10)
        save(arrive(1), first)
        stale = load_arrival(arrive(2), settings, TUESDAY_10)
        fresh = load_arrival(arrive(3), settings, TUESDAY_10)
        assert stale.last_rotation == fresh.last_rotation  # both read the first call's move
        save(arrive(3), fresh)
        step = save(arrive(2), stale)
        assert [logged(arrive(n)) for n in (1, 3, 2)] == [
            (list(TEAM), "Ben Smith"),
            (["Tobi Jones", "Asha Patel", "Ben Smith"], "Tobi Jones"),
            (["Asha Patel", "Ben Smith", "Tobi Jones"], "Asha Patel")]
        assert step.ring.target.name == "Asha Patel"  # what the caller's TwiML dials
        assert HuntPosition.get().version == 3


def test_a_claim_waiting_for_another_calls_move_starts_after_that_move(
        app, make_engineer, settings, database_url):
    """The other call's move is still open when the claim is written (on PostgreSQL the
    statement's snapshot then holds the old position; SQLite waits for its write lock): the
    claim must start from the position the move leaves, here past the last engineer, so
    round to the first."""
    team = [make_engineer(name) for name in TEAM]
    with database.connection_context():
        first = load_arrival(arrive(1), settings, TUESDAY_10)
        save(arrive(1), first)
        stale = load_arrival(arrive(2), settings, TUESDAY_10)
    if database_url.startswith("postgres"):
        import psycopg

        other = psycopg.connect(database_url)
    else:
        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    other.execute('UPDATE "hunt_position" SET "last_rotation" = %d, "version" = "version" + 1'
                  % team[-1].rotation)
    outcome = {}

    def claim():
        with database.connection_context():
            outcome["step"] = save(arrive(2), stale)

    thread = threading.Thread(target=claim)
    thread.start()
    thread.join(timeout=0.3)  # well inside the lock timeouts (dutyline.db)
    assert thread.is_alive()  # waiting for the other call's move
    other.execute("COMMIT") if isinstance(other, sqlite3.Connection) else other.commit()
    other.close()
    thread.join(timeout=10)
    assert outcome["step"].ring.target.name == "Ben Smith"
    with database.connection_context():
        assert logged(arrive(2)) == (list(TEAM), "Ben Smith")
        assert HuntPosition.get().version == 3  # the first call, the other move, this one


@hsettings(max_examples=40, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_stored_plan_is_the_hunt_in_order_from_the_live_position(
        app, make_engineer, settings, data):
    """Whatever the snapshot read, the call is logged with the plan telephony.routing makes
    from the position as it stood at the claim: same engineers, rounds, order and first leg."""
    engineers = app.config.setdefault("claim_team", [])  # made once, for every example
    if not engineers:
        engineers.extend(make_engineer(f"Engineer {n}") for n in range(6))
    people = [Person(id=e.id, name=e.name, rotation=e.rotation, mobile=e.mobile)
              for e in engineers]
    hunted = data.draw(st.lists(st.sampled_from(people), min_size=1, unique=True))
    busy = data.draw(st.sets(st.sampled_from([p.id for p in hunted]),
                             max_size=len(hunted) - 1))
    rounds = data.draw(st.integers(1, 3))
    top = max(p.rotation for p in people) + 1
    read, live = data.draw(st.integers(0, top)), data.draw(st.integers(0, top))
    n = app.config["claim_calls"] = app.config.get("claim_calls", 0) + 1
    with database.connection_context():
        HuntPosition.insert(id=1, last_rotation=live, version=n * 10).on_conflict(
            conflict_target=[HuntPosition.id],
            update={HuntPosition.last_rotation: live, HuntPosition.version: n * 10}).execute()
        state = RouteState(settings=replace(settings, hunt_rounds=rounds),
                           engineers=tuple(hunted), busy_ids=frozenset(busy),
                           last_rotation=read)
        step = save(arrive(1000 + n), state)
        expected = decide_route(replace(state, last_rotation=live), TUESDAY_10).targets
        names, rung = logged(arrive(1000 + n))
        assert names == [t.name for t in expected]
        assert rung == step.ring.target.name == expected[0].name
        assert HuntPosition.get().last_rotation == expected[0].rotation
