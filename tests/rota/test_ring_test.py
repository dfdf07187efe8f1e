"""A duty phone proved at handover: the clock queues a call to the incoming duty engineer
through the outbox (Twilio's REST API mocked with `responses`), 1 confirms it through the
signed webhook, and an unconfirmed one reaches the backup and the managers, each once."""

from datetime import date, datetime, timezone
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
import responses
from click.testing import CliRunner
from lxml import etree

from console.main import main
from dutyline.db import database
from outbox import queue
from outbox.models import SMS, VOICE, OutboxMessage
from outbox.voice import TwilioVoiceCall
from rota import ring_test
from rota.models import RingTest
from tests.conftest import app_info
from tests.voicemail.escalation_helpers import (ACCOUNT, BEN, CALLS_URL, CONFIG, MANAGERS,
                                                SUPPORT, TOBI, created, make_team, minutes,
                                                tick)
from webhooks.callback_voice import answer_url

LONDON = ZoneInfo("Europe/London")
HANDOVER = datetime(2026, 11, 30, 18, 0, tzinfo=LONDON)
SID = "CA" + "8" * 32


@pytest.fixture
def app_config():
    return dict(CONFIG)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def ring(app, clock, api):
    """The worker's pass: Ben's phone rung through the REST API; the answer URL."""
    api.add(responses.POST, CALLS_URL, json=created(SID), status=201)
    with app.app_context(), database.connection_context():
        sender = TwilioVoiceCall(ACCOUNT, "test-auth-token-0123456789abcdef", SUPPORT,
                                 answer_url)
        assert queue.deliver_due({VOICE: sender}, clock.now)["sent"] == 1
    form = parse_qs(api.calls[-1].request.body)
    return form["To"][0], form["Url"][0]


def said(response):
    return " ".join(etree.fromstring(response.get_data()).itertext())


def warnings():
    with database.connection_context():
        return sorted(m.recipient for m in OutboxMessage.select().where(
            OutboxMessage.channel == SMS, OutboxMessage.dedupe_key.contains(":unconfirmed")))


def test_the_engineer_confirms_with_1_and_nobody_is_told(app, clock, api, twilio,
                                                         make_engineer, settings):
    make_team(make_engineer, settings, date(2026, 11, 30))
    tick(app, clock, HANDOVER + minutes(1), times=2)  # two clocks: one call
    to, url = ring(app, clock, api)
    assert to == BEN and "/voice/ring-test?" in url
    prompt = twilio.post(url, {"CallSid": SID})
    assert "You are on duty from 18:00 today. Press 1 to confirm." in said(prompt)
    key_url = etree.fromstring(prompt.get_data()).find("Gather").get("action")
    assert "Confirmed" in said(twilio.post(key_url, {"CallSid": SID, "Digits": "1"}))
    tick(app, clock, HANDOVER + minutes(10))
    assert warnings() == []
    with database.connection_context():
        assert RingTest.get().confirmed_at is not None
        assert ring_test.unconfirmed_duty(clock.now) is None


def test_an_unconfirmed_duty_phone_reaches_the_backup_and_the_managers_once(
        app, clock, api, twilio, make_engineer, settings):
    make_team(make_engineer, settings, date(2026, 11, 30))
    tick(app, clock, HANDOVER + minutes(1))
    ring(app, clock, api)
    tick(app, clock, HANDOVER + minutes(4))
    assert warnings() == []
    tick(app, clock, HANDOVER + minutes(7), times=2)
    assert warnings() == sorted([TOBI, *MANAGERS])
    with database.connection_context():
        assert ring_test.unconfirmed_duty(clock.now).engineer.mobile == BEN
    from accounts.users import add_user
    from accounts.links import issue_link
    from tests.conftest import ADDED_AT
    from tests.web.conftest import csrf_of

    client = app.test_client()
    with database.connection_context():
        secret = issue_link(add_user("mia@example.com", "manager", None, now=ADDED_AT),
                            clock())
    path = f"/signin/link/{secret}"
    client.post(path, data={"csrf_token": csrf_of(client, path)})
    page = client.get("/now").get_data(as_text=True)
    assert "unconfirmed</span> Ben Smith did not confirm the duty phone" in page


def test_a_forged_call_confirms_nothing(app, clock, api, twilio, make_engineer, settings):
    make_team(make_engineer, settings, date(2026, 11, 30))
    tick(app, clock, HANDOVER + minutes(1))
    _to, url = ring(app, clock, api)
    key_url = url.replace("/voice/ring-test?", "/voice/ring-test-key?")
    assert "nothing to confirm" in said(twilio.post(key_url, {"CallSid": "CA" + "9" * 32,
                                                              "Digits": "1"}))
    with database.connection_context():
        assert RingTest.get().confirmed_at is None


def test_ring_test_on_demand_rings_the_next_handovers_engineer(app, clock, make_engineer,
                                                               settings):
    make_team(make_engineer, settings, date(2026, 11, 30))
    clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=LONDON).astimezone(timezone.utc))
    result = CliRunner().invoke(main, ["rota", "ring-test"], obj=app_info(app),
                                catch_exceptions=False)
    assert result.exit_code == 0 and "ringing Ben Smith now" in result.output
    with database.connection_context():
        assert [m.recipient for m in OutboxMessage.select().where(
            OutboxMessage.channel == VOICE)] == [BEN]


@pytest.mark.parametrize("opt_out, exit_code, rung", [(False, 1, [BEN]), (True, 0, [])])
def test_an_engineer_turns_the_ring_test_off_only_where_allowed(
        app, clock, make_engineer, settings, settings_data, opt_out, exit_code, rung):
    make_team(make_engineer, settings, date(2026, 11, 30))
    from webhooks.runtime import runtime
    from dutyline.settings import parse_settings

    with app.app_context():
        runtime().settings = parse_settings({**settings_data, "ring_test_opt_out": opt_out})
    result = CliRunner().invoke(main, ["engineer", "ring-test", "Ben Smith", "off"],
                                obj=app_info(app), catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    tick(app, clock, HANDOVER + minutes(1))
    with database.connection_context():
        assert [m.recipient for m in OutboxMessage.select().where(
            OutboxMessage.channel == VOICE)] == rung
