"""TAKE and COVER sent in office hours mean the coming out-of-hours period, and say so."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.db import database
from outbox.models import OutboxMessage
from rota import periods
from rota.models import Engineer, Override
from tests.conftest import ADDED_AT
from tests.webhooks.test_sms_commands import ASHA, BEN, TOBI, state, text

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_0814 = datetime(2026, 11, 25, 8, 14, tzinfo=LONDON)


def utc(*args):
    return datetime(*args, tzinfo=LONDON).astimezone(timezone.utc)


@pytest.fixture
def team(make_engineer):
    return {"Ben": make_engineer("Ben Smith", mobile=BEN),
            "Tobi": make_engineer("Tobi Jones", mobile=TOBI),
            "Asha": make_engineer("Asha Patel", mobile=ASHA, signed_in=False)}


@pytest.fixture
def rota(app, team, settings, clock):
    """Ben on duty from Wed 25 Nov 18:00 with Tobi as backup. It is 08:14 on Wednesday."""
    with database.connection_context():
        periods.assign_period(date(2026, 11, 25), team["Ben"], team["Tobi"], settings,
                              now=ADDED_AT)
    clock.set(WEDNESDAY_0814.astimezone(timezone.utc))


def overrides():
    with database.connection_context():
        return [(o.engineer.name, o.starts_at, o.ends_at) for o in Override.select()]


def test_take_in_office_hours_takes_the_coming_out_of_hours_period(twilio, rota):
    status, reply = text(twilio, ASHA, "TAKE")
    assert (status, reply) == (200, (
        "You are on duty out of hours from 18:00 today until 08:00 tomorrow; the support line "
        "forwards to you then. Ben Smith has been told. Not sent by you? Call the office."))
    assert overrides() == [("Asha Patel", utc(2026, 11, 25, 18), utc(2026, 11, 26, 8))]
    with database.connection_context():
        assert periods.duty_at(utc(2026, 11, 25, 21))[0].name == "Asha Patel"
        assert periods.duty_at(utc(2026, 11, 26, 9))[0].name == "Ben Smith"
        told = OutboxMessage.get()
    assert (told.recipient, told.body) == (BEN, (
        "Asha Patel has taken over your out-of-hours duty from 18:00 Wed 25 Nov until "
        "08:00 Thu 26 Nov; the support line will not forward to you then. Not expected? "
        "Text TAKE to take it back and tell the office."))


def test_take_in_office_hours_by_the_engineer_already_on_duty_then_changes_nothing(twilio,
                                                                                  rota):
    before = state()
    assert text(twilio, BEN, "take") == (
        200, "You are already on duty from 18:00 today until 08:00 tomorrow.")
    assert state() == before and overrides() == []


def test_take_in_office_hours_without_a_period_tonight(twilio, team, clock):
    clock.set(WEDNESDAY_0814.astimezone(timezone.utc))
    before = state()
    assert text(twilio, BEN, "TAKE") == (
        200, "There is no duty period from 18:00 today, so there is nothing to take.")
    assert state() == before


def test_cover_in_office_hours_covers_the_coming_out_of_hours_period(twilio, rota):
    status, reply = text(twilio, TOBI, "cover")
    assert (status, reply) == (200, (
        "You are cover from 18:00 today until 08:00 tomorrow: out-of-hours calls ring you "
        "after the duty engineer and the backup. COVER OFF ends it."))
    with database.connection_context():
        assert Engineer.get(Engineer.mobile == TOBI).cover_until == utc(2026, 11, 26, 8)


def test_take_on_friday_afternoon_takes_until_the_next_handover(twilio, team, settings, clock):
    with database.connection_context():
        periods.assign_period(date(2026, 11, 27), team["Ben"], None, settings, now=ADDED_AT)
    clock.set(utc(2026, 11, 27, 14, 30))
    assert text(twilio, ASHA, "TAKE")[1].startswith(
        "You are on duty out of hours from 18:00 today until 18:00 tomorrow;")
    assert overrides() == [("Asha Patel", utc(2026, 11, 27, 18), utc(2026, 11, 28, 18))]


# the clocks go back at 02:00 BST on Sunday 25 October 2026; a Saturday morning office and a
# morning handover put the change inside the out-of-hours period taken
@pytest.mark.parametrize("settings_data", [{
    "handover": "08:00",
    "hours": {"mon": "08:00-18:00", "tue": "08:00-18:00", "wed": "08:00-18:00",
              "thu": "08:00-18:00", "fri": "08:00-18:00", "sat": "09:00-13:00"}}])
def test_take_and_cover_in_office_hours_across_the_change_to_winter_time(
        twilio, team, settings, clock, settings_data):
    with database.connection_context():
        periods.assign_period(date(2026, 10, 24), team["Ben"], None, settings, now=ADDED_AT)
    clock.set(utc(2026, 10, 24, 10, 0))
    assert text(twilio, ASHA, "TAKE")[1].startswith(
        "You are on duty out of hours from 13:00 today until 08:00 tomorrow;")
    # 13:00 BST is 12:00 UTC; 08:00 GMT is 08:00 UTC: twenty hours, not nineteen
    assert overrides() == [("Asha Patel", datetime(2026, 10, 24, 12, tzinfo=timezone.utc),
                            datetime(2026, 10, 25, 8, tzinfo=timezone.utc))]
    assert text(twilio, TOBI, "COVER")[1].startswith(
        "You are cover from 13:00 today until 08:00 tomorrow:")
    with database.connection_context():
        assert Engineer.get(Engineer.mobile == TOBI).cover_until == datetime(
            2026, 10, 25, 8, tzinfo=timezone.utc)
        assert periods.duty_at(datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc))[0].name \
            == "Asha Patel"
