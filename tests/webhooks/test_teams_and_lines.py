"""Two teams on one installation: each number reaches its own team, in its own hours, with
its own round robin and duty rota; a line's menu lets the caller choose."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from rota import periods
from rota.models import Team
from rota.teams import add_team, join_team, leave_team
from telephony import lines
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
SUPPORT_LINE = "+442071838750"
NETWORK_LINE = "+442071838751"
MENU_LINE = "+442071838752"
ACCOUNTS = "+442071838799"
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
TUESDAY_22 = datetime(2026, 12, 1, 22, 0, tzinfo=LONDON)
SATURDAY_10 = datetime(2026, 12, 5, 10, 0, tzinfo=LONDON)


@pytest.fixture
def settings_data():
    """The network team keeps Saturday mornings too, and greets its callers its own way."""
    weekdays = {day: "08:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri")}
    return {"hunt": "sequential",
            "teams": {"Network": {"greeting": "Network team, connecting you.",
                                  "ring_seconds": 25, "voice": "Polly.Brian",
                                  "hours": {**weekdays, "sat": "09:00-12:00"}}}}


@pytest.fixture
def teams(app, db, make_engineer):
    """Support: Ann and Ben. Network: Cara and Dev (added later, so later in rotation).
    Dev is in both teams."""
    ann, ben = make_engineer("Ann Lee"), make_engineer("Ben Ode")
    network = add_team("Network", ADDED_AT)
    cara, dev = make_engineer("Cara Nye"), make_engineer("Dev Rao")
    for engineer in (cara, dev):
        join_team(network, engineer)
    leave_team(Team.get_by_id(1), cara)
    lines.add_line(NETWORK_LINE, "GB", ADDED_AT, team=network)
    menu = lines.parse_menu("For the network team press 2, for accounts press 1.",
                            {"2": "network", "1": ACCOUNTS}, "2", 4, "GB",
                            {"network": network.id, "support": 1})
    lines.add_line(MENU_LINE, "GB", ADDED_AT, menu=menu)
    return {"support": Team.get_by_id(1), "network": network, "ann": ann, "ben": ben,
            "cara": cara, "dev": dev}


def rung(outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [leg.engineer.name for leg in call.legs.order_by(Leg.step)]


def test_each_number_rings_only_its_own_team_with_its_own_round_robin(simulate, teams, db):
    first = simulate(Scenario(at=TUESDAY_10, to=NETWORK_LINE, others="accept"))
    second = simulate(Scenario(at=TUESDAY_10, to=NETWORK_LINE, others="accept"))
    support = simulate(Scenario(at=TUESDAY_10, to=SUPPORT_LINE, others="accept"))
    assert (first.answered_by, second.answered_by) == ("Cara Nye", "Dev Rao")
    # the network's two calls moved only the network's round robin: support starts at Ann
    assert support.answered_by == "Ann Lee"
    nobody = simulate(Scenario(at=TUESDAY_10, to=SUPPORT_LINE, others="ignore"))
    assert rung(nobody) == ["Ben Ode", "Dev Rao", "Ann Lee"]  # Cara is not in support
    network_call = Call.get(Call.sid == first.call_sid)
    assert (network_call.team_id, network_call.line.number) == (teams["network"].id,
                                                                NETWORK_LINE)
    support_call = Call.get(Call.sid == support.call_sid)
    assert (support_call.team_id, support_call.line_id) == (1, None)


def test_each_team_keeps_its_own_hours_and_greeting(simulate, teams, db):
    network = simulate(Scenario(at=SATURDAY_10, to=NETWORK_LINE, others="accept"))
    assert network.answered_by == "Cara Nye"
    assert "caller hears: Network team, connecting you." in "\n".join(network.lines)
    assert Call.get(Call.sid == network.call_sid).mode == "in_hours"
    support = simulate(Scenario(at=SATURDAY_10, to=SUPPORT_LINE, others="accept"))
    assert Call.get(Call.sid == support.call_sid).mode == "out_of_hours"


def dial_timeouts(outcome):
    return [re.search(r'<Dial [^>]*timeout="(\d+)"', body).group(1)
            for _, _, body in outcome.responses if "<Dial" in body]


def test_every_leg_of_a_call_rings_as_long_as_its_team_says(simulate, teams, db):
    network = simulate(Scenario(at=TUESDAY_10, to=NETWORK_LINE, others="ignore"))
    support = simulate(Scenario(at=TUESDAY_10, to=SUPPORT_LINE, others="ignore"))
    # ring_seconds 25 for the network (Twilio rings 5 s past a timeout), 15 by default;
    # the second leg is rung from the first's dial result, a callback of the call's team
    assert dial_timeouts(network) == ["20", "20"]
    assert dial_timeouts(support) == ["10", "10", "10"]


def test_each_team_has_its_own_duty_rota(simulate, teams, settings, db):
    periods.assign_period(date(2026, 12, 1), teams["ben"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 1), teams["cara"], None,
                          settings.for_team("Network"), now=ADDED_AT,
                          team=teams["network"].id)
    network = simulate(Scenario(at=TUESDAY_22, to=NETWORK_LINE, others="accept"))
    support = simulate(Scenario(at=TUESDAY_22, to=SUPPORT_LINE, others="accept"))
    assert (network.answered_by, support.answered_by) == ("Cara Nye", "Ben Ode")
    assert Call.get(Call.sid == network.call_sid).duty_engineer_id == teams["cara"].id


@pytest.mark.parametrize("presses, answered_by", [("2", "Cara Nye"), (None, "Cara Nye")])
def test_a_menu_key_or_silence_reaches_its_team(simulate, teams, db, presses, answered_by):
    outcome = simulate(Scenario(at=TUESDAY_10, to=MENU_LINE, others="accept",
                                caller_presses=presses))
    assert outcome.answered_by == answered_by
    assert ("caller hears: For the network team press 2, for accounts press 1."
            in "\n".join(outcome.lines))
    call = Call.get(Call.sid == outcome.call_sid)
    assert (call.team_id, call.line.number) == (teams["network"].id, MENU_LINE)


def test_a_menu_key_to_a_plain_number_dials_it_and_logs_no_support_call(twilio, teams, db):
    params = {"CallSid": "CA" + "7" * 32, "From": "+447400123456", "To": MENU_LINE}
    menu = twilio.post("/voice/incoming", params).get_data(as_text=True)
    assert "<Gather" in menu and 'action="https://support.example.com/voice/menu?at=' in menu
    forward = twilio.post("/voice/menu", {**params, "Digits": "1"}).get_data(as_text=True)
    assert f"<Number>{ACCOUNTS}</Number>" in forward
    assert 'callerId="+447400123456"' in forward
    assert 'action="https://support.example.com/voice/forward-result"' in forward
    # not answered: the caller is told, and no support voicemail takes a message for it
    missed = twilio.post("/voice/forward-result", {**params, "DialCallStatus": "no-answer"})
    assert "nobody could take your call" in missed.get_data(as_text=True)
    assert "<Record" not in missed.get_data(as_text=True)
    talked = twilio.post("/voice/forward-result", {**params, "DialCallStatus": "completed"})
    assert talked.get_data(as_text=True).endswith("<Response><Hangup /></Response>")
    assert Call.select().count() == 0


def test_a_retried_menu_answer_logs_the_call_once(twilio, teams, db):
    params = {"CallSid": "CA" + "8" * 32, "From": "+447400123456", "To": MENU_LINE,
              "Digits": "2"}
    first = twilio.post("/voice/menu", params).get_data()
    again = twilio.post("/voice/menu", params).get_data()
    assert first == again
    assert Call.select().count() == 1 and Leg.select().count() == 1


def test_a_number_with_no_line_reaches_the_first_team(simulate, teams, db):
    outcome = simulate(Scenario(at=TUESDAY_10, to="+442071838700", others="accept"))
    assert outcome.answered_by == "Ann Lee"
    assert Call.get(Call.sid == outcome.call_sid).team_id == 1


def test_a_message_left_for_a_team_in_hours_is_texted_to_that_team_only(simulate, teams, db):
    from outbox.models import OutboxMessage

    outcome = simulate(Scenario(at=TUESDAY_10, to=NETWORK_LINE, others="ignore"))
    assert outcome.ticket_number is not None
    engineers = {teams[name].mobile: teams[name].name for name in ("ann", "ben", "cara", "dev")}
    texted = {engineers[m.recipient] for m in OutboxMessage.select()
              if m.channel == "sms" and m.recipient in engineers}
    assert texted == {"Cara Nye", "Dev Rao"}


def test_the_ticket_confirmation_is_spoken_in_the_voice_of_the_call_s_team(simulate, teams, db):
    for to, voice in ((NETWORK_LINE, "Polly.Brian"), (SUPPORT_LINE, "Polly.Amy")):
        outcome = simulate(Scenario(at=TUESDAY_10, to=to, others="ignore"))
        confirmation = [body for path, _, body in outcome.responses
                        if path.startswith("/voice/recorded")]
        assert "your ticket number is" in confirmation[0]
        assert f'voice="{voice}"' in confirmation[0]


def test_a_ticket_s_reaction_deadline_counts_the_business_hours_of_the_call_s_team(simulate,
                                                                                   teams, db):
    from voicemail.models import Ticket

    outcome = simulate(Scenario(at=SATURDAY_10, to=NETWORK_LINE, others="ignore"))
    assert outcome.ticket_number is not None
    ticket = Ticket.get()
    # four business hours from the message (left a minute and a half after 10:00): Saturday
    # to 12:00 (the network's hours), then Monday from 08:00; the top-level hours would have
    # counted all four from Monday 08:00, to 12:00
    left = ticket.created_at.astimezone(LONDON)
    due = ticket.deadline.astimezone(LONDON)
    assert (left.date(), left.hour) == (date(2026, 12, 5), 10)
    on_saturday = left.replace(hour=12, minute=0, second=0, microsecond=0) - left
    assert due == datetime(2026, 12, 7, 8, 0, tzinfo=LONDON) + timedelta(hours=4) - on_saturday


def test_a_menu_caller_s_wait_counts_from_the_arrival_the_menu_included(twilio, teams, db,
                                                                          clock):
    from urllib.parse import urlsplit

    params = {"CallSid": "CA" + "6" * 32, "From": "+447400123456", "To": MENU_LINE}
    clock.set(TUESDAY_10)
    menu = twilio.post("/voice/incoming", params).get_data(as_text=True)
    action = re.search(r'<Gather [^>]*action="([^"]+)"', menu).group(1).replace("&amp;", "&")
    clock.set(TUESDAY_10 + timedelta(seconds=6))  # the sentence, then the key
    twilio.post(action, {**params, "Digits": "2"})
    call = Call.get(Call.sid == params["CallSid"])
    leg = Leg.get(Leg.call == call)
    assert call.started_at == TUESDAY_10  # the caller's wait began at the menu
    assert leg.started_at == TUESDAY_10 + timedelta(seconds=6)
    # an arrival instant whose token does not match is not believed: the call arrives now
    forged = {**params, "CallSid": "CA" + "4" * 32, "Digits": "2"}
    path = urlsplit(action)
    twilio.post(f"{path.path}?at=1&t=0", forged)
    forged_call = Call.get(Call.sid == forged["CallSid"])
    assert forged_call.started_at == TUESDAY_10 + timedelta(seconds=6)
