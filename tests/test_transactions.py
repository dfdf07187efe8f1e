"""An atomic block that fails raises the error that ended it, not its rollback's.

On SQLite, which ends a transaction itself when a write meets a full disk: simulated with
`PRAGMA max_page_count` set to the pages the file has (per connection: the test's own).
"""

import pytest
from peewee import OperationalError

from dutyline.db import database, open_database
from dutyline.transactions import Savepoint, Transaction

FULL = "database or disk is full"


@pytest.fixture
def database_url(tmp_path):
    """SQLite's ways with a full disk; PostgreSQL never ends a transaction by itself."""
    return f"sqlite:///{tmp_path / 'full.db'}"


@pytest.fixture
def full(db):
    """A plain table (no foreign key, no trigger: no statement journal), then a full disk."""
    database.execute_sql("CREATE TABLE scratch (id INTEGER PRIMARY KEY, text TEXT)")
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")
    return db


def fill():
    for n in range(1000):
        database.execute_sql("INSERT INTO scratch (text) VALUES (?)", (f"{n:0500d}",))
    raise AssertionError("the disk never filled")


def test_a_write_that_meets_a_full_disk_raises_the_full_disk(full):
    with pytest.raises(OperationalError) as raised:
        with database.atomic():
            fill()
    assert str(raised.value) == FULL
    assert any("cannot rollback - no transaction is active" in note
               for note in raised.value.__notes__)
    assert not database.connection().in_transaction
    assert not database.in_transaction()
    with database.atomic():  # the connection goes on
        assert database.execute_sql("SELECT count(*) FROM scratch").fetchone()[0] == 0


def test_in_a_nested_block_too(full):
    with pytest.raises(OperationalError) as raised:
        with database.atomic():
            with database.atomic():  # a savepoint
                fill()
    assert str(raised.value) == FULL
    notes = "\n".join(raised.value.__notes__)
    assert "no such savepoint" in notes and "cannot rollback" in notes
    assert not database.in_transaction()


def test_a_commit_that_meets_a_full_disk_raises_the_full_disk(db, monkeypatch):
    """SQLite ends the transaction when its COMMIT fails; peewee's ROLLBACK follows."""
    db_itself = database.obj

    def commit_on_a_full_disk():
        db_itself.execute_sql("ROLLBACK")  # what SQLite does to a failed COMMIT
        raise OperationalError(FULL)

    monkeypatch.setattr(db_itself, "commit", commit_on_a_full_disk)
    with pytest.raises(OperationalError) as raised:
        with database.atomic():
            database.execute_sql("CREATE TABLE scratch (id INTEGER PRIMARY KEY)")
    assert str(raised.value) == FULL
    assert not database.in_transaction()


def test_the_block_s_own_error_goes_on_when_its_rollback_fails(full):
    with pytest.raises(LookupError, match="the block's own"):
        with database.atomic():
            database.execute_sql("ROLLBACK")  # the transaction ended under the block
            raise LookupError("the block's own")


def test_a_rollback_asked_for_with_no_error_pending_still_raises(db):
    with pytest.raises(OperationalError, match="cannot rollback"):
        database.obj.transaction().rollback(begin=False)


def test_both_databases_and_the_shared_handle_keep_the_cause():
    for url in ("sqlite:///unused.db", "postgresql://dutyline@127.0.0.1:1/unused"):
        opened = open_database(url)  # connects nothing
        for handle in (opened, database):  # database.atomic() makes its own blocks
            assert isinstance(handle.transaction(), Transaction), url
            assert isinstance(handle.savepoint(), Savepoint), url
