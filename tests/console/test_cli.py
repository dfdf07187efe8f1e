"""The dutyline command: forms users rely on, one-line errors that change nothing."""

import json

import pytest
from click.testing import CliRunner

from console.main import main


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dutyline.toml").write_text('hunt = "sequential"\n')  # these calls use <Dial>
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "cli-token")
    monkeypatch.setenv("PUBLIC_URL", "https://support.example.com")
    for key in ("DUTYLINE_SETTINGS", "FALLBACK_NUMBER"):
        monkeypatch.delenv(key, raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert run("db", "init").exit_code == 0
    return run


def engineers(cli):
    return json.loads(cli("engineer", "list", "--json").output)


def test_add_and_list_engineers(cli):
    assert cli("db", "init").exit_code == 0
    result = cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401",
                 "--desk", "020 7946 0101", "--email", "ben@example.com")
    assert result.exit_code == 0, result.output
    cli("engineer", "add", "Tobi Jones", "--mobile", "+44 7911 123402")
    listed = engineers(cli)
    assert [(e["name"], e["mobile"], e["desk"], e["rotation"]) for e in listed] == [
        ("Ben Smith", "+447911123401", "+442079460101", 1),
        ("Tobi Jones", "+447911123402", None, 2)]
    table = cli("engineer", "list").output.splitlines()
    assert table[0].split() == ["#", "name", "presence", "where", "mobile", "desk", "notes"]
    assert table[1].split() == ["1", "Ben", "Smith", "signed", "out", "office", "+447911123401",
                                "+442079460101", "-"]


def test_numbers_are_read_in_the_teams_phone_region(cli, tmp_path, monkeypatch):
    settings = tmp_path / "ireland.toml"
    settings.write_text('phone_region = "IE"\n')
    monkeypatch.setenv("DUTYLINE_SETTINGS", str(settings))
    added = cli("engineer", "add", "Aoife Byrne", "--mobile", "087 123 4567",
                "--desk", "01 234 5678")
    assert added.exit_code == 0, added.output
    assert cli("customer", "add", "Dublin Bikes", "--number", "01 234 5679").exit_code == 0
    assert [(e["mobile"], e["desk"]) for e in engineers(cli)] == [("+353871234567",
                                                                   "+35312345678")]
    assert json.loads(cli("customer", "list", "--json").output)[0]["numbers"] == [
        "+35312345679"]
    # a British mobile written the British way is no Irish number
    refused = cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    assert refused.exit_code != 0 and "not a valid phone number" in refused.output
    assert len(engineers(cli)) == 1


@pytest.mark.parametrize("args, message", [
    # header: command -> the one line it prints
    (["engineer", "add", "Asha Patel", "--mobile", "12345"], "not a valid phone number"),
    (["engineer", "add", "Asha Patel", "--mobile", "07911 123403", "--desk", "call me"],
     "not a phone number"),
    (["engineer", "add", "ben smith", "--mobile", "07911 123409"], "already exists"),
    (["engineer", "sign-in", "Nobody"], "unknown engineer: 'Nobody'"),
    (["engineer", "where", "Nobody", "office"], "unknown engineer"),
    (["rota", "assign", "2026-12-01", "Nobody"], "unknown engineer"),
    (["rota", "assign", "2026-12-01", "Ben Smith", "--backup", "Nobody"], "unknown engineer"),
    (["rota", "assign", "2026-12-01", "Ben Smith", "--backup", "Ben Smith"], "backup must be"),
    (["rota", "assign", "1 Dec", "Ben Smith"], "not a date"),
    (["rota", "assign", "2027-02-30", "Ben Smith"],
     "there is no such day: '2027-02-30' (February 2027 has 28 days)"),
    (["rota", "who", "--at", "2026-04-31T10:00"], "there is no such day: '2026-04-31T10:00'"),
    (["rota", "override", "Ben Smith", "--from", "2026-07-01T21:00", "--to", "2026-07-01T20:00"],
     "the override ends (2026-07-01T20:00) before it starts (2026-07-01T21:00)"),
    (["absence", "add", "Ben Smith", "--from", "2026-12-10", "--to", "2026-12-09"],
     "the absence ends (2026-12-09) before it starts (2026-12-10)"),
])
def test_bad_input_exits_non_zero_with_one_line_and_changes_nothing(cli, args, message):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    before = engineers(cli), cli("rota", "who", "--at", "2026-12-01T20:00", "--json").output
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    after = engineers(cli), cli("rota", "who", "--at", "2026-12-01T20:00", "--json").output
    assert after == before


def test_presence_and_location(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401", "--desk", "020 7946 0101")
    assert engineers(cli)[0]["signed_in"] is False
    cli("engineer", "sign-in", "ben smith")
    cli("engineer", "where", "Ben Smith", "remote")
    assert engineers(cli)[0]["signed_in"] is True
    assert engineers(cli)[0]["location"] == "remote"
    cli("engineer", "sign-out", "Ben Smith")
    assert engineers(cli)[0]["signed_in"] is False


def test_rota_assign_and_who_across_the_october_change(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("engineer", "add", "Tobi Jones", "--mobile", "07911 123402")
    # Saturday 24 October 18:00 BST to Sunday 25 October 18:00 GMT: 25 hours
    assert cli("rota", "assign", "2026-10-24", "Ben Smith", "--backup", "Tobi Jones").exit_code == 0
    cli("rota", "assign", "2026-10-25", "Tobi Jones")
    at_night = json.loads(cli("rota", "who", "--at", "2026-10-25T03:00", "--json").output)
    assert at_night["mode"] == "out_of_hours"
    assert at_night["now"]["primary"]["name"] == "Ben Smith"
    assert at_night["now"]["backup"]["name"] == "Tobi Jones"
    assert at_night["now"]["starts_at"] == "2026-10-24T17:00:00+00:00"
    assert at_night["now"]["ends_at"] == "2026-10-25T18:00:00+00:00"
    assert at_night["next"]["primary"]["name"] == "Tobi Jones"
    handover = json.loads(cli("rota", "who", "--at", "2026-10-25T18:00", "--json").output)
    assert handover["now"]["primary"]["name"] == "Tobi Jones"
    text = cli("rota", "who", "--at", "2026-10-25T03:00").output
    assert "on duty: Ben Smith, backup Tobi Jones (18:00 Sat 24 Oct to 18:00 Sun 25 Oct" in text


def test_simulate_prints_every_step_and_logs_the_call(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("engineer", "add", "Tobi Jones", "--mobile", "07911 123402")
    cli("engineer", "sign-in", "Ben Smith")
    cli("engineer", "sign-in", "Tobi Jones")
    result = cli("simulate", "--at", "2026-12-01T10:00", "--answer", "Tobi Jones=accept")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("ringing Ben Smith" in line and "(ignore)" in line for line in lines)
    assert any("engineer presses 1" in line for line in lines)
    assert any("caller connected to Tobi Jones" in line for line in lines)
    logged = json.loads(cli("calls", "list", "--json").output)
    assert [(c["status"], c["answered_by"], c["mode"]) for c in logged] == [
        ("answered", "Tobi Jones", "in_hours")]


def test_simulate_puts_the_callers_seconds_on_every_line(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("engineer", "sign-in", "Ben Smith")
    result = cli("simulate", "--at", "2026-12-01T10:00", "--answer", "Ben Smith=accept@3s")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(" s  " in line for line in lines)  # "+  4.7 s  Ben Smith picks up"
    # 0.25 s webhook + greeting (0.2 s a <Say>) + 1.5 s to ring + 3 s + the whole prompt, 0.8 s,
    # webhooks
    assert lines[-2].endswith("caller reached Ben Smith after 10.3 s")
    slow = cli("simulate", "--at", "2026-12-01T10:30", "--answer", "Ben Smith=accept@8s")
    assert slow.output.splitlines()[-2].endswith("caller reached Ben Smith after 15.3 s")


def test_simulate_voicemail_makes_a_ticket(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("rota", "assign", "2026-12-01", "Ben Smith")
    result = cli("simulate", "--at", "2026-12-02T03:00", "--others", "ignore")
    assert "ticket number 1 0 0 1" in result.output
    listed = json.loads(cli("tickets", "list", "--json").output)
    assert [(t["number"], t["engineer"], t["recording_seconds"]) for t in listed] == [
        (1001, "Ben Smith", 30)]
    table = cli("tickets", "list").output.splitlines()
    assert table[0].split() == ["ticket", "pri", "left", "at", "caller", "customer", "status",
                                "react", "by", "message", "engineer"]
    # left at 03:00 on Wednesday, four working hours later is 12:00 (hours 08:00-18:00)
    assert table[1].split() == ["#1001", "C", "Wed", "02", "Dec", "03:00", "+447400123456", "-",
                                "new", "Wed", "02", "Dec", "12:00", "30", "s", "Ben", "Smith"]


def test_simulate_refuses_unknown_engineer_and_action(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    assert cli("simulate", "--at", "2026-12-01T10:00", "--answer", "Nobody=accept").exit_code != 0
    assert cli("simulate", "--at", "2026-12-01T10:00", "--answer", "Ben Smith=dance").exit_code != 0
    assert cli("simulate", "--at", "2026-12-01T10:00",
               "--answer", "Ben Smith=accept@soon").exit_code != 0
    assert json.loads(cli("calls", "list", "--json").output) == []


def test_demo_builds_a_team_and_plays_calls(cli, tmp_path):
    result = cli("demo", "--no-serve", "--database", str(tmp_path / "demo.db"))
    assert result.exit_code == 0, result.output
    assert "caller connected to" in result.output
    assert "ticket number" in result.output


def test_tickets_ack_close_and_filters(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("rota", "assign", "2026-12-01", "Ben Smith")
    cli("simulate", "--at", "2026-12-02T03:00", "--others", "ignore")
    cli("simulate", "--at", "2026-12-02T04:00", "--others", "ignore")
    assert "acknowledged" in cli("tickets", "ack", "1001", "--by", "Ben Smith").output
    assert cli("tickets", "close", "#1002").exit_code == 0
    new = json.loads(cli("tickets", "list", "--status", "acknowledged", "--json").output)
    assert [(t["number"], t["acknowledged_by"]) for t in new] == [(1001, "Ben Smith")]
    closed = json.loads(cli("tickets", "list", "--status", "closed", "--json").output)
    assert [t["number"] for t in closed] == [1002]
    shown = cli("tickets", "show", "1001").output
    assert "acknowledged by" in shown and "Ben Smith" in shown and "deadline" in shown
    # a closed ticket cannot be acknowledged; an unknown one is named
    result = cli("tickets", "ack", "1002")
    assert result.exit_code == 1 and "closed" in result.output
    result = cli("tickets", "show", "4711")
    assert result.exit_code == 1 and "no ticket #4711" in result.output


def test_missed_calls_are_listed(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("engineer", "sign-in", "Ben Smith")
    cli("simulate", "--at", "2026-12-01T10:00", "--others", "ignore", "--caller-action", "hangup")
    cli("simulate", "--at", "2026-12-01T11:00", "--others", "accept")
    missed = json.loads(cli("calls", "list", "--missed", "--json").output)
    assert [(c["status"], c["from"]) for c in missed] == [("missed", "+447400123456")]
    assert len(json.loads(cli("calls", "list", "--json").output)) == 2
    table = cli("calls", "list").output.splitlines()
    assert table[0].split() == ["arrived", "from", "mode", "outcome", "answered", "by", "rung"]
    assert set(table[1]) == {"-", " "}
    assert table[2].split() == ["2026-12-01", "11:00:00", "+447400123456", "in_hours", "answered",
                                "Ben", "Smith", "Ben", "Smith"]
    assert table[3].split()[:4] == ["2026-12-01", "10:00:00", "+447400123456", "in_hours"]


def test_rota_who_names_the_engineer_covering_by_override(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("engineer", "add", "Tobi Jones", "--mobile", "07911 123402")
    cli("rota", "assign", "2026-12-01", "Ben Smith")
    result = cli("rota", "override", "Tobi Jones", "--from", "2026-12-01T21:00",
                 "--to", "2026-12-02T02:00", "--include-started")  # on the real clock
    assert result.exit_code == 0, result.output
    at_ten = json.loads(cli("rota", "who", "--at", "2026-12-01T22:00", "--json").output)
    assert at_ten["override"]["engineer"]["name"] == "Tobi Jones"
    assert at_ten["now"]["primary"]["name"] == "Ben Smith"  # the plan itself is unchanged
    assert "covering now: Tobi Jones (21:00 Tue 01 Dec to 02:00 Wed 02 Dec" in \
        cli("rota", "who", "--at", "2026-12-01T22:00").output
    at_three = json.loads(cli("rota", "who", "--at", "2026-12-02T03:00", "--json").output)
    assert at_three["override"] is None


def test_an_unknown_log_level_is_refused_in_one_line(cli, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "CHATTY")
    result = cli("engineer", "list")
    assert result.exit_code != 0
    assert "LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got 'CHATTY'" in result.output
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert cli("engineer", "list").exit_code == 0


def test_a_desk_phone_set_to_connect_on_pick_up(cli):
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    # no desk number yet: one line, nothing changed
    refused = cli("engineer", "set", "Ben Smith", "--desk-connects", "on")
    assert refused.exit_code != 0 and "has no desk number" in refused.output
    assert engineers(cli)[0]["desk_connects"] is False
    done = cli("engineer", "set", "Ben Smith", "--desk", "020 7946 0101", "--desk-connects", "on")
    assert done.exit_code == 0 and "connects on pick-up" in done.output, done.output
    assert engineers(cli)[0]["desk_connects"] is True
    row = cli("engineer", "list").output.splitlines()[1]
    assert "+442079460101 (connects on pick-up)" in row
    # taking the desk number away takes the setting with it
    cli("engineer", "set", "Ben Smith", "--desk", "")
    assert (engineers(cli)[0]["desk"], engineers(cli)[0]["desk_connects"]) == (None, False)
    wrong = cli("engineer", "set", "Ben Smith", "--desk-connects", "yes")
    assert wrong.exit_code != 0
