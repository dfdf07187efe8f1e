"""On PostgreSQL an arrival's statements are prepared once per connection; a session reset
underneath them (DISCARD ALL, as connection poolers do) must not cost a caller anything."""

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


def test_calls_are_still_answered_after_the_session_is_reset(twilio, make_engineer, db, clock):
    clock.set(TUESDAY_10)
    ben, tobi = make_engineer("Ben Smith"), make_engineer("Tobi Jones")
    rung = []
    for n in range(4):
        if n == 2:
            db.execute_sql("DISCARD ALL")  # every prepared statement of the session is gone
        rung.append(first_number_rung(twilio.post("/voice/incoming", {
            "CallSid": f"CA{n:032d}", "From": "+447400123456", "To": "+442071838750"})))
    assert rung == [ben.mobile, tobi.mobile, ben.mobile, tobi.mobile]
    prepared = db.execute_sql("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    assert prepared >= 2  # prepared again after the reset


def test_behind_a_pooler_that_moves_statements_calls_run_plain_sql(twilio, make_engineer, db,
                                                                   clock, monkeypatch, caplog):
    """PgBouncer in transaction mode: each statement may land on another server session,
    where the prepared statement is not. Simulated by dropping them before every EXECUTE."""
    from telephony import arrival

    monkeypatch.setattr(arrival, "_PREPARING", True)  # restored after the test
    real = db.obj.execute_sql

    def moved_session(sql, params=None, *args, **kwargs):
        if sql.startswith("EXECUTE dutyline_"):
            real("DEALLOCATE ALL")
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", moved_session)
    clock.set(TUESDAY_10)
    ben, tobi = make_engineer("Ben Smith"), make_engineer("Tobi Jones")
    rung = [first_number_rung(twilio.post("/voice/incoming", {
        "CallSid": f"CA{n:032d}", "From": "+447400123456", "To": "+442071838750"}))
        for n in range(3)]
    assert rung == [ben.mobile, tobi.mobile, ben.mobile]
    warnings = [r.getMessage() for r in caplog.records if r.name == "telephony.arrival"]
    assert len(warnings) == 1 and "running plain SQL" in warnings[0]
