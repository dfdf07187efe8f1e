"""Several outbox worker processes on one database: every mail arrives exactly once, and
a worker killed with a mail in hand leaves one repeat, under that mail's Message-ID."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone

import pytest

from dutyline.db import database, open_database
from dutyline.migrations import upgrade
from outbox import queue
from outbox.models import EMAIL, OutboxMessage
from tests.voicemail.test_delivery import Inbox, free_port

MAILS = 120
WORKERS = 3


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()


def test_three_worker_processes_send_each_message_once(postgres_url, smtp_server, tmp_path):
    open_database(postgres_url)
    upgrade()
    now = datetime.now(timezone.utc)
    with database.connection_context():
        for n in range(MAILS):
            queue.enqueue(EMAIL, "intake@helpdesk.example.com", f"message {n}\n",
                          f"test:{n}", now, subject=f"Message {n}")
    env = {**os.environ, "DATABASE_URL": postgres_url, "SMTP_URL": smtp_server.url,
           "MAIL_FROM": "dutyline@example.com", "TWILIO_AUTH_TOKEN": "t"}
    for key in ("TWILIO_ACCOUNT_SID", "TWILIO_FROM_NUMBER", "TICKET_WEBHOOK_SECRET",
                "DUTYLINE_SETTINGS"):
        env.pop(key, None)
    command = [sys.executable, "-c", "from console.main import main; main()",
               "outbox", "work", "--once"]
    for _round in range(5):  # each pass takes a batch; a few rounds empty the outbox
        workers = [subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE) for _ in range(WORKERS)]
        for worker in workers:
            _out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err.decode()[-2000:]
        with database.connection_context():
            if not OutboxMessage.select().where(
                    OutboxMessage.status != "sent").exists():
                break
    subjects = Counter(message["Subject"] for message in smtp_server.messages)
    assert len(subjects) == MAILS
    assert set(subjects.values()) == {1}
    with database.connection_context():
        assert OutboxMessage.select().where(
            OutboxMessage.status == "sent").count() == MAILS


# A worker process of its own, on the real clock with a short lease, until every row is sent.
WORKER = """
import sys, time
from datetime import datetime, timedelta, timezone
from dutyline.db import database, open_database
from outbox import queue
from outbox.mail import SmtpMailer
from outbox.models import SENT, OutboxMessage

url, smtp, name, lease = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
open_database(url)
mailer = SmtpMailer(smtp, "dutyline@example.com")
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    with database.connection_context():
        counts = queue.deliver_due({"email": mailer}, lambda: datetime.now(timezone.utc),
                                   worker=name, lease=timedelta(seconds=lease))
        if not OutboxMessage.select().where(OutboxMessage.status != SENT).exists():
            break
    if not any(counts.values()):
        time.sleep(0.05)
"""
LEASE_SECONDS = 1.5
SMTP_SECONDS = 0.06  # each mail: 40 of them (a pass of three workers) take 2.4 s


class SlowInbox(Inbox):
    """A server that takes a while over each mail; `stall_on` names a subject it sits on
    (it has the mail, but has not answered) until the test lets it go."""

    def __init__(self, stall_on=None):
        super().__init__()
        self.stall_on, self.stalled, self.release = stall_on, threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SMTP_SECONDS)
        answer = await super().handle_DATA(server, session, envelope)
        if self.messages[-1]["Subject"] == self.stall_on:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return answer


def slow_server(inbox):
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    return controller


def start_worker(database_url, inbox, name, cwd):
    command = [sys.executable, "-c", WORKER, database_url, inbox.url, name, str(LEASE_SECONDS)]
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(workers):
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()[-2000:]


def queue_mails(now):
    with database.connection_context():
        for n in range(MAILS):
            queue.enqueue(EMAIL, "intake@helpdesk.example.com", f"message {n}\n",
                          f"test:{n}", now, subject=f"Message {n}")


def test_worker_processes_whose_passes_outlast_the_lease_send_each_mail_once(
        app, database_url, tmp_path):
    """Each pass takes about twice the lease, and the workers start a moment apart, so one
    starts a pass while another is deep in its own."""
    queue_mails(datetime.now(timezone.utc))
    inbox = SlowInbox()
    controller = slow_server(inbox)
    try:
        workers = []
        for n in range(WORKERS):
            workers.append(start_worker(database_url, inbox, f"w{n}", tmp_path))
            time.sleep(LEASE_SECONDS * 0.6)
        finish(workers)
    finally:
        controller.stop()
    subjects = Counter(message["Subject"] for message in inbox.messages)
    assert len(subjects) == MAILS and set(subjects.values()) == {1}


def test_a_mail_repeated_after_a_kill_carries_its_first_message_id(app, database_url, tmp_path):
    """Every worker is killed while the server holds one mail it has not yet answered: the
    workers that take over after the lease send that mail (and any other the killed ones
    had in hand) again, once, under the Message-ID of its first copy."""
    queue_mails(datetime.now(timezone.utc))
    inbox = SlowInbox(stall_on="Message 30")
    controller = slow_server(inbox)
    try:
        workers = [start_worker(database_url, inbox, f"w{n}", tmp_path) for n in range(WORKERS)]
        assert inbox.stalled.wait(60)
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.communicate(timeout=30)
        inbox.release.set()
        finish([start_worker(database_url, inbox, f"v{n}", tmp_path) for n in range(WORKERS)])
    finally:
        controller.stop()
    copies = {}
    for message in inbox.messages:
        copies.setdefault(message["Subject"], []).append(message["Message-ID"])
    assert set(copies) == {f"Message {n}" for n in range(MAILS)}
    assert len(copies["Message 30"]) == 2  # the mail the server had when its sender died
    repeated = {subject: ids for subject, ids in copies.items() if len(ids) > 1}
    assert len(repeated) <= WORKERS and all(len(ids) == 2 for ids in repeated.values())
    assert all(len(set(ids)) == 1 for ids in copies.values())  # a repeat: its first's id
    assert len({ids[0] for ids in copies.values()}) == MAILS
    with database.connection_context():
        assert OutboxMessage.select().where(OutboxMessage.status == "sent").count() == MAILS
