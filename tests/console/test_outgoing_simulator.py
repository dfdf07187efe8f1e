"""The simulator plays a call-back and a ring test as it plays calls: signed posts, the
answers printed, the outcome logged."""

from datetime import date, timedelta

from click.testing import CliRunner

from console.main import main
from dutyline.db import database
from rota import periods
from rota.models import RingTest
from telephony.models import Call, CallStatus
from tests.conftest import ADDED_AT, app_info
from voicemail import missed
from voicemail.models import CallBack


def run(app, *args):
    return CliRunner().invoke(main, list(args), obj=app_info(app), catch_exceptions=False)


def test_a_call_back_is_played_to_the_customer(app, clock, settings, make_engineer):
    make_engineer("Ben Smith", mobile="+447911000001")
    with database.connection_context():
        Call.create(sid="CA" + "1" * 32, from_number="+447700900123", to_number="+442079460000",
                    started_at=clock.now - timedelta(minutes=20), mode="in_hours",
                    status=CallStatus.MISSED, ended_at=clock.now - timedelta(minutes=19))
        missed.queue_missed_calls(settings, clock.now)
    result = run(app, "simulate-callback", "1001", "--engineer", "Ben Smith")
    assert result.exit_code == 0, result.output
    assert "Calling back a caller with no contract on file, ticket 1 0 0 1" in result.output
    assert "dialling +447700900123 showing +442079460000" in result.output
    with database.connection_context():
        assert CallBack.get().answered is True


def test_a_ring_test_is_played_and_confirmed(app, clock, settings, make_engineer):
    ben = make_engineer("Ben Smith", mobile="+447911000001")
    with database.connection_context():
        periods.assign_period(date(2026, 12, 1), ben, None, settings, now=ADDED_AT)
    result = run(app, "simulate-ring-test")
    assert result.exit_code == 0, result.output
    assert "Press 1 to confirm" in result.output and "Confirmed" in result.output
    with database.connection_context():
        assert RingTest.get().confirmed_at is not None
