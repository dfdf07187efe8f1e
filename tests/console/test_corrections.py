"""Engineers, customers and absences entered wrongly or gone can be corrected."""

import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from customers.directory import customer_for_number
from inbox.commands import REFUSAL, handle_text
from rota.handover import queue_handover_notices
from rota.models import DutyPeriod
from rota.periods import duty_at

LONDON = ZoneInfo("Europe/London")
BEN, TOBI = "+447911123401", "+447911123402"


@pytest.fixture
def team(make_engineer):
    return [make_engineer("Ben Smith"), make_engineer("Tobi Jones")]


def names(cli, *flags):
    return [(e["name"], e["removed"])
            for e in json.loads(cli("engineer", "list", "--json", *flags).output)]


def test_a_removed_engineer_is_no_longer_hunted_rostered_on_duty_or_texted(
        cli, team, db, simulate, clock, settings):
    cli("rota", "assign", "2026-11-30", "Ben Smith")  # on duty now (Tuesday 10:00 is in it)
    cli("rota", "assign", "2026-12-01", "Ben Smith", "--backup", "Tobi Jones")
    cli("rota", "assign", "2026-12-02", "Tobi Jones", "--backup", "Ben Smith")
    before = simulate(Scenario(at=datetime(2026, 12, 1, 9, 0, tzinfo=LONDON), others="accept"))
    assert before.answered_by == "Ben Smith"
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc))

    result = cli("engineer", "remove", "ben smith")
    assert result.exit_code == 0, result.output
    assert "2 coming duty period(s) now have a gap" in result.output
    assert names(cli) == [("Tobi Jones", False)]
    assert names(cli, "--all") == [("Tobi Jones", False), ("Ben Smith", True)]
    assert "removed" in cli("engineer", "list", "--all").output

    # not hunted: Tobi alone is rung in hours
    call = simulate(Scenario(at=datetime(2026, 12, 1, 11, 0, tzinfo=LONDON), others="ignore"))
    assert not any("Ben Smith" in line for line in call.lines)
    assert any("ringing Tobi Jones" in line for line in call.lines)
    # not on duty for the rest of the current period, and gone from the coming ones
    assert duty_at(datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)) == (None, None)
    periods = {p.day: (p.primary_id, p.backup_id) for p in DutyPeriod.select()}
    tobi = team[1].id
    assert periods[date(2026, 12, 1)] == (None, tobi)
    assert periods[date(2026, 12, 2)] == (tobi, None)
    assert periods[date(2026, 11, 30)] == (team[0].id, None)  # past duty is kept
    checked = cli("rota", "check", "2026-12")
    assert checked.exit_code == 1
    assert "nobody on duty out of hours from Tue 01 Dec 2026 18:00" in checked.output
    # not texted, and texts from the old mobile change nothing
    for hour in (17, 18):  # the reminders the day before, the handover itself
        queued = queue_handover_notices(settings, datetime(2026, 12, 1, hour, 0,
                                                           tzinfo=timezone.utc))
        assert BEN not in {notice.to for notice in queued}
    assert handle_text(BEN, "ON", clock(), settings) == REFUSAL
    assert names(cli, "--all")[-1] == ("Ben Smith", True)
    # the history stays
    calls = json.loads(cli("calls", "list", "--json").output)
    assert "Ben Smith" in [c["answered_by"] for c in calls]
    assert cli("engineer", "remove", "Ben Smith").exit_code == 1  # already gone: unknown


@pytest.mark.parametrize("args, message", [
    (["engineer", "add", "Asha Patel", "--mobile", "07911 123401"],
     "+447911123401 is already Ben Smith's mobile"),
    (["engineer", "add", "Asha Patel", "--mobile", "07911 123403", "--desk", "+447911123402"],
     "+447911123402 is already Tobi Jones's mobile"),
    (["engineer", "set", "Tobi Jones", "--mobile", "+44 7911 123401"],
     "+447911123401 is already Ben Smith's mobile"),
])
def test_a_number_another_engineer_has_is_refused(cli, team, db, args, message):
    before = json.loads(cli("engineer", "list", "--json").output)
    result = cli(*args)
    assert result.exit_code == 1 and message in result.output
    assert json.loads(cli("engineer", "list", "--json").output) == before


def test_the_number_of_a_removed_engineer_can_be_given_to_a_new_one(cli, team, db):
    cli("engineer", "remove", "Ben Smith")
    assert cli("engineer", "add", "Asha Patel", "--mobile", BEN).exit_code == 0


def test_an_absence_can_be_removed_by_its_id(cli, team, db):
    cli("absence", "add", "Ben Smith", "--from", "2026-12-10", "--to", "2026-12-11")
    (listed,) = json.loads(cli("absence", "list", "--json").output)
    table = cli("absence", "list").output.splitlines()
    assert table[0].split() == ["id", "engineer", "away", "reason"]
    assert table[1].split()[:3] == [str(listed["id"]), "Ben", "Smith"]
    result = cli("absence", "remove", str(listed["id"]))
    assert result.exit_code == 0 and "removed (Ben Smith: Thu 10 Dec 2026" in result.output
    assert json.loads(cli("absence", "list", "--all", "--json").output) == []
    missing = cli("absence", "remove", str(listed["id"]))
    assert missing.exit_code == 1 and f"no absence with id {listed['id']}" in missing.output


def test_a_customer_can_be_removed_and_its_history_stays(cli, team, db, simulate):
    cli("customer", "add", "ACME Ltd", "--number", "020 7946 0500")
    cli("customer", "add", "Initech", "--number", "020 7946 0600")
    simulate(Scenario(at=datetime(2026, 12, 2, 3, 0, tzinfo=LONDON), caller="+442079460500"))
    for name in ("acme ltd", "Initech"):
        result = cli("customer", "remove", name)
        assert result.exit_code == 0, result.output
    assert json.loads(cli("customer", "list", "--json").output) == []
    assert customer_for_number("+442079460500") is None
    (ticket,) = json.loads(cli("tickets", "list", "--json").output)
    assert ticket["customer"] == "ACME Ltd"
    assert cli("customer", "add", "Initech", "--number", "020 7946 0600").exit_code == 0
    unknown = cli("customer", "remove", "ACME Ltd")
    assert unknown.exit_code == 1 and "unknown customer: 'ACME Ltd'" in unknown.output
