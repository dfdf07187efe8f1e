"""Each team's feeds show only its own rota, under its own name; the links made before a
second team keep reading the first team's."""

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from calendars.models import FeedToken
from calendars.tokens import issue_token
from console.main import main
from dutyline.db import database
from rota import overrides, periods
from rota.teams import add_team, join_team
from tests.calendars import parsers
from tests.calendars.conftest import DECEMBER_1
from tests.conftest import app_info

MADE = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def network(app, team, settings, tokens):
    """A second team, Network, with Tobi on duty on 1 December and Asha covering a night;
    Ben is on duty for Support that day."""
    ben, tobi, asha = team
    with database.connection_context():
        made = add_team("Network", MADE)
        join_team(made, tobi)
        join_team(made, asha)
        periods.assign_period(DECEMBER_1, ben, None, settings, now=MADE)
        periods.assign_period(DECEMBER_1, tobi, None, settings, now=MADE, team=made.id)
        overrides.add_override("Asha Patel", datetime(2026, 12, 1, 22, tzinfo=timezone.utc),
                               datetime(2026, 12, 2, 2, tzinfo=timezone.utc), settings, MADE,
                               team=made.id)
        token = issue_token(MADE, label="Network lead", team=made)
    return token


def _names(response):
    """(calendar name, {uid: summary}) as the icalendar package reads the feed."""
    _, found = parsers.with_vobject(response.get_data(as_text=True))
    from icalendar import Calendar

    calendar = Calendar.from_ical(response.get_data())
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == set(found)
    return str(calendar["X-WR-CALNAME"]), {uid: event["summary"] for uid, event in found.items()}


def test_each_team_feed_shows_only_its_own_rota(app, network, fetch, tmp_path):
    client = app.test_client()
    theirs = client.get(f"/calendars/{network}/rota.ics")
    ours = fetch("manager", "rota")
    assert (theirs.status_code, ours.status_code) == (200, 200)
    name, events = _names(theirs)
    assert name == "Network: duty rota"
    assert sorted(events.values()) == ["On duty (cover): Asha Patel", "On duty: Tobi Jones"]
    assert all(uid.endswith("@network.dutyline") for uid in events)
    name, events = _names(ours)
    assert name == "Support: duty rota"
    assert list(events.values()) == ["On duty: Ben Smith"]
    path = tmp_path / "network.ics"
    path.write_bytes(theirs.get_data())
    read = parsers.with_icaljs([path])[str(path)]
    assert read["name"] == "Network: duty rota"
    assert sorted(e["summary"] for e in read["events"]) == ["On duty (cover): Asha Patel",
                                                             "On duty: Tobi Jones"]
    handovers = _names(client.get(f"/calendars/{network}/handovers.ics"))
    assert handovers[0] == "Network: handovers"
    assert list(handovers[1].values()) == ["Handover: nobody → Tobi Jones"]


def test_a_change_to_one_team_leaves_the_other_feed_unchanged(app, network, fetch, team,
                                                              settings):
    etag = fetch("manager", "rota").headers["ETag"]
    with database.connection_context():
        periods.assign_period(DECEMBER_1, team[2], None, settings, now=MADE,
                              team=FeedToken.get(FeedToken.label == "Network lead").team_id)
    assert fetch("manager", "rota", {"If-None-Match": etag}).status_code == 304
    theirs = app.test_client().get(f"/calendars/{network}/rota.ics")
    assert "On duty: Asha Patel" in _names(theirs)[1].values()


def test_a_team_token_from_the_command_line(app, network):
    runner = CliRunner()
    made = runner.invoke(main, ["calendars", "token", "Night desk", "--manager", "--team",
                                "network"], obj=app_info(app))
    assert made.exit_code == 0, made.output
    assert "for Night desk of team Network" in made.output
    url = next(word for word in made.output.split() if word.startswith("https://"))
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert path.endswith("/rota.ics")
    assert _names(app.test_client().get("/" + path))[0] == "Network: duty rota"
    listed = runner.invoke(main, ["calendars", "tokens"], obj=app_info(app))
    night = next(line for line in listed.output.splitlines() if "Night desk" in line)
    assert "Network" in night
    ops = next(line for line in listed.output.splitlines() if "Ops lead" in line)
    assert "Support" in ops


def test_an_unknown_team_makes_no_token(app, network):
    with database.connection_context():
        before = FeedToken.select().count()
    result = CliRunner().invoke(main, ["calendars", "token", "Night desk", "--manager",
                                       "--team", "Accounts"], obj=app_info(app))
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: no team named 'Accounts' (teams: Support, Network)"]
    with database.connection_context():
        assert FeedToken.select().count() == before
