"""Ticket priority (A critical, B important, C normal, D low): set by text, command line and
web, shown in the helpdesk's mail subject and the ticket lists; bad input changes nothing."""

import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from customers.directory import add_customer
from dutyline.db import database
from outbox.models import EMAIL, OutboxMessage
from rota import periods
from tests.conftest import ADDED_AT, command_line
from tests.webhooks.test_sms_commands import text
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
NIGHT = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)
HELPDESK = "intake@helpdesk.example.com"
BEN, TOBI = "+447911000001", "+447911000002"
ACME = "+447911123501"


@pytest.fixture
def app_config():
    return {"HELPDESK_EMAIL": HELPDESK}


@pytest.fixture
def ticket(app, make_engineer, settings, simulate, clock):
    """Ticket 1001 from ACME Ltd, left at 03:00 for Ben (on duty); Tobi is on the team too."""
    ben = make_engineer("Ben Smith", mobile=BEN)
    make_engineer("Tobi Jones", mobile=TOBI)
    with database.connection_context():
        periods.assign_period(date(2026, 12, 1), ben, None, settings, now=ADDED_AT)
        add_customer("ACME Ltd", [ACME], "24x7", "1h", region="GB")
    outcome = simulate(Scenario(at=NIGHT, caller=ACME, others="ignore"))
    assert outcome.ticket_number == 1001
    clock.set(NIGHT.astimezone(timezone.utc))
    return outcome.ticket_number


def stored(number=1001):
    with database.connection_context():
        found = Ticket.get_by_id(number - 1000)
        return found.status, found.priority, found.acknowledged_by_id


def helpdesk_mails():
    with database.connection_context():
        return [(m.subject, m.body) for m in (OutboxMessage
                                               .select()
                                               .where(OutboxMessage.channel == EMAIL)
                                               .order_by(OutboxMessage.id))]


def test_a_new_ticket_is_normal_and_the_helpdesk_subject_says_so(ticket):
    assert stored()[1] == "C"
    subject, _ = helpdesk_mails()[0]
    assert subject == f"[dutyline #1001] [C normal] Voicemail from ACME Ltd ({ACME})"


# header: the text -> the reply, then the ticket's (status, priority)
ACKS = [
    ("ACK 1001 A", "Ticket #1001 acknowledged, priority A (critical). Thank you.",
     ("acknowledged", "A")),
    ("ack #1001 d.", "Ticket #1001 acknowledged, priority D (low). Thank you.",
     ("acknowledged", "D")),
    ("ACK 1001", "Ticket #1001 acknowledged. Thank you.", ("acknowledged", "C")),
    ("ACK 1001 E", "Not acknowledged: priority must be one of A (critical), B (important), "
                   "C (normal), D (low), got 'E'.", ("new", "C")),
    ("ACK 4711 A", "Not acknowledged: no ticket #4711.", ("new", "C")),
    ("ACK 1001 A B", "Not a command, so nothing was changed. Send one of: WHO, ON, OFF, "
                     "TAKE, COVER, COVER OFF, ACK 1234, HELP.", ("new", "C")),
]


@pytest.mark.parametrize("body, reply, after", ACKS)
def test_ack_by_text_acknowledges_and_sets_the_priority(twilio, ticket, body, reply, after):
    mails = helpdesk_mails()
    assert text(twilio, BEN, body) == (200, reply)
    assert stored()[:2] == after
    new_mails = helpdesk_mails()[len(mails):]
    if after[1] == "C":
        assert new_mails == []  # nothing changed, nobody told
    else:
        tag, label = {"A": ("A critical", "A (critical)"), "D": ("D low", "D (low)")}[after[1]]
        assert new_mails == [(f"Re: [dutyline #1001] [{tag}] Voicemail from ACME Ltd ({ACME})",
                              f"Voicemail ticket #1001 is now priority {label} by Ben Smith.\n")]


def test_ack_without_a_priority_keeps_the_one_set(twilio, ticket):
    assert text(twilio, TOBI, "ACK 1001 B")[1].endswith("priority B (important). Thank you.")
    assert text(twilio, BEN, "ACK 1001") == (
        200, "Ticket #1001 was already acknowledged by Tobi Jones.")
    assert stored()[:2] == ("acknowledged", "B")


def test_the_command_line_sets_and_lists_priorities(app, ticket):
    run = command_line(app)

    result = run("tickets", "priority", "1001", "b", "--by", "Tobi Jones")
    assert (result.exit_code, result.output) == (0, "#1001 priority B important\n")
    assert stored() == ("new", "B", None)
    result = run("tickets", "priority", "1001", "E")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "priority must be one of A (critical)" in result.output
    assert stored() == ("new", "B", None)
    result = run("tickets", "ack", "1001", "--priority", "A")
    assert (result.exit_code, result.output) == (0, "#1001 acknowledged, priority A critical\n")
    result = run("tickets", "ack", "1001", "--priority", "Z")
    assert result.exit_code == 1 and stored()[1] == "A"
    assert json.loads(run("tickets", "list", "--json").output)[0]["priority"] == "A"
    table = run("tickets", "list").output.splitlines()
    assert table[0].split()[:2] == ["ticket", "pri"] and table[1].split()[:2] == ["#1001", "A"]


def test_ack_by_text_is_audited_in_the_engineers_name(twilio, ticket):
    from accounts.models import AuditEntry

    for sender, body in [(BEN, "ACK 1001 A"), (TOBI, "ack 1001 b"), (BEN, "ACK 1001"),
                         (BEN, "ACK 4711")]:  # the last two change nothing
        assert text(twilio, sender, body)[0] == 200
    with database.connection_context():
        assert [(e.actor, e.action, e.detail)
                for e in AuditEntry.select().order_by(AuditEntry.id)] == [
            ("text:Ben Smith", "ticket acknowledged", "#1001, priority A (critical)"),
            ("text:Tobi Jones", "ticket priority", "#1001: B important")]
