"""Generating a whole year for six engineers with realistic leave, through the database."""

from collections import Counter
from datetime import date, datetime, timezone

import pytest

from rota import absences, periods
from rota.check import check_month
from rota.generate import generate_month
from rota.models import DutyPeriod
from rota.months import month_periods
from rota.spans import WEEKEND, WEEKNIGHT, period_kind

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
NAMES = ["Ben Smith", "Tobi Jones", "Asha Patel", "Chris Wong", "Dana Kerr", "Eli Moss"]
# name, first day, last day: summer fortnights, Christmas, half-terms, a long weekend
LEAVE = [
    ("Ben Smith", date(2027, 2, 15), date(2027, 2, 19)),
    ("Ben Smith", date(2027, 7, 26), date(2027, 8, 6)),
    ("Tobi Jones", date(2027, 4, 1), date(2027, 4, 9)),
    ("Tobi Jones", date(2027, 8, 16), date(2027, 8, 27)),
    ("Asha Patel", date(2027, 5, 28), date(2027, 6, 4)),
    ("Asha Patel", date(2027, 12, 20), date(2027, 12, 31)),
    ("Chris Wong", date(2027, 1, 4), date(2027, 1, 8)),
    ("Chris Wong", date(2027, 9, 6), date(2027, 9, 17)),
    ("Dana Kerr", date(2027, 3, 19), date(2027, 3, 22)),
    ("Dana Kerr", date(2027, 10, 25), date(2027, 11, 5)),
    ("Eli Moss", date(2027, 6, 21), date(2027, 7, 2)),
    ("Eli Moss", date(2027, 12, 23), date(2028, 1, 3)),
]


def year_table(rows):
    """The rota as text, one line a period, for the failure message."""
    return "\n".join(f"{p.day:%a %d %b %Y}  {p.primary.name if p.primary else '-':<12}" for p in rows)


@pytest.fixture
def team(make_engineer, db, settings):
    people = [make_engineer(name) for name in NAMES]
    for name, first, last in LEAVE:
        absences.add_absence(name, first, last, settings, NOW, reason="annual leave")
    return people


def test_a_year_for_six_engineers_with_leave(team, db, settings):
    for month in range(1, 13):
        result = generate_month(2027, month, settings, NOW)
        # 1 Jan up to its handover belongs to 31 Dec 2026's period, never generated here
        expected = (["the month's first hours (Fri 01 Jan 00:00 to Fri 01 Jan 18:00) belong "
                     "to a period of the month before that has nobody on duty"]
                    if month == 1 else [])
        assert result.empty == 0 and result.warnings == expected, (month, result)
    rows = list(DutyPeriod.select().order_by(DutyPeriod.day))
    table = year_table(rows)
    assert len(rows) == 365, table
    leave = absences.absences_between(rows[0].starts_at, rows[-1].ends_at)
    for before, period in zip(rows, rows[1:]):
        assert period.primary_id != before.primary_id, f"back to back on {period.day}\n{table}"
        assert period.starts_at == before.ends_at
    for period in rows:
        assert not absences.is_absent(leave.get(period.primary_id, ()), period.starts_at,
                                      period.ends_at), f"{period.day} absent\n{table}"
    # each month fair among those there all month; every month passes the check
    for month in range(1, 13):
        periods = month_periods(2027, month)
        there = [e.id for e in team
                 if not absences.is_absent(leave.get(e.id, ()), periods[0].starts_at,
                                           periods[-1].ends_at)]
        tally = Counter((p.primary_id, period_kind(settings, p.starts_at, p.ends_at))
                        for p in periods)
        for kind in (WEEKNIGHT, WEEKEND):
            spread = [tally[(e, kind)] for e in there]
            assert max(spread) - min(spread) <= 1, f"2027-{month:02d} {kind}\n{table}"
        assert check_month(2027, month, settings) == [], f"2027-{month:02d}\n{table}"
    # over the year nobody drifts ahead: every total within a few periods of the others
    year = Counter((p.primary_id, period_kind(settings, p.starts_at, p.ends_at)) for p in rows)
    for kind, slack in ((WEEKNIGHT, 2), (WEEKEND, 1)):
        totals = [year[(e.id, kind)] for e in team]
        assert max(totals) - min(totals) <= slack, f"{kind} totals {totals}\n{table}"


def test_generation_is_deterministic_and_keeps_what_is_there(team, db, settings):
    later = datetime(2026, 11, 2, tzinfo=timezone.utc)
    generate_month(2027, 3, settings, NOW)
    first = [(p.day, p.primary_id, p.updated_at) for p in month_periods(2027, 3)]
    again = generate_month(2027, 3, settings, later)
    assert again.filled == 0 and again.kept == len(first)
    # nothing changed, so nothing was written: updated_at stays
    assert [(p.day, p.primary_id, p.updated_at) for p in month_periods(2027, 3)] == first
    replaced = generate_month(2027, 3, settings, later, replace=True)
    assert replaced.empty == 0
    assert [(p.day, p.primary_id, p.updated_at) for p in month_periods(2027, 3)] == first


def test_manual_assignments_kept_and_replace_regenerates(team, db, settings):
    periods.assign_period(date(2027, 3, 10), team[5], team[4], settings, now=NOW)
    generate_month(2027, 3, settings, NOW)
    kept = DutyPeriod.get(DutyPeriod.day == date(2027, 3, 10))
    assert (kept.primary_id, kept.backup_id) == (team[5].id, team[4].id)
    # neighbours keep off the manual period's engineers
    for day in (date(2027, 3, 9), date(2027, 3, 11)):
        assert DutyPeriod.get(DutyPeriod.day == day).primary_id not in (team[5].id, team[4].id)
    generate_month(2027, 3, settings, NOW, replace=True)
    fresh = DutyPeriod.get(DutyPeriod.day == date(2027, 3, 10))
    assert fresh.backup_id is None


def test_same_team_and_leave_give_the_same_rota_in_a_fresh_database(team, db, settings):
    generate_month(2027, 6, settings, NOW)
    first = [(p.day, p.primary.name) for p in month_periods(2027, 6)]
    DutyPeriod.delete().execute()
    generate_month(2027, 6, settings, NOW)
    assert [(p.day, p.primary.name) for p in month_periods(2027, 6)] == first
