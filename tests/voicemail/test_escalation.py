"""A voicemail ticket left out of hours is called through (duty engineer, backup, managers)
until someone acknowledges it: each step once, across a DST change, a month end, two
clocks and a restart; the REST API's failures are retried, never the clock's end."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import responses
from click.testing import CliRunner

from console.main import main

from dutyline.db import database
from outbox.models import VOICE, OutboxMessage
from tests.conftest import app_info
from tests.voicemail.escalation_helpers import (BEN, CALLS_URL, CONFIG, MANAGERS, TOBI,
                                                deliver, leave_ticket, make_team,
                                                manager_texts, minutes, posted_calls, tick,
                                                voice_rows)
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def app_config():
    return dict(CONFIG)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


# header: the night the ticket is left (local time), the duty period's first day
NIGHTS = [
    # the clocks go back at 02:00 BST on Sunday 25 October: 01:40 BST is 00:40 UTC, and the
    # steps fall at 01:55 BST, 01:10 GMT, 01:25 GMT: fifteen real minutes apart
    pytest.param(datetime(2026, 10, 25, 1, 40, tzinfo=LONDON), date(2026, 10, 24), id="dst"),
    # Monday 30 November 23:50: the steps fall on 1 December
    pytest.param(datetime(2026, 11, 30, 23, 50, tzinfo=LONDON), date(2026, 11, 30),
                 id="month-end"),
]


@pytest.mark.parametrize("night, day", NIGHTS)
def test_the_steps_come_in_order_fifteen_minutes_apart(app, clock, simulate, make_engineer,
                                                       settings, night, day):
    make_team(make_engineer, settings, day)
    number, made = leave_ticket(simulate, night)
    for n in range(0, 91):
        tick(app, clock, made + minutes(n))
    rows = voice_rows()
    assert [(to, key, status, at - made) for to, key, status, at in rows] == [
        (BEN, f"0:{BEN}", "queued", minutes(15)),
        (TOBI, f"1:{TOBI}", "queued", minutes(30)),
        (MANAGERS[0], f"2:{MANAGERS[0]}", "queued", minutes(45)),
        (MANAGERS[1], f"2:{MANAGERS[1]}", "queued", minutes(45))]
    with database.connection_context():
        body = OutboxMessage.get(OutboxMessage.recipient == BEN,
                                 OutboxMessage.channel == VOICE).body
    assert body == f"Voicemail ticket {number} from ACME Ltd is waiting. Press 1 to acknowledge."
    # after the managers, nobody else is called: they are told once that nobody saw it
    assert manager_texts() == [
        (manager, f"Voicemail ticket #{number} from ACME Ltd is still not acknowledged after "
                  "every escalation call.") for manager in MANAGERS]
    shown = CliRunner().invoke(main, ["tickets", "show", str(number)], obj=app_info(app))
    calls = [line.split(None, 2)[2] for line in shown.output.splitlines()
             if line.startswith("escalation call")]
    tz = settings.tz
    assert calls == [f"step {step} {(made + minutes(15 * step)).astimezone(tz):%a %d %b %H:%M %Z}"
                     f" to {to}: queued" for step, to in ((1, BEN), (2, TOBI), (3, MANAGERS[0]),
                                                          (3, MANAGERS[1]))]


def test_two_clocks_and_a_restart_make_each_step_once(app, clock, simulate, make_engineer,
                                                      settings, app_config, database_url):
    from webhooks import create_app

    make_team(make_engineer, settings, date(2026, 11, 30))
    _number, made = leave_ticket(simulate, datetime(2026, 12, 1, 2, 0, tzinfo=LONDON))
    for n in range(0, 31):
        tick(app, clock, made + minutes(n), times=2)
    # a restart: a new process on the same database, on the same clock
    restarted = create_app({**app.config, "DATABASE_URL": database_url, "CLOCK": clock,
                            "SETTINGS": settings, **app_config})
    for n in range(30, 70):
        tick(restarted, clock, made + minutes(n), times=2)
    assert [(to, at - made) for to, _key, _status, at in voice_rows()] == [
        (BEN, minutes(15)), (TOBI, minutes(30)), (MANAGERS[0], minutes(45)),
        (MANAGERS[1], minutes(45))]
    assert len(manager_texts()) == 2


def test_the_worker_calls_through_the_rest_api_with_a_tokened_answer_url(
        app, clock, simulate, make_engineer, settings, api):
    make_team(make_engineer, settings, date(2026, 11, 30))
    _number, made = leave_ticket(simulate, datetime(2026, 12, 1, 2, 0, tzinfo=LONDON))
    tick(app, clock, made + minutes(15))
    counts = deliver(app, made + minutes(15), api, ["CA" + "1" * 32])
    assert counts["sent"] == 1
    [(to, path, query)] = posted_calls(api)
    assert (to, path) == (BEN, "/voice/escalation")
    assert set(query) == {"esc", "t"} and len(query["t"][0]) == 32
    with database.connection_context():
        row = OutboxMessage.get(OutboxMessage.channel == VOICE)
        assert (row.status, row.provider_id) == ("sent", "CA" + "1" * 32)


# header: what Twilio's REST API answers -> the row's status after the attempt
FAILURES = [
    ({"status": 500, "json": {"code": 20500, "message": "Internal Server Error", "status": 500}},
     "queued"),
    ({"status": 429, "json": {"code": 20429, "message": "Too Many Requests", "status": 429}},
     "queued"),
    ({"body": ConnectionError("network down")}, "queued"),
    ({"status": 400, "json": {"code": 21211, "message": "The 'To' number is not a valid "
                                                        "phone number.", "status": 400}},
     "failed"),
]


@pytest.mark.parametrize("answer, status", FAILURES)
def test_a_rest_failure_is_retried_or_given_up_and_logged_and_the_clock_goes_on(
        app, clock, simulate, make_engineer, settings, api, answer, status, caplog):
    make_team(make_engineer, settings, date(2026, 11, 30))
    _number, made = leave_ticket(simulate, datetime(2026, 12, 1, 2, 0, tzinfo=LONDON))
    tick(app, clock, made + minutes(15))
    api.add(responses.POST, CALLS_URL, **answer)
    with database.connection_context():
        from outbox import queue
        from tests.voicemail.escalation_helpers import voice_sender

        counts = queue.deliver_due({VOICE: voice_sender(app)}, made + minutes(15))
        row = OutboxMessage.get(OutboxMessage.channel == VOICE)
    assert counts["retry" if status == "queued" else "failed"] == 1
    assert row.status == status and row.last_error
    assert any("outbox.queue.deliver_one" in r.getMessage() and "outcome=" in r.getMessage()
               for r in caplog.records)
    # the clock carries on: the backup's step comes at its time all the same
    tick(app, clock, made + minutes(30))
    assert [to for to, *_ in voice_rows()] == [BEN, TOBI]
    if status == "queued":  # and the retry, once due, makes the call
        api.replace(responses.POST, CALLS_URL, json={"sid": "CA" + "2" * 32}, status=201)
        with database.connection_context():
            later = queue.deliver_due({VOICE: voice_sender(app)}, made + minutes(31))
        assert later["sent"] == 2


def test_in_office_hours_nothing_is_called(app, clock, simulate, make_engineer, settings):
    make_team(make_engineer, settings, date(2026, 11, 30))
    # left at 07:30 on Tuesday: the duty engineer's step at 07:45, then the office opens
    _number, made = leave_ticket(simulate, datetime(2026, 12, 1, 7, 30, tzinfo=LONDON))
    for n in range(0, 120, 5):
        tick(app, clock, made + minutes(n))
    assert [to for to, *_ in voice_rows()] == [BEN]
    # a ticket left in office hours is the helpdesk's: never called
    leave_ticket(simulate, datetime(2026, 12, 1, 10, 0, tzinfo=LONDON))
    for n in range(0, 60, 5):
        tick(app, clock, datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc) + minutes(n))
    assert len(voice_rows()) == 1
    with database.connection_context():
        assert Ticket.select().count() == 2


def test_escalation_off_calls_nobody(app, clock, simulate, make_engineer, settings):
    from dataclasses import replace

    from voicemail.escalation import queue_escalations

    make_team(make_engineer, settings, date(2026, 11, 30))
    _number, made = leave_ticket(simulate, datetime(2026, 12, 1, 2, 0, tzinfo=LONDON))
    off = replace(settings, escalate_after_minutes=0)
    with database.connection_context():
        for n in range(0, 120, 5):
            assert queue_escalations(off, app.extensions["dutyline"].managers,
                                     made + minutes(n)) == []
    assert voice_rows() == []


def test_the_worker_gives_escalation_calls_a_sender_only_with_a_public_url(app, monkeypatch):
    from console.ops_commands import build_senders
    from outbox.voice import TwilioVoiceCall

    app.config.update({"TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
                       "TWILIO_FROM_NUMBER": "+442079460000"})
    with app.app_context():
        senders = build_senders(app)
        assert isinstance(senders[VOICE], TwilioVoiceCall)
        url = senders[VOICE].answer_url(OutboxMessage(id=7))
        assert url.startswith("https://support.example.com/voice/escalation?esc=7&t=")
        assert senders[VOICE].status_url(OutboxMessage(id=7)).startswith(
            "https://support.example.com/voice/escalation-status?esc=7&t=")
        monkeypatch.setattr(app.extensions["dutyline"], "public_url", None)
        assert VOICE not in build_senders(app)


def test_two_clocks_at_the_same_instant_queue_each_step_once(app, clock, simulate, make_engineer,
                                                             settings):
    import threading

    from voicemail.escalation import queue_escalations

    make_team(make_engineer, settings, date(2026, 11, 30))
    _number, made = leave_ticket(simulate, datetime(2026, 12, 1, 2, 0, tzinfo=LONDON))
    managers = app.extensions["dutyline"].managers
    errors = []

    def run_clock(at, start):
        try:
            with database.connection_context():
                start.wait()
                queue_escalations(settings, managers, at)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    for n in (15, 30, 45, 60):
        start = threading.Barrier(2)
        threads = [threading.Thread(target=run_clock, args=(made + minutes(n), start))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert [(to, at - made) for to, _key, _status, at in voice_rows()] == [
        (BEN, minutes(15)), (TOBI, minutes(30)), (MANAGERS[0], minutes(45)),
        (MANAGERS[1], minutes(45))]
    assert len(manager_texts()) == 2
