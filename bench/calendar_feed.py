"""Benchmark of the rota feed: a full year for 30 engineers, rendered and answered 304.

Run: python bench/calendar_feed.py   (prints figures; targets: render < 100 ms, 304 < 5 ms)
"""

import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calendars.feeds import build_feed, feed_request  # noqa: E402
from calendars.tokens import issue_token, resolve_token  # noqa: E402
from dutyline.db import database  # noqa: E402
from dutyline.migrations import upgrade  # noqa: E402
from dutyline.settings import parse_settings  # noqa: E402
from rota import engineers, periods  # noqa: E402
from webhooks import create_app  # noqa: E402

ENGINEERS = 30
DAYS = 365
RUNS = 30
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def timed(action, runs=RUNS):
    """Median and worst wall time of `action` in milliseconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def main():
    workdir = tempfile.mkdtemp(prefix="dutyline-bench-")
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir}/bench.db", "PUBLIC_URL": "https://x",
                      "SETTINGS": parse_settings({}), "CLOCK": lambda: NOW,
                      "TWILIO_AUTH_TOKEN": "bench"})
    upgrade()  # a fresh database, as `dutyline db init` makes it
    with app.app_context(), database.connection_context():
        settings = app.extensions["dutyline"].settings
        team = [engineers.add_engineer(f"Engineer {n:02d}", f"+4479111{n:05d}", region="GB",
                                       now=NOW)
                for n in range(ENGINEERS)]
        first = NOW.astimezone(settings.tz).date()
        with database.atomic():
            for n in range(DAYS):
                periods.assign_period(first + timedelta(days=n), team[n % ENGINEERS],
                                      team[(n + 7) % ENGINEERS], settings, now=NOW)
        token = issue_token(NOW, label="bench")
        wanted = feed_request(resolve_token(token), "rota")

        started = time.perf_counter()
        feed = build_feed(wanted, settings, NOW)
        cold = (time.perf_counter() - started) * 1000
        render = timed(lambda: build_feed(wanted, settings, NOW))

        later = NOW + timedelta(hours=1)
        with database.atomic():
            for n in range(31):  # a month re-planned: 62 events change
                periods.assign_period(first + timedelta(days=n), team[(n + 3) % ENGINEERS],
                                      team[(n + 11) % ENGINEERS], settings, now=later)
        started = time.perf_counter()
        build_feed(wanted, settings, later)
        month = (time.perf_counter() - started) * 1000

    client = app.test_client()
    url = f"/calendars/{token}/rota.ics"
    etag = client.get(url).headers["ETag"]
    http_200 = timed(lambda: client.get(url))
    http_304 = timed(lambda: client.get(url, headers={"If-None-Match": etag}))
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    events = feed.body.count(b"BEGIN:VEVENT")
    print(f"rota feed: {ENGINEERS} engineers, {DAYS} days, {events} events, {len(feed.body)} bytes")
    print(f"first publication (every event new):      {cold:8.1f} ms")
    print(f"render, rota unchanged (median / worst):  {render[0]:8.1f} / {render[1]:.1f} ms  (target < 100)")
    print(f"render after a month was re-planned:      {month:8.1f} ms")
    print(f"GET 200 over HTTP (median / worst):       {http_200[0]:8.1f} / {http_200[1]:.1f} ms")
    print(f"GET 304 If-None-Match (median / worst):   {http_304[0]:8.1f} / {http_304[1]:.1f} ms"
          "  (target < 5)")


if __name__ == "__main__":
    main()
