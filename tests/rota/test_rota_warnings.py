"""The rota's own checks: warnings beside swaps and overrides, back-to-back in `check`,
the month's counts per role and kind, the first hours of a month, daily/weekly switches."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.settings import parse_settings
from rota import absences, overrides, periods, swaps
from rota.change_warnings import override_warnings, swap_warnings
from rota.check import BACK_TO_BACK, check_month
from rota.counts import HOLIDAYS, WEEKENDS, WEEKNIGHTS, month_counts, report_kind
from rota.generate import generate_month
from rota.models import DutyPeriod
from rota.months import month_periods

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    return {n.split()[0]: make_engineer(n)
            for n in ("Ben Smith", "Tobi Jones", "Asha Patel", "Chris Wong")}


def assign(days, names, team, settings):
    for day, name in zip(days, names):
        periods.assign_period(day, team[name], None, settings, now=NOW)


def days_from(first, count):
    return [first + timedelta(days=n) for n in range(count)]


# back-to-back across the DST changes (25 Oct 2026, 28 Mar 2027) and month ends
@pytest.mark.parametrize("first, month", [
    (date(2026, 10, 24), (2026, 10)),   # Sat 24 Oct, Sun 25 Oct (25 h night), Mon 26 Oct
    (date(2027, 3, 27), (2027, 3)),     # Sat 27 Mar, Sun 28 Mar (23 h), Mon 29 Mar
    (date(2026, 11, 29), (2026, 12)),   # Sun 29 Nov, Mon 30 Nov, Tue 1 Dec: the pair spans the month end
])
def test_check_reports_back_to_back(team, db, settings, first, month):
    days = days_from(first, 3)
    assign(days, ["Ben", "Tobi", "Tobi"], team, settings)
    found = [p for p in check_month(*month, settings) if p.kind == BACK_TO_BACK]
    assert [(p.engineer, p.starts_at, p.ends_at) for p in found] == [
        ("Tobi Jones", local(days[1].year, days[1].month, days[1].day, 18),
         local(days[2].year, days[2].month, days[2].day, 18) + timedelta(days=1))]
    assert found[0].describe(LONDON).startswith("Tobi Jones is on back-to-back periods from")


def test_a_pair_across_the_month_end_is_reported_in_the_later_month_only(team, db, settings):
    assign(days_from(date(2026, 11, 30), 2), ["Ben", "Ben"], team, settings)
    assert not [p for p in check_month(2026, 11, settings) if p.kind == BACK_TO_BACK]
    assert [p.engineer for p in check_month(2026, 12, settings)
            if p.kind == BACK_TO_BACK] == ["Ben Smith"]


def test_back_to_back_that_nobody_could_have_avoided_is_not_a_problem(team, db, settings):
    """Two periods in a row need as many free engineers as they have places to share nobody:
    with fewer (a small team with backups, the rest on leave) it is not reported."""
    def pair(first, second):
        for day, (primary, backup) in zip(days_from(date(2026, 12, 7), 2), (first, second)):
            periods.assign_period(day, team[primary], team[backup] if backup else None,
                                  settings, now=NOW)
        return [p.engineer for p in check_month(2026, 12, settings) if p.kind == BACK_TO_BACK]

    assert pair(("Ben", "Tobi"), ("Tobi", "Asha")) == ["Tobi Jones"]  # Chris was free
    absences.add_absence("Chris Wong", date(2026, 12, 1), date(2026, 12, 31), settings, NOW)
    assert pair(("Ben", "Tobi"), ("Tobi", "Asha")) == []  # three free for four places
    assert pair(("Ben", None), ("Ben", None)) == ["Ben Smith"]  # one place each: avoidable
    for name in ("Tobi Jones", "Asha Patel"):
        absences.add_absence(name, date(2026, 12, 8), date(2026, 12, 8), settings, NOW)
    assert pair(("Ben", None), ("Ben", None)) == []  # Ben alone is free on the 8th


# swap: (primaries of 7..10 Dec, swap, absent (name, day), expected warnings)
SWAPS = [
    (["Ben", "Tobi", "Asha", "Ben"], (7, 9), None,
     ["Ben Smith is now on back-to-back periods (Wed 09 Dec, Thu 10 Dec)"]),
    (["Ben", "Tobi", "Ben", "Chris"], (8, 10), [("Tobi", 8), ("Chris", 8)],
     ["Chris Wong now covers Tue 08 Dec for Tobi Jones, who is absent, but is absent then too"]),
    (["Ben", "Tobi", "Ben", "Chris"], (8, 10), [("Chris", 8)],
     ["Chris Wong is now primary on Tue 08 Dec but absent then"]),
    (["Ben", "Tobi", "Ben", "Chris"], (8, 10), None, []),
]


@pytest.mark.parametrize("primaries, swap, away, expected", SWAPS)
def test_swap_warnings(team, db, settings, primaries, swap, away, expected):
    assign(days_from(date(2026, 12, 7), 4), primaries, team, settings)
    for name, day in away or ():
        absences.add_absence(team[name].name, date(2026, 12, day), date(2026, 12, day),
                             settings, NOW)
    one, two = swaps.swap_periods(date(2026, 12, swap[0]), date(2026, 12, swap[1]), settings, NOW)
    assert swap_warnings(one, two, LONDON) == expected


# override: (who, from, to, absent (name, first day, last day), expected warnings)
OVERRIDES = [
    ("Tobi", local(2026, 12, 8, 21), local(2026, 12, 9, 2), None, []),
    ("Ben", local(2026, 12, 8, 21), local(2026, 12, 9, 2), None,
     ["Ben Smith is already on duty then: the override changes nothing"]),
    ("Tobi", local(2026, 12, 8, 21), local(2026, 12, 9, 2), [("Ben", 8, 9), ("Tobi", 8, 8)],
     ["Tobi Jones covers Ben Smith, who is absent, but is absent then too"]),
    ("Tobi", local(2026, 12, 8, 21), local(2026, 12, 9, 2), [("Tobi", 9, 9)],
     ["Tobi Jones is absent during the override"]),
    ("Asha", local(2026, 12, 8, 21), local(2026, 12, 9, 2), None,
     ["Asha Patel is now on back-to-back periods (Tue 08 Dec, Wed 09 Dec)"]),
    # the night the clocks go back: 25 h from Sat 24 Oct 18:00
    ("Ben", local(2026, 10, 24, 18), local(2026, 10, 25, 18), None,
     ["Ben Smith is already on duty then: the override changes nothing"]),
]


@pytest.mark.parametrize("who, starts, ends, away, expected", OVERRIDES)
def test_override_warnings(team, db, settings, who, starts, ends, away, expected):
    assign(days_from(date(2026, 12, 7), 3), ["Chris", "Ben", "Asha"], team, settings)
    assign([date(2026, 10, 24)], ["Ben"], team, settings)
    for name, first, last in away or ():
        absences.add_absence(team[name].name, date(2026, 12, first), date(2026, 12, last),
                             settings, NOW)
    made = overrides.add_override(team[who].name, starts, ends, settings, NOW)
    assert override_warnings(made, LONDON) == expected


# the kind of a period for the counts: (local start day, kind)
@pytest.mark.parametrize("day, kind", [
    (date(2026, 12, 22), WEEKNIGHTS),   # Tue
    (date(2026, 12, 18), WEEKENDS),     # Fri night
    (date(2026, 12, 19), WEEKENDS),     # Sat
    (date(2026, 12, 20), WEEKNIGHTS),   # Sun 18:00 to Mon 18:00 holds Monday's hours
    (date(2026, 12, 24), HOLIDAYS),     # Thu 18:00 into Christmas Day
    (date(2026, 12, 27), HOLIDAYS),     # Sun into the Boxing Day substitute, Mon 28
    (date(2026, 12, 31), HOLIDAYS),     # New Year's Eve into 1 Jan
    (date(2026, 10, 24), WEEKENDS),     # Sat, the 25 h night
])
def test_report_kind(settings, day, kind):
    start, end = periods.period_bounds(day, settings)
    assert report_kind(settings, start, end) == kind


def test_generate_counts_every_role_and_kind(team, db, settings_data):
    with_backup = parse_settings({"backup": True})
    generate_month(2026, 12, with_backup, NOW)
    counts = month_counts(2026, 12, with_backup)
    assert sorted(counts) == ["Asha Patel", "Ben Smith", "Chris Wong", "Tobi Jones"]
    for role in ("primary", "backup"):
        total = {kind: sum(person[role][kind] for person in counts.values())
                 for kind in (WEEKNIGHTS, WEEKENDS, HOLIDAYS)}
        # Dec 2026: the periods starting 24, 25, 26, 27 and 31 run into a holiday; those
        # of Fri 4, 11, 18 and Sat 5, 12, 19 are weekends; the other 20 weeknights
        assert total == {WEEKNIGHTS: 20, WEEKENDS: 6, HOLIDAYS: 5}, (role, total)


# the month's first hours: (settings, months generated before, expected warning or None)
FIRST_HOURS = [
    ({}, [], "the month's first hours (Tue 01 Dec 00:00 to Tue 01 Dec 08:00)"),
    ({}, [(2026, 11)], None),
    ({"period": "week", "week_start": "mon"}, [],
     "the month's first hours (Tue 01 Dec 00:00 to Mon 07 Dec 08:00)"),
    ({"period": "week", "week_start": "mon"}, [(2026, 11)], None),
    # 1 Dec is a Tuesday: its night still belongs to the week from Tue 24 Nov
    ({"period": "week", "week_start": "tue"}, [],
     "the month's first hours (Tue 01 Dec 00:00 to Tue 01 Dec 08:00)"),
    ({"period": "week", "week_start": "tue"}, [(2026, 11)], None),
]


@pytest.mark.parametrize("data, before, expected", FIRST_HOURS)
def test_generate_warns_about_an_uncovered_start(team, db, data, before, expected):
    chosen = parse_settings(data)
    for year, month in before:
        generate_month(year, month, chosen, NOW)
    warnings = [w for w in generate_month(2026, 12, chosen, NOW).warnings
                if w.startswith("the month's first hours")]
    assert warnings == ([] if expected is None else
                        [expected + " belong to a period of the month before that has "
                                    "nobody on duty"])


def overlaps():
    rows = list(DutyPeriod.select().order_by(DutyPeriod.starts_at))
    return [(a.day, b.day) for a, b in zip(rows, rows[1:]) if b.starts_at < a.ends_at]


def test_switching_between_daily_and_weekly_leaves_no_stale_periods(team, db):
    daily, weekly = parse_settings({}), parse_settings({"period": "week", "week_start": "mon"})
    for month in (11, 12):
        generate_month(2026, month, daily, NOW)
    generate_month(2026, 12, weekly, NOW)
    assert [p.day.day for p in month_periods(2026, 12)] == [7, 14, 21, 28]
    assert overlaps() == []
    # 1-6 Dec belong to November's last week, which was a day long: a gap in its check
    assert check_month(2026, 11, weekly)[0].starts_at == local(2026, 12, 1, 18)
    generate_month(2026, 11, weekly, NOW)
    assert [p.day.day for p in month_periods(2026, 11)] == [2, 9, 16, 23, 30]
    assert overlaps() == []
    assert not check_month(2026, 11, weekly) and not check_month(2026, 12, weekly)
    generate_month(2026, 12, daily, NOW)
    assert len(month_periods(2026, 12)) == 31
    assert overlaps() == []
    last_november = month_periods(2026, 11)[-1]
    assert last_november.ends_at == local(2026, 12, 1, 18)
    assert [p.kind for p in check_month(2026, 12, daily)] == []
