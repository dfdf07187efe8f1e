"""The triggers that keep the kept figures right (dutyline.kept_figures): fixed text naming
only the models' tables and columns; a late change forgets exactly the units its moment
falls in, at the last moment of a local day and the first of the next, across the changes
to and from summer time and month ends; without them, reports count from the call log."""

import ast
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyline import kept_figures
from dutyline.db import database
from dutyline.migrations import upgrade
from reports import GROUPS, Span, report, units
from reports.models import ReportUnit
from telephony.models import Call, Leg
from tests.reports.test_units import line_began
from voicemail.models import Ticket

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc


def test_the_trigger_text_is_fixed_and_names_only_the_models_tables_and_columns():
    tree = ast.parse((ROOT / "dutyline" / "kept_figures.py").read_text())
    formatted = [node.lineno for node in ast.walk(tree)
                 if isinstance(node, ast.JoinedStr)
                 or (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)))
                 or (isinstance(node, ast.Attribute) and node.attr in ("format", "join"))]
    assert formatted == []
    models = (Call, Leg, Ticket, ReportUnit)
    known = {model._meta.table_name for model in models}
    known |= {field.column_name for model in models for field in model._meta.sorted_fields}
    # the view's own names, and its trigger's
    known |= {"report_unit_changed", "at", "report_unit_forget", *kept_figures.SQLITE_TRIGGERS}
    for statements in (kept_figures.SQLITE, kept_figures.POSTGRES):
        named = {name for statement in statements for name in re.findall(r'"(\w+)"', statement)}
        assert named <= known, named - known


def test_reports_never_import_a_migration_nor_keep_anything_on_the_database(settings, db):
    for path in (ROOT / "reports").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [name for name in names if name.startswith("dutyline.migrations")], path
    line_began()
    database.execute_sql("SELECT 1")
    before = dict(vars(database.obj))
    span = Span.days(settings, date(2026, 11, 2), date(2026, 11, 30),
                     now=datetime(2026, 12, 1, 10, tzinfo=UTC))
    report(span, "day")
    assert units.ready() and ReportUnit.select().count() > 0
    assert vars(database.obj).keys() == before.keys()


def _kept():
    return {(unit.level, unit.starts_at.astimezone(LONDON).date())
            for unit in ReportUnit.select()}


def _assert_as_counted(span):
    for group in (None, *GROUPS):
        kept, counted = report(span, group), report(span, group, kept=False)
        assert (kept.rows, kept.total) == (counted.rows, counted.total), group


def _call(at, number):
    call = Call.create(sid=f"CA{number:032d}", from_number="+447400123456", started_at=at,
                       mode="in_hours", status="ringing")
    Leg.create(call=call, step=0, engineer=None, number="+447911123401", role="hunt",
               started_at=at, ringing_at=at + timedelta(seconds=1), outcome="ringing")
    Ticket.create(call=call, caller=call.from_number, created_at=at,
                  deadline=at + timedelta(hours=4))
    return call


# a local day's last moment and the next day's first, in London: before and after the day
# the clocks go forward (23 hours), into and out of the day they go back (25 hours), and
# the month ends in summer time and after it
BOUNDARIES = [
    (date(2026, 3, 28), time(23, 59, 59)),
    (date(2026, 3, 29), time(23, 59, 59)),
    (date(2026, 3, 31), time(23, 59, 59)),
    (date(2026, 10, 24), time(23, 59, 59)),
    (date(2026, 10, 25), time(23, 59, 59, 999999)),
    (date(2026, 10, 31), time(23, 59, 59)),
]


@pytest.mark.parametrize("day, last", BOUNDARIES, ids=[str(day) for day, _ in BOUNDARIES])
def test_a_late_change_forgets_the_day_of_its_moment_and_not_the_next(settings, db, day,
                                                                       last):
    line_began()
    after = day + timedelta(days=1)
    late = datetime.combine(day, last, tzinfo=LONDON).astimezone(UTC)
    early = datetime.combine(after, time(0), tzinfo=LONDON).astimezone(UTC)
    assert early - late <= timedelta(seconds=1)
    calls = {late: _call(late, 1), early: _call(early, 2)}
    # the whole months of both days, kept, with every day in them
    first, last_day = day.replace(day=1), (after.replace(day=28) + timedelta(days=4))
    span = Span.days(settings, first, last_day.replace(day=1) - timedelta(days=1),
                     now=datetime(2026, 12, 1, 10, tzinfo=UTC))
    _assert_as_counted(span)
    months = {("month", day.replace(day=1)), ("month", after.replace(day=1))}
    assert {("day", day), ("day", after)} | months <= _kept()

    changes = [
        lambda call: Call.update(ended_at=call.started_at + timedelta(seconds=40),
                                 ringing_at=call.started_at + timedelta(seconds=1),
                                 status="missed").where(Call.id == call.id).execute(),
        lambda call: Leg.update(outcome="no-answer", ended_at=call.started_at + timedelta(
            seconds=30)).where(Leg.call == call.id).execute(),
        lambda call: Ticket.update(status="acknowledged", acknowledged_at=call.started_at
                                   + timedelta(hours=1)).where(Ticket.call == call.id).execute(),
    ]
    for change in changes:
        for moment, other in ((late, after), (early, day)):
            changed = moment.astimezone(LONDON).date()
            change(calls[moment])
            kept = _kept()
            assert ("day", changed) not in kept and ("day", other) in kept
            assert ("month", changed.replace(day=1)) not in kept
            if other.month != changed.month:
                assert ("month", other.replace(day=1)) in kept
            _assert_as_counted(span)  # counted again, and kept again
            assert {("day", day), ("day", after)} | months <= _kept()


def test_a_change_in_the_last_moment_of_a_kept_hour_forgets_that_hour(settings, db):
    """SQLite's datetime() rounds 13:59:59.9997 less an hour up to 13:00:00: the look-up
    back from a moment reaches the start of its unit however its time is rounded."""
    line_began()
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1),
                     now=datetime(2026, 12, 1, 15, 20, tzinfo=UTC))
    call = _call(datetime(2026, 12, 1, 13, 59, 59, 999700, tzinfo=UTC), 1)
    _assert_as_counted(span)

    def hours():
        return {unit.starts_at.hour for unit in
                ReportUnit.select().where(ReportUnit.level == "hour")}

    assert hours() == set(range(15))
    Call.update(ended_at=call.started_at + timedelta(seconds=40)).where(
        Call.id == call.id).execute()
    assert hours() == set(range(15)) - {13}
    _assert_as_counted(span)


def test_without_every_trigger_reports_count_from_the_call_log_and_keep_nothing(
        settings, db, database_url):
    line_began()
    span = Span.days(settings, date(2026, 11, 2), date(2026, 11, 8),
                     now=datetime(2026, 12, 1, 10, tzinfo=UTC))
    _call(datetime(2026, 11, 4, 9, tzinfo=UTC), 1)
    assert units.ready()
    if database_url.startswith("postgres"):
        database.execute_sql('ALTER TABLE "leg" DISABLE TRIGGER report_unit_leg')
    else:
        database.execute_sql('DROP TRIGGER "report_unit_leg_update"')
    assert not units.ready()  # noticed at once, by the next report
    assert report(span, "day").total["calls"] == 1
    assert ReportUnit.select().count() == 0
    upgrade()  # makes the triggers anew
    assert units.ready()
    assert report(span, "day").total["calls"] == 1
    assert ReportUnit.select().where(ReportUnit.level == "day").count() == 7
