"""report() from kept days and hours (reports.units) equals report() counted from the call
log alone, for any call log, across the changes to and from summer time and month ends; and
a late change to an old call, leg or ticket is in the next report."""

from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from customers.models import Customer
from reports import GROUPS, Span, report
from reports.heat import weekday_hours
from reports.models import ReportUnit
from telephony.models import Call, Leg
from voicemail import tickets
from voicemail.models import Ticket

UTC = timezone.utc
# the last Sundays of March and October 2026 (Europe/London), and a month's end
AROUND = (date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 30))

call_strategy = st.fixed_dictionaries({
    "at": st.integers(min_value=-6 * 3600, max_value=5 * 86400),  # seconds from the span
    "kind": st.sampled_from(["answered", "short", "greeting", "hunting", "voicemail",
                             "fallback", "unfinished", "blocked"]),
    "wait": st.integers(min_value=1000, max_value=40_000),  # milliseconds
    "mode": st.sampled_from(["in_hours", "out_of_hours"]),
    "engineer": st.integers(min_value=0, max_value=1),
    "customer": st.booleans(),
    "ticket": st.sampled_from([None, "open", "acknowledged"]),
})


def log(calls, engineers, customer, start, first_number=0):
    for number, spec in enumerate(calls, start=first_number):
        at = start + timedelta(seconds=spec["at"])
        kind, wait = spec["kind"], timedelta(milliseconds=spec["wait"])
        engineer = engineers[spec["engineer"]]
        answered = at + wait if kind == "answered" else None
        call = Call.create(
            sid=f"CA{number:032d}", from_number="+447400123456", started_at=at,
            mode=spec["mode"], customer=customer if spec["customer"] else None,
            status="answered" if answered else "voicemail" if kind == "voicemail" else
            "blocked" if kind == "blocked" else "missed",
            answered_at=answered, connected_at=answered,
            answered_by=engineer if answered else None,
            ringing_at=None if kind in ("short", "greeting", "blocked")
            else at + timedelta(seconds=1),
            voicemail_at=at + wait if kind == "voicemail" else None,
            fallback_at=at + wait if kind == "fallback" else None,
            ended_at=None if kind == "unfinished" else at + (
                timedelta(seconds=3) if kind == "short" else wait + timedelta(seconds=60)))
        if kind == "blocked":  # one sentence, then hung up on: nobody rung
            continue
        Leg.create(call=call, step=0, engineer=engineer, number="+447911123401", role="hunt",
                   started_at=at, ringing_at=at + timedelta(seconds=1),
                   accepted_at=answered, ended_at=None if kind == "unfinished" else at + wait,
                   outcome="accepted" if answered else "no-answer")
        if spec["ticket"]:
            Ticket.create(call=call, caller=call.from_number, created_at=at + wait,
                          customer=call.customer, deadline=at + wait + timedelta(hours=4),
                          status="new" if spec["ticket"] == "open" else "acknowledged",
                          acknowledged_at=(at + wait + timedelta(minutes=spec["wait"] % 300)
                                           if spec["ticket"] == "acknowledged" else None),
                          acknowledged_by=engineer if spec["ticket"] == "acknowledged" else None)


def clear():
    for model in (Ticket, Leg, Call, ReportUnit):
        model.delete().execute()


def line_began():
    """The line's first call, long before the spans below: the units before a span's own
    calls are kept too (a unit that ends before the first call is counted, never kept)."""
    log([{"at": 0, "kind": "short", "wait": 1000, "mode": "in_hours", "engineer": 0,
          "customer": False, "ticket": None}], [None], None,
        datetime(2026, 1, 5, 9, tzinfo=UTC), first_number=999)


def assert_same(span):
    for group in (None, *GROUPS):
        kept, counted = report(span, group), report(span, group, kept=False)
        assert (kept.rows, kept.total, kept.waits, kept.unknown) == (
            counted.rows, counted.total, counted.waits, counted.unknown), group
    assert weekday_hours(span) == weekday_hours(span, kept=False)  # the heat map


@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.lists(call_strategy, max_size=25), around=st.sampled_from(AROUND),
       days=st.integers(min_value=1, max_value=3), now_hours=st.integers(0, 100),
       mode=st.sampled_from([None, "in_hours"]), threshold=st.sampled_from([12, 20]),
       as_of_end=st.booleans())
def test_kept_figures_equal_the_figures_counted_from_the_calls(
        settings, db, make_engineer, calls, around, days, now_hours, mode, threshold,
        as_of_end):
    clear()
    engineers = _engineers() or [make_engineer(name) for name in ("Ben Smith", "Asha Patel")]
    customer = Customer.get_or_create(name="Acme")[0]
    first = around - timedelta(days=1)
    span = Span.days(settings, first, first + timedelta(days=days - 1), mode=mode)
    span = Span(start=span.start, end=span.end, timezone=span.timezone,
                threshold_seconds=threshold, short_abandon_seconds=5, mode=mode,
                now=None if as_of_end else span.start + timedelta(hours=now_hours))
    log(calls, engineers, customer, span.start)
    assert_same(span)
    assert_same(span)  # the second time from what the first one kept


def _engineers():
    from rota.models import Engineer

    return list(Engineer.select().order_by(Engineer.id))


def test_a_late_change_to_an_old_call_is_in_the_next_report(settings, db, make_engineer):
    ben = make_engineer("Ben Smith")
    start = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)  # the night summer time ends
    calls = [{"at": n * 1800, "kind": "unfinished", "wait": 5000, "mode": "in_hours",
              "engineer": 0, "customer": False, "ticket": "open" if n == 3 else None}
             for n in range(6)]
    log(calls, [ben], None, start)
    line_began()
    span = Span.days(settings, date(2026, 10, 24), date(2026, 10, 26),
                     now=datetime(2026, 10, 27, 9, tzinfo=UTC))
    before = report(span, "engineer")
    assert ReportUnit.select().count() == 3  # the three days are kept
    assert (before.total["unfinished"], before.total["answered"]) == (6, 0)

    # the status callbacks of two old calls come late: one was answered, one abandoned
    answered, abandoned = Call.select().order_by(Call.id)[1:3]
    Call.update(answered_at=answered.started_at + timedelta(seconds=9),
                connected_at=answered.started_at + timedelta(seconds=9), answered_by=ben,
                ended_at=answered.started_at + timedelta(minutes=5), status="answered").where(
        Call.id == answered.id).execute()
    Leg.update(accepted_at=answered.started_at + timedelta(seconds=9), outcome="accepted").where(
        Leg.call == answered.id).execute()
    Call.update(ended_at=abandoned.started_at + timedelta(seconds=30)).where(
        Call.id == abandoned.id).execute()
    tickets.acknowledge(Ticket.get().number, start + timedelta(hours=2), ben)
    after = report(span, "engineer")
    assert (after.total["unfinished"], after.total["answered"], after.total["abandoned"]) == (
        4, 1, 1)
    assert after.total["tickets_acknowledged"] == 1
    assert [row["accepted"] for row in after.rows if row["key"] == ben.id] == [1]
    assert after.rows == report(span, "engineer", kept=False).rows
    assert after.total == report(span, "engineer", kept=False).total


def test_a_new_call_in_a_kept_hour_is_counted(settings, db):
    line_began()
    now = datetime(2026, 12, 1, 15, 20, tzinfo=UTC)
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1), now=now)
    log([{"at": 10 * 3600, "kind": "short", "wait": 1000, "mode": "in_hours", "engineer": 0,
          "customer": False, "ticket": None}], [None], None, span.start)
    assert report(span).total["calls"] == 1
    assert ReportUnit.select().where(ReportUnit.level == "hour").count() == 15
    log([{"at": 10 * 3600 + 60, "kind": "short", "wait": 1000, "mode": "in_hours",
          "engineer": 0, "customer": False, "ticket": None}], [None], None,
        span.start, first_number=1)
    assert report(span).total["calls"] == 2
    # the next morning the day is kept whole, and its hours are no longer
    later = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1),
                      now=datetime(2026, 12, 2, 8, tzinfo=UTC))
    assert report(later).total["calls"] == 2
    assert [unit.level for unit in ReportUnit.select()] == ["day"]


def test_changes_in_the_last_kept_hour_are_counted(settings, db, make_engineer):
    """The triggers skip rows from after every kept unit's end; the last kept hour's own
    rows, up to its last moment, are not skipped."""
    ben = make_engineer("Ben Smith")
    now = datetime(2026, 12, 1, 15, 20, tzinfo=UTC)
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1), now=now)
    spec = {"kind": "unfinished", "wait": 1000, "mode": "in_hours", "engineer": 0,
            "customer": False, "ticket": None}
    log([{**spec, "at": 14 * 3600 + 1800}], [ben], None, span.start)
    assert report(span).total["calls"] == 1
    last = ReportUnit.select().order_by(ReportUnit.ends_at.desc()).first()
    assert last.ends_at == datetime(2026, 12, 1, 15, tzinfo=UTC)

    # a call in the hour's last half second, with its leg, and a ticket made in it
    log([{**spec, "at": 15 * 3600 - 0.5, "wait": 200, "ticket": "open"}], [ben], None,
        span.start, first_number=1)
    assert (report(span).total["calls"], report(span).total["tickets"]) == (2, 1)
    # the first call's leg is answered late (its call stays as it was)
    Leg.update(accepted_at=datetime(2026, 12, 1, 14, 30, 9, tzinfo=UTC),
               outcome="accepted").where(Leg.call == Call.get(Call.sid.endswith("0"))).execute()
    accepted = [row["accepted"] for row in report(span, "engineer").rows if row["key"] == ben.id]
    assert accepted == [1]
    for group in (None, *GROUPS):
        kept, counted = report(span, group), report(span, group, kept=False)
        assert (kept.rows, kept.total) == (counted.rows, counted.total), group


def test_the_clock_keeps_yesterday_and_todays_closed_hours(settings, db):
    from reports.units import keep_recent

    line_began()
    keep_recent(settings, datetime(2026, 10, 26, 2, 30, tzinfo=UTC))  # 02:30 GMT
    kept = [(unit.level, unit.starts_at) for unit in
            ReportUnit.select().order_by(ReportUnit.starts_at)]
    # Sunday 25 October (25 hours, summer time ends), then Monday's first two hours
    assert kept == [("day", datetime(2026, 10, 24, 23, tzinfo=UTC)),
                    ("hour", datetime(2026, 10, 26, 0, tzinfo=UTC)),
                    ("hour", datetime(2026, 10, 26, 1, tzinfo=UTC))]


# whole months around the changes to and from summer time, and the days at either side
MONTHS = ((date(2026, 2, 27), date(2026, 4, 2)), (date(2026, 9, 30), date(2026, 11, 1)))


@hypothesis_settings(max_examples=8, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.lists(call_strategy.map(lambda spec: {**spec, "at": spec["at"] * 7}),
                      max_size=30),
       months=st.sampled_from(MONTHS), mode=st.sampled_from([None, "out_of_hours"]))
def test_kept_months_equal_the_figures_counted_from_the_calls(settings, db, make_engineer,
                                                               calls, months, mode):
    clear()
    engineers = _engineers() or [make_engineer(name) for name in ("Ben Smith", "Asha Patel")]
    customer = Customer.get_or_create(name="Acme")[0]
    span = Span.days(settings, *months, mode=mode,
                     now=datetime(2026, months[1].month, 20, tzinfo=UTC))
    # besides the drawn calls, one a day answered after the same wait: the days' figures
    # and histograms are added up under the same keys
    every_day = [{"at": n * 86400 + 40000, "kind": "answered", "wait": 7500,
                  "mode": "out_of_hours", "engineer": 0, "customer": True, "ticket": "open"}
                 for n in range(0, 34, 3)]
    log(every_day + calls, engineers, customer, span.start)
    assert_same(span)
    whole = [unit.starts_at.astimezone(span.tz).date() for unit in
             ReportUnit.select().where(ReportUnit.level == "month")]
    assert whole == [months[0].replace(day=1, month=months[0].month + 1)]
    assert_same(span)  # the second time from the kept months


def test_a_late_change_to_an_old_call_counts_its_day_and_month_again(settings, db,
                                                                      make_engineer):
    ben = make_engineer("Ben Smith")
    start = datetime(2026, 10, 1, tzinfo=UTC) - timedelta(hours=1)  # 1 October, local
    calls = [{"at": n * 86400 + 36000, "kind": "unfinished", "wait": 5000,
              "mode": "in_hours", "engineer": 0, "customer": False, "ticket": None}
             for n in range(31)]
    log(calls, [ben], None, start)
    year = Span.days(settings, date(2026, 1, 1), date(2026, 12, 31),
                     now=datetime(2026, 12, 25, 18, 30, tzinfo=UTC))
    assert report(year, "day").total["unfinished"] == 31
    october = ReportUnit.get(ReportUnit.level == "month",
                             ReportUnit.starts_at == start)
    assert october.ends_at == datetime(2026, 11, 1, tzinfo=UTC)  # back from summer time

    # a late status callback for the call of 25 October: it was answered
    late = Call.select().order_by(Call.id)[24]
    Call.update(answered_at=late.started_at + timedelta(seconds=9),
                connected_at=late.started_at + timedelta(seconds=9), answered_by=ben,
                ended_at=late.started_at + timedelta(minutes=5), status="answered").where(
        Call.id == late.id).execute()
    day = datetime(2026, 10, 24, 23, tzinfo=UTC)
    kept = {(unit.level, unit.starts_at) for unit in ReportUnit.select()}
    assert ("month", start) not in kept and ("day", day) not in kept
    assert ("day", day - timedelta(days=1)) in kept  # the other days stay kept

    by_day = report(year, "day")
    assert (by_day.total["unfinished"], by_day.total["answered"]) == (30, 1)
    assert [row["answered"] for row in by_day.rows if row["key"] == "2026-10-25"] == [1]
    assert ("month", start) in {(unit.level, unit.starts_at) for unit in ReportUnit.select()}
    for group in (None, *GROUPS):
        kept, counted = report(year, group), report(year, group, kept=False)
        assert (kept.rows, kept.total) == (counted.rows, counted.total), group
