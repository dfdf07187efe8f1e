"""Workers running at once each take different rows, so one pass of each sends its own share."""

import threading
import time
from datetime import datetime, timezone

import pytest

from dutyline.db import database
from outbox import queue
from outbox.models import SENT, SMS, OutboxMessage
from outbox.senders import RecordingSender

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)
WORKERS = 3
PER_PASS = 10


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'outbox.db'}"


class SlowSms(RecordingSender):
    """A provider that takes a moment, so the workers' passes overlap."""

    def send(self, message):
        time.sleep(0.02)
        return super().send(message)


def test_one_pass_of_each_worker_sends_distinct_messages(app, db):
    for n in range(WORKERS * PER_PASS):
        queue.enqueue(SMS, "+447911123401", f"text {n}", f"notice-{n}", NOW)
    sender = SlowSms()
    start = threading.Barrier(WORKERS)
    results, errors = {}, []

    def worker(name):
        try:
            with database.connection_context():
                start.wait()
                results[name] = queue.deliver_due({"sms": sender}, NOW, worker=name,
                                                   limit=PER_PASS)
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert [results[f"w{n}"]["sent"] for n in range(WORKERS)] == [PER_PASS] * WORKERS
    assert sorted(body for _, body in sender.texts()) == sorted(
        f"text {n}" for n in range(WORKERS * PER_PASS))
    assert OutboxMessage.select().where(OutboxMessage.status == SENT).count() == WORKERS * PER_PASS


def test_a_claimed_row_is_not_taken_again_before_its_lease_ends(db):
    queue.enqueue(SMS, "+447911123401", "hello", "notice-1", NOW)
    first = queue.claim_next(["sms"], NOW, "worker-a")
    assert first is not None
    assert queue.claim_next(["sms"], NOW, "worker-b") is None
    assert queue.claim_next(["sms"], NOW + queue.LEASE * 2, "worker-b") == first
