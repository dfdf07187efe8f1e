"""Engineers' texts to the support number, signed as Twilio signs them."""

import itertools
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from dutyline.db import database
from inbox import commands
from outbox.models import OutboxMessage
from rota import periods
from rota.models import DutyPeriod, Engineer
from tests.conftest import ADDED_AT
from webhooks import sms

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_2100 = datetime(2026, 11, 25, 21, 0, tzinfo=LONDON)
SUPPORT = "+442079460000"
BEN, TOBI, ASHA = "+447911000001", "+447911000002", "+447911000003"


@pytest.fixture
def team(make_engineer):
    return {"Ben": make_engineer("Ben Smith", mobile=BEN),
            "Tobi": make_engineer("Tobi Jones", mobile=TOBI),
            "Asha": make_engineer("Asha Patel", mobile=ASHA, signed_in=False)}


@pytest.fixture
def rota(app, team, settings, clock):
    """Ben on duty from Wed 25 Nov 18:00 with Tobi as backup; Asha from Thu 26 Nov. It is 21:00."""
    with database.connection_context():
        periods.assign_period(date(2026, 11, 25), team["Ben"], team["Tobi"], settings, now=ADDED_AT)
        periods.assign_period(date(2026, 11, 26), team["Asha"], None, settings, now=ADDED_AT)
    clock.set(WEDNESDAY_2100.astimezone(timezone.utc))


SIDS = itertools.count(1)


def text(twilio, sender, body, sid=None, **kwargs):
    """Post an incoming text (a new MessageSid unless given); returns (status, reply or None)."""
    sid = sid or f"SM{next(SIDS):032x}"
    response = twilio.post("/sms/incoming", {"MessageSid": sid, "From": sender,
                                             "To": SUPPORT, "Body": body}, **kwargs)
    if response.status_code != 200:
        return response.status_code, None
    assert response.mimetype == "text/xml"
    document = etree.fromstring(response.get_data())
    assert document.tag == "Response"
    assert [child.tag for child in document] == ["Message"]
    return 200, document[0].text


def state():
    """Everything a text could change."""
    with database.connection_context():
        return ([(e.name, e.signed_in) for e in Engineer.select().order_by(Engineer.id)],
                [(p.day, p.primary_id, p.backup_id) for p in DutyPeriod.select().order_by(
                    DutyPeriod.day)],
                OutboxMessage.select().count())


def test_who_says_who_is_on_duty_now_and_next(twilio, rota):
    assert text(twilio, TOBI, "WHO") == (200, (
        "On duty now: Ben Smith (backup Tobi Jones) until 18:00 Thu 26 Nov. "
        "Next: Asha Patel from 18:00 Thu 26 Nov to 18:00 Fri 27 Nov."))


def test_who_with_nobody_on_duty(twilio, team):
    assert text(twilio, BEN, "who") == (200, "On duty now: nobody.")


# what the engineer sends -> whether they are signed in afterwards
@pytest.mark.parametrize("body, signed_in", [
    ("ON", True),
    ("on", True),
    ("  On  ", True),
    ("on!", True),
    ("OFF", False),
    ("off\n", False),
    (" oFf. ", False),
])
def test_on_and_off_join_or_leave_hunting(twilio, team, body, signed_in):
    name = "Asha Patel" if signed_in else "Ben Smith"  # each starts in the other state
    mobile = ASHA if signed_in else BEN
    status, reply = text(twilio, mobile, body)
    assert status == 200
    assert reply.startswith("You are signed in" if signed_in else "You are signed out")
    with database.connection_context():
        assert Engineer.get(Engineer.name == name).signed_in is signed_in


def test_take_moves_duty_and_tells_the_previous_engineer(twilio, rota, team):
    status, reply = text(twilio, ASHA, "take")
    assert status == 200
    assert reply == ("You are on duty now until 18:00 Thu 26 Nov; the support line forwards "
                     "to you. Ben Smith has been told. Not sent by you? Call the office.")
    with database.connection_context():
        primary, backup = periods.duty_at(WEDNESDAY_2100)
        assert (primary.name, backup.name) == ("Asha Patel", "Tobi Jones")
        message = OutboxMessage.get()
        assert (message.recipient, message.channel, message.status) == (BEN, "sms", "queued")
        assert message.body == ("Asha Patel has taken over duty from you at 21:00 Wed 25 Nov "
                                "until 18:00 Thu 26 Nov; the support line no longer forwards "
                                "to you. Not expected? Text TAKE to take it back and tell the "
                                "office.")
        # the next period is untouched
        assert periods.duty_at(datetime(2026, 11, 26, 21, 0, tzinfo=LONDON))[0].name == \
            "Asha Patel"


def test_take_by_the_backup_swaps_the_roles(twilio, rota):
    assert text(twilio, TOBI, "TAKE")[0] == 200
    with database.connection_context():
        primary, backup = periods.duty_at(WEDNESDAY_2100)
        assert (primary.name, backup.name) == ("Tobi Jones", "Ben Smith")


def test_take_when_already_on_duty_changes_nothing(twilio, rota):
    before = state()
    assert text(twilio, BEN, "TAKE") == (200, "You are already on duty until 18:00 Thu 26 Nov.")
    assert state() == before


def test_take_without_a_period(twilio, team, clock):
    clock.set(WEDNESDAY_2100.astimezone(timezone.utc))
    before = state()
    assert text(twilio, BEN, "TAKE") == (
        200, "There is no duty period now, so there is nothing to take.")
    assert state() == before


def test_help_and_unknown_commands(twilio, team):
    status, reply = text(twilio, BEN, "help")
    assert status == 200 and all(word in reply for word in ("WHO", "ON", "OFF", "TAKE"))
    status, reply = text(twilio, BEN, "dance")
    assert status == 200 and reply == commands.NOT_A_COMMAND and "TAKE" in reply


# the whole text -> the command it is (name, ticket, priority), or None: not a command
@pytest.mark.parametrize("body, command", [
    ("take", ("TAKE", None, None)),
    (" TAKE. ", ("TAKE", None, None)),
    ("Take!", ("TAKE", None, None)),
    ("take care", None),
    ("Take care, see you tomorrow", None),
    ("on", ("ON", None, None)),
    ("on my way", None),
    ("off", ("OFF", None, None)),
    ("off sick today", None),
    ("who?", ("WHO", None, None)),
    ("who is on", None),
    ("cover", ("COVER", None, None)),
    ("Cover  off.", ("COVER OFF", None, None)),
    ("cover me", None),
    ("ACK 1042", ("ACK", "1042", None)),
    ("ack #1042", ("ACK", "1042", None)),
    ("ACK 1042 a", ("ACK", "1042", "A")),
    ("ack 1042 please", None),
    ("ACK", None),
    ("ack it", None),
    ("CALL 1043", ("CALL", "1043", None)),
    ("call #1043.", ("CALL", "1043", None)),
    ("call me", None),
    ("T A K E", None),
    ("", None),
])
def test_a_text_is_a_command_only_when_the_whole_message_is_one(body, command):
    parsed = commands.parse_text(body)
    assert (None if parsed is None else (parsed.name, parsed.ticket, parsed.priority)) == command


@pytest.mark.parametrize("sender, body", [
    (ASHA, "Take care, see you tomorrow"),
    (ASHA, "on my way"),
    (BEN, "off sick today"),
    (BEN, "ack 1001 please"),
    (TOBI, "cover me please"),
])
def test_a_text_that_is_not_a_command_changes_nothing(twilio, rota, sender, body):
    before = state()
    assert text(twilio, sender, body) == (200, commands.NOT_A_COMMAND)
    assert state() == before
    with database.connection_context():
        assert Engineer.get(Engineer.mobile == TOBI).cover_until is None


@pytest.mark.parametrize("body", ["TAKE", "OFF", "ON", "WHO"])
def test_an_unknown_sender_is_refused_and_nothing_changes(twilio, rota, body):
    before = state()
    assert text(twilio, "+447700900999", body) == (
        200, "Sorry, this number is not registered with the support line.")
    assert state() == before


@pytest.mark.parametrize("signature", ["forged", ""])
def test_a_forged_signature_is_refused_and_nothing_changes(twilio, rota, signature):
    before = state()
    response = twilio.post("/sms/incoming", {"From": BEN, "To": SUPPORT, "Body": "OFF"},
                           signature=signature or False)
    assert response.status_code == 403
    assert state() == before


def test_an_error_still_answers_the_engineer(twilio, team, monkeypatch):
    def broken(*_args):
        raise RuntimeError("database locked")

    monkeypatch.setattr(sms, "answer_text", broken)
    assert text(twilio, BEN, "WHO") == (200, sms.SORRY)


def test_database_down_still_answers_the_engineer(tmp_path):
    from twilio.request_validator import RequestValidator

    from dutyline.settings import parse_settings
    from tests.conftest import AUTH_TOKEN, PUBLIC_URL
    from webhooks import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'gone' / 'x.db'}",
                      "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_URL": PUBLIC_URL,
                      "SETTINGS": parse_settings({})})
    form = {"From": "+447911000001", "Body": "WHO", "MessageSid": "SM" + "9" * 32}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/sms/incoming", form)
    response = app.test_client().post("/sms/incoming", data=form,
                                      headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert "Sorry, that did not work" in response.get_data(as_text=True)


@pytest.mark.parametrize("body, undo", [("OFF", "ON"), ("ON", "OFF")])
def test_a_change_by_text_says_what_to_do_if_it_was_not_the_engineer(twilio, team, body, undo):
    # the reply goes to the engineer's own number, whoever forged the sender
    status, reply = text(twilio, BEN, body)
    assert status == 200
    assert reply.endswith(f"Not sent by you? Reply {undo} and tell the office.")


def test_the_engineer_a_take_came_from_hears_how_to_take_it_back(twilio, rota):
    status, reply = text(twilio, ASHA, "TAKE")
    assert reply.endswith("Not sent by you? Call the office.")
    with database.connection_context():
        assert OutboxMessage.get().body.endswith(
            "Not expected? Text TAKE to take it back and tell the office.")


@pytest.mark.parametrize("settings_data", [{"text_commands": False}])
@pytest.mark.parametrize("body", ["OFF", "ON", "TAKE", "ACK 1001", "WHO"])
def test_text_commands_turned_off_change_nothing(twilio, rota, body, settings_data):
    before = state()
    assert text(twilio, BEN, body) == (200, "Text commands are turned off for this support "
                                            "line; please call the office.")
    assert state() == before


def test_a_replayed_text_does_nothing_twice(twilio, rota, team):
    sid = "SM" + "e" * 32
    first = text(twilio, BEN, "OFF", sid=sid)
    text(twilio, BEN, "ON")  # Ben signs in again by a new text
    assert text(twilio, BEN, "OFF", sid=sid) == first  # the old one, replayed: the same answer
    with database.connection_context():
        assert Engineer.get(Engineer.name == "Ben Smith").signed_in is True


def test_a_replayed_take_does_not_take_again(twilio, rota):
    sid = "SM" + "f" * 32
    assert text(twilio, ASHA, "TAKE", sid=sid)[1].startswith("You are on duty now")
    assert text(twilio, BEN, "TAKE")[1].startswith("You are on duty now")  # Ben takes it back
    before = state()
    assert text(twilio, ASHA, "TAKE", sid=sid)[1].startswith("You are on duty now")
    assert state() == before
    with database.connection_context():
        assert periods.duty_at(WEDNESDAY_2100.replace(hour=22))[0].name == "Ben Smith"


@pytest.mark.parametrize("sid", ["", "not a sid", "SM" + "0" * 80])
def test_a_text_without_a_usable_message_sid_changes_nothing(twilio, team, sid):
    before = state()
    assert text(twilio, BEN, "OFF", sid=sid or " ") == (
        200, "Sorry, that text could not be read. Please send it again.")
    assert state() == before
# COVER by text: (text, reply starts with, cover until (local) or None)
@pytest.mark.parametrize("body, reply, until", [
    ("COVER", "You are cover until 18:00 Thu 26 Nov", datetime(2026, 11, 26, 18, tzinfo=LONDON)),
    ("cover.", "You are cover until 18:00 Thu 26 Nov", datetime(2026, 11, 26, 18, tzinfo=LONDON)),
    ("COVER OFF", "Cover off", None),
])
def test_cover_by_text(twilio, rota, body, reply, until):
    status, answer = text(twilio, ASHA, body)
    assert status == 200 and answer.startswith(reply)
    with database.connection_context():
        stored = Engineer.get(Engineer.mobile == ASHA).cover_until
    assert stored == (until.astimezone(timezone.utc) if until else None)


def test_changes_made_by_text_are_audited_in_the_engineers_name(twilio, rota):
    from accounts.models import AuditEntry

    for sender, body in [(ASHA, "ON"), (BEN, "off"), (ASHA, "TAKE"), (TOBI, "cover"),
                         (TOBI, "COVER OFF"), (BEN, "WHO"), (BEN, "on my way"),
                         (ASHA, "TAKE")]:  # WHO, not a command and a second TAKE change nothing
        assert text(twilio, sender, body)[0] == 200
    with database.connection_context():
        found = [(e.actor, e.action, e.detail)
                 for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert found == [
        ("text:Asha Patel", "presence", "Asha Patel signed in"),
        ("text:Ben Smith", "presence", "Ben Smith signed out"),
        ("text:Asha Patel", "duty taken",
         "Asha Patel on duty from 21:00 Wed 25 Nov to 18:00 Thu 26 Nov instead of Ben Smith"),
        ("text:Tobi Jones", "cover", "Tobi Jones: until 18:00 Thu 26 Nov"),
        ("text:Tobi Jones", "cover", "Tobi Jones: off"),
    ]


@pytest.fixture
def asked(rota, team, settings):
    """Ben (on duty Sat 28 Nov) asked Tobi (on duty Mon 30 Nov) to swap; it is Wed 21:00."""
    from rota import swap_requests

    with database.connection_context():
        periods.assign_period(date(2026, 11, 28), team["Ben"], None, settings, now=ADDED_AT)
        periods.assign_period(date(2026, 11, 30), team["Tobi"], None, settings, now=ADDED_AT)
        return swap_requests.ask_swap(team["Ben"], date(2026, 11, 28), date(2026, 11, 30),
                                      settings, WEDNESDAY_2100)


def test_yes_accepts_the_swap_asked_of_you_and_the_requester_is_told(twilio, asked):
    from accounts.models import AuditEntry

    assert text(twilio, TOBI, "Yes.") == (200, (
        "Swapped: you are on duty from 18:00 Sat 28 Nov instead of 18:00 Mon 30 Nov; Ben Smith "
        "has been told. Not sent by you? Call the office."))
    with database.connection_context():
        days = {p.day: p.primary.name for p in DutyPeriod.select()}
        assert (days[date(2026, 11, 28)], days[date(2026, 11, 30)]) == ("Tobi Jones", "Ben Smith")
        told = OutboxMessage.select().where(OutboxMessage.recipient == BEN).order_by(
            OutboxMessage.id.desc()).first()
        assert told.body == ("Tobi Jones accepted your swap: you are on duty from 18:00 Mon "
                             "30 Nov instead of 18:00 Sat 28 Nov.")
        assert [(e.actor, e.action, e.detail) for e in AuditEntry.select()] == [
            ("text:Tobi Jones", "swap accepted",
             "Tobi Jones takes 18:00 Sat 28 Nov from Ben Smith, who takes 18:00 Mon 30 Nov")]
    # a second YES finds nothing waiting
    before = state()
    assert text(twilio, TOBI, "YES") == (
        200, "No swap request is waiting for your answer, so nothing was changed.")
    assert state() == before


def test_yes_with_nothing_asked_changes_nothing(twilio, rota):
    before = state()
    assert text(twilio, ASHA, "yes") == (
        200, "No swap request is waiting for your answer, so nothing was changed.")
    assert state() == before


def test_yes_with_two_requests_waiting_asks_for_the_web(twilio, asked, team, settings):
    from rota import swap_requests

    with database.connection_context():
        periods.assign_period(date(2026, 11, 27), team["Asha"], None, settings, now=ADDED_AT)
        swap_requests.ask_swap(team["Asha"], date(2026, 11, 27), date(2026, 11, 30), settings,
                               WEDNESDAY_2100)
    before = state()
    assert text(twilio, TOBI, "YES") == (200, (
        "Not swapped: 2 swap requests are waiting for you; accept the one you mean on the "
        "web."))
    assert state() == before


def test_yes_after_the_duty_started_is_too_late(twilio, asked, clock):
    clock.set(datetime(2026, 11, 28, 18, 0, tzinfo=timezone.utc))
    before = state()
    assert text(twilio, TOBI, "YES") == (
        200, "No swap request is waiting for your answer, so nothing was changed.")
    assert state() == before


def test_call_rings_the_engineer_for_a_call_back_of_the_ticket(twilio, team, clock):
    from telephony.models import Call
    from voicemail.models import CallBack, Ticket

    with database.connection_context():
        call = Call.create(sid="CA" + "4" * 32, from_number="+447700900123", to_number=SUPPORT,
                           started_at=clock.now, mode="in_hours", status="missed")
        Ticket.create(call=call, caller=call.from_number, created_at=clock.now, kind="missed")
    status, reply = text(twilio, BEN, "CALL 1001")
    assert status == 200 and reply.startswith("Calling you now for ticket #1001")
    with database.connection_context():
        row = CallBack.get()
        assert (row.engineer_id, row.ticket.number) == (team["Ben"].id, 1001)
        message = OutboxMessage.get(OutboxMessage.id == row.message_id)
        assert (message.channel, message.recipient) == ("voice", BEN)
    assert text(twilio, BEN, "CALL 4711")[1] == "No call-back: no ticket #4711."
