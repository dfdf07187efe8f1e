"""A full disk is logged as a full disk, and the caller still gets the fallback.

SQLite only: a full disk is simulated with `PRAGMA max_page_count` (per connection: the
test's connection is the one the request uses) set to the pages the file has, so the next
write that needs a page fails with SQLITE_FULL, "database or disk is full".
"""

import logging

import pytest
from lxml import etree

from peewee import IntegrityError, OperationalError

from dutyline.db import database, what_ended
from telephony.models import Call

FALLBACK = "+442079460999"
TECHNICAL_PROBLEM = "Sorry, we are having a technical problem."


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'full.db'}"


@pytest.fixture
def app_config():
    return {"FALLBACK_NUMBER": FALLBACK}


def fill_the_disk():
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")


def arrive_until_refused(twilio, calls=300):
    """Arrivals, each its own call, until one is answered with the fallback."""
    for n in range(calls):
        form = {"CallSid": f"CA{n:032x}", "From": "+447400123456", "To": "+442071838750",
                "CallStatus": "ringing"}
        root = etree.fromstring(twilio.post("/voice/incoming", form).get_data())
        if TECHNICAL_PROBLEM in [say.text for say in root.iter("Say")]:
            return root
    raise AssertionError(f"{calls} arrivals and the disk never filled")


def errors(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_full_disk_that_ends_the_transaction_is_logged_as_a_full_disk(twilio, db,
                                                                         make_engineer,
                                                                         caplog):
    """SQLite ends the whole transaction when a write with no statement journal meets a full
    disk (as at a COMMIT that does), and peewee's ROLLBACK then fails "cannot rollback - no
    transaction is active": that is not what the log says.

    The arrival's first write is such a write: the claim of the hunt position, on a new
    database the insert of its one row (the call's and the leg's inserts have a statement
    journal, for their foreign keys). Here that insert needs a page of its own: the table's
    first pages are full of other rows.
    """
    make_engineer("Ben Smith")
    database.execute_sql("DELETE FROM hunt_position")
    database.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 5001) "
        "INSERT INTO hunt_position (id, last_rotation, version) SELECT i, 0, 0 FROM n")
    fill_the_disk()
    root = arrive_until_refused(twilio)
    assert root.find("Dial/Number").text == FALLBACK
    logged = errors(caplog)
    assert len(logged) == 1, logged
    assert "database unavailable" in logged[0] and "database or disk is full" in logged[0]
    assert not any("rollback" in line for line in logged), logged
    assert not database.connection().in_transaction  # SQLite ended it; nothing left open
    assert Call.select().count() == 0


def test_a_full_disk_that_undoes_one_statement_is_logged_as_a_full_disk(twilio, db,
                                                                         make_engineer,
                                                                         caplog):
    """With the triggers in place SQLite undoes only the failed insert; peewee's ROLLBACK
    then ends the transaction, and the full disk is what is logged."""
    make_engineer("Ben Smith")
    fill_the_disk()
    root = arrive_until_refused(twilio)
    assert root.find("Dial/Number").text == FALLBACK
    logged = errors(caplog)
    assert len(logged) == 1 and "database or disk is full" in logged[0], logged
    assert not database.connection().in_transaction


def failed_rollback_after(first):
    try:
        try:
            raise first
        except Exception:
            raise OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except OperationalError as raised:
        return raised


# what was raised                                         | what the log reports
@pytest.mark.parametrize("raised, reported", [
    (failed_rollback_after(OperationalError("database or disk is full")),
     "database or disk is full"),
    (failed_rollback_after(IntegrityError("UNIQUE constraint failed")), "UNIQUE constraint failed"),
    (OperationalError("cannot rollback - no transaction is active"),  # nothing before it
     "cannot rollback - no transaction is active"),
    (OperationalError("database is locked"), "database is locked"),
])
def test_what_ended_a_transaction_is_reported_not_the_rollback_after_it(raised, reported):
    assert str(what_ended(raised)) == reported
