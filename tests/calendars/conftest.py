"""Fixtures for the feeds: a team, a way to put people on duty at a given instant, tokens, GETs."""

from datetime import date, datetime, timedelta, timezone

import pytest

from calendars.tokens import issue_token
from dutyline.db import database
from rota import overrides, periods
from rota.models import DutyPeriod


@pytest.fixture
def team(make_engineer):
    """Ben (with a desk phone), Tobi and Asha."""
    return [make_engineer("Ben Smith", desk="+442079460101", location="office"),
            make_engineer("Tobi Jones"),
            make_engineer("Asha Patel")]


@pytest.fixture
def assign(app, settings):
    """assign(day, primary, backup=None, at=instant): a duty period written at `at`."""

    def run(day, primary, backup=None, at=None):
        with database.connection_context():
            return periods.assign_period(day, primary, backup, settings,
                                         now=at or datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc))

    return run


@pytest.fixture
def remove_period(app):
    """Deletes the period starting on a day, as a rota change would."""

    def run(day):
        with database.connection_context():
            DutyPeriod.delete().where(DutyPeriod.day == day).execute()

    return run


@pytest.fixture
def cover(app, settings):
    """cover(name, starts_at, ends_at, at=instant): an override made at `at`; returns its id."""

    def run(name, starts_at, ends_at, at=None):
        with database.connection_context():
            made = overrides.add_override(
                name, starts_at, ends_at, settings,
                at or datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc))
        return made.id

    return run


@pytest.fixture
def uncover(app, settings):
    """Removes an override by its id."""

    def run(override_id):
        with database.connection_context():
            overrides.remove_override(override_id, settings,
                                      datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc))

    return run


@pytest.fixture
def tokens(app, team, clock):
    """A manager token and one engineer token per team member, by first name."""
    with database.connection_context():
        made = {"manager": issue_token(clock(), label="Ops lead")}
        for engineer in team:
            made[engineer.name.split()[0].lower()] = issue_token(clock(), engineer=engineer)
    return made


@pytest.fixture
def fetch(app, tokens):
    """fetch("manager", "rota", headers={}) -> the test client's response."""
    client = app.test_client()

    def get(who, feed, headers=None):
        return client.get(f"/calendars/{tokens[who]}/{feed}.ics", headers=headers or {})

    return get


def days(first, count):
    """`count` consecutive dates from `first`."""
    return [first + timedelta(days=n) for n in range(count)]


DECEMBER_1 = date(2026, 12, 1)
