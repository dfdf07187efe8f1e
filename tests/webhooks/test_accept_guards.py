"""A press of 1 on a leg that has already ended never takes the caller, whichever way the
hunt rings: the one acceptance (telephony.hunt_claims.accept) keeps the same guards for a
<Dial> leg and for a leg of the overlapped hunt. The caller stays free for the engineer whose
phone rings now."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from telephony.dialer import RecordingDialer
from telephony.models import Call, Leg
from tests.webhooks.line import Line

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
CALL = {"CallSid": "CA" + "3" * 32, "From": "+447400123456", "To": "+442071838750"}
MOVED_ON = "This call has moved on"
GONE = "The caller has hung up"


def child(n):
    return {**CALL, "CallSid": "CA" + f"{n:x}" * 32, "ParentCallSid": CALL["CallSid"]}


def text(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def refused(body, words):
    """The engineer hears why, and the leg hangs up: nothing that would bridge the caller."""
    root = etree.fromstring(body.encode())
    return [node.tag for node in root] == ["Say", "Hangup"] and words in root[0].text


class TestOneAtATime:
    """Ben's <Dial> leg ends; his press of 1 comes afterwards, then Tobi's."""

    @pytest.fixture
    def ben_rung(self, twilio, make_engineer, clock, db):
        clock.set(TUESDAY_10)
        make_engineer("Ben Smith")
        make_engineer("Tobi Jones")
        answer = etree.fromstring(twilio.post("/voice/incoming", CALL).get_data())
        return answer.find("Dial").get("action")

    def _ended_by(self, how, twilio, callback_url, dial_action, ben):
        if how == "the hunt moved on":  # Ben's phone gave up; Tobi's rings
            twilio.post(dial_action, {**CALL, "DialCallStatus": "no-answer"})
        elif how == "his leg reported over":
            twilio.post(callback_url("leg_status", leg=ben.id),
                        {**child(11), "CallStatus": "completed"})
        else:  # the caller hung up
            twilio.post("/voice/status", {**CALL, "CallStatus": "completed",
                                          "CallDuration": "9"})

    # header: how Ben's leg ended -> what his late press hears, whether Tobi then takes it
    @pytest.mark.parametrize("how, words, tobi_takes", [
        ("the hunt moved on", MOVED_ON, True),
        ("his leg reported over", MOVED_ON, False),
        ("the caller hung up", GONE, False),
    ])
    def test_a_press_of_1_on_an_ended_leg(self, twilio, callback_url, ben_rung, how, words,
                                          tobi_takes):
        ben = Leg.get(Leg.step == 0)
        self._ended_by(how, twilio, callback_url, ben_rung, ben)
        body = text(twilio.post(callback_url("accept", leg=ben.id), {**child(11), "Digits": "1"}))
        assert refused(body, words), body
        call = Call.get()
        assert call.answered_at is None and call.answered_by_id is None
        assert Leg.get_by_id(ben.id).accepted_at is None
        if tobi_takes:  # the caller was left for the engineer ringing now
            tobi = Leg.get(Leg.step == 1)
            assert text(twilio.post(callback_url("accept", leg=tobi.id),
                                    {**child(12), "Digits": "1"})) == \
                '<?xml version="1.0" encoding="UTF-8"?><Response />'
            assert Call.get().answered_by_id == tobi.engineer_id

    def test_the_press_on_the_live_leg_still_connects(self, twilio, callback_url, ben_rung):
        # the same request on a leg still up: the guard above is not what refuses everything
        ben = Leg.get(Leg.step == 0)
        body = text(twilio.post(callback_url("accept", leg=ben.id), {**child(11), "Digits": "1"}))
        assert body == '<?xml version="1.0" encoding="UTF-8"?><Response />'
        assert Call.get().answered_by_id == ben.engineer_id


class TestOverlapped:
    """Ann's and Ben's phones ring side by side; Ann's leg ends, then her press of 1 comes."""

    @pytest.fixture
    def settings_data(self):
        return {"hunt": "overlap", "overlap_seconds": 6, "max_wait_seconds": 60}

    @pytest.fixture
    def dialer(self):
        return RecordingDialer()

    @pytest.fixture
    def app_config(self, dialer):
        return {"DIALER": dialer}

    @pytest.fixture
    def line(self, twilio, callback_url, clock, dialer, make_engineer, db):
        clock.set(TUESDAY_10)
        for name in ("Ann Archer", "Ben Smith"):
            make_engineer(name)
        line = Line(twilio, callback_url, clock, dialer)
        assert "<Enqueue" in line.arrive()
        line.tick_until(7)
        assert line.rung() == ["Ann Archer", "Ben Smith"]
        return line

    # header: what Ann's leg reported before her press
    @pytest.mark.parametrize("status", ["completed", "no-answer", "failed"])
    def test_a_press_of_1_on_an_ended_leg(self, line, status):
        line.picks_up("Ann Archer")
        line.leg_status("Ann Archer", status)
        body = line.presses_1("Ann Archer")
        assert refused(body, MOVED_ON), body
        assert line.fresh().answered_at is None
        assert line.stopped() == {}  # nobody's phone was stopped for her
        line.picks_up("Ben Smith")
        assert "<Queue>" in line.presses_1("Ben Smith")  # Ben, still ringing, takes the caller
        assert line.fresh().answered_by.name == "Ben Smith"

    def test_a_pick_up_of_an_ended_leg_hears_no_whisper(self, line):
        line.leg_status("Ann Archer", "no-answer")
        body = line.picks_up("Ann Archer")
        assert refused(body, MOVED_ON), body
        assert line.fresh().answered_at is None

    def test_after_the_rest_api_failed_the_dial_legs_keep_the_same_guard(
            self, twilio, callback_url, clock, dialer, make_engineer, db):
        """The REST API refused Ann's leg: the hunt goes on one engineer at a time with
        <Dial>, and Ann's press after her <Dial> leg ended is refused as anywhere."""
        clock.set(TUESDAY_10)
        for name in ("Ann Archer", "Ben Smith"):
            make_engineer(name)
        dialer.fail = True
        line = Line(twilio, callback_url, clock, dialer)
        line.arrive()
        line.later(1)
        assert "<Leave" in line.tick()  # the leg could not start: one at a time from here
        dial = etree.fromstring(line.queue_result("leave").encode()).find("Dial")
        ann = Leg.get(Leg.step == 0)
        twilio.post(dial.get("action"), {**CALL, "CallSid": line.sid,
                                         "DialCallStatus": "no-answer"})
        assert Leg.select().count() == 2  # Ben's <Dial> leg rings now
        body = text(twilio.post(callback_url("accept", leg=ann.id),
                                {**child(11), "ParentCallSid": line.sid, "Digits": "1"}))
        assert refused(body, MOVED_ON), body
        assert line.fresh().answered_at is None
