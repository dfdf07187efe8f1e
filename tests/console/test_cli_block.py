"""`dutyline block`: add, list and remove nuisance callers' numbers, audited as cli:<user>;
a refused change is one line, exits non-zero and changes nothing."""

import getpass
import json

import pytest

from tests.conftest import command_line

from accounts.models import AuditEntry
from dutyline.db import database

NUISANCE = "+447400999888"


@pytest.fixture
def cli(app, monkeypatch):
    """The command on the test's app: its database and its clock (Tuesday 1 December 2026,
    10:00 in London)."""
    monkeypatch.setattr(getpass, "getuser", lambda: "ops")
    return command_line(app)


def listed(cli):
    return json.loads(cli("block", "list", "--json").output)


def audit_entries():
    with database.connection_context():
        return [(e.actor, e.action, e.detail) for e in AuditEntry.select().order_by(AuditEntry.id)]


def test_block_list_and_remove_a_number_audited_in_the_os_users_name(cli):
    added = cli("block", "add", "07400 999888", "--reason", "fax machine", "--until",
                "2026-12-24")
    assert added.exit_code == 0, added.output
    assert added.output == f"blocked {NUISANCE} until 2026-12-24: fax machine\n"
    assert cli("block", "add", "+1 212 555 0100", "--reason", "robocaller").exit_code == 0
    rows = listed(cli)
    assert [(r["number"], r["until"], r["reason"], r["in_force"], r["created_by"])
            for r in rows] == [("+12125550100", None, "robocaller", True, "cli:ops"),
                               (NUISANCE, "2026-12-24", "fax machine", True, "cli:ops")]
    # the end of 24 December in London: the day after at 00:00 GMT
    assert rows[1]["ends_at"] == "2026-12-25T00:00:00+00:00"
    table = cli("block", "list").output.splitlines()
    assert table[0].split() == ["number", "until", "reason", "by"]
    assert table[1].split() == ["+12125550100", "-", "robocaller", "cli:ops"]
    removed = cli("block", "remove", "07400999888")
    assert removed.exit_code == 0 and removed.output == f"unblocked {NUISANCE}\n"
    assert [r["number"] for r in listed(cli)] == ["+12125550100"]
    assert audit_entries() == [
        ("cli:ops", "number blocked", f"{NUISANCE} until 2026-12-24: fax machine"),
        ("cli:ops", "number blocked", "+12125550100 until removed: robocaller"),
        ("cli:ops", "number unblocked", f"{NUISANCE} until 2026-12-24: fax machine")]


def test_an_ended_block_is_listed_as_ended_and_may_be_added_again(cli, clock):
    from datetime import timedelta

    assert cli("block", "add", NUISANCE, "--reason", "prank", "--until",
               "2026-12-01").exit_code == 0
    clock.set(clock() + timedelta(days=1))
    assert "2026-12-01 (ended)" in cli("block", "list").output
    assert listed(cli)[0]["in_force"] is False
    again = cli("block", "add", NUISANCE, "--reason", "prank again")
    assert again.exit_code == 0, again.output
    assert [(r["reason"], r["until"]) for r in listed(cli)] == [("prank again", None)]


@pytest.mark.parametrize("args, line", [
    # header: the arguments after `block` -> the one line printed
    (["add", "anonymous", "--reason", "x"],
     "Error: a withheld number cannot be blocked ('anonymous'): callers who withhold their "
     "number are never refused"),
    (["add", "+266696687", "--reason", "x"],
     "Error: a withheld number cannot be blocked ('+266696687'): callers who withhold their "
     "number are never refused"),
    (["add", "", "--reason", "x"],
     "Error: a withheld number cannot be blocked (''): callers who withhold their number "
     "are never refused"),
    (["add", "fax machine", "--reason", "x"], "Error: not a phone number: 'fax machine'"),
    (["add", "0740", "--reason", "x"], "Error: not a valid phone number: '0740'"),
    (["add", NUISANCE, "--reason", "  "],
     "Error: a block needs a reason: say why the number is refused"),
    (["add", NUISANCE, "--reason", "fax\nmachine"],
     "Error: block reason 'fax\\nmachine' holds a control character (U+000A, character 4): "
     "use plain text"),
    (["add", NUISANCE, "--reason", "x" * 201],
     "Error: the block reason is 201 characters long; at most 200"),
    (["add", NUISANCE, "--reason", "x", "--until", "2026-02-30"],
     "Error: there is no such day: '2026-02-30' (February 2026 has 28 days)"),
    (["add", NUISANCE, "--reason", "x", "--until", "2026-11-30"],
     "Error: a block until 2026-11-30 would be over already (today is 2026-12-01)"),
    (["add", "+447911123401", "--reason", "again"],
     "Error: +447911123401 is blocked already (robocaller); remove it first to change the "
     "block"),
    (["remove", NUISANCE], f"Error: {NUISANCE} is not on the block list"),
    (["remove", "anonymous"], "Error: not a phone number: 'anonymous'"),
])
def test_a_refused_change_is_one_line_and_changes_nothing(cli, args, line):
    assert cli("block", "add", "+447911123401", "--reason", "robocaller").exit_code == 0
    before, audited = listed(cli), audit_entries()
    result = cli("block", *args)
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [line]
    assert listed(cli) == before and audit_entries() == audited


def test_a_blocked_call_is_in_calls_list_but_not_missed_and_in_the_report(cli, twilio, clock):
    assert cli("block", "add", NUISANCE, "--reason", "robocaller").exit_code == 0
    form = {"CallSid": "CA" + "9" * 32, "From": NUISANCE, "To": "+442071838750"}
    assert twilio.post("/voice/incoming", form).status_code == 200
    twilio.post("/voice/status", {**form, "CallStatus": "completed", "CallDuration": "3"})
    everything = cli("calls", "list").output
    assert NUISANCE in everything and "blocked number" in everything
    assert NUISANCE not in cli("calls", "list", "--missed").output
    report = json.loads(cli("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01",
                            "--by", "day", "--json").output)
    assert [(g["blocked"], g["offered"], g["short_abandons"]) for g in report["groups"]] == [
        (1, 0, 0)]
    text = cli("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01").output
    heading, _rule, total = text.splitlines()[1:4]  # after the line naming the span
    assert heading.split()[-1] == "blocked" and total.split()[-1] == "1"
