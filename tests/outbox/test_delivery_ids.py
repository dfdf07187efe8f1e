"""A message sent again carries the id of its first copy, so a receiver can drop the repeat:
a mail its Message-ID, a webhook its X-Dutyline-Delivery; and no two messages share one."""

import email
from datetime import datetime, timedelta, timezone
from email import policy

import pytest
import responses
from aiosmtpd.controller import Controller

from outbox import queue
from outbox.mail import SmtpMailer, message_id
from outbox.models import EMAIL, SENT, WEBHOOK, OutboxMessage
from outbox.webhook import WebhookPoster, delivery_id
from tests.voicemail.test_delivery import free_port

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)
HELPDESK = "intake@helpdesk.example.com"
HOOK = "https://helpdesk.example.com/hooks/dutyline"
TICKET_MAIL = "ticket:1001:mail:CA" + "0123456789abcdef" * 2
AFTER_THE_LEASE = NOW + queue.LEASE + timedelta(seconds=1)


class Mailbox:
    """An SMTP server's end: every message it was handed, refusing the first `refuse`
    with a 451 (try again later)."""

    def __init__(self):
        self.handed, self.kept, self.refuse = [], [], 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.handed.append(message)
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.kept.append(message)
        return "250 OK"


@pytest.fixture
def mailbox():
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.url = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


@pytest.fixture
def hook():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def queue_mail(key, subject):
    queue.enqueue(EMAIL, HELPDESK, f"{subject}\n", key, NOW, subject=subject)


def crash_after_the_answer(channel, sender):
    """A worker takes the due row, hands it over, and is killed before it records that."""
    taken = queue.claim_next([channel], NOW, "killed/1")
    sender.send(OutboxMessage.get_by_id(taken))


# what befalls the first attempt -> the receiver is handed the message twice, with one id
@pytest.mark.parametrize("first_attempt", ["crash", "refused"])
def test_a_mail_handed_over_twice_carries_one_message_id(db, mailbox, first_attempt):
    mailer = SmtpMailer(mailbox.url, "dutyline@example.com")
    queue_mail(TICKET_MAIL, "Voicemail 1001")
    queue_mail("rota.weekly:2026-11-23T18:00:00Z:3", "Your duties")
    if first_attempt == "crash":
        crash_after_the_answer(EMAIL, mailer)
        assert queue.deliver_due({EMAIL: mailer}, AFTER_THE_LEASE, worker="b")["sent"] == 2
    else:
        mailbox.refuse = 1
        assert queue.deliver_due({EMAIL: mailer}, NOW) == {"sent": 1, "retry": 1,
                                                           "failed": 0, "skipped": 0}
        assert queue.deliver_due({EMAIL: mailer}, NOW + timedelta(minutes=1))["sent"] == 1
    ticket = f"<ticket.1001.mail.CA{'0123456789abcdef' * 2}@example.com>"
    assert sorted((m["Subject"], m["Message-ID"]) for m in mailbox.handed) == [
        ("Voicemail 1001", ticket), ("Voicemail 1001", ticket),
        ("Your duties", "<rota=2Eweekly.2026-11-23T18.00.00Z.3@example.com>")]
    assert len(mailbox.kept) == (3 if first_attempt == "crash" else 2)
    assert {m.status for m in OutboxMessage.select()} == {SENT}


@pytest.mark.parametrize("first_attempt", ["crash", "refused"])
def test_a_webhook_posted_twice_carries_one_delivery_id(db, hook, first_attempt):
    poster = WebhookPoster("hook-secret")
    queue.enqueue(WEBHOOK, HOOK, '{"event": "ticket.created"}', "ticket:1001:webhook:created",
                  NOW)
    queue.enqueue(WEBHOOK, HOOK, '{"event": "ticket.transcribed"}',
                  "ticket:1001:webhook:transcribed", NOW + timedelta(seconds=40))
    if first_attempt == "crash":
        hook.add(responses.POST, HOOK, status=200)
        crash_after_the_answer(WEBHOOK, poster)
        assert queue.deliver_due({WEBHOOK: poster}, AFTER_THE_LEASE, worker="b")["sent"] == 2
    else:
        hook.add(responses.POST, HOOK, status=503)
        hook.add(responses.POST, HOOK, status=200)
        assert queue.deliver_due({WEBHOOK: poster}, NOW)["retry"] == 1
        assert queue.deliver_due({WEBHOOK: poster}, NOW + timedelta(minutes=1))["sent"] == 2
    created, transcribed = OutboxMessage.select().order_by(OutboxMessage.id)
    posted = [(call.request.body.decode(), call.request.headers["X-Dutyline-Delivery"])
              for call in hook.calls]
    assert posted == [
        (created.body, f"{created.id}.20261124T180000.000000Z"),
        (created.body, f"{created.id}.20261124T180000.000000Z"),
        (transcribed.body, f"{transcribed.id}.20261124T180040.000000Z")]
    assert all(call.request.headers["X-Dutyline-Signature"].startswith("sha256=")
               for call in hook.calls)


# keys that used to share a Message-ID (every character but letters, digits and - was a dot)
@pytest.mark.parametrize("keys", [
    ("a:b", "a.b"),
    ("gap:2026-12-24:mia@example.com", "gap:2026-12-24:mia.example.com"),
    ("note:a b", "note:a_b", "note:a/b", "note:a:b"),
    ("x::y", "x:.y", "x.:y", "x..y"),
    ("tail:", "tail.", ":head", ".head"),
    ("café", "caf=C3=A9"),
])
def test_different_keys_never_share_a_message_id(keys):
    ids = [message_id(key, "example.com") for key in keys]
    assert len(set(ids)) == len(keys), ids
    for value in ids:  # and each is an id a mail reader accepts as it is
        parsed = email.message_from_string(f"Message-ID: {value}\n\n", policy=policy.default)
        assert parsed["Message-ID"].defects == () and str(parsed["Message-ID"]) == value


def test_a_tickets_mails_keep_the_message_ids_they_always_had():
    """A follow-up names its first mail by the first's key: the thread of a ticket mailed
    before this scheme still holds."""
    assert message_id(TICKET_MAIL, "example.com") == \
        f"<ticket.1001.mail.CA{'0123456789abcdef' * 2}@example.com>"
    assert message_id(f"{TICKET_MAIL}:transcript", "example.com") == \
        f"<ticket.1001.mail.CA{'0123456789abcdef' * 2}.transcript@example.com>"


def test_a_database_started_afresh_does_not_repeat_a_delivery_id():
    """Its rows are numbered from 1 again, and its tickets and keys repeat: the instant the
    row was queued keeps the ids apart."""
    before = OutboxMessage(id=1, created_at=NOW)
    afresh = OutboxMessage(id=1, created_at=NOW + timedelta(days=3, microseconds=5))
    assert delivery_id(before) == "1.20261124T180000.000000Z"
    assert delivery_id(afresh) == "1.20261127T180000.000005Z"
