"""TAKE: duty moves now, the call flow follows, and the right engineer is told."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from outbox.models import OutboxMessage
from rota import handover, periods, take
from rota.models import DutyPeriod
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_2100 = datetime(2026, 11, 25, 21, 0, tzinfo=LONDON)


@pytest.fixture
def rota(db, team, settings):
    periods.assign_period(date(2026, 11, 25), team["Ben"], None, settings, now=ADDED_AT)


def test_the_call_flow_rings_whoever_took_duty(rota, team, settings, simulate):
    take.take_duty(team["Asha"], WEDNESDAY_2100, settings)
    outcome = simulate(Scenario(at=datetime(2026, 11, 26, 3, 0, tzinfo=LONDON),
                                others="accept"))
    assert outcome.answered_by == "Asha Patel"


def test_a_take_that_loses_a_race_tells_the_engineer_who_won(rota, team, settings, monkeypatch):
    stale = periods.period_at(WEDNESDAY_2100)  # read while Ben was on duty
    take.take_duty(team["Tobi"], WEDNESDAY_2100, settings)  # Tobi takes first
    reads = iter([stale])
    monkeypatch.setattr(take, "period_at", lambda now, team: next(reads, None) or
                        periods.period_at(now, team))
    result = take.take_duty(team["Asha"], WEDNESDAY_2100, settings)
    assert result.previous.name == "Tobi Jones"
    assert periods.duty_at(WEDNESDAY_2100)[0].name == "Asha Patel"
    assert DutyPeriod.get().primary.name == "Ben Smith"  # the plan still says who was rostered
    told = sorted(m.recipient for m in OutboxMessage.select())
    assert told == ["+447911000001", "+447911000002"]  # Ben by Tobi's take, Tobi by Asha's


def test_taking_a_period_with_nobody_on_duty_tells_nobody(db, team, settings):
    period = periods.assign_period(date(2026, 11, 25), team["Ben"], None, settings, now=ADDED_AT)
    period.primary = None
    period.save()
    result = take.take_duty(team["Tobi"], WEDNESDAY_2100, settings)
    assert (result.previous, result.already) == (None, False)
    assert periods.duty_at(WEDNESDAY_2100)[0].name == "Tobi Jones"
    assert OutboxMessage.select().count() == 0


def test_taking_after_the_handover_text_brings_no_second_on_duty_text(rota, team, settings):
    handover_at = datetime(2026, 11, 25, 18, 0, tzinfo=LONDON).astimezone(timezone.utc)
    assert [n.to for n in handover.queue_handover_notices(settings, handover_at)] == [
        "+447911000001"]  # Ben is told he is on duty
    take.take_duty(team["Asha"], WEDNESDAY_2100 - timedelta(hours=2), settings)
    # the clock runs on within the late limit: Asha took over knowingly, nothing more is sent
    assert handover.queue_handover_notices(settings, handover_at + timedelta(minutes=90)) == []
    assert sorted(m.recipient for m in OutboxMessage.select()) == [
        "+447911000001", "+447911000001"]  # the on-duty text, then "Asha has taken over"


def test_take_lasts_until_the_next_handover_and_keeps_the_plan(rota, team, settings):
    result = take.take_duty(team["Asha"], WEDNESDAY_2100, settings)
    assert result.previous.name == "Ben Smith"
    end = datetime(2026, 11, 26, 18, 0, tzinfo=LONDON)
    assert periods.duty_at(end - timedelta(minutes=1))[0].name == "Asha Patel"
    assert periods.duty_at(WEDNESDAY_2100 - timedelta(minutes=1))[0].name == "Ben Smith"
    assert periods.duty_at(end)[0] is None  # no period after: nobody, not Asha
    assert DutyPeriod.get().primary.name == "Ben Smith"
    again = take.take_duty(team["Asha"], WEDNESDAY_2100 + timedelta(hours=1), settings)
    assert again.already
