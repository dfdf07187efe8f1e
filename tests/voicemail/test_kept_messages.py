"""A caller's message is never lost: a call the database never logged still gets its ticket,
and a message left while the database is away is kept on disk and becomes a ticket, once,
when the database is back."""

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from twilio.request_validator import RequestValidator

from dutyline.db import database, open_database
from dutyline.migrations import upgrade
from outbox.models import SMS, OutboxMessage
from rota import periods
from telephony.models import Call
from tests.conftest import ADDED_AT, AUTH_TOKEN, PUBLIC_URL
from tests.webhooks.test_faults import make_app
from voicemail.messages import RECORDED, MessageEvent
from voicemail.models import Ticket
from voicemail.spool import Spool

LONDON = ZoneInfo("Europe/London")
SID = "CA" + "5" * 32
MOBILE, LANDLINE = "+447400123456", "+442079460500"
CALL = {"CallSid": SID, "From": MOBILE, "To": "+442071838750"}
RECORDED_FORM = {**CALL, "RecordingUrl": "https://api.twilio.com/rec/RE5",
                 "RecordingDuration": "31", "Digits": "#"}
STATUS_FORM = {**CALL, "RecordingSid": "RE" + "5" * 32, "RecordingStatus": "completed",
               "RecordingUrl": "https://api.twilio.com/rec/RE5", "RecordingDuration": "31"}
TRANSCRIPT_FORM = {**CALL, "RecordingSid": "RE" + "5" * 32, "TranscriptionStatus": "completed",
                   "TranscriptionText": "The server room is flooding.",
                   "RecordingUrl": "https://api.twilio.com/rec/RE5"}
CALLBACKS = {"recorded": ("/voice/recorded", RECORDED_FORM),
             "status": ("/voice/recording-status", STATUS_FORM),
             "transcription": ("/voice/transcription", TRANSCRIPT_FORM)}


def caller_texts():
    return [m.body for m in OutboxMessage.select().where(OutboxMessage.channel == SMS,
                                                         OutboxMessage.recipient == MOBILE)]


# order of Twilio's callbacks        | the first one makes the call and the ticket
@pytest.mark.parametrize("order", [
    ("recorded", "status", "transcription"),
    ("status", "transcription", "recorded"),
    ("transcription", "recorded", "status"),
])
def test_a_message_for_a_call_never_logged_becomes_one_complete_ticket(twilio, db, order,
                                                                      make_engineer):
    make_engineer("Ben Smith", signed_in=True)  # in hours: the signed-in engineers hear of it
    answers = {name: twilio.post(*CALLBACKS[name]) for name in order}
    assert all(response.status_code == 200 for response in answers.values())
    assert "ticket number 1 0 0 1" in answers["recorded"].get_data(as_text=True)
    ticket = Ticket.get()
    assert Ticket.select().count() == 1 and Call.select().count() == 1
    assert (ticket.caller, ticket.recording_seconds, ticket.recording_sid, ticket.transcript) \
        == (MOBILE, 31, "RE" + "5" * 32, "The server room is flooding.")
    call = Call.get()
    assert (call.sid, call.to_number, call.status) == (SID, "+442071838750", "voicemail")
    assert caller_texts() == ["Thank you for your message to support. Your reference is #1001; "
                              "an engineer will call you back."]
    engineer_texts = OutboxMessage.select().where(OutboxMessage.recipient == "+447911123401")
    assert engineer_texts.count() == 1


def test_a_message_out_of_hours_for_a_call_never_logged_reaches_the_duty_engineer(
        twilio, db, make_engineer, clock, settings):
    duty = make_engineer("Tobi Jones", signed_in=False)
    make_engineer("Ben Smith", signed_in=True)
    periods.assign_period(datetime(2026, 12, 1).date(), duty, None, settings,
                          now=ADDED_AT)
    clock.set(datetime(2026, 12, 2, 3, 0, tzinfo=LONDON))  # 03:00: Tobi's night
    twilio.post(*CALLBACKS["recorded"])
    ticket = Ticket.get()
    assert ticket.engineer_id == duty.id
    assert Call.get().mode == "out_of_hours"
    texted = {m.recipient for m in OutboxMessage.select().where(OutboxMessage.channel == SMS)}
    assert texted == {MOBILE, duty.mobile}  # not Ben, signed in for the office


def signed_post(app, path, form):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    return app.test_client().post(path, data=form, headers={"X-Twilio-Signature": signature})


@pytest.fixture(params=["sqlite-folder-missing", "postgresql-stopped"])
def outage(request, tmp_path):
    """(app, bring_back): an app whose database is away until bring_back() is called."""
    if request.param == "sqlite-folder-missing":
        folder = tmp_path / "later"
        app = make_app(f"sqlite:///{folder / 'x.db'}", spool=str(tmp_path / "spool"))

        def bring_back():
            folder.mkdir()
            upgrade()

        yield app, bring_back
    else:
        from tests.postgres import TemporaryPostgres

        server = TemporaryPostgres().start()
        app = make_app(server.new_database(), spool=str(tmp_path / "spool"))
        upgrade()
        server.halt()
        yield app, server.resume
        database.close_all()
        server.stop()


@pytest.mark.parametrize("caller, hears_text", [(MOBILE, True), (LANDLINE, False)])
def test_messages_left_while_the_database_is_away_become_a_ticket_once_it_is_back(
        outage, tmp_path, caller, hears_text):
    app, bring_back = outage
    call = {**CALL, "From": caller}
    assert signed_post(app, "/voice/incoming", call).status_code == 200  # the fallback
    recorded = signed_post(app, "/voice/recorded", {**RECORDED_FORM, **call})
    spoken = recorded.get_data(as_text=True)
    assert recorded.status_code == 200 and "We have your message" in spoken
    assert ("follow by text message" in spoken) is hears_text
    assert not re.search(r"ticket number [0-9]", spoken)  # none yet: never a made-up one
    for name in ("status", "transcription"):
        assert signed_post(app, CALLBACKS[name][0], {**CALLBACKS[name][1], **call}) \
            .status_code == 200
    spool = Spool(tmp_path / "spool")
    assert len(spool.waiting()) == 3
    bring_back()
    # any later request replays, once its answer is sent (the server closes it then)
    app.test_client().get("/healthz").close()
    with database.connection_context():
        ticket = Ticket.get()
        assert Ticket.select().count() == 1
        assert (ticket.recording_seconds, ticket.transcript) == (31, "The server room is "
                                                                     "flooding.")
        texts = [m.body for m in OutboxMessage.select().where(OutboxMessage.recipient == caller)]
        assert texts == (["Thank you for your message to support. Your reference is #1001; "
                          "an engineer will call you back."] if hears_text else [])
    assert spool.waiting() == []


def event(n, kind=RECORDED):
    return MessageEvent(kind=kind, call_sid=f"CA{n:032d}", from_number=LANDLINE,
                        to_number="+442071838750",
                        received_at=datetime(2026, 12, 1, 10, n % 60, tzinfo=LONDON),
                        recording_url=f"https://api.twilio.com/rec/RE{n}", seconds="12")


def test_two_processes_replaying_one_spool_at_once_make_one_ticket_a_message(database_url,
                                                                            tmp_path):
    open_database(database_url)
    upgrade()
    spool = Spool(tmp_path / "spool")
    for n in range(12):
        path = spool.keep(event(n))
        shutil.copy(path, spool.folder / path.name.replace(".json", "-again.json"))  # repeated
    env = {**os.environ, "DATABASE_URL": database_url, "SPOOL_FOLDER": str(spool.folder),
           "TWILIO_AUTH_TOKEN": "t"}
    env.pop("DUTYLINE_SETTINGS", None)
    commands = [["outbox", "work", "--once"], ["clock", "--once"]]
    env["OUTBOX_FOLDER"] = str(tmp_path / "sent")
    processes = [subprocess.Popen([sys.executable, "-c", "from console.main import main; main()",
                                   *command], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for command in commands]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
    if spool.waiting():  # one process skipped while the other held the spool: replay the rest
        subprocess.run([sys.executable, "-c", "from console.main import main; main()",
                        "clock", "--once"], env=env, cwd=tmp_path, check=True,
                       capture_output=True)
    with database.connection_context():
        assert sorted(t.call.sid for t in Ticket.select()) == [f"CA{n:032d}" for n in range(12)]
    assert spool.waiting() == []
    database.close_all()


def test_a_kept_file_that_cannot_be_read_is_set_aside_and_the_others_still_replay(db, tmp_path,
                                                                                 settings):
    from voicemail.messages import record_message
    from voicemail.notify import Delivery

    spool = Spool(tmp_path / "kept")
    spool.keep(event(1))
    (spool.folder / "20261201T000000000000-broken.json").write_text("{not json")
    spool.keep(event(2))
    applied = spool.replay(lambda e: record_message(e, settings, Delivery()))
    assert applied == 2 and Ticket.select().count() == 2
    assert [p.name for p in (spool.folder / "failed").iterdir()] == [
        "20261201T000000000000-broken.json"]
    assert spool.waiting() == []
