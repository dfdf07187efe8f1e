"""Several outbox worker processes on one PostgreSQL database: every mail arrives exactly once."""

import os
import subprocess
import sys
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
