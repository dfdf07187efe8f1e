"""A fixed rota history and generated_at give exactly the stored bytes.

To accept a deliberate change of the output, run once with DUTYLINE_UPDATE_GOLDEN=1 (the
test then rewrites the files and fails), review the diff, and run again without it.
"""

import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from calendars.feeds import build_feed, feed_request
from calendars.models import FeedToken
from dutyline.db import database
from tests.calendars.conftest import DECEMBER_1, days

GOLDEN = Path(__file__).resolve().parent / "golden"
PUBLISHED = datetime(2026, 11, 21, 7, 30, tzinfo=timezone.utc)
CHANGED = datetime(2026, 11, 24, 16, 45, tzinfo=timezone.utc)
GENERATED = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def render_all(settings, generated_at, owners):
    with database.connection_context():
        return {name: build_feed(feed_request(owners[name], name), settings, generated_at)
                for name in ("rota", "mine", "handovers")}


@pytest.fixture
def history(team, assign, remove_period, cover, tokens, settings):
    """Three nights published; then Ben's first night given to Asha, the third night removed, and
    Ben covering 21:00 to 02:00 of Tobi's night."""
    ben, tobi, asha = team
    for day, (primary, backup) in zip(days(DECEMBER_1, 3), [(ben, tobi), (tobi, asha), (ben, asha)]):
        assign(day, primary, backup, at=PUBLISHED)
    with database.connection_context():
        owners = {"rota": FeedToken.get(FeedToken.kind == "manager"),
                  "handovers": FeedToken.get(FeedToken.kind == "manager"),
                  "mine": FeedToken.get(FeedToken.label == "Ben Smith")}
    render_all(settings, PUBLISHED, owners)
    assign(DECEMBER_1, asha, tobi, at=CHANGED)
    remove_period(date(2026, 12, 3))
    cover("Ben Smith", datetime(2026, 12, 2, 21, 0, tzinfo=timezone.utc),
          datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc), at=CHANGED)
    return owners


def test_feeds_match_the_golden_files(history, settings):
    feeds = render_all(settings, GENERATED, history)
    if os.environ.get("DUTYLINE_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        for name, feed in feeds.items():
            (GOLDEN / f"{name}.ics").write_bytes(feed.body)
        pytest.fail("golden files rewritten; review them and run again without DUTYLINE_UPDATE_GOLDEN")
    for name, feed in feeds.items():
        assert feed.body == (GOLDEN / f"{name}.ics").read_bytes(), name


def test_rendering_again_gives_the_same_bytes_and_etag(history, settings):
    first = render_all(settings, GENERATED, history)
    again = render_all(settings, datetime(2026, 11, 25, 23, 0, tzinfo=timezone.utc), history)
    for name in first:
        assert again[name].body == first[name].body, name
        assert again[name].etag == first[name].etag, name
