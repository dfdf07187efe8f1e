"""Simultaneous first fetches of a feed publish each event once and all get the same feed."""

import threading
from datetime import date

from calendars.models import PublishedEvent
from dutyline.db import database
from tests.calendars.conftest import days


def test_simultaneous_requests_publish_once(team, assign, app, tokens):
    ben, tobi, asha = team
    for n, day in enumerate(days(date(2026, 12, 1), 60)):
        assign(day, team[n % 3], team[(n + 1) % 3])
    url = f"/calendars/{tokens['manager']}/rota.ics"
    start = threading.Barrier(4)
    results = []

    def fetch():
        client = app.test_client()
        start.wait()
        response = client.get(url)
        results.append((response.status_code, response.get_data(), response.headers.get("ETag")))

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _, _ in results] == [200] * 4
    assert len({(body, etag) for _, body, etag in results}) == 1
    with database.connection_context():
        assert PublishedEvent.select().count() == 120
        assert {row.sequence for row in PublishedEvent.select()} == {0}
