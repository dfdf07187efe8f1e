"""A ticket's "Reply ACK" texts are dropped once the ticket is no longer new: cancelled with
the acknowledgement itself, and checked again by the worker right before sending."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from accounts.users import add_user
from console.main import main
from dutyline.db import database
from outbox import queue
from outbox.models import SMS, OutboxMessage
from outbox.senders import RecordingSender
from tests.conftest import ADDED_AT, app_info
from tests.voicemail.escalation_helpers import BEN, TOBI, leave_ticket, make_team
from tests.web.conftest import Browser
from voicemail import notify, tickets
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
TEXTS = RecordingSender()


@pytest.fixture
def app_config():
    TEXTS.sent.clear()
    return {"SECRET_KEY": "test-secret-key", "SENDERS": {SMS: TEXTS}}


@pytest.fixture
def ticket(app, clock, simulate, make_engineer, settings):
    """Ticket 1001 left at 10:00 in office hours: Ben and Tobi (signed in) are texted."""
    make_team(make_engineer, settings, date(2026, 11, 30))
    number, made = leave_ticket(simulate, TUESDAY_10)
    return number, made


def engineer_texts(number):
    with database.connection_context():
        return sorted((m.recipient, m.status, m.last_error) for m in OutboxMessage.select().where(
            OutboxMessage.dedupe_key.startswith(f"ticket:{number}:engineer-text:")))


def work(app, clock, at):
    """`dutyline outbox work --once` at `at`."""
    clock.set(at)
    result = CliRunner().invoke(main, ["outbox", "work", "--once"], obj=app_info(app),
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_ticket_acknowledged_on_the_web_texts_no_engineer(app, clock, ticket):
    number, made = ticket
    assert [to for to, status, _ in engineer_texts(number)] == [BEN, TOBI]
    clock.set(made + timedelta(seconds=30))  # the texts are held a minute for the transcript
    with database.connection_context():
        add_user("mia@example.com", "manager", None, now=ADDED_AT)
    browser = Browser(app, clock).sign_in("mia@example.com")
    assert browser.post(f"/tickets/{number}/ack", token_from="/tickets").status_code == 302
    assert engineer_texts(number) == [(BEN, "cancelled", "the ticket was acknowledged"),
                                      (TOBI, "cancelled", "the ticket was acknowledged")]
    work(app, clock, made + timedelta(minutes=2))
    assert not [body for _, body in TEXTS.texts() if f"ACK {number}" in body]


def test_a_closed_ticket_texts_no_engineer(app, clock, ticket):
    number, made = ticket
    with database.connection_context():
        tickets.close(number, made + timedelta(seconds=10))
    assert {status for _, status, _ in engineer_texts(number)} == {"cancelled"}


def test_the_worker_drops_a_text_whose_ticket_was_acknowledged_after_it_was_queued(
        app, clock, ticket):
    # the acknowledgement reached the ticket but not the queued row (it was being sent by a
    # worker that then stopped, or was written by a version that did not cancel it)
    number, made = ticket
    with database.connection_context():
        Ticket.update(status="acknowledged").where(Ticket.id == number - 1000).execute()
    output = work(app, clock, made + timedelta(minutes=2))
    assert "cancelled=2" in output
    assert engineer_texts(number) == [(BEN, "cancelled", f"ticket #{number} is acknowledged"),
                                      (TOBI, "cancelled", f"ticket #{number} is acknowledged")]
    assert not [body for _, body in TEXTS.texts() if f"ACK {number}" in body]


def test_a_text_claimed_when_the_ticket_is_acknowledged_is_not_sent(app, ticket):
    number, made = ticket
    later = made + timedelta(minutes=2)
    with database.connection_context():
        row = OutboxMessage.get(OutboxMessage.recipient == BEN,
                                OutboxMessage.dedupe_key.contains(":engineer-text:"))
        assert queue.claim(row.id, later, "worker-1")
        tickets.acknowledge(number, later)  # cancels what is queued; this row is being sent
        sender = RecordingSender()
        outcome = queue.deliver_one(OutboxMessage.get_by_id(row.id), sender, later, "worker-1",
                                    stale=notify.no_longer_wanted)
        assert (outcome, sender.sent) == ("cancelled", [])
        assert OutboxMessage.get_by_id(row.id).status == "cancelled"


def test_texts_of_a_new_ticket_are_still_sent(app, clock, ticket):
    number, made = ticket
    work(app, clock, made + timedelta(minutes=2))
    assert sorted(to for to, body in TEXTS.texts() if f"Reply ACK {number}" in body) == [
        BEN, TOBI]
