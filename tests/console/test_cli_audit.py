"""Changes made on the command line are in the audit log, in the name of the OS user."""

import getpass

import pytest

from tests.conftest import command_line

from accounts.models import AuditEntry


@pytest.fixture
def cli(app, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "ops")
    return command_line(app)


def entries(db):
    return [(e.actor, e.action, e.detail) for e in AuditEntry.select().order_by(AuditEntry.id)]


def test_rota_engineer_and_customer_changes_are_audited_with_the_os_user(cli, db, clock):
    steps = [
        ("engineer", "add", "Ben Smith", "--mobile", "07911 000001"),
        ("engineer", "add", "Tobi Jones", "--mobile", "07911 000002"),
        ("engineer", "add", "Asha Patel", "--mobile", "07911 000003"),
        ("engineer", "sign-out", "Asha Patel"),
        ("engineer", "where", "Asha Patel", "office"),
        ("engineer", "set", "Asha Patel", "--email", "asha@example.com"),
        ("engineer", "weekly", "Asha Patel", "off"),
        ("rota", "generate", "2026-12"),
        ("rota", "swap", "2026-12-02", "2026-12-03"),
        ("rota", "assign", "2026-12-05", "Ben Smith"),
        ("rota", "override", "Tobi Jones", "--from", "2026-12-04T21:00", "--to",
         "2026-12-05T02:00"),
        ("absence", "add", "Ben Smith", "--from", "2026-12-14", "--to", "2026-12-15"),
        ("customer", "add", "ACME Ltd", "--number", "020 7946 0500"),
        ("customer", "remove", "ACME Ltd"),
        ("engineer", "remove", "Asha Patel"),
    ]
    for step in steps:
        result = cli(*step)
        assert result.exit_code == 0, (step, result.output)
    found = entries(db)
    assert {actor for actor, _, _ in found} == {"cli:ops"}
    assert [action for _, action, _ in found] == [
        "engineer added", "engineer added", "engineer added", "presence", "presence",
        "engineer changed", "weekly duty list", "generated 2026-12", "swapped", "assigned",
        "override added", "absence added", "customer added", "customer removed",
        "engineer removed"]
    details = dict((action, detail) for _, action, detail in found)
    assert details["swapped"] == "2026-12-02 and 2026-12-03"
    assert details["override added"] == ("Tobi Jones on duty from Fri 04 Dec 2026 21:00 to "
                                         "Sat 05 Dec 2026 02:00")
    assert details["presence"] == "Asha Patel is office"


def test_a_refused_command_audits_nothing(cli, db, make_engineer):
    make_engineer("Ben Smith")
    assert cli("rota", "swap", "2026-12-02", "2026-12-03").exit_code != 0
    assert cli("engineer", "remove", "Nobody").exit_code != 0
    assert entries(db) == []


def test_without_a_login_name_the_actor_is_unknown(cli, db, monkeypatch):
    def nobody():
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", nobody)
    assert cli("customer", "add", "ACME Ltd", "--number", "020 7946 0500").exit_code == 0
    assert entries(db) == [("cli:unknown", "customer added", "ACME Ltd")]
