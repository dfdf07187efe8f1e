"""Each team's reports count its own calls alone, with its own settings; without --team
every team's calls are counted together; one team's installation reports as before."""

import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from console.main import main
from outbox.models import OutboxMessage
from reports import Span, report, weekly
from rota.teams import add_team
from telephony.models import Call
from tests.conftest import app_info

LONDON = ZoneInfo("Europe/London")
TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
MONDAY_7_DEC = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)


@pytest.fixture
def settings_data():
    return {"service_level_seconds": 12, "teams": {"Network": {"service_level_seconds": 30}}}


@pytest.fixture
def two_teams(db, log_call, make_engineer):
    """Support: two calls, one answered in 8 s; Network: one call answered in 20 s."""
    ben = make_engineer("Ben Smith")
    network = add_team("Network", TUESDAY)
    log_call(TUESDAY, answered=8, ringing=1, ended=100, legs=[(ben, "accepted", 1, 5, 8, 100)])
    log_call(TUESDAY, ringing=1, ended=50, legs=[(ben, "no-answer", 1, None, None, 20)])
    theirs = log_call(TUESDAY, answered=20, ringing=1, ended=90,
                      legs=[(ben, "accepted", 1, 5, 20, 90)])
    Call.update(team=network.id).where(Call.id == theirs.id).execute()
    return network


def _report(app, *args):
    return CliRunner().invoke(main, ["report", "calls", "--from", "2026-12-01", "--to",
                                     "2026-12-01", "--json", *args], obj=app_info(app))


def test_a_team_report_counts_only_its_own_calls_with_its_own_target(app, two_teams, clock):
    clock.set(datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc))  # the day is closed: kept
    network = json.loads(_report(app, "--team", "network").output)["total"]
    assert (network["offered"], network["answered"], network["threshold_seconds"]) == (1, 1, 30)
    assert network["service_level"] == 1.0  # 20 s is within Network's 30 s
    support = json.loads(_report(app, "--team", "Support").output)["total"]
    assert (support["offered"], support["answered"], support["threshold_seconds"]) == (2, 1, 12)
    together = json.loads(_report(app).output)["total"]
    assert (together["offered"], together["answered"]) == (3, 2)
    again = json.loads(_report(app, "--team", "Network").output)["total"]
    assert again["offered"] == 1  # the kept figures of every team never stand in for one


def test_an_unknown_team_is_refused_in_one_line(app, two_teams):
    result = _report(app, "--team", "Accounts")
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: no team named 'Accounts' (teams: Support, Network)"]


def test_report_of_a_team_span_matches_its_calls(app, two_teams):
    span = Span.days(app.extensions["dutyline"].settings, date(2026, 12, 1), date(2026, 12, 1),
                     now=datetime(2026, 12, 5, tzinfo=timezone.utc), team=two_teams.id)
    by_engineer = report(span, "engineer")
    assert by_engineer.total["answered"] == 1
    assert [row["label"] for row in by_engineer.rows if row["key"] is not None] == ["Ben Smith"]


def test_the_weekly_mail_is_one_per_team_when_there_are_several(app, two_teams, settings):
    assert weekly.queue_weekly_summary(settings, "boss@example.com", MONDAY_7_DEC)
    assert not weekly.queue_weekly_summary(settings, "boss@example.com", MONDAY_7_DEC)
    mails = {m.dedupe_key: m for m in OutboxMessage.select()}
    # the first team's key is the one the week had with one team: a week mailed before the
    # second team came is not mailed again
    assert sorted(mails) == ["report:week:2026-11-30",
                             f"report:week:2026-11-30:team:{two_teams.id}"]
    support, network = mails["report:week:2026-11-30"], \
        mails[f"report:week:2026-11-30:team:{two_teams.id}"]
    assert support.subject == ("[dutyline] Support, week of 30 Nov 2026: service level 50.0%, "
                               "1 missed call(s)")
    assert network.subject == ("[dutyline] Network, week of 30 Nov 2026: service level 100.0%, "
                               "0 missed call(s)")
    assert "answered within 30 s (1 of 1 offered calls)" in network.body
    assert '--team "Network"' in network.body
    assert '--team "Support"' in support.body


def test_one_team_keeps_one_mail_of_every_call(app, db, log_call, settings):
    log_call(TUESDAY, answered=8, ringing=1, ended=100)
    assert weekly.queue_weekly_summary(settings, "boss@example.com", MONDAY_7_DEC)
    mail = OutboxMessage.get()
    assert mail.dedupe_key == "report:week:2026-11-30"
    assert mail.subject.startswith("[dutyline] Week of 30 Nov 2026: service level 100.0%")
    assert "--team" not in mail.body
