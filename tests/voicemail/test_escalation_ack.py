"""Acknowledging a ticket stops its escalation, whichever way: the key press on the call,
ACK by text, the command line, the web. The call's endpoints: 403 unsigned, a polite
goodbye (never a 5xx) for a forged, shifted or unknown call."""

from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import responses
from click.testing import CliRunner

from accounts.models import AuditEntry
from accounts.users import add_user
from console.main import main
from dutyline.db import database
from tests.conftest import ADDED_AT, app_info
from tests.voicemail.escalation_helpers import (BEN, CONFIG, TOBI, answer_url_of, deliver,
                                                leave_ticket, make_team, minutes, tick,
                                                voice_rows)
from tests.web.conftest import Browser
from tests.webhooks.test_sms_commands import text
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
NIGHT = datetime(2026, 12, 1, 2, 0, tzinfo=LONDON)
BEN_CALL = "CA" + "b" * 32


@pytest.fixture
def app_config():
    return dict(CONFIG)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def called(app, clock, simulate, make_engineer, settings, api):
    """Ticket 1001 at 02:00; Ben's call made at 02:15, Tobi's queued at 02:30 (not yet made)."""
    make_team(make_engineer, settings, date(2026, 11, 30))
    number, made = leave_ticket(simulate, NIGHT)
    tick(app, clock, made + minutes(15))
    assert deliver(app, made + minutes(15), api, [BEN_CALL])["sent"] == 1
    tick(app, clock, made + minutes(30))
    return number, made, answer_url_of(api)


def ticket_state(number):
    with database.connection_context():
        ticket = Ticket.get_by_id(number - 1000)
        return ticket.status, ticket.acknowledged_by.name if ticket.acknowledged_by_id else None


def press(twilio, url, digits="1", sid=BEN_CALL):
    answer = twilio.post(url, {"CallSid": sid, "To": BEN, "AccountSid": "AC" + "0" * 32})
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    if "<Gather" not in body:
        return body, None
    key_url = body.split('action="')[1].split('"')[0].replace("&amp;", "&")
    pressed = twilio.post(key_url, {"CallSid": sid, "Digits": digits})
    assert pressed.status_code == 200
    return body, pressed.get_data(as_text=True)


def ack_by_key(app, twilio, number, url):
    prompt, answer = press(twilio, url)
    assert f"Voicemail ticket {' '.join(str(number))} from ACME Ltd is waiting. Press 1 to " \
           "acknowledge." in prompt
    assert "Acknowledged. Thank you.</Say><Hangup" in answer


def ack_by_text(app, twilio, number, url):
    assert text(twilio, BEN, f"ACK {number}")[1] == f"Ticket #{number} acknowledged. Thank you."


def ack_by_cli(app, twilio, number, url):
    result = CliRunner().invoke(main, ["tickets", "ack", str(number), "--by", "Ben Smith"],
                                obj=app_info(app), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def ack_by_web(app, twilio, number, url):
    with database.connection_context():
        add_user("ben@example.com", "engineer", "Ben Smith", now=ADDED_AT)
    browser = Browser(app, app.extensions["dutyline"].clock).sign_in("ben@example.com")
    assert browser.post(f"/tickets/{number}/ack", token_from="/tickets").status_code == 302


@pytest.mark.parametrize("ack", [ack_by_key, ack_by_text, ack_by_cli, ack_by_web])
def test_an_acknowledgement_stops_the_escalation(app, clock, twilio, called, ack):
    number, made, url = called
    clock.set(made + minutes(31))
    ack(app, twilio, number, url)
    assert ticket_state(number) == ("acknowledged", "Ben Smith")
    for n in range(31, 120):
        tick(app, clock, made + minutes(n))
    # Ben's call was made; Tobi's, queued, is cancelled; nobody else is ever called
    assert [(to, status) for to, _key, status, _at in voice_rows()] == [
        (BEN, "sent"), (TOBI, "cancelled")]
    # a late answer of the call hears that it is done
    prompt, _ = press(twilio, url)
    assert "has already been acknowledged by Ben Smith. Thank you. Goodbye." in prompt


def test_the_key_press_is_in_the_audit_log(app, clock, twilio, called):
    number, made, url = called
    clock.set(made + minutes(16))
    ack_by_key(app, twilio, number, url)
    with database.connection_context():
        entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert (entry.actor, entry.action, entry.detail) == (
        "Ben Smith", "ticket acknowledged",
        f"#{number} by pressing 1 on an escalation call")


def test_another_key_asks_again_and_nothing_pressed_changes_nothing(twilio, called):
    number, _made, url = called
    prompt, again = press(twilio, url, digits="7")
    assert "<Gather" in again and "Nothing was pressed, so the ticket stays open." in prompt
    assert ticket_state(number) == ("new", None)


def shifted(url, **changes):
    parts = urlsplit(url)
    query = dict(pair.split("=") for pair in parts.query.split("&"))
    query.update(changes)
    return parts.path + "?" + "&".join(f"{k}={v}" for k, v in query.items())


# header: how the request is wrong -> it hears a goodbye, and nothing changes
FORGED = [
    ("another token", lambda url: shifted(url, t="0" * 32), BEN_CALL),
    ("no token", lambda url: urlsplit(url).path + "?esc=" + url.split("esc=")[1].split("&")[0],
     BEN_CALL),
    ("unknown call", lambda url: shifted(url, esc="999999"), BEN_CALL),
    ("not a number", lambda url: shifted(url, esc="1x"), BEN_CALL),
    ("another CallSid", lambda url: url, "CA" + "c" * 32),
]


@pytest.mark.parametrize("how, forge, sid", FORGED, ids=[f[0] for f in FORGED])
def test_a_forged_or_unknown_call_hears_a_polite_goodbye(twilio, called, how, forge, sid):
    number, _made, url = called
    answer = twilio.post(forge(url), {"CallSid": sid})
    assert answer.status_code == 200
    assert "Sorry, there is nothing waiting for you on this call. Goodbye." in \
        answer.get_data(as_text=True)
    key = forge(url.replace("/voice/escalation?", "/voice/escalation-key?"))
    pressed = twilio.post(key, {"CallSid": sid, "Digits": "1"})
    assert pressed.status_code == 200 and "nothing waiting" in pressed.get_data(as_text=True)
    assert ticket_state(number) == ("new", None)


def test_unsigned_requests_are_refused(twilio, called):
    number, _made, url = called
    for path in (url, url.replace("/voice/escalation?", "/voice/escalation-key?")):
        assert twilio.post(path, {"CallSid": BEN_CALL, "Digits": "1"},
                           signature="bad").status_code == 403
    assert ticket_state(number) == ("new", None)


def test_a_database_fault_still_answers_twiml(twilio, called, monkeypatch):
    from webhooks import escalation_voice

    def broken(*_args, **_kwargs):
        raise RuntimeError("database gone")

    _number, _made, url = called
    monkeypatch.setattr(escalation_voice, "named_message", broken)
    answer = twilio.post(url, {"CallSid": BEN_CALL})
    assert answer.status_code == 200
    assert "cannot be completed now" in answer.get_data(as_text=True)


def test_how_the_call_ended_is_logged_and_a_forged_report_changes_nothing(twilio, called, api,
                                                                          caplog):
    import logging
    from urllib.parse import parse_qs

    caplog.set_level(logging.INFO, logger="webhooks.escalation_voice")
    status = parse_qs(api.calls[0].request.body)["StatusCallback"][0]
    assert "/voice/escalation-status?esc=" in status
    esc = parse_qs(urlsplit(status).query)["esc"][0]
    answer = twilio.post(status, {"CallSid": BEN_CALL, "CallStatus": "no-answer",
                                  "CallDuration": "0"})
    assert answer.status_code == 200
    assert [r.getMessage() for r in caplog.records if "call ended" in r.getMessage()] == [
        f"webhooks.escalation: call ended esc={esc} ticket={called[0]} to=+44…001 "
        "status=no-answer seconds=0 ticket_status=new"]
    caplog.clear()
    assert twilio.post(status, {"CallSid": "CA" + "c" * 32, "CallStatus": "completed"}
                       ).status_code == 200
    assert not [r for r in caplog.records if "call ended" in r.getMessage()]


def test_the_ticket_page_lists_the_escalation_calls(app, called):
    number, made, _url = called
    with database.connection_context():
        add_user("mia@example.com", "manager", now=ADDED_AT)
    browser = Browser(app, app.extensions["dutyline"].clock).sign_in("mia@example.com")
    page = browser.get(f"/tickets/{number}").get_data(as_text=True)
    assert "<th>Escalation call 1</th><td>Tue 01 Dec 2026 02:1" in page
    assert f"to {BEN}: sent" in page and f"to {TOBI}: queued" in page
