"""Forgeries through the signature's blind spot: same signature, another leg or call.

Twilio signs the URL followed by each parameter's name and value, with no separators. A
captured request for `/voice/accept?leg=12` with `AccountSid=…` in its body is, to the
signature, the same as `/voice/accept?leg=1` with `2AccountSid=…`. Each callback URL that
names a leg or a call therefore carries a token of its own, and the handler checks that the
form's CallSid or ParentCallSid is that leg's call: such forgeries change nothing.
"""

from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from twilio.request_validator import RequestValidator

from rota.models import Engineer
from telephony.models import Call, HuntPosition, Leg
from tests.conftest import AUTH_TOKEN, PUBLIC_URL

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
ACCOUNT = "AC" + "0" * 32
CALLS = 12


@pytest.fixture
def twelve_calls(twilio, make_engineer, clock, db):
    """Twelve calls ringing; returns each call's (CallSid, first TwiML), call 1 first."""
    clock.set(TUESDAY_10)
    for n in range(CALLS):
        make_engineer(f"Engineer {n}")
    made = []
    for n in range(1, CALLS + 1):
        sid = f"CA{n:032x}"
        response = twilio.post("/voice/incoming", {"CallSid": sid, "AccountSid": ACCOUNT,
                                                   "From": "+447400123456",
                                                   "To": "+442071838750"})
        made.append((sid, etree.fromstring(response.get_data())))
    assert [leg.id for leg in Leg.select().order_by(Leg.id)][:CALLS] == list(range(1, CALLS + 1))
    return made


def child_form(parent_sid, n, **extra):
    return {"AccountSid": ACCOUNT, "CallSid": f"CA{0xc0de00 + n:032x}",
            "ParentCallSid": parent_sid, **extra}


def snapshot():
    return [list(model.select().tuples()) for model in (Call, Leg, HuntPosition, Engineer)]


def shifted(url, form):
    """The forgery: the URL's last character moved to the front of the first parameter name."""
    first = sorted(form)[0]
    forged = {(url[-1] + key if key == first else key): value for key, value in form.items()}
    return url[:-1], forged


def post_with_signature_of(twilio, signed_url, signed_form, url, form):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(signed_url, signed_form)
    return twilio.post(url, form, signature=signature)


def test_the_shifted_digit_forgery_of_an_accept_changes_nothing(twilio, twelve_calls):
    sid, first = twelve_calls[11]  # call 12, whose engineer is on leg 12
    whisper_url = first.find("Dial/Number").get("url")
    whisper = etree.fromstring(twilio.post(whisper_url, child_form(sid, 12)).get_data())
    accept_url = whisper.find("Gather").get("action")
    form = child_form(sid, 12, Digits="1")
    before = snapshot()
    # the URL written for leg 12, with its last character moved into the body
    url, forged = shifted(accept_url, form)
    response = post_with_signature_of(twilio, accept_url, form, url, forged)
    assert response.status_code in (200, 403)
    # the same trick on the URL without its token: "leg=12" becomes "leg=1"
    bare = PUBLIC_URL + "/voice/accept?leg=12"
    url, forged = shifted(bare, form)
    assert url.endswith("leg=1")
    response = post_with_signature_of(twilio, bare, form, url, forged)
    assert response.status_code in (200, 403)
    assert snapshot() == before
    assert Call.get(Call.sid == twelve_calls[0][0]).status == "ringing"  # call 1 unanswered


def test_the_shifted_digit_forgery_of_a_whisper_marks_nobody_on_a_call(twilio, twelve_calls):
    sid, _ = twelve_calls[11]
    form = child_form(sid, 12, CallStatus="in-progress")
    before = snapshot()
    bare = PUBLIC_URL + "/voice/whisper?leg=12"
    url, forged = shifted(bare, form)
    post_with_signature_of(twilio, bare, form, url, forged)
    assert snapshot() == before
    assert Leg.get_by_id(1).picked_up_at is None


def test_a_callback_for_a_leg_of_another_call_changes_nothing(twilio, twelve_calls):
    # a genuine URL for leg 1, with a form naming call 2: not this leg's call
    _, first = twelve_calls[0]
    other_sid, _ = twelve_calls[1]
    whisper_url = first.find("Dial/Number").get("url")
    before = snapshot()
    response = twilio.post(whisper_url, child_form(other_sid, 1))
    assert response.status_code == 200
    assert etree.fromstring(response.get_data()).find("Gather") is None
    assert snapshot() == before


def test_a_leg_url_without_its_token_or_with_another_legs_changes_nothing(twilio, twelve_calls):
    sid, first = twelve_calls[0]
    whisper_url = first.find("Dial/Number").get("url")
    parts = urlsplit(whisper_url)
    query = dict(parse_qsl(parts.query))
    other = dict(parse_qsl(urlsplit(twelve_calls[1][1].find("Dial/Number").get("url")).query))
    assert set(query) > {"leg"}, "the leg's URL carries a token"
    before = snapshot()
    for changed in ({"leg": query["leg"]},
                    {**query, **{k: v for k, v in other.items() if k != "leg"}},
                    {**query, **{k: v[:-1] for k, v in query.items() if k != "leg"}}):
        url = f"{PUBLIC_URL}{parts.path}?{urlencode(changed)}"
        assert twilio.post(url, child_form(sid, 1)).status_code in (200, 403)
    assert snapshot() == before


def test_unknown_parameters_change_nothing_a_handler_does(twilio, twelve_calls):
    sid, first = twelve_calls[0]
    whisper_url = first.find("Dial/Number").get("url")
    plain = twilio.post(whisper_url, child_form(sid, 1)).get_data()
    noisy = twilio.post(whisper_url, child_form(sid, 1, **{"2AccountSid": ACCOUNT, "Digits1": "1",
                                                           "leg": "5", "x": "y"})).get_data()
    assert noisy == plain
    assert Call.get(Call.sid == sid).status == "ringing"


def test_the_genuine_callbacks_still_work(twilio, twelve_calls):
    sid, first = twelve_calls[0]
    whisper = etree.fromstring(twilio.post(first.find("Dial/Number").get("url"),
                                           child_form(sid, 1)).get_data())
    twilio.post(whisper.find("Gather").get("action"), child_form(sid, 1, Digits="1"))
    call = Call.get(Call.sid == sid)
    assert call.status == "answered" and call.answered_by_id == Leg.get_by_id(1).engineer_id
    done = twilio.post(first.find("Dial").get("action"),
                       {"AccountSid": ACCOUNT, "CallSid": sid, "DialCallStatus": "completed"})
    assert etree.fromstring(done.get_data()).find("Hangup") is not None
