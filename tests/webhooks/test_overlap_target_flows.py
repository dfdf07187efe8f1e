"""The target-driven hunt through the webhooks: the caller waits in a queue, the phones the
plan wants start at once, later ones on its timetable, the wait document lasts until the next
planned start, and the whisper is short. Every TwiML answer is checked against the schema."""

import io
import wave
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from telephony.models import Call, Leg

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


@pytest.fixture
def settings_data():
    return {"hunt": "target", "max_phones": 2}


@pytest.fixture
def app_config(dialer):
    return {"DIALER": dialer}


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ann Archer", "Ben Smith", "Cat Lee")]


def test_with_no_history_two_phones_ring_at_once_and_the_first_to_press_wins(simulate, team,
                                                                           db, dialer):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s",
                                                       "Ben Smith": "ignore"},
                                others="ignore"))
    assert outcome.answered_by == "Ann Archer"
    # the priors (85 % in 2-8 s) give one phone 85 % in time: a second at once (max_phones 2)
    assert [leg["to"] for leg in dialer.started] == [team[0].mobile, team[1].mobile]
    call = Call.get(Call.sid == outcome.call_sid)
    assert [(leg.started_at - call.started_at).total_seconds()
            for leg in call.legs.order_by(Leg.step)] == [0.0, 0.0]
    # 2.05 s to ring, 3 s, the whisper's document, its 0.3 s tone, the key 0.8 s later, the
    # accept's answer
    assert outcome.reached_after == pytest.approx(6.65, abs=0.01)
    whispers = [body for path, _, body in outcome.responses if path == "/voice/leg-whisper"]
    tone, words = ET.fromstring(whispers[0])[:2]
    assert tone.tag == words.tag == "Gather"  # a key during the tone counts, or after it
    assert tone[0].tag == "Play" and "tone=whisper" in tone[0].text
    assert words[0].text == "Support. Press 1."


def test_the_whisper_tone_is_short(app, db):
    response = app.test_client().get("/voice/ringback.wav?tone=whisper")
    with wave.open(io.BytesIO(response.get_data())) as sound:
        assert sound.getnframes() / sound.getframerate() == pytest.approx(0.3)


def test_the_wait_document_lasts_until_the_next_look(simulate, team, db, dialer):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@9s"},
                                others="ignore"))
    waits = [ET.fromstring(body) for path, _, body in outcome.responses
             if path == "/voice/queue-wait"]
    assert waits and all(root[0].tag in ("Play", "Leave") for root in waits)
    pauses = [int(root[1].get("length")) for root in waits if len(root) > 1]
    assert pauses and max(pauses) >= 2  # no fetch a second while nothing is to be decided
    assert outcome.answered_by == "Ann Archer"
