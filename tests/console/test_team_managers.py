"""Each team's managers: Network's table names its own, so everything about Network (its
rota's gaps, its ring tests, a call to its line finding nobody on duty, its tickets'
escalation) reaches them alone, while Support's reaches the installation's MANAGER_NUMBERS
and MANAGER_EMAILS, as does everything of an installation with one team."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from console.scenario import Scenario
from hours.business_hours import OUT_OF_HOURS
from outbox.models import VOICE, OutboxMessage
from rota import periods
from rota.models import FIRST_TEAM, Team
from rota.teams import add_team, join_team, leave_team
from telephony import lines
from telephony.models import Call, CallStatus
from tests.conftest import ADDED_AT
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
NETWORK_LINE = "+442071838751"
INSTALLATION = {"+447911000901", "boss@example.com"}
NETWORK = {"+447911000777", "mia@example.com"}
NIGHT = datetime(2026, 12, 8, 23, 0, tzinfo=LONDON)


@pytest.fixture
def app_config():
    return {"MANAGER_NUMBERS": "+447911000901", "MANAGER_EMAILS": "boss@example.com"}


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"managers": ["07911 000777", "mia@example.com"]}}}


@pytest.fixture
def two(db, make_engineer):
    """Support: Ann and Ben. Network (its own line): Cara and Dev."""
    ann, ben = make_engineer("Ann Lee"), make_engineer("Ben Ode")
    network = add_team("Network", ADDED_AT)
    cara, dev = make_engineer("Cara Nye"), make_engineer("Dev Rao")
    for engineer in (cara, dev):
        join_team(network, engineer)
        leave_team(Team.get_by_id(FIRST_TEAM), engineer)
    lines.add_line(NETWORK_LINE, "GB", ADDED_AT, team=network)
    return SimpleNamespace(network=network, ann=ann, ben=ben, cara=cara, dev=dev)


def told(starting):
    """Whom the messages whose text starts with `starting` went to."""
    return {m.recipient for m in OutboxMessage.select() if m.body.startswith(starting)}


def test_the_clock_warns_each_team_s_gaps_to_its_own_managers(cli, clock, two):
    clock.set(datetime(2026, 12, 7, 12, tzinfo=timezone.utc))  # nobody on either rota
    assert cli("clock", "--once").exit_code == 0
    assert told("Rota (Network): nobody on duty") == NETWORK
    assert told("Rota (Support): nobody on duty") == INSTALLATION


def test_an_unconfirmed_ring_test_is_told_to_its_team_s_managers(cli, clock, two, settings):
    periods.assign_period(date(2026, 12, 7), two.ann, two.ben, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), two.cara, two.dev, settings.for_team("Network"),
                          now=ADDED_AT, team=two.network.id)
    clock.set(datetime(2026, 12, 7, 18, 1, tzinfo=LONDON))  # both hand over: rung
    cli("clock", "--once")
    clock.set(datetime(2026, 12, 7, 18, 11, tzinfo=LONDON))  # nobody pressed 1
    cli("clock", "--once")
    assert told("Ring test: Cara Nye did not confirm") == NETWORK | {two.dev.mobile}
    assert told("Ring test: Ann Lee did not confirm") == INSTALLATION | {two.ben.mobile}


@pytest.mark.parametrize("line, words, managers", [
    (NETWORK_LINE, "Rota (Network): ", NETWORK),
    ("+442071838750", "Rota (Support): ", INSTALLATION),  # a number with no line: Support
])
def test_a_call_finding_nobody_on_duty_is_told_to_its_team_s_managers(
        simulate, two, line, words, managers):
    simulate(Scenario(at=NIGHT, to=line, caller_action="hangup"))
    assert told(words) == managers
    assert {m.body[:len(words)] for m in OutboxMessage.select()} == {words}  # no other team


def left_ticket(n, team, duty):
    at = NIGHT.astimezone(timezone.utc)
    call = Call.create(sid=f"CA{n:032d}", from_number=f"+4474001234{n:02d}", started_at=at,
                       ended_at=at + timedelta(minutes=1), mode=OUT_OF_HOURS,
                       status=CallStatus.VOICEMAIL, team=team, duty_engineer=duty,
                       voicemail_at=at)
    return Ticket.create(call=call, caller=call.from_number, engineer=duty, created_at=at)


def test_each_ticket_s_escalation_ends_with_its_team_s_managers(cli, clock, two, settings):
    periods.assign_period(date(2026, 12, 8), two.ann, two.ben, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 8), two.cara, two.dev, settings.for_team("Network"),
                          now=ADDED_AT, team=two.network.id)
    support, network = left_ticket(1, FIRST_TEAM, two.ann), left_ticket(2, two.network.id,
                                                                         two.cara)
    for minutes in range(0, 61, 15):  # a step every fifteen minutes, then the last word
        clock.set(NIGHT + timedelta(minutes=minutes))
        cli("clock", "--once")

    def reached(ticket):
        prefix = f"ticket:{ticket.number}:escalate:"
        messages = OutboxMessage.select().where(OutboxMessage.dedupe_key.startswith(prefix))
        return ([m.recipient for m in messages if m.channel == VOICE],
                {m.recipient for m in messages if m.dedupe_key.startswith(prefix + "ended")})

    assert reached(support) == ([two.ann.mobile, two.ben.mobile, "+447911000901"],
                                INSTALLATION)
    assert reached(network) == ([two.cara.mobile, two.dev.mobile, "+447911000777"], NETWORK)


@pytest.mark.parametrize("settings_data", [{}])  # one team, no managers of its own
def test_a_single_team_warns_the_installation_s_managers(cli, clock, db, make_engineer,
                                                         settings_data):
    make_engineer("Ann Lee")
    clock.set(datetime(2026, 12, 7, 12, tzinfo=timezone.utc))
    cli("clock", "--once")
    assert told("Rota: nobody on duty") == INSTALLATION
    assert {m.recipient for m in OutboxMessage.select()} - {"+447911123401"} == INSTALLATION
