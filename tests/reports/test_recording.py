"""What the voice webhooks record for the statistics: Twilio's Timestamp where sent,
callbacks duplicated or out of order, answered only on a press of 1."""

from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from reports import Span, report
from telephony.call_events import callback_moment
from telephony.models import Call, Leg

UTC = timezone.utc
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # Tuesday, in hours
CALL = {"CallSid": "CA" + "5" * 32, "From": "+447400123456", "To": "+442071838750"}


def stamp(seconds):
    """Twilio's Timestamp form (RFC 2822) of T0 + seconds."""
    return format_datetime(T0 + timedelta(seconds=seconds))


@pytest.fixture
def team(make_engineer):
    return [make_engineer("Ben Smith"), make_engineer("Tobi Jones"), make_engineer("Asha Patel")]


class Call_:
    """Plays one call's callbacks; the app's clock is set to each request's receipt time."""

    def __init__(self, twilio, clock, callback_url):
        self.twilio, self.clock, self.callback_url = twilio, clock, callback_url

    def at(self, seconds):
        self.clock.set(T0 + timedelta(seconds=seconds))
        return self

    def post(self, path, **form):
        name, _, leg = path.partition("?leg=")
        if leg:  # the URL the app wrote for that leg: with its token
            path = self.callback_url(name.rpartition("/")[2].replace("-", "_"), leg=int(leg))
        return self.twilio.post(path, {**CALL, **form})

    def leg(self, step):
        return Leg.get(Leg.step == step)

    def status(self, step, status, when=None):
        extra = {"Timestamp": stamp(when)} if when is not None else {}
        return self.post(f"/voice/leg-status?leg={self.leg(step).id}", CallSid="CA" + "6" * 32,
                         ParentCallSid=CALL["CallSid"], CallStatus=status, **extra)


@pytest.fixture
def play(twilio, clock, team, db, callback_url):
    return Call_(twilio, clock, callback_url)


def today(settings):
    return report(Span.days(settings, date(2026, 12, 1), date(2026, 12, 1))).total


@pytest.mark.parametrize("timestamp, received, expected", [
    # header: Timestamp sent -> the moment recorded
    ("Tue, 01 Dec 2026 10:00:03 +0000", T0 + timedelta(seconds=9), T0 + timedelta(seconds=3)),
    ("Tue, 01 Dec 2026 11:00:03 +0100", T0 + timedelta(seconds=9), T0 + timedelta(seconds=3)),
    (None, T0 + timedelta(seconds=9), T0 + timedelta(seconds=9)),  # none sent: receipt time
    ("yesterday", T0, T0),  # unreadable
    ("Tue, 01 Dec 2026 10:00:03", T0, T0 + timedelta(seconds=3)),  # no zone: read as UTC
    ("Mon, 30 Nov 2026 10:00:03 +0000", T0, T0),  # a day off: not believed
])
def test_callback_moment(timestamp, received, expected):
    assert callback_moment(timestamp, received) == expected


def test_answered_on_the_third_leg_with_twilio_timestamps(play, settings):
    play.at(0).post("/voice/incoming")
    play.at(3).status(0, "ringing", when=2)
    play.at(20).status(0, "no-answer", when=19)
    play.at(20).post(f"/voice/dial-result?leg={play.leg(0).id}", DialCallStatus="no-answer")
    play.at(21).status(1, "busy", when=21)
    play.at(21).post(f"/voice/dial-result?leg={play.leg(1).id}", DialCallStatus="busy")
    play.at(23).status(2, "ringing", when=22)
    play.at(26).post(f"/voice/whisper?leg={play.leg(2).id}")
    play.at(30).post(f"/voice/accept?leg={play.leg(2).id}", Digits="1")
    play.at(200).post("/voice/status", CallStatus="completed", Timestamp=stamp(199))
    call = Call.get()
    assert call.ringing_at == T0 + timedelta(seconds=2)  # Twilio's time, not the receipt
    assert call.connected_at == call.answered_at == T0 + timedelta(seconds=30)
    assert call.ended_at == T0 + timedelta(seconds=199)
    assert play.leg(2).ringing_at == T0 + timedelta(seconds=22)
    total = today(settings)
    assert (total["answered"], total["answered_within"], total["asa_seconds"]) == (1, 0, 30.0)


def test_duplicated_and_reordered_callbacks_change_nothing(play, settings):
    play.at(0).post("/voice/incoming")
    # the leg's end arrives before its ringing, and everything twice
    play.at(14).status(0, "no-answer", when=13)
    play.at(14).status(0, "no-answer", when=13)
    play.at(15).status(0, "ringing", when=2)
    play.at(15).status(0, "ringing", when=2)
    play.at(40).post("/voice/status", CallStatus="completed", Timestamp=stamp(39))
    play.at(41).post("/voice/status", CallStatus="completed", Timestamp=stamp(40))
    leg, call = play.leg(0), Call.get()
    assert (leg.ringing_at, leg.ended_at, leg.outcome) == (
        T0 + timedelta(seconds=2), T0 + timedelta(seconds=13), "no-answer")
    assert (call.ringing_at, call.ended_at) == (T0 + timedelta(seconds=2),
                                                T0 + timedelta(seconds=39))
    total = today(settings)
    assert (total["calls"], total["abandoned_hunting"], total["answered"]) == (1, 1, 0)


def test_a_later_leg_ringing_first_does_not_move_the_first_ringing(play, settings):
    play.at(0).post("/voice/incoming")
    play.at(20).post(f"/voice/dial-result?leg={play.leg(0).id}", DialCallStatus="no-answer")
    play.at(24).status(1, "ringing", when=21)
    play.at(25).status(0, "ringing", when=2)  # late news of the first leg
    assert Call.get().ringing_at == T0 + timedelta(seconds=2)


def test_picked_up_and_never_pressed_is_not_an_answer(play, settings):
    play.at(0).post("/voice/incoming")
    play.at(2).status(0, "ringing")
    play.at(6).status(0, "in-progress")  # Twilio says answered: a personal voicemail box
    play.at(6).post(f"/voice/whisper?leg={play.leg(0).id}")
    play.at(20).status(0, "completed")
    play.at(20).post(f"/voice/dial-result?leg={play.leg(0).id}", DialCallStatus="completed")
    assert play.leg(0).outcome == "not-accepted"
    assert Call.get().answered_at is None and Call.get().connected_at is None


def test_hanging_up_during_the_greeting(play, settings):
    play.at(0).post("/voice/incoming")
    play.at(8).post("/voice/status", CallStatus="completed")
    leg = play.leg(0)
    assert leg.outcome == "caller-hung-up" and leg.ended_at == T0 + timedelta(seconds=8)
    total = today(settings)
    assert (total["abandoned_greeting"], total["short_abandons"]) == (1, 0)


def test_voicemail_after_the_last_leg_is_recorded(play, settings):
    play.at(0).post("/voice/incoming")
    for step, second in ((0, 20), (1, 40), (2, 60)):
        play.at(second - 17).status(step, "ringing")
        play.at(second).post(f"/voice/dial-result?leg={play.leg(step).id}",
                             DialCallStatus="no-answer")
    assert Call.get().voicemail_at == T0 + timedelta(seconds=60)
    play.at(100).post("/voice/status", CallStatus="completed")
    total = today(settings)
    assert (total["voicemail"], total["abandoned"], total["service_level"]) == (1, 0, 0.0)


def test_a_call_on_a_public_holiday_counts_out_of_hours(twilio, clock, db, settings, team):
    # Friday 25 December 2026, 10:00 GMT: office hours on any other Friday, but Christmas
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)
    clock.set(christmas)
    twilio.post("/voice/incoming", CALL)
    clock.set(christmas + timedelta(seconds=30))
    twilio.post("/voice/status", {**CALL, "CallStatus": "completed"})
    assert Call.get().mode == "out_of_hours"
    day = date(2026, 12, 25)

    def calls(mode):
        return report(Span.days(settings, day, day, mode=mode)).total["calls"]

    assert (calls("out_of_hours"), calls("in_hours"), calls(None)) == (1, 0, 1)


@pytest.mark.parametrize("app_config", [{"FALLBACK_NUMBER": "+442079460999"}])
def test_fallback_when_nobody_can_be_hunted(twilio, clock, db, settings, app_config):
    clock.set(T0)
    twilio.post("/voice/incoming", CALL)  # nobody signed in
    assert Call.get().fallback_at == T0
    clock.set(T0 + timedelta(seconds=90))
    twilio.post("/voice/status", {**CALL, "CallStatus": "completed"})
    assert today(settings)["fallback"] == 1
