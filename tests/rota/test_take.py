"""TAKE: duty moves now, the call flow follows, and the right engineer is told."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from rota import handover, periods, take
from rota.models import DutyPeriod
from voicemail.models import OutboxMessage
from webhooks.simulator import Scenario

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_2100 = datetime(2026, 11, 25, 21, 0, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    return {"Ben": make_engineer("Ben Smith", mobile="+447911000001"),
            "Tobi": make_engineer("Tobi Jones", mobile="+447911000002"),
            "Asha": make_engineer("Asha Patel", mobile="+447911000003")}


@pytest.fixture
def rota(db, team, settings):
    periods.assign_period(date(2026, 11, 25), team["Ben"], None, settings)


def test_the_call_flow_rings_whoever_took_duty(rota, team, settings, simulate):
    take.take_duty(team["Asha"], WEDNESDAY_2100, settings)
    outcome = simulate(Scenario(at=datetime(2026, 11, 26, 3, 0, tzinfo=LONDON),
                                others="accept"))
    assert outcome.answered_by == "Asha Patel"


def test_a_take_that_loses_a_race_tells_the_engineer_who_won(rota, team, settings, monkeypatch):
    stale = periods.period_at(WEDNESDAY_2100)  # read while Ben was on duty
    take.take_duty(team["Tobi"], WEDNESDAY_2100, settings)  # Tobi takes first
    reads = iter([stale])
    monkeypatch.setattr(take, "period_at", lambda now: next(reads, None) or
                        periods.period_at(now))
    result = take.take_duty(team["Asha"], WEDNESDAY_2100, settings)
    assert result.previous.name == "Tobi Jones"
    assert DutyPeriod.get().primary.name == "Asha Patel"
    told = sorted(m.recipient for m in OutboxMessage.select())
    assert told == ["+447911000001", "+447911000002"]  # Ben by Tobi's take, Tobi by Asha's


def test_taking_a_period_with_nobody_on_duty_tells_nobody(db, team, settings):
    period = periods.assign_period(date(2026, 11, 25), team["Ben"], None, settings)
    period.primary = None
    period.save()
    result = take.take_duty(team["Tobi"], WEDNESDAY_2100, settings)
    assert (result.previous, result.already) == (None, False)
    assert DutyPeriod.get().primary.name == "Tobi Jones"
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
