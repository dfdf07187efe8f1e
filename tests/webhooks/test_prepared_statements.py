"""On PostgreSQL a session reset underneath the app (DISCARD ALL, DEALLOCATE ALL, as
connection poolers do) must not cost a caller anything, whatever the driver prepared."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


def first_number_rung(response):
    assert response.status_code == 200
    number = etree.fromstring(response.get_data()).find("Dial/Number")
    return number.text if number is not None else None


def call(twilio, n):
    return first_number_rung(twilio.post("/voice/incoming", {
        "CallSid": f"CA{n:032d}", "From": "+447400123456", "To": "+442071838750"}))


def test_calls_are_still_answered_after_the_session_is_reset(twilio, make_engineer, db, clock):
    clock.set(TUESDAY_10)
    ben, tobi = make_engineer("Ben Smith"), make_engineer("Tobi Jones")
    rung = []
    for n in range(4):
        if n == 2:
            db.execute_sql("DISCARD ALL")  # whatever the session held is gone
        rung.append(call(twilio, n))
    assert rung == [ben.mobile, tobi.mobile, ben.mobile, tobi.mobile]


def test_behind_a_pooler_that_moves_statements_calls_go_on(twilio, make_engineer, db, clock,
                                                           monkeypatch):
    """PgBouncer in transaction mode: each statement may land on another server session,
    where nothing prepared on the last one is. Simulated by dropping them before each one."""
    real = db.obj.execute_sql
    moved = []

    def moved_session(sql, params=None, *args, **kwargs):
        # the pooler's doing, not the app's: never a statement the driver counts or prepares
        db.obj.connection().execute("DEALLOCATE ALL", prepare=False)
        moved.append(sql)
        return real(sql, params, *args, **kwargs)

    clock.set(TUESDAY_10)
    ben, tobi = make_engineer("Ben Smith"), make_engineer("Tobi Jones")
    monkeypatch.setattr(db.obj, "execute_sql", moved_session)
    rung = [call(twilio, n) for n in range(3)]
    assert rung == [ben.mobile, tobi.mobile, ben.mobile]
    assert moved  # the calls' statements did go through the moving sessions
