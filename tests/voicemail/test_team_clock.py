"""The clock's escalations and missed calls go by each call's team's settings: Network in
New York, escalating after five minutes and leaving out hang-ups within twenty seconds;
Support with the top-level settings (London, fifteen minutes, five seconds)."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from hours.business_hours import IN_HOURS, OUT_OF_HOURS
from outbox.models import SMS, VOICE, OutboxMessage
from rota import periods
from rota.managers import Managers
from rota.models import FIRST_TEAM, Team
from rota.teams import add_team, join_team, leave_team
from telephony.models import Call, CallStatus
from tests.conftest import ADDED_AT
from voicemail import escalation, missed
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOBODY = Managers(numbers=())


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York",
                                  "escalate_after_minutes": 5,
                                  "short_abandon_seconds": 20}}}


@pytest.fixture
def two(db, make_engineer, settings):
    """Support: Ann on duty, Ben her backup. Network: Cara on duty, Dev her backup."""
    ann, ben = make_engineer("Ann Lee"), make_engineer("Ben Ode")
    network = add_team("Network", ADDED_AT)
    cara, dev = make_engineer("Cara Nye"), make_engineer("Dev Rao")
    for engineer in (cara, dev):
        join_team(network, engineer)
        leave_team(Team.get_by_id(FIRST_TEAM), engineer)
    periods.assign_period(date(2026, 12, 7), ann, ben, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), cara, dev, settings.for_team("Network"),
                          now=ADDED_AT, team=network.id)
    return SimpleNamespace(network=network, ann=ann, ben=ben, cara=cara, dev=dev)


def logged(n, team, at, held=60, duty=None, mode=OUT_OF_HOURS, status=CallStatus.VOICEMAIL):
    at = at.astimezone(timezone.utc)
    return Call.create(sid=f"CA{n:032d}", from_number=f"+4474001234{n:02d}", started_at=at,
                       ended_at=at + timedelta(seconds=held), mode=mode, status=status,
                       team=team, duty_engineer=duty,
                       voicemail_at=at if status == CallStatus.VOICEMAIL else None)


def left_ticket(n, team, at, duty):
    call = logged(n, team, at, duty=duty)
    return Ticket.create(call=call, caller=call.from_number, engineer=duty,
                         created_at=call.started_at)


def escalation_calls_made(settings, start, end):
    """The clock passing every minute from `start` to `end`: (who, London time) of each call."""
    at = start
    while at <= end:
        escalation.queue_escalations(settings, NOBODY, at.astimezone(timezone.utc))
        at += timedelta(minutes=1)
    return [(m.recipient, f"{m.created_at.astimezone(LONDON):%H:%M}")
            for m in OutboxMessage.select().where(OutboxMessage.channel == VOICE)
            .order_by(OutboxMessage.id)]


@pytest.mark.parametrize("support_team", [FIRST_TEAM, None])  # None: logged before teams
def test_each_ticket_escalates_in_its_own_teams_hours_and_minutes(two, settings, support_team):
    # Tuesday: 07:30 in London is before Support's hours; 12:30 in London is 07:30 in New
    # York, before Network's hours while London's office is open
    left_ticket(1, support_team, datetime(2026, 12, 8, 7, 30, tzinfo=LONDON), two.ann)
    left_ticket(2, two.network.id, datetime(2026, 12, 8, 7, 30, tzinfo=NEW_YORK), two.cara)
    made = escalation_calls_made(settings, datetime(2026, 12, 8, 7, 30, tzinfo=LONDON),
                                 datetime(2026, 12, 8, 13, 30, tzinfo=LONDON))
    assert made == [
        (two.ann.mobile, "07:45"),  # Support: fifteen minutes; at 08:00 its office opens
        (two.cara.mobile, "12:35"),  # Network: five minutes, in New York's night
        (two.dev.mobile, "12:40")]


def test_a_team_that_never_escalates_rings_nobody_while_the_other_does(two, settings):
    from dataclasses import replace

    quiet = replace(settings, teams={"network": replace(settings.for_team("Network"),
                                                        escalate_after_minutes=0)})
    left_ticket(1, FIRST_TEAM, datetime(2026, 12, 7, 23, 0, tzinfo=LONDON), two.ann)
    left_ticket(2, two.network.id, datetime(2026, 12, 7, 23, 0, tzinfo=LONDON), two.cara)
    made = escalation_calls_made(quiet, datetime(2026, 12, 7, 23, 0, tzinfo=LONDON),
                                 datetime(2026, 12, 7, 23, 40, tzinfo=LONDON))
    assert made == [(two.ann.mobile, "23:15"), (two.ben.mobile, "23:30")]


def caller_texts():
    return [m.body for m in OutboxMessage.select().where(OutboxMessage.channel == SMS,
                                                          OutboxMessage.dedupe_key
                                                          .endswith(":caller-text"))
            .order_by(OutboxMessage.id)]


@pytest.mark.parametrize("support_team", [FIRST_TEAM, None])
def test_a_missed_call_is_judged_and_told_in_its_teams_settings(two, settings, support_team):
    at = datetime(2026, 12, 8, 14, 2, tzinfo=timezone.utc)  # 14:02 in London, 09:02 in NY
    missing = dict(mode=IN_HOURS, status=CallStatus.MISSED)
    logged(1, support_team, at, held=10, **missing)  # past Support's five seconds: missed
    logged(2, two.network.id, at, held=10, **missing)  # within Network's twenty: left out
    logged(3, two.network.id, at, held=30, **missing)  # past Network's twenty: missed
    assert missed.queue_missed_calls(settings, at + timedelta(minutes=5)) == 2
    assert sorted(t.call.sid[-1] for t in Ticket.select()) == ["1", "3"]
    assert caller_texts() == [
        "We missed your call at 14:02; an engineer will call you back. Reference 1001.",
        "We missed your call at 09:02; an engineer will call you back. Reference 1002."]
