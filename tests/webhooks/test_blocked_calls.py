"""A call from a number on the block list hears one sentence and is hung up on: nobody rung,
the hunt position left where it was, the call logged as blocked and counted apart; a retry
hears the same; a withheld number is never blocked."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from console.scenario import Scenario
from customers.blocklist import add_block, remove_block
from customers.models import BlockedNumber
from reports import Span, report
from reports.call_log import logged_calls
from telephony.models import Call, HuntPosition, Leg
from telephony.routing import BLOCKED_SENTENCE
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
NUISANCE = "+447400999888"
CALLER = "+447400123456"
LINE = "+442071838750"


@pytest.fixture
def team(make_engineer):
    return [make_engineer("Ben Smith", location="office", desk="+442079460101"),
            make_engineer("Tobi Jones")]


def arrive(twilio, sid_digit, caller):
    form = {"CallSid": "CA" + sid_digit * 32, "From": caller, "To": LINE,
            "CallStatus": "ringing"}
    response = twilio.post("/voice/incoming", form)
    assert response.status_code == 200
    return form, response.get_data(as_text=True)


def verbs(body):
    return [(node.tag, (node.text or "").strip()) for node in etree.fromstring(body.encode())]


def block(settings, number=NUISANCE, until=None, now=ADDED_AT):
    return add_block(number, "robocaller", settings, "mia@example.com", now, until=until)


def test_a_blocked_caller_hears_one_sentence_and_nobody_is_rung(twilio, db, clock, team,
                                                                settings):
    clock.set(TUESDAY_10)
    arrive(twilio, "1", CALLER)  # an ordinary call first: the position moves to Ben
    position = HuntPosition.get()
    block(settings)
    form, body = arrive(twilio, "2", NUISANCE)
    assert verbs(body) == [("Say", BLOCKED_SENTENCE), ("Hangup", "")]
    call = Call.get(Call.sid == form["CallSid"])
    assert (call.status, call.mode, call.plan, call.customer_id) == (
        "blocked", "in_hours", "[]", None)
    assert call.voicemail_at is None and call.fallback_at is None
    assert Leg.select().where(Leg.call == call).count() == 0
    after = HuntPosition.get()
    assert (after.last_rotation, after.version) == (position.last_rotation, position.version)
    # the next ordinary call goes on after Ben, as if the blocked call had never come
    _form, next_body = arrive(twilio, "3", CALLER)
    assert "+447911123402" in next_body  # Tobi (remote: the mobile)


def test_the_end_of_a_blocked_call_leaves_it_blocked_and_counted_apart(twilio, db, clock, team,
                                                                       settings):
    clock.set(TUESDAY_10)
    block(settings)
    form, _body = arrive(twilio, "4", NUISANCE)
    clock.set(TUESDAY_10 + timedelta(seconds=4))
    twilio.post("/voice/status", {**form, "CallStatus": "completed", "CallDuration": "4"})
    call = Call.get(Call.sid == form["CallSid"])
    assert call.status == "blocked" and call.ended_at is not None
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1),
                     now=TUESDAY_10 + timedelta(minutes=1))
    total = report(span).total
    assert (total["calls"], total["blocked"], total["offered"], total["abandoned"],
            total["short_abandons"], total["service_level"]) == (1, 1, 0, 0, 0, None)
    assert logged_calls(span, missed=True) == []
    assert [item.outcome for item in logged_calls(span)] == ["blocked"]


def test_a_retried_blocked_arrival_hears_the_same_even_once_unblocked(twilio, db, clock, team,
                                                                      settings):
    clock.set(TUESDAY_10)
    block(settings)
    form, first = arrive(twilio, "5", NUISANCE)
    remove_block(NUISANCE, "GB")  # between Twilio's first request and its retry
    again = twilio.post("/voice/incoming", form).get_data(as_text=True)
    assert again == first
    assert Call.select().count() == 1 and Leg.select().count() == 0
    assert HuntPosition.get_or_none() is None  # nothing ever claimed it


@pytest.mark.parametrize("withheld", ["anonymous", "+266696687", "Restricted", ""])
def test_a_withheld_number_is_never_blocked(twilio, db, clock, team, settings, withheld):
    clock.set(TUESDAY_10)
    # rows no command could add (they refuse withheld numbers), put in by hand
    for number in ("anonymous", "+266696687", "Restricted", ""):
        BlockedNumber.create(number=number, reason="by hand", created_at=ADDED_AT,
                             created_by="test")
    form, body = arrive(twilio, "6", withheld)
    assert [tag for tag, _text in verbs(body)] == ["Say", "Dial"]
    assert Call.get(Call.sid == form["CallSid"]).status == "ringing"


@pytest.mark.parametrize("until, at, blocked", [
    (date(2026, 12, 1), datetime(2026, 12, 1, 23, 59, tzinfo=LONDON), True),
    (date(2026, 12, 1), datetime(2026, 12, 2, 0, 0, tzinfo=LONDON), False),
    (date(2026, 10, 25), datetime(2026, 10, 25, 23, 30, tzinfo=LONDON), True),  # 25 h day
    (date(2026, 10, 25), datetime(2026, 10, 26, 0, 0, tzinfo=LONDON), False),
])
def test_the_arrival_reads_the_block_in_force_at_the_calls_instant(twilio, db, clock, team,
                                                                   settings, until, at,
                                                                   blocked):
    block(settings, until=until, now=datetime(2026, 10, 1, 9, 0, tzinfo=LONDON))
    clock.set(at)
    form, body = arrive(twilio, "7", NUISANCE)
    status = Call.get(Call.sid == form["CallSid"]).status
    assert (status == "blocked") is blocked
    assert (verbs(body) == [("Say", BLOCKED_SENTENCE), ("Hangup", "")]) is blocked


def test_a_whole_blocked_call_through_the_simulator(simulate, db, team, settings):
    block(settings)
    outcome = simulate(Scenario(at=TUESDAY_10, caller=NUISANCE, others="accept"))
    assert f"caller hears: {BLOCKED_SENTENCE}" in "\n".join(outcome.lines)
    assert any(line.endswith("app hangs up") for line in outcome.lines)
    assert outcome.answered_by is None and outcome.ticket_number is None
    assert Call.get(Call.sid == outcome.call_sid).status == "blocked"
    assert Leg.select().count() == 0
