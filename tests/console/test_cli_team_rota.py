"""--team on the rota, engineer and absence commands, and the clock with two teams: each
command acts on the team named (the first without --team); an unknown team is one line and
changes nothing."""

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from outbox.models import OutboxMessage
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override, RingTest, TeamMember

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York", "handover": "13:00"}}}


@pytest.fixture
def two(cli, db):
    """Support: Ann and Ben. Network: Cara and Dev, added with --team."""
    assert cli("team", "add", "Network").exit_code == 0
    for name, mobile, team in (("Ann Lee", "07911000001", None), ("Ben Ode", "07911000002", None),
                               ("Cara Nye", "07911000003", "Network"),
                               ("Dev Rao", "07911000004", "Network")):
        args = ["engineer", "add", name, "--mobile", mobile] + (["--team", team] if team else [])
        result = cli(*args)
        assert result.exit_code == 0, result.output


def state():
    return ([(p.team_id, p.day, p.primary_id, p.backup_id) for p in DutyPeriod.select()],
            [(o.team_id, o.engineer_id, o.starts_at) for o in Override.select()],
            [(m.team_id, m.engineer_id) for m in TeamMember.select()])


def test_engineers_join_the_team_named_and_list_by_team(cli, two):
    network = json.loads(cli("engineer", "list", "--team", "network", "--json").output)
    assert [row["name"] for row in network] == ["Cara Nye", "Dev Rao"]
    support = json.loads(cli("engineer", "list", "--team", "Support", "--json").output)
    assert [row["name"] for row in support] == ["Ann Lee", "Ben Ode"]
    everyone = json.loads(cli("engineer", "list", "--json").output)
    assert len(everyone) == 4  # without --team: every engineer, as before


def test_generate_show_and_check_act_on_the_team_named(cli, two):
    assert cli("rota", "generate", "2026-12").exit_code == 0
    result = cli("rota", "generate", "2026-12", "--team", "Network")
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("rota", "show", "2026-12", "--team", "Network", "--json").output)
    assert {p["primary"] for p in shown["periods"]} == {"Cara Nye", "Dev Rao"}
    first = datetime.fromisoformat(shown["periods"][0]["starts_at"]).astimezone(NEW_YORK)
    assert (first.day, first.hour) == (1, 13)  # Network's handover, in its own zone
    support = json.loads(cli("rota", "show", "2026-12", "--json").output)
    assert {p["primary"] for p in support["periods"]} == {"Ann Lee", "Ben Ode"}
    assert cli("rota", "check", "2026-12").output == "2026-12: ok\n"
    checked = cli("rota", "check", "2026-12", "--team", "Network").output.splitlines()
    assert checked[-1].startswith("2026-12: ")  # its own problems, of its own engineers
    assert all("Ann Lee" not in line and "Ben Ode" not in line for line in checked)


def test_assign_who_swap_and_override_per_team(cli, two):
    assert cli("rota", "assign", "2026-12-08", "Cara Nye", "--team", "Network").exit_code == 0
    assert cli("rota", "assign", "2026-12-09", "Dev Rao", "--team", "Network").exit_code == 0
    assert cli("rota", "assign", "2026-12-08", "Ann Lee").exit_code == 0
    at = "2026-12-08T23:30:00+00:00"
    assert "on duty: Cara Nye" in cli("rota", "who", "--at", at, "--team", "Network").output
    assert "on duty: Ann Lee" in cli("rota", "who", "--at", at).output
    assert cli("rota", "swap", "2026-12-08", "2026-12-09", "--team", "Network").exit_code == 0
    assert "on duty: Dev Rao" in cli("rota", "who", "--at", at, "--team", "Network").output
    made = cli("rota", "override", "Ben Ode", "--from", "2026-12-10T20:00", "--to",
               "2026-12-10T22:00", "--team", "Network")
    assert made.exit_code == 0, made.output
    assert Override.get().team.name == "Network"
    assert "Ann Lee" in cli("rota", "who", "--at", at).output


@pytest.mark.parametrize("args", [
    ["rota", "assign", "2026-12-08", "Cara Nye"],
    ["rota", "generate", "2026-12"],
    ["rota", "show", "2026-12"],
    ["rota", "check", "2026-12"],
    ["rota", "who"],
    ["rota", "swap", "2026-12-08", "2026-12-09"],
    ["rota", "override", "Cara Nye", "--from", "2026-12-10T20:00", "--to", "2026-12-10T22:00"],
    ["rota", "ring-test"],
    ["engineer", "add", "Eve Sol", "--mobile", "07911000005"],
    ["engineer", "list"],
    ["absence", "list"],
])
def test_an_unknown_team_is_one_line_naming_the_teams_and_changes_nothing(cli, two, args):
    before = (state(), Engineer.select().count())
    result = cli(*args, "--team", "Accounts")
    assert result.exit_code == 1
    assert result.output == ("Error: no team named 'Accounts' (teams: Support, Network)\n")
    assert (state(), Engineer.select().count()) == before


def test_absence_list_by_team_shows_that_teams_engineers(cli, two):
    for name in ("Ann Lee", "Cara Nye"):
        assert cli("absence", "add", name, "--from", "2026-12-14", "--to",
                   "2026-12-15").exit_code == 0
    network = json.loads(cli("absence", "list", "--team", "Network", "--json").output)
    assert [row["engineer"] for row in network] == ["Cara Nye"]
    assert len(json.loads(cli("absence", "list", "--json").output)) == 2


def test_the_clock_hands_over_and_rings_for_every_team(cli, two, clock):
    assert cli("rota", "assign", "2026-12-07", "Ann Lee").exit_code == 0  # 18:00 London
    assert cli("rota", "assign", "2026-12-07", "Cara Nye", "--team", "Network").exit_code == 0
    clock.set(datetime(2026, 12, 7, 18, 1, tzinfo=timezone.utc))  # 13:01 in New York
    assert cli("clock", "--once").exit_code == 0
    on_duty = {m.recipient: m.body for m in OutboxMessage.select()
               if m.dedupe_key.startswith("rota.on-duty:")}
    assert sorted(on_duty) == ["+447911000001", "+447911000003"]
    assert "from 13:00 Mon 7 Dec" in on_duty["+447911000003"]
    assert sorted((t.team_id, t.engineer.name) for t in RingTest.select()) == [
        (FIRST_TEAM, "Ann Lee"), (2, "Cara Nye")]


def test_ring_test_on_demand_rings_the_teams_next_handover(cli, two, clock):
    clock.set(datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc))
    assert cli("rota", "assign", "2026-12-07", "Ann Lee").exit_code == 0
    assert cli("rota", "assign", "2026-12-07", "Cara Nye", "--team", "Network").exit_code == 0
    result = cli("rota", "ring-test", "--team", "Network")
    assert result.output == "ringing Cara Nye now about the duty from 13:00 Mon 7 Dec\n"
    assert RingTest.get().team.name == "Network"


def test_who_lists_the_cover_of_the_team_named_alone(cli, two):
    """Ann (Support) and Cara (Network) are signed in as cover: each team's who names its own."""
    until = datetime(2026, 12, 9, 8, 0, tzinfo=timezone.utc)
    Engineer.update(cover_until=until).where(Engineer.name.in_(["Ann Lee", "Cara Nye"])).execute()
    at = "2026-12-08T23:30:00+00:00"
    network = cli("rota", "who", "--at", at, "--team", "Network").output
    support = cli("rota", "who", "--at", at).output
    assert "cover: Cara Nye" in network and "Ann Lee" not in network
    assert "cover: Ann Lee" in support and "Cara Nye" not in support


def test_override_remove_texts_in_the_overrides_teams_zone(cli, two):
    """Cara's Network override, 20:00 to 22:00 in New York, removed: she is told in its times."""
    assert cli("rota", "override", "Cara Nye", "--from", "2026-12-10T20:00", "--to",
               "2026-12-10T22:00", "--team", "Network").exit_code == 0
    OutboxMessage.delete().execute()
    assert cli("rota", "override-remove", str(Override.get().id)).exit_code == 0
    told = [m.body for m in OutboxMessage.select() if m.recipient == "+447911000003"]
    assert told == ["Rota change: no longer covering 20:00 Thu 10 Dec to 22:00 Thu 10 Dec."]
