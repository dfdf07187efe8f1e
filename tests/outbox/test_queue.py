"""The outbox: enqueue once, deliver through Twilio's REST API with retries, one sender per row."""

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests
from peewee import IntegrityError
import responses
from click.testing import CliRunner

from console.main import main
from dutyline.db import database
from outbox import queue
from outbox.models import EMAIL, FAILED, QUEUED, SENDING, SENT, SMS, WEBHOOK, OutboxMessage
from outbox.senders import DeliveryError, RecordingSender
from outbox.sms import TwilioSms
from tests.conftest import app_info

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)
ACCOUNT = "AC00000000000000000000000000000000"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
FROM = "+442079460000"
TO = "+447911123401"

CREATED = {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "to": TO,
           "from": FROM, "body": "hello"}
SERVER_ERROR = {"code": 20500, "message": "Internal Server Error", "status": 500}
INVALID_TO = {"code": 21211, "status": 400,
              "message": "The 'To' number +447911123401 is not a valid phone number."}


@pytest.fixture
def twilio_sms():
    return TwilioSms(ACCOUNT, "secret-token", FROM)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def enqueue_notice(key="notice-1", body="hello", at=NOW):
    return queue.enqueue(SMS, TO, body, key, at)


def row(key="notice-1"):
    return OutboxMessage.get(OutboxMessage.dedupe_key == key)


def test_the_same_key_is_queued_once(db):
    assert enqueue_notice() is True
    assert enqueue_notice(body="a second wording") is False
    assert OutboxMessage.select().count() == 1
    assert row().body == "hello" and row().status == QUEUED and row().attempts == 0


def test_enqueue_belongs_to_the_callers_transaction(db):
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon):
        with database.atomic():
            enqueue_notice("kept-only-if-committed")
            raise Abandon()
    assert OutboxMessage.select().count() == 0
    with database.atomic():
        enqueue_notice("first")
        enqueue_notice("first")  # a duplicate inside the transaction does not spoil it
        enqueue_notice("second")
    assert [m.dedupe_key for m in OutboxMessage.select().order_by(OutboxMessage.id)] == [
        "first", "second"]


# attempts that failed -> wait before the next one
@pytest.mark.parametrize("attempts, wait", [
    (1, timedelta(seconds=30)),
    (2, timedelta(minutes=1)),
    (3, timedelta(minutes=2)),
    (7, timedelta(minutes=32)),
    (8, timedelta(hours=1)),
    (20, timedelta(hours=1)),
])
def test_backoff_doubles_up_to_an_hour(attempts, wait):
    assert queue.retry_delay(attempts) == wait


def test_a_sent_text_goes_through_twilio_once(db, api, twilio_sms):
    api.add(responses.POST, MESSAGES_URL, status=201, json=CREATED)
    enqueue_notice()
    counts = queue.deliver_due({"sms": twilio_sms}, NOW)
    assert counts["sent"] == 1
    assert len(api.calls) == 1
    assert "To=%2B447911123401" in api.calls[0].request.body
    assert "From=%2B442079460000" in api.calls[0].request.body
    message = row()
    assert (message.status, message.attempts, message.provider_id, message.sent_at) == (
        SENT, 1, CREATED["sid"], NOW)
    assert queue.deliver_due({"sms": twilio_sms}, NOW + timedelta(hours=2))["sent"] == 0
    assert len(api.calls) == 1


def test_a_server_error_is_retried_after_the_backoff(db, api, twilio_sms):
    api.add(responses.POST, MESSAGES_URL, status=500, json=SERVER_ERROR)
    api.add(responses.POST, MESSAGES_URL, status=201, json=CREATED)
    enqueue_notice()
    senders = {"sms": twilio_sms}
    assert queue.deliver_due(senders, NOW)["retry"] == 1
    message = row()
    assert (message.status, message.attempts) == (QUEUED, 1)
    assert message.next_attempt_at == NOW + timedelta(seconds=30)
    assert "20500" in message.last_error
    # not due yet: Twilio is not asked again
    queue.deliver_due(senders, NOW + timedelta(seconds=29))
    assert len(api.calls) == 1
    assert queue.deliver_due(senders, NOW + timedelta(seconds=30))["sent"] == 1
    message = row()
    assert (message.status, message.attempts, message.last_error) == (SENT, 2, None)
    assert len(api.calls) == 2


def test_a_connection_error_is_retried(db, api, twilio_sms):
    api.add(responses.POST, MESSAGES_URL,
            body=requests.exceptions.ConnectionError("connection reset"))
    enqueue_notice()
    assert queue.deliver_due({"sms": twilio_sms}, NOW)["retry"] == 1
    assert row().status == QUEUED and "unreachable" in row().last_error


# Twilio's answer -> what the outbox does with the row
@pytest.mark.parametrize("status, code, outcome", [
    (500, 20500, "retry"),
    (503, 20503, "retry"),
    (429, 20429, "retry"),    # too many requests
    (401, 20003, "retry"),    # wrong credentials: an operator fixes them, the texts wait
    (400, 21211, "failed"),   # invalid 'To' number
    (400, 21610, "failed"),   # the recipient replied STOP
    (404, 20404, "failed"),
])
def test_twilio_answers_decide_retry_or_failure(db, api, twilio_sms, status, code, outcome):
    api.add(responses.POST, MESSAGES_URL, status=status,
            json={"code": code, "status": status, "message": "an error"})
    enqueue_notice()
    assert queue.deliver_due({"sms": twilio_sms}, NOW)[outcome] == 1
    assert row().status == {"retry": QUEUED, "failed": FAILED}[outcome]
    assert str(code) in row().last_error


def test_a_message_without_recipient_is_an_error_not_a_duplicate(db):
    with pytest.raises(IntegrityError):
        with database.atomic():
            queue.enqueue(SMS, None, "hello", "k", NOW)
    assert OutboxMessage.select().count() == 0


def test_an_unknown_channel_is_refused(db):
    with pytest.raises(ValueError):
        queue.enqueue("pigeon", TO, "hello", "k", NOW)
    assert OutboxMessage.select().count() == 0


def test_an_invalid_number_fails_at_once_and_is_not_retried(db, api, twilio_sms):
    api.add(responses.POST, MESSAGES_URL, status=400, json=INVALID_TO)
    enqueue_notice()
    assert queue.deliver_due({"sms": twilio_sms}, NOW)["failed"] == 1
    for hours in (1, 2, 24):
        queue.deliver_due({"sms": twilio_sms}, NOW + timedelta(hours=hours))
    assert len(api.calls) == 1
    message = row()
    assert (message.status, message.attempts) == (FAILED, 1)
    assert "21211" in message.last_error


def test_server_errors_give_up_after_the_last_attempt(db, api, twilio_sms):
    api.add(responses.POST, MESSAGES_URL, status=503, json=SERVER_ERROR)
    enqueue_notice()
    at = NOW
    outcomes = []
    for _ in range(queue.MAX_ATTEMPTS + 3):
        counts = queue.deliver_due({"sms": twilio_sms}, at)
        outcomes.append(next((k for k in ("sent", "retry", "failed") if counts[k]), None))
        at += queue.LONGEST_WAIT
    assert outcomes == ["retry"] * (queue.MAX_ATTEMPTS - 1) + ["failed"] + [None] * 3
    assert len(api.calls) == queue.MAX_ATTEMPTS
    assert (row().status, row().attempts) == (FAILED, queue.MAX_ATTEMPTS)


def test_only_one_worker_wins_a_row(db):
    enqueue_notice()
    message_id = row().id
    assert queue.claim(message_id, NOW, "worker-a") is True
    assert queue.claim(message_id, NOW, "worker-b") is False
    assert (row().status, row().lease_token) == (SENDING, "worker-a")


def test_a_row_left_by_a_dead_worker_is_sent_after_its_lease(db):
    enqueue_notice()
    message_id = row().id
    assert queue.claim(message_id, NOW, "worker-a")  # and then worker-a dies
    fake = RecordingSender()
    assert queue.deliver_due({"sms": fake}, NOW + queue.LEASE / 2)["sent"] == 0
    assert queue.deliver_due({"sms": fake}, NOW + queue.LEASE + timedelta(seconds=1),
                             worker="worker-b")["sent"] == 1
    assert fake.texts() == [(TO, "hello")]
    assert (row().status, row().attempts) == (SENT, 2)
    # worker-a waking up late cannot overwrite the outcome
    assert queue._finish(message_id, "worker-a", status=FAILED) == 0
    assert row().status == SENT


def test_two_workers_send_each_message_once(app, db):
    for n in range(40):
        enqueue_notice(f"notice-{n}", body=f"text {n}")
    fake = RecordingSender()
    start = threading.Barrier(2)
    errors = []

    def worker(name):
        try:
            with database.connection_context():
                start.wait()
                while queue.deliver_due({"sms": fake}, NOW, worker=name, limit=5)["sent"]:
                    pass
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(body for _, body in fake.texts()) == sorted(f"text {n}" for n in range(40))
    assert OutboxMessage.select().where(OutboxMessage.status == SENT).count() == 40


def test_a_channel_without_a_sender_waits(db):
    enqueue_notice()
    assert queue.deliver_due({}, NOW) == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    assert row().status == QUEUED


def test_every_channel_hands_the_whole_message_to_its_sender(db):
    queue.enqueue(SMS, TO, "a text", "k-sms", NOW)
    queue.enqueue(EMAIL, "intake@helpdesk.example.com", "a mail", "k-mail", NOW,
                  subject="Voicemail", thread_key="k-first")
    queue.enqueue(WEBHOOK, "https://helpdesk.example.com/hook", "{}", "k-hook", NOW)
    fake = RecordingSender()
    counts = queue.deliver_due({SMS: fake, EMAIL: fake, WEBHOOK: fake}, NOW)
    assert counts["sent"] == 3
    assert [(m.channel, m.recipient, m.subject, m.body, m.dedupe_key, m.thread_key)
            for m in fake.sent] == [
        (SMS, TO, None, "a text", "k-sms", None),
        (EMAIL, "intake@helpdesk.example.com", "Voicemail", "a mail", "k-mail", "k-first"),
        (WEBHOOK, "https://helpdesk.example.com/hook", None, "{}", "k-hook", None)]
    assert [m.provider_id for m in OutboxMessage.select().order_by(OutboxMessage.id)] == [
        "fake-sms-0001", "fake-email-0002", "fake-webhook-0003"]


def test_an_unexpected_sender_error_is_retried(db):
    enqueue_notice()

    class Broken:
        def send(self, message):
            raise KeyError("bug in an adapter")

    assert queue.deliver_due({"sms": Broken()}, NOW)["retry"] == 1
    assert row().status == QUEUED and "KeyError" in row().last_error


def test_cli_work_once_and_list(app, db):
    fake = RecordingSender(fail_with=[DeliveryError("21211 invalid", permanent=True)])
    app.config["SENDERS"] = {"sms": fake}
    enqueue_notice("bad")
    enqueue_notice("good", body="fine")
    runner = CliRunner()
    result = runner.invoke(main, ["outbox", "work", "--once"], obj=app_info(app))
    assert result.exit_code == 0, result.output
    assert "sent=1" in result.output and "failed=1" in result.output
    result = runner.invoke(main, ["outbox", "list", "--failed", "--json"], obj=app_info(app))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["key"], r["status"], r["last_error"]) for r in rows] == [
        ("bad", "failed", "21211 invalid")]
    result = runner.invoke(main, ["outbox", "list"], obj=app_info(app))
    assert "good" in result.output and "bad" in result.output


def test_cli_worker_names_the_missing_twilio_key(app, db):
    app.config.pop("TWILIO_FROM_NUMBER", None)
    app.config["TWILIO_ACCOUNT_SID"] = ACCOUNT
    result = CliRunner().invoke(main, ["outbox", "work", "--once"], obj=app_info(app))
    assert result.exit_code != 0
    assert "TWILIO_FROM_NUMBER" in result.output


def test_cli_retry_queues_failed_messages_again(app, db, clock):
    clock.set(NOW)
    app.config["SENDERS"] = {"sms": RecordingSender(fail_with=[
        DeliveryError("invalid", permanent=True), DeliveryError("invalid", permanent=True)])}
    enqueue_notice("one")
    enqueue_notice("two")
    runner = CliRunner()
    runner.invoke(main, ["outbox", "work", "--once"], obj=app_info(app))
    assert [m.status for m in OutboxMessage.select().order_by(OutboxMessage.id)] == [
        FAILED, FAILED]
    assert runner.invoke(main, ["outbox", "retry"], obj=app_info(app)).exit_code != 0
    result = runner.invoke(main, ["outbox", "retry", str(row("two").id)], obj=app_info(app))
    assert "queued 1 message(s) again" in result.output
    assert (row("one").status, row("two").status, row("two").attempts) == (FAILED, QUEUED, 0)
    result = runner.invoke(main, ["outbox", "work", "--once"], obj=app_info(app))
    assert "sent=1" in result.output
    assert app.config["SENDERS"]["sms"].texts() == [(TO, "hello")]
    result = runner.invoke(main, ["outbox", "retry", "--all-failed"], obj=app_info(app))
    assert "queued 1 message(s) again" in result.output
