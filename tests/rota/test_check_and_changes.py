"""The coverage check, absences after generation, overrides and swaps, in the database."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from rota import absences, overrides, periods, swaps
from rota.check import ABSENT, BACK_TO_BACK, BAD_OVERRIDE, GAP, NO_BACKUP, check_month
from rota.engineers import RotaError, UnknownEngineer
from rota.generate import generate_month
from rota.models import DutyPeriod, Override
from rota.months import month_periods

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ben Smith", "Tobi Jones", "Asha Patel", "Chris Wong")]


@pytest.fixture
def december(team, db, settings):
    generate_month(2026, 12, settings, NOW)
    return {p.day: p for p in month_periods(2026, 12)}


def kinds(problems):
    return [(p.kind, p.engineer, p.starts_at.astimezone(LONDON), p.ends_at.astimezone(LONDON))
            for p in problems]


def test_a_generated_month_passes(december, settings):
    assert len(december) == 31
    assert check_month(2026, 12, settings) == []


def test_an_empty_period_is_a_gap_out_of_hours_only(december, settings):
    DutyPeriod.update(primary=None).where(DutyPeriod.day == date(2026, 12, 8)).execute()
    # Tuesday 18:00 to Wednesday 08:00: the in-hours part is the hunt's
    problems = check_month(2026, 12, settings)
    assert kinds(problems) == [(GAP, None, local(2026, 12, 8, 18), local(2026, 12, 9, 8))]
    assert problems[0].describe(LONDON) == (
        "nobody on duty out of hours from Tue 08 Dec 2026 18:00 to Wed 09 Dec 2026 08:00 (14 h)")


def test_a_month_never_generated_is_one_gap_per_night_and_weekend(team, db, settings):
    problems = check_month(2027, 1, settings)
    assert {p.kind for p in problems} == {GAP}
    # 1 Jan (holiday) to Mon 4 Jan 08:00 is one span; then one a night
    assert kinds(problems)[0][2:] == (local(2027, 1, 1, 18), local(2027, 1, 4, 8))
    assert len(problems) == 21


def test_absence_after_generation_fails_the_check_until_generate_fills_it(december, settings):
    ben = december[date(2026, 12, 10)].primary
    absences.add_absence(ben.name, date(2026, 12, 10), date(2026, 12, 11), settings, NOW)
    problems = check_month(2026, 12, settings)
    assert problems and {p.kind for p in problems} == {ABSENT}
    assert {p.engineer for p in problems} == {ben.name}
    result = generate_month(2026, 12, settings, NOW)
    assert result.filled == len(problems) and result.empty == 0
    assert check_month(2026, 12, settings) == []
    after = {p.day: p.primary_id for p in month_periods(2026, 12)}
    assert after[date(2026, 12, 10)] != ben.id
    # the rest of the month is kept as it was
    unchanged = [d for d in after if after[d] == december[d].primary_id]
    assert len(unchanged) >= 31 - len(problems) - 1


def test_override_covering_an_absence_clears_it(december, settings):
    period = december[date(2026, 12, 15)]
    ben, other = period.primary, december[date(2026, 12, 17)].primary
    absences.add_absence(ben.name, local(2026, 12, 15, 21), local(2026, 12, 16, 2), settings, NOW)
    assert [p.kind for p in check_month(2026, 12, settings)] == [ABSENT]
    overrides.add_override(other.name, local(2026, 12, 15, 21), local(2026, 12, 16, 2),
                           settings, NOW)
    assert check_month(2026, 12, settings) == []


def test_override_for_an_absent_engineer_is_reported(december, settings):
    tobi = december[date(2026, 12, 3)].primary
    absences.add_absence(tobi.name, date(2026, 12, 20), date(2026, 12, 20), settings, NOW)
    overrides.add_override(tobi.name, local(2026, 12, 20, 9), local(2026, 12, 20, 12),
                           settings, NOW)
    problems = check_month(2026, 12, settings)
    assert [(p.kind, p.engineer) for p in problems if p.role == "override"] == [
        (ABSENT, tobi.name)]


def test_override_ending_before_it_starts_is_reported(december, team, settings):
    # the command refuses one; a row written some other way is still caught
    Override.create(engineer=team[0], starts_at=local(2026, 12, 5, 2),
                    ends_at=local(2026, 12, 4, 21), created_at=NOW)
    assert [(p.kind, p.engineer) for p in check_month(2026, 12, settings)] == [
        (BAD_OVERRIDE, "Ben Smith")]


@pytest.mark.parametrize("starts, ends, message", [
    # from                  to                      refused because
    (local(2026, 12, 5, 2), local(2026, 12, 4, 21), "before it starts"),
    (local(2026, 12, 5, 2), local(2026, 12, 5, 2), "before it starts"),
])
def test_override_refused(december, settings, starts, ends, message):
    with pytest.raises(RotaError, match=message):
        overrides.add_override("Ben Smith", starts, ends, settings, NOW)
    assert Override.select().count() == 0


def test_duty_at_honours_the_latest_override(december, team, settings):
    planned = december[date(2026, 12, 4)]
    at = local(2026, 12, 4, 22)
    assert periods.duty_at(at)[0].id == planned.primary_id
    cover = [e for e in team if e.id != planned.primary_id]
    overrides.add_override(cover[0].name, local(2026, 12, 4, 21), local(2026, 12, 5, 2),
                           settings, NOW)
    overrides.add_override(cover[1].name, local(2026, 12, 4, 21, 30), local(2026, 12, 4, 23),
                           settings, NOW)
    assert periods.duty_at(at)[0].id == cover[1].id
    assert periods.duty_at(local(2026, 12, 5, 1))[0].id == cover[0].id
    assert periods.duty_at(local(2026, 12, 5, 2))[0].id == planned.primary_id


def test_swap_exchanges_whole_periods_and_stamps_them(december, settings):
    first, second = december[date(2026, 12, 7)], december[date(2026, 12, 21)]
    later = datetime(2026, 11, 21, tzinfo=timezone.utc)
    swaps.swap_periods(date(2026, 12, 7), date(2026, 12, 21), settings, later)
    now = {p.day: p for p in month_periods(2026, 12)}
    assert now[date(2026, 12, 7)].primary_id == second.primary_id
    assert now[date(2026, 12, 21)].primary_id == first.primary_id
    assert now[date(2026, 12, 7)].updated_at == now[date(2026, 12, 21)].updated_at == later
    assert now[date(2026, 12, 8)].updated_at == NOW


@pytest.mark.parametrize("one, two, message", [
    (date(2026, 12, 7), date(2026, 12, 7), "same duty period"),
    (date(2026, 12, 7), date(2027, 3, 1), "no duty period"),
])
def test_swap_refused(december, settings, one, two, message):
    with pytest.raises(RotaError, match=message):
        swaps.swap_periods(one, two, settings, NOW)


@pytest.mark.parametrize("settings_data", [{"backup": True}])
def test_backups_filled_and_missing_backup_reported(settings_data, team, db, settings):
    result = generate_month(2026, 12, settings, NOW)
    rows = month_periods(2026, 12)
    assert all(p.backup_id and p.backup_id != p.primary_id for p in rows)
    # four engineers in two roles over Christmas: the back-to-back periods the planner
    # could not avoid (and said so) are what the check reports, nothing else
    left = check_month(2026, 12, settings)
    assert {p.kind for p in left} == {BACK_TO_BACK}
    assert {p.engineer for p in left} == {w.split(" is on back-to-back")[0]
                                          for w in result.warnings if "back-to-back" in w}
    DutyPeriod.update(backup=None).where(DutyPeriod.day == date(2026, 12, 12)).execute()
    assert [p.kind for p in check_month(2026, 12, settings)
            if p.kind != BACK_TO_BACK] == [NO_BACKUP]


@pytest.mark.parametrize("settings_data", [{"period": "week", "week_start": "mon"}])
def test_weekly_periods_generated_and_checked(settings_data, team, db, settings):
    result = generate_month(2026, 11, settings, NOW, include_started=True)
    rows = month_periods(2026, 11)
    assert [p.day.day for p in rows] == [2, 9, 16, 23, 30] and result.empty == 0
    assert len({p.primary_id for p in rows}) == 4
    assert all(a.primary_id != b.primary_id for a, b in zip(rows, rows[1:]))
    with pytest.raises(RotaError, match="weekly periods start on mon"):
        periods.assign_period(date(2026, 11, 3), team[0], None, settings, now=NOW)


def test_absences_listed_and_unknown_engineer_refused(team, db, settings):
    absences.add_absence("tobi jones", date(2026, 12, 1), date(2026, 12, 2), settings, NOW, "leave")
    with pytest.raises(UnknownEngineer):
        absences.add_absence("Nobody", date(2026, 12, 1), date(2026, 12, 2), settings, NOW)
    with pytest.raises(RotaError, match="ends"):
        absences.add_absence("Ben Smith", date(2026, 12, 3), date(2026, 12, 2), settings, NOW)
    listed = absences.list_absences(NOW)
    assert [(a.engineer.name, a.reason) for a in listed] == [("Tobi Jones", "leave")]
    assert listed[0].starts_at == local(2026, 12, 1, 0)
    assert listed[0].ends_at == local(2026, 12, 3, 0)


def test_assign_period_stamps_updated_at(team, db, settings):
    period = periods.assign_period(date(2026, 12, 1), team[0], None, settings, now=NOW)
    assert DutyPeriod.get_by_id(period.id).updated_at == NOW
