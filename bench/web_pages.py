"""How long the web interface's pages take with a year of rota and a large call log.

Usage: python bench/web_pages.py [--calls 1000000] [--legs-per-call 3] [--repeat 5]
                           [--backends sqlite,postgresql] [--database URL]

Fills a fresh database as bench/report.py does (--calls calls over 2026 with every outcome,
their legs and tickets), generates the rota for all twelve months of 2026, then signs a
manager in and prints, for every page, the median and the slowest of --repeat requests
through the whole app (session, database, templates) after one warm-up request. The clock
stands at 25 December 2026, 18:30 UTC, just after the last call of the log (1,000,000 calls
one every 31 s from 1 January), so that, as on a real line, no call arrived after "now";
October, the month of the change back from summer time, is asked for by its dates. The
target is under 100 ms a page.

--database URL (sqlite:///FILE or postgresql://…) measures that database instead of a fresh
one: it is filled (and kept) only when it holds no calls yet, so a second run skips the
filling. "first" is the warm-up request, the one a page pays once its figures are not yet
kept.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report as report_bench  # noqa: E402  (bench/report.py fills the call log)

from accounts.links import issue_link  # noqa: E402
from accounts.users import add_user, get_user  # noqa: E402
from dutyline.db import database  # noqa: E402
from dutyline.migrations import upgrade  # noqa: E402
from dutyline.settings import parse_settings  # noqa: E402
from rota.generate import generate_month  # noqa: E402
from tests.postgres import TemporaryPostgres  # noqa: E402
from webhooks import create_app  # noqa: E402

NOW = datetime(2026, 12, 25, 18, 30, tzinfo=timezone.utc)
PAGES = ("/now", "/rota?month=2026-10", "/engineers", "/calls", "/calls?missed=1",
         "/calls?day=2026-10-15", "/calls?engineer=3", "/calls?customer=1", "/calls/{middle}",
         "/tickets", "/tickets?status=new", "/reports", "/reports?from=2026-10-01&to=2026-10-31",
         "/reports?from=2026-01-01&to=2026-12-31",
         "/reports.csv?by=engineer", "/calendars", "/customers", "/users", "/audit")


def _filled(url):
    """Whether the database at `url` already holds a call log (then it is only upgraded)."""
    try:
        report_bench.open_bench_database(url)
        with database.connection_context():
            return database.table_exists("call") and database.execute_sql(
                'SELECT EXISTS (SELECT 1 FROM "call")').fetchone()[0]
    except Exception:  # noqa: BLE001  (a database that cannot be read is filled afresh)
        return False


def prepare(url, calls, legs_per_call):
    settings = parse_settings({})
    if _filled(url):
        report_bench.open_bench_database(url)
        upgrade()
        print("  the call log and rota already there: kept", flush=True)
    else:
        report_bench.fill(url, calls, legs_per_call)
        started = time.perf_counter()
        with database.connection_context():
            for month in range(1, 13):
                generate_month(2026, month, settings, NOW, include_started=True)
        print(f"  rota for 2026 generated in {time.perf_counter() - started:.0f} s", flush=True)
    with database.connection_context():
        user = get_user("manager@example.com") or add_user("manager@example.com", "manager",
                                                            now=NOW)
        secret = issue_link(user, NOW)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CLOCK": lambda: NOW,
                      "PUBLIC_URL": "https://support.example.com", "SETTINGS": settings,
                      "CREATE_TABLES": False, "LOG_LEVEL": "WARNING"})
    client = app.test_client()
    path = f"/signin/link/{secret}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(
        as_text=True)).group(1)
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    return client


def measure(client, repeat, calls):
    for page in (page.format(middle=calls // 2) for page in PAGES):
        started = time.perf_counter()
        client.get(page)  # warm-up
        first = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(page)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (page, response.status_code)
        print(f"  {page:<42} median {statistics.median(times):7.1f} ms   "
              f"slowest {max(times):7.1f} ms   first {first:7.1f} ms", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--legs-per-call", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database", help="measure (and fill once) this database URL")
    args = parser.parse_args()
    print(f"web pages over a year of rota and {args.calls:,} calls "
          f"({args.calls * args.legs_per_call:,} legs)")
    if args.database:
        try:
            measure(prepare(args.database, args.calls, args.legs_per_call), args.repeat,
                    args.calls)
        finally:
            database.close()
        return
    for backend in args.backends.split(","):
        print(backend, flush=True)
        if backend == "postgresql":
            server = TemporaryPostgres().start()
            try:
                measure(prepare(server.new_database(), args.calls, args.legs_per_call),
                        args.repeat, args.calls)
            finally:
                database.close()
                server.stop()
        else:
            with tempfile.TemporaryDirectory() as folder:
                measure(prepare(f"sqlite:///{folder}/web.db", args.calls, args.legs_per_call),
                        args.repeat, args.calls)
                database.close()


if __name__ == "__main__":
    main()
