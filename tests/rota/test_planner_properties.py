"""Properties of the month planner over many seeded random teams, months and absences."""

import random
from datetime import date, datetime, time, timedelta

import pytest

from dutyline.settings import parse_settings
from rota.months import month_slots
from rota.planner import PRIMARY, PlanInput, plan_month
from rota.spans import WEEKEND, WEEKNIGHT

SEEDS = range(400)


def random_case(seed):
    """A team of 2-9 engineers, a month in 2025-2028, some leave, maybe backups, maybe weeks."""
    rng = random.Random(seed)
    settings = parse_settings({"backup": rng.random() < 0.3,
                               "period": "week" if rng.random() < 0.2 else "day",
                               "week_start": rng.choice(["mon", "fri", "sun"])})
    year, month = rng.randint(2025, 2028), rng.randint(1, 12)
    slots = tuple(month_slots(year, month, settings))
    team = rng.randint(2, 9)
    engineers = tuple((100 + n, f"E{n}") for n in range(team))
    away = {}
    for engineer_id, _ in engineers[: rng.randint(0, team // 3)]:
        first = date(year, month, 1) + timedelta(days=rng.randint(-3, 27))
        start = datetime.combine(first, time(0), tzinfo=settings.tz)
        away[engineer_id] = (start, start + timedelta(days=rng.randint(1, 9)))
    absent = {i: frozenset(e for e, (a, b) in away.items() if a < s.ends_at and b > s.starts_at)
              for i, s in enumerate(slots)}
    return settings, PlanInput(slots=slots, engineers=engineers, absent=absent,
                               with_backup=settings.backup)


def counts(plan, given, position, kind):
    tally = {e: 0 for e, _ in given.engineers}
    for index, row in plan.assignments.items():
        if row[position] is not None and given.slots[index].kind == kind:
            tally[row[position]] += 1
    return tally


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_month_properties(seed):
    settings, given = random_case(seed)
    plan = plan_month(given)
    roles = 2 if given.with_backup else 1
    # full coverage: a place stays empty only when too few engineers are there to take it
    for index, row in plan.assignments.items():
        there = len(given.engineers) - len(given.absent[index])
        for position in range(roles):
            assert (row[position] is not None) == (there > position), (seed, index, row)
    # absences respected; never primary and backup at once
    for index, row in plan.assignments.items():
        assert not set(row) & given.absent[index], (seed, index, row)
        assert row[0] is None or row[0] != row[1], (seed, index, row)
    # fairness among the engineers available the whole month, per role and kind of period
    whole_month = [e for e, _ in given.engineers
                   if not any(e in away for away in given.absent.values())]
    for position in range(roles):
        for kind in (WEEKNIGHT, WEEKEND):
            tally = counts(plan, given, position, kind)
            spread = [tally[e] for e in whole_month]
            if spread:
                assert max(spread) - min(spread) <= 1, (seed, position, kind, tally)
    # no back-to-back unless the planner said it had to
    needed = 4 if given.with_backup else 2
    back_to_back = [i for i in range(1, len(given.slots))
                    if set(plan.assignments[i]) & set(plan.assignments[i - 1]) - {None}]
    if back_to_back:
        assert plan.warnings, (seed, back_to_back)
    if len(given.engineers) >= needed + 2 and len(whole_month) >= len(given.engineers) - 1:
        assert back_to_back == [] and plan.warnings == [], (seed, plan.warnings)
    # deterministic
    assert plan_month(given).assignments == plan.assignments


def test_extra_periods_go_to_whoever_is_behind_on_earlier_months():
    settings = parse_settings({})
    slots = tuple(month_slots(2026, 2, settings))  # 20 weeknights, 8 weekend days
    engineers = tuple((n, f"E{n}") for n in range(1, 7))
    # engineer 4 and 5 did one weekend fewer before; 2 did one weeknight fewer
    history = {(e, PRIMARY, kind): 10 for e, _ in engineers for kind in (WEEKNIGHT, WEEKEND)}
    history[(4, PRIMARY, WEEKEND)] = history[(5, PRIMARY, WEEKEND)] = 9
    history[(2, PRIMARY, WEEKNIGHT)] = 9
    plan = plan_month(PlanInput(slots=slots, engineers=engineers, history=history))
    given = PlanInput(slots=slots, engineers=engineers)
    weekends = counts(plan, given, 0, WEEKEND)
    weeknights = counts(plan, given, 0, WEEKNIGHT)
    assert sorted(weekends.values()) == [1, 1, 1, 1, 2, 2]
    assert weekends[4] == weekends[5] == 2
    assert sorted(weeknights.values()) == [3, 3, 3, 3, 4, 4] and weeknights[2] == 4
    # running totals stay within one of each other
    for kind, tally in ((WEEKEND, weekends), (WEEKNIGHT, weeknights)):
        totals = [history[(e, PRIMARY, kind)] + tally[e] for e, _ in engineers]
        assert max(totals) - min(totals) <= 1


@pytest.mark.parametrize("team, with_backup, warned", [
    # engineers  backup  warns about too few
    (1,          False,  True),
    (2,          False,  False),
    (3,          True,   True),
    (4,          True,   False),
])
def test_too_few_engineers_is_said(team, with_backup, warned):
    slots = tuple(month_slots(2026, 11, parse_settings({})))
    engineers = tuple((n, f"E{n}") for n in range(1, team + 1))
    plan = plan_month(PlanInput(slots=slots, engineers=engineers, with_backup=with_backup))
    said = any("too few engineers" in w for w in plan.warnings)
    assert said == warned, plan.warnings
    assert all(row[0] is not None for row in plan.assignments.values())
    if with_backup:
        assert all(row[1] is not None and row[1] != row[0] for row in plan.assignments.values())


def test_kept_places_stay_and_count_towards_fairness():
    slots = tuple(month_slots(2026, 11, parse_settings({})))
    engineers = tuple((n, f"E{n}") for n in range(1, 5))
    fixed = {0: (3, None), 10: (3, None), 11: (None, None)}
    plan = plan_month(PlanInput(slots=slots, engineers=engineers, fixed=fixed))
    assert plan.assignments[0][0] == 3 and plan.assignments[10][0] == 3
    given = PlanInput(slots=slots, engineers=engineers)
    total = {e: counts(plan, given, 0, WEEKNIGHT)[e] + counts(plan, given, 0, WEEKEND)[e]
             for e, _ in engineers}
    assert max(total.values()) - min(total.values()) <= 1
    assert not [i for i in range(1, len(slots))
                if plan.assignments[i][0] == plan.assignments[i - 1][0]]


def test_backup_role_is_balanced_too():
    slots = tuple(month_slots(2026, 12, parse_settings({})))
    engineers = tuple((n, f"E{n}") for n in range(1, 7))
    given = PlanInput(slots=slots, engineers=engineers, with_backup=True)
    plan = plan_month(given)
    for kind in (WEEKNIGHT, WEEKEND):
        tally = counts(plan, given, 1, kind)
        assert max(tally.values()) - min(tally.values()) <= 1, tally


def test_a_kept_backup_who_is_the_only_one_there_is_not_made_primary_too():
    slots = tuple(month_slots(2026, 11, parse_settings({})))
    engineers = tuple((n, f"E{n}") for n in range(1, 5))
    # on the 3rd only engineer 1 is there, kept as backup
    absent = {2: frozenset({2, 3, 4})}
    plan = plan_month(PlanInput(slots=slots, engineers=engineers, fixed={2: (None, 1)},
                                absent=absent, with_backup=True))
    assert plan.assignments[2] == [None, 1]
    assert any("nobody else available as primary on Tue 03 Nov 2026" in w for w in plan.warnings)
