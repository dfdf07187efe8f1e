"""What has started is history: on 7 December, generating December, swapping or overriding
leaves 1 to 6 December as they were, unless asked explicitly (and then it is audited)."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from accounts.models import AuditEntry
from console.main import main
from rota import overrides, periods, swaps
from rota.generate import generate_month
from rota.models import DutyPeriod, Override
from rota.started import StartedPeriod
from tests.conftest import ADDED_AT, app_info

LONDON = ZoneInfo("Europe/London")
SEVENTH = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON).astimezone(timezone.utc)


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ben Smith", "Tobi Jones", "Asha Patel")]


def stored():
    return {p.day: (p.primary_id, p.updated_at) for p in DutyPeriod.select()}


def test_generating_the_current_month_fills_only_the_periods_still_to_come(team, db, settings):
    result = generate_month(2026, 12, settings, SEVENTH)
    days = sorted(stored())
    assert days[0] == date(2026, 12, 7) and len(days) == 25  # 7 Dec 18:00 has not started
    assert (result.periods, result.started) == (25, 6)


def test_a_regeneration_keeps_the_started_periods_even_with_replace(team, db, settings):
    for day in range(1, 8):
        periods.assign_period(date(2026, 12, day), team[0], None, settings, now=ADDED_AT)
    before = stored()
    generate_month(2026, 12, settings, SEVENTH, replace=True)
    after = stored()
    assert {day: after[day] for day in before if day.day < 7} == {
        day: before[day] for day in before if day.day < 7}
    assert after[date(2026, 12, 7)][1] == SEVENTH  # still to come: replaced


def test_generating_a_month_that_has_started_altogether_is_refused(team, db, settings):
    with pytest.raises(StartedPeriod, match="every duty period of 2026-11 has started"):
        generate_month(2026, 11, settings, SEVENTH)
    assert stored() == {}


def test_generating_with_include_started_fills_the_whole_month(team, db, settings):
    result = generate_month(2026, 12, settings, SEVENTH, include_started=True)
    assert (result.periods, result.started, len(stored())) == (31, 0, 31)


def test_a_swap_of_a_started_period_is_refused_unless_asked(team, db, settings):
    generate_month(2026, 12, settings, ADDED_AT)
    before = stored()
    with pytest.raises(StartedPeriod, match="the duty period of Sun 06 Dec 2026 has started"):
        swaps.swap_periods(date(2026, 12, 6), date(2026, 12, 10), settings, SEVENTH)
    assert stored() == before
    swaps.swap_periods(date(2026, 12, 7), date(2026, 12, 10), settings, SEVENTH)  # to come
    swaps.swap_periods(date(2026, 12, 6), date(2026, 12, 10), settings, SEVENTH,
                       include_started=True)
    assert stored()[date(2026, 12, 6)][0] == before[date(2026, 12, 7)][0]


def test_an_override_from_a_time_passed_is_refused_unless_asked(team, db, settings):
    with pytest.raises(StartedPeriod, match="starts at Sun 06 Dec 2026 21:00, which has passed"):
        overrides.add_override("Tobi Jones", local(2026, 12, 6, 21), local(2026, 12, 7, 2),
                               settings, SEVENTH)
    assert Override.select().count() == 0
    # from now (typed to the minute) or later is fine, even inside a period under way
    overrides.add_override("Tobi Jones", local(2026, 12, 7, 10), local(2026, 12, 7, 12),
                           settings, SEVENTH + timedelta(seconds=40))
    overrides.add_override("Tobi Jones", local(2026, 12, 6, 21), local(2026, 12, 7, 2),
                           settings, SEVENTH, include_started=True)
    assert Override.select().count() == 2


def test_removing_a_started_override_ends_it_now_and_keeps_its_past(team, db, settings):
    made = overrides.add_override("Tobi Jones", local(2026, 12, 7, 9), local(2026, 12, 7, 12),
                                  settings, ADDED_AT)
    over = overrides.add_override("Asha Patel", local(2026, 12, 6, 9), local(2026, 12, 6, 12),
                                  settings, ADDED_AT)
    assert overrides.remove_override(made.id, settings, SEVENTH) is True
    assert Override.get_by_id(made.id).ends_at == SEVENTH
    assert periods.duty_at(SEVENTH - timedelta(minutes=30))[0].name == "Tobi Jones"
    with pytest.raises(StartedPeriod, match=f"override {over.id} is over"):
        overrides.remove_override(over.id, settings, SEVENTH)
    assert overrides.remove_override(over.id, settings, SEVENTH, include_started=True) is False
    assert [o.id for o in Override.select()] == [made.id]


@pytest.fixture
def cli(app, clock):
    clock.set(SEVENTH)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), obj=app_info(app),
                                       catch_exceptions=False)


def test_the_command_line_says_what_it_left_and_audits_an_explicit_rewrite(cli, team, db):
    result = cli("rota", "generate", "2026-12")
    assert result.exit_code == 0, result.output
    assert ("2026-12: 25 periods, 25 places filled, 0 kept, 0 left empty; 6 that had started "
            "left as they were") in result.output
    refused = cli("rota", "swap", "2026-12-06", "2026-12-10")  # 6 December was not filled
    assert refused.exit_code == 1 and "no duty period on Sun 06 Dec 2026" in refused.output
    result = cli("rota", "generate", "2026-12", "--include-started")
    assert result.exit_code == 0, result.output
    refused = cli("rota", "override", "Ben Smith", "--from", "2026-12-06T21:00", "--to",
                  "2026-12-07T02:00")
    assert refused.exit_code == 1 and refused.output.endswith(
        "it would rewrite who was on duty (--include-started to do it anyway)\n")
    assert cli("rota", "swap", "2026-12-06", "2026-12-10").output.endswith(
        "a swap would rewrite who was on duty (--include-started to do it anyway)\n")
    assert cli("rota", "swap", "2026-12-06", "2026-12-10", "--include-started").exit_code == 0
    assert [(e.action, e.detail.endswith("; periods that had started included"))
            for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        ("generated 2026-12", False), ("generated 2026-12", True), ("swapped", True)]
