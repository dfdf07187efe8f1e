"""The background loops keep going after a failed pass and stop cleanly when asked."""

import logging
import os
import signal
import threading
from datetime import datetime, timezone

import click
import pytest

from console.ops_commands import repeat, stop_on_sigterm
from outbox import queue
from outbox.models import QUEUED, SENT, SMS, OutboxMessage
from outbox.senders import RecordingSender

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)


class Interrupt(BaseException):
    pass


class WaitCounter:
    """Stands in for the stop event: counts the waits, and ends the test loop on the n-th."""

    def __init__(self, interrupt_on):
        self.waits = 0
        self.interrupt_on = interrupt_on
        self.event = threading.Event()

    def is_set(self):
        return self.event.is_set()

    def set(self):
        self.event.set()

    def wait(self, _seconds):
        self.waits += 1
        if self.waits == self.interrupt_on:
            raise Interrupt()
        return self.event.is_set()


def test_a_failed_pass_does_not_stop_the_loop(app):
    passes = []

    def work():
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("database went away")

    with pytest.raises(Interrupt):
        repeat(False, 5, work, WaitCounter(interrupt_on=3))
    assert passes == [0, 1, 2]


def test_once_runs_one_pass_and_lets_errors_out(app):
    passes = []

    def work():
        passes.append(1)
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        repeat(True, 5, work)
    assert passes == [1]


def test_a_stop_during_a_pass_ends_the_loop_after_it(app):
    stop = WaitCounter(interrupt_on=99)
    passes = []

    def work():
        passes.append(1)
        if len(passes) == 2:
            stop.set()

    repeat(False, 5, work, stop)
    assert passes == [1, 1]
    assert stop.waits == 1


def test_an_interrupt_while_waiting_ends_the_loop(app):
    class CtrlC(WaitCounter):
        def wait(self, _seconds):
            raise KeyboardInterrupt()

    passes = []
    repeat(False, 5, lambda: passes.append(1), CtrlC(interrupt_on=0))
    assert passes == [1]


def test_sigterm_sets_the_stop_event():
    before = signal.getsignal(signal.SIGTERM)
    try:
        stop = stop_on_sigterm()
        assert not stop.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
    finally:
        signal.signal(signal.SIGTERM, before)


def test_a_stopping_worker_leaves_the_rest_queued(db):
    for n in range(3):
        queue.enqueue(SMS, "+447911123401", f"text {n}", f"k{n}", NOW)
    fake = RecordingSender()
    counts = queue.deliver_due({"sms": fake}, NOW, stop=lambda: len(fake.texts()) == 2)
    assert counts["sent"] == 2
    statuses = [m.status for m in OutboxMessage.select().order_by(OutboxMessage.id)]
    assert statuses == [SENT, SENT, QUEUED]


def test_a_database_outage_is_one_line_at_its_start_and_one_at_its_end(app, caplog):
    from peewee import OperationalError

    passes = []

    def work():
        passes.append(1)
        if 2 <= len(passes) <= 4:
            raise OperationalError("connection failed: Connection refused")

    caplog.set_level(logging.INFO)
    with pytest.raises(Interrupt):
        repeat(False, 5, work, WaitCounter(interrupt_on=6),
               "postgresql://dutyline:secret@db.example.com/dutyline")
    assert len(passes) == 6
    lines = [r for r in caplog.records if r.name == "console.ops_commands"]
    assert [r.getMessage() for r in lines] == [
        "console.ops_commands.repeat: database unavailable: cannot connect to PostgreSQL at "
        "db.example.com:5432: connection refused (is it running?); trying again every 5s",
        "console.ops_commands.repeat: database back after failed_passes=3"]
    assert all(r.exc_info is None for r in lines)


def test_once_with_the_database_gone_is_one_line(app, tmp_path):
    from peewee import OperationalError

    def work():
        raise OperationalError("database is locked")

    url = f"sqlite:///{tmp_path / 'test.db'}"
    with pytest.raises(click.ClickException) as raised:
        repeat(True, 5, work, url=url)
    assert raised.value.message == \
        f"the SQLite file {tmp_path / 'test.db'} is locked by another process; try again"


@pytest.mark.parametrize("command", [["outbox", "work"], ["clock"]])
@pytest.mark.parametrize("interval", ["0", "-1", "nan", "1e9", "soon"])
def test_an_interval_that_would_spin_or_never_come_is_refused(command, interval):
    from click.testing import CliRunner

    from console.main import main

    result = CliRunner().invoke(main, [*command, "--interval", interval])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("Error: Invalid value for "
                                                             "'--interval'")
