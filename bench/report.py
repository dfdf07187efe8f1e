"""A month's call statistics over a large call log, on SQLite and PostgreSQL.

Usage: python bench/report.py [--calls 1000000] [--legs-per-call 3] [--repeat 3]
                              [--backends sqlite,postgresql] [--kept]

Fills a fresh database (made by the migrations, so with the real indexes) with --calls
calls spread over a year and --legs-per-call legs each, with every outcome (answered after
waits of 3 to 32 s, short and real abandons, voicemail with tickets), then prints how long
report(span, group) takes for one month, for the total and for each grouping: the best of
--repeat runs, after one warm-up run. Needs PostgreSQL's server binaries for the
PostgreSQL figures (apt-get install postgresql).

--kept also keeps the year's figures (the clock at 25 December 18:30 UTC, after the last
call) and prints the year's report from them, what their triggers (dutyline.kept_figures)
add to the writes of a call's life, and what a check for changed days without triggers would
read: each day's latest change of its calls, legs and tickets (ended_at, acknowledged_at).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dutyline import kept_figures  # noqa: E402
from dutyline.db import database, open_database  # noqa: E402
from dutyline.migrations import upgrade  # noqa: E402
from dutyline.settings import parse_settings  # noqa: E402
from reports import GROUPS, Budget, Span, report  # noqa: E402
from reports.sql import instant, is_postgres  # noqa: E402
from rota import engineers  # noqa: E402
from tests.postgres import TemporaryPostgres  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ENGINEERS = 8
YEAR_SECONDS = 365 * 24 * 3600  # the calls are spread evenly over 2026
MONTH = (date(2026, 10, 1), date(2026, 10, 31))  # the month with a DST change
YEAR_NOW = datetime(2026, 12, 25, 18, 30, tzinfo=timezone.utc)  # just after the last call


def _calls_sql(postgres, count):
    apart = max(1, YEAR_SECONDS // count)  # 1,000,000 calls: one every 31 s
    """INSERT … SELECT of `count` calls, numbered i = 1…count, with every outcome by i % 20."""
    if postgres:
        series = "generate_series(1, %s) AS s(i)"
        at = "(TIMESTAMP '2026-01-01 00:00:00' + (i * {apart} + {plus}) * INTERVAL '1 second')"
        cast_text = "CAST(i AS TEXT)"
    else:
        series = ("(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
                  "WHERE i < ?) SELECT i FROM s)")
        at = "datetime('2026-01-01 00:00:00', '+' || (i * {apart} + {plus}) || ' seconds')"
        cast_text = "CAST(i AS TEXT)"

    def moment(plus):
        return at.format(apart=apart, plus=plus)

    wait = "(3 + (i * 7) % 30)"
    kind = "(i % 20)"
    return (
        'INSERT INTO "call" (sid, from_number, to_number, started_at, mode, plan, gated, '
        "status, answered_by_id, answered_at, connected_at, ringing_at, voicemail_at, "
        "ended_at, duration) "
        f"SELECT 'CA' || {cast_text}, '+447400123456', '+442071838750', {moment(0)}, "
        f"CASE WHEN i % 3 = 0 THEN 'out_of_hours' ELSE 'in_hours' END, '[]', "
        f"{'false' if postgres else '0'}, "
        f"CASE WHEN {kind} IN (3, 4) THEN 'voicemail' WHEN {kind} < 5 THEN 'missed' "
        "ELSE 'answered' END, "
        f"CASE WHEN {kind} >= 5 THEN 1 + i % {ENGINEERS} END, "
        f"CASE WHEN {kind} >= 5 THEN {moment(wait)} END, "
        f"CASE WHEN {kind} >= 5 THEN {moment(wait)} END, "
        f"CASE WHEN {kind} >= 2 THEN {moment(2)} END, "
        f"CASE WHEN {kind} IN (3, 4) THEN {moment(45)} END, "
        f"CASE WHEN {kind} = 0 THEN {moment(3)} WHEN {kind} = 1 THEN {moment(8)} "
        f"WHEN {kind} = 2 THEN {moment(40)} ELSE {moment(300)} END, "
        f"CASE WHEN {kind} = 0 THEN 3 ELSE 300 END "
        f"FROM {series}")


def _legs_sql(postgres, legs_per_call):
    steps = " UNION ALL ".join(f"SELECT {n} AS step" for n in range(legs_per_call))
    last = legs_per_call - 1
    plus_ring = ("(c.started_at + (2 + s.step * 12) * INTERVAL '1 second')" if postgres
                 else "datetime(c.started_at, '+' || (2 + s.step * 12) || ' seconds')")
    # the leg that accepts rang 3 s before the press
    ring_before_answer = ("(c.answered_at - 3 * INTERVAL '1 second')" if postgres
                          else "datetime(c.answered_at, '-3 seconds')")
    return (
        'INSERT INTO "leg" (call_id, step, engineer_id, number, role, started_at, ringing_at, '
        "accepted_at, ended_at, outcome) "
        f"SELECT c.id, s.step, 1 + (c.id + s.step) % {ENGINEERS}, '+447911123401', 'hunt', "
        f"c.started_at, CASE WHEN s.step = {last} AND c.answered_at IS NOT NULL "
        f"THEN {ring_before_answer} ELSE {plus_ring} END, "
        f"CASE WHEN s.step = {last} THEN c.answered_at END, c.ended_at, "
        f"CASE WHEN s.step = {last} AND c.answered_at IS NOT NULL THEN 'accepted' "
        "WHEN (c.id + s.step) % 5 = 0 THEN 'busy' WHEN (c.id + s.step) % 7 = 0 "
        "THEN 'not-accepted' ELSE 'no-answer' END "
        f'FROM "call" AS c CROSS JOIN ({steps}) AS s')


def _tickets_sql(postgres):
    plus_hours = ("(c.voicemail_at + 4 * INTERVAL '1 hour')" if postgres
                  else "datetime(c.voicemail_at, '+4 hours')")
    acked = ("(c.voicemail_at + (c.id % 360) * INTERVAL '1 minute')" if postgres
             else "datetime(c.voicemail_at, '+' || (c.id % 360) || ' minutes')")
    return (
        'INSERT INTO "ticket" (call_id, caller, status, priority, created_at, deadline, '
        "acknowledged_at) "
        f"SELECT c.id, c.from_number, 'acknowledged', 'C', c.voicemail_at, {plus_hours}, {acked} "
        "FROM \"call\" AS c WHERE c.voicemail_at IS NOT NULL")


def open_bench_database(url):
    # filling millions of rows is not a webhook: lift the web app's statement timeout for it
    postgres = url.startswith("postgres")
    open_database(url + ("?options=-c%20statement_timeout%3D0" if postgres else ""))


def fill(url, calls, legs_per_call):
    postgres = url.startswith("postgres")
    open_bench_database(url)
    upgrade()
    with database.connection_context():
        for n in range(ENGINEERS):
            engineers.add_engineer(f"Engineer {n}", f"+4479111234{n:02d}", region="GB", now=START)
        started = time.perf_counter()
        with database.atomic():
            for sql, params in ((_calls_sql(postgres, calls), (calls,)),
                                (_legs_sql(postgres, legs_per_call), ()),
                                (_tickets_sql(postgres), ())):
                if postgres:  # the driver reads % as a placeholder
                    sql = sql.replace("%", "%%").replace("%%s", "%s")
                database.execute_sql(sql, params)
        database.execute_sql("ANALYZE")
        counts = [database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                  for table in ("call", "leg", "ticket")]
    print(f"  filled {counts[0]:,} calls, {counts[1]:,} legs, {counts[2]:,} tickets "
          f"in {time.perf_counter() - started:.0f} s", flush=True)


FLOOR = ('SELECT COUNT(*), SUM(LENGTH(c.mode)), SUM(LENGTH(l.outcome)) FROM "call" AS c '
         'JOIN "leg" AS l ON l.call_id = c.id WHERE c.started_at >= {start} AND '
         'c.started_at < {end}')


def floor(span):
    """The month's calls and legs read through the same indexes, nothing worked out: how
    fast this machine is right now, to read the figures against."""
    sql = FLOOR.format(start=instant(span.start).sql, end=instant(span.end).sql)
    started = time.perf_counter()
    database.execute_sql(sql).fetchall()
    return time.perf_counter() - started


def measure(repeat):
    span = Span.days(parse_settings({}), *MONTH)
    with database.connection_context():
        floor(span)
        best = min(floor(span) for _ in range(repeat))
        print(f"  floor     {best * 1000:7.1f} ms   (reading the month's calls and legs alone)",
              flush=True)
        for group in (None, *GROUPS):
            report(span, group)  # warm-up: the month's pages in the cache
            best = _best(repeat, lambda group=group: report(span, group))
            total = report(span, group).total
            print(f"  {group or 'total':<9} {best * 1000:7.1f} ms   ({total['calls']:,} calls, "
                  f"service level {total['service_level'] or 0:.3f})", flush=True)


def _best(repeat, work):
    """The quickest of `repeat` runs of work(), in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


# the latest moment of each day's rows over the year: a check without triggers reads that
LATEST = {"calls": 'SELECT {day}, max(c.ended_at) FROM "call" AS c WHERE {year} GROUP BY 1',
          "legs": 'SELECT {day}, max(l.ended_at) FROM "leg" AS l JOIN "call" AS c '
                  'ON c.id = l.call_id WHERE {year} GROUP BY 1',
          "tickets": 'SELECT {day}, max(t.acknowledged_at) FROM "ticket" AS t JOIN "call" AS c '
                     'ON c.id = t.call_id WHERE {year} GROUP BY 1'}


def measure_kept(repeat):
    year = Span.days(parse_settings({}), date(2026, 1, 1), date(2026, 12, 31), now=YEAR_NOW)
    with database.connection_context():
        started = time.perf_counter()
        for group in (None, "day", "engineer"):
            report(year, group, budget=Budget(24 * 3600))
        print(f"  the year's figures kept in {time.perf_counter() - started:.0f} s", flush=True)
        for group in (None, "day", "engineer"):
            best = _best(repeat, lambda group=group: report(year, group)) * 1000
            print(f"  year, {group or 'total':<9} {best:7.1f} ms   (from kept figures)", flush=True)
        day = "date_trunc('day', c.started_at)" if is_postgres() else "date(c.started_at)"
        start, end = instant(year.start).sql, instant(YEAR_NOW).sql
        for name, sql in LATEST.items():
            sql = sql.format(day=day, year=f"c.started_at >= {start} AND c.started_at < {end}")
            best = _best(repeat, lambda sql=sql: database.execute_sql(sql).fetchall())
            print(f"  latest change of each day's {name:<7} {best * 1000:7.0f} ms", flush=True)
        rounds = {True: [], False: []}
        for triggers in [True, False] * repeat:  # in turn, as the machine's load moves
            rounds[triggers].append(_writes(triggers))
        for name in rounds[True][0]:
            on, off = (min(found[name] for found in rounds[kept]) for kept in (True, False))
            print(f"  {name:<40} {on * 1e6:5.0f} us with the triggers, {off * 1e6:5.0f} us "
                  "without", flush=True)


CALLS = 1000  # calls a round, each arriving and ended by four status callbacks
ARRIVE = ('INSERT INTO "call" (sid, from_number, to_number, started_at, mode, status, gated, '
          "plan) VALUES (?, '+447400123456', '+442071838750', ?, 'in_hours', 'ringing', ?, "
          "'[]') RETURNING id")
FIRST_LEG = ('INSERT INTO "leg" (call_id, step, number, role, started_at, outcome) '
             "VALUES (?, 0, '+447911123401', 'hunt', ?, 'ringing')")
CALLBACKS = ('UPDATE "leg" SET ringing_at = ? WHERE call_id = ? AND step = 0',
             'UPDATE "call" SET ringing_at = ? WHERE id = ?',
             "UPDATE \"leg\" SET ended_at = ?, outcome = 'busy' WHERE call_id = ? AND step = 0",
             "UPDATE \"call\" SET ended_at = ?, status = 'missed' WHERE id = ?")
OLDER = 'SELECT id FROM "call" WHERE started_at >= ? AND started_at < ? ORDER BY started_at'
LATE = 'UPDATE "call" SET duration = 301 WHERE id = ?'


def _writes(triggers):
    """Seconds per call of its writes (per change for the late ones, a call a day of
    November), with the triggers or without, in a transaction rolled back."""
    def run(sql, *params):
        return database.execute_sql(sql.replace("?", database.obj.param), params)

    found = {}
    with database.atomic() as transaction:
        if not triggers:
            for statement in kept_figures.POSTGRES if is_postgres() else kept_figures.SQLITE:
                if statement.startswith("DROP TRIGGER"):
                    database.execute_sql(statement)
        moments = [(YEAR_NOW + timedelta(days=1, seconds=n)).replace(tzinfo=None)
                   for n in range(CALLS)]
        started = time.perf_counter()
        ids = [run(ARRIVE, f"CAb{n}", at, False).fetchone()[0] for n, at in enumerate(moments)]
        for call, at in zip(ids, moments):
            run(FIRST_LEG, call, at)
        found["arrival (call and first leg inserted)"] = (time.perf_counter() - started) / CALLS
        started = time.perf_counter()
        for call, at in zip(ids, moments):
            for sql in CALLBACKS:
                run(sql, at, call)
        found["four status callbacks (two of each)"] = (time.perf_counter() - started) / CALLS
        older = run(OLDER, datetime(2026, 11, 1), datetime(2026, 12, 1)).fetchall()
        older = older[::max(1, len(older) // 30)]
        started = time.perf_counter()
        for (call,) in older:
            run(LATE, call)
        found["late change to an older call"] = (time.perf_counter() - started) / len(older)
        transaction.rollback()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--legs-per-call", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--kept", action="store_true",
                        help="also the year from kept figures and their triggers' cost")
    args = parser.parse_args()
    print(f"a month's report ({MONTH[0]} to {MONTH[1]}, Europe/London) over "
          f"{args.calls:,} calls and {args.calls * args.legs_per_call:,} legs")
    for backend in args.backends.split(","):
        print(backend, flush=True)
        if backend == "postgresql":
            server = TemporaryPostgres().start()
            try:
                fill(server.new_database(), args.calls, args.legs_per_call)
                measure(args.repeat)
                if args.kept:
                    measure_kept(args.repeat)
            finally:
                database.close()
                server.stop()
        else:
            with tempfile.TemporaryDirectory() as folder:
                fill(f"sqlite:///{os.path.join(folder, 'report.db')}", args.calls,
                     args.legs_per_call)
                measure(args.repeat)
                if args.kept:
                    measure_kept(args.repeat)
                database.close()


if __name__ == "__main__":
    main()
