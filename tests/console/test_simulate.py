"""Trying the line on a fresh machine: the simulator, texts and the demo need no Twilio account."""

import json
import logging
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import current_app

from console import sim_commands
from console.main import main
from webhooks import create_app
from webhooks.runtime import runtime, utc_now


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """The command line as a newcomer has it: no TWILIO_AUTH_TOKEN, no PUBLIC_URL."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    for key in ("TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID", "PUBLIC_URL", "DUTYLINE_SETTINGS",
                "FALLBACK_NUMBER", "TWILIO_FROM_NUMBER"):
        monkeypatch.delenv(key, raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    run("db", "init")
    run("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    run("engineer", "add", "Tobi Jones", "--mobile", "07911 123402")
    return run


def test_simulate_works_without_a_twilio_auth_token(cli):
    cli("rota", "assign", "2026-12-24", "Ben Smith")
    result = cli("simulate", "--at", "2026-12-25T10:00", "--others", "accept")
    assert result.exit_code == 0, result.output
    assert "app answered 403" not in result.output
    assert "caller connected to Ben Smith" in result.output
    assert json.loads(cli("calls", "list", "--json").output)[0]["answered_by"] == "Ben Smith"


def test_a_served_app_without_the_token_still_refuses_every_webhook(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
                      "TWILIO_AUTH_TOKEN": None})
    client = app.test_client()
    for path in ("/voice/incoming", "/voice/status", "/sms/incoming"):
        assert client.post(path, data={"CallSid": "CA1"},
                           headers={"X-Twilio-Signature": "anything"}).status_code == 403


def test_simulate_text_prints_the_reply_and_what_changed(cli):
    cli("rota", "assign", "2026-12-01", "Tobi Jones")
    who = cli("simulate", "--text", "WHO", "--from", "07911 123401", "--at", "2026-12-01T20:00")
    assert who.exit_code == 0, who.output
    assert "reply: On duty now: Tobi Jones" in who.output
    assert "nothing changed" in who.output
    on = cli("simulate", "--text", "on", "--from", "+447911123401")
    assert "reply: You are signed in" in on.output
    assert "changed: Ben Smith: signed in" in on.output
    assert json.loads(cli("engineer", "list", "--json").output)[0]["signed_in"] is True
    take = cli("simulate", "--text", "TAKE", "--from", "07911 123401", "--at", "2026-12-01T20:00")
    assert "changed: override" in take.output and "Ben Smith on duty" in take.output
    assert "changed: queued sms to +447911123402" in take.output  # Tobi is told
    stranger = cli("simulate", "--text", "OFF", "--from", "07911 123499")
    assert "not registered" in stranger.output and "nothing changed" in stranger.output


def test_simulate_text_needs_the_sender(cli):
    result = cli("simulate", "--text", "WHO")
    assert result.exit_code != 0 and "--text needs --from" in result.output


def test_the_demo_serves_on_the_real_clock(cli, tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr(sim_commands, "serve_app", lambda app, host, port: served.append(app))
    result = cli("demo", "--database", str(tmp_path / "demo.db"), "--port", "5099")
    assert result.exit_code == 0, result.output
    assert "caller connected to" in result.output
    (app,) = served
    with app.app_context():
        assert runtime().clock is utc_now
        assert runtime().validator is None  # no token configured: webhooks answer 403


def test_the_demo_prints_commands_that_work_as_printed(cli, tmp_path):
    result = cli("demo", "--no-serve", "--database", "demo.db")
    played = sum(line.startswith("== ") for line in result.output.splitlines())
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    words = {4: "four", 5: "five", 6: "six"}
    assert f"{words[played]} calls played through the simulator" in readme
    tries = [line.split("Try:")[-1].strip() for line in result.output.splitlines()
             if "DATABASE_URL=sqlite:///demo.db" in line]
    assert len(tries) == 2
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    for line in tries:
        assert line.split(" ")[1].endswith("/bin/dutyline"), line
        done = subprocess.run(line, shell=True, cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    assert "caller connected to Tobi Jones" in done.stdout


def test_only_commands_that_serve_webhooks_warn_about_the_token(cli, caplog, monkeypatch):
    caplog.set_level(logging.WARNING)
    cli("rota", "who")
    cli("rota", "show", "2026-12")
    assert "TWILIO_AUTH_TOKEN" not in caplog.text
    monkeypatch.setattr(sim_commands, "serve_app", lambda *args: None)
    cli("serve")
    assert "TWILIO_AUTH_TOKEN is not set" in caplog.text


def test_commands_run_in_flask_app_context(cli, monkeypatch):
    seen = []
    monkeypatch.setattr(sim_commands, "serve_app",
                        lambda app, host, port: seen.append((app, current_app)))
    cli("serve")
    assert seen and seen[0][0].name == "webhooks"
    assert set(main.commands) >= {"db", "engineer", "rota", "absence", "customer",
                                             "calls", "tickets", "outbox", "clock",
                                             "calendars", "simulate", "demo", "serve"}


def test_outbox_folder_writes_texts_and_mails_instead_of_sending(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("HELPDESK_EMAIL", "helpdesk@example.com")
    cli("rota", "assign", "2025-11-25", "Ben Smith")  # long past: the notices are due
    cli("simulate", "--at", "2025-11-26T03:00", "--others", "ignore")
    monkeypatch.setenv("OUTBOX_FOLDER", str(tmp_path / "trial"))
    result = cli("outbox", "work", "--once")
    assert result.exit_code == 0, result.output
    assert "messages are written to" in result.output
    assert "sms to +447400123456" in result.output  # the caller's reference
    assert "email to helpdesk@example.com ([dutyline #1001]" in result.output
    files = sorted(path.name for path in (tmp_path / "trial").iterdir())
    assert [name.split("-")[0] for name in files] == ["email", "sms", "sms"]
    body = next((tmp_path / "trial").glob("email-*")).read_text()
    assert body.startswith("To: helpdesk@example.com\nSubject: [dutyline #1001]")
    statuses = {m["status"] for m in json.loads(cli("outbox", "list", "--json").output)}
    assert statuses == {"sent"}


def test_simulate_calls_the_line_given_and_answers_its_menu(cli):
    cli("team", "add", "Network")
    cli("engineer", "add", "Cara Nye", "--mobile", "07911 123403")
    cli("team", "join", "Network", "Cara Nye")
    cli("team", "leave", "Support", "Cara Nye")
    cli("engineer", "sign-in", "Cara Nye")
    cli("engineer", "sign-in", "Ben Smith")
    cli("line", "add", "+442071838751", "--team", "Network")
    cli("line", "add", "+442071838752", "--menu", "For network press 2, for support press 1.",
        "--key", "2=Network", "--key", "1=Support", "--default", "1")
    network = cli("simulate", "--at", "2026-12-01T10:00", "--to", "020 7183 8751",
                  "--others", "accept")
    assert network.exit_code == 0, network.output
    assert "to +442071838751" in network.output
    assert "Cara Nye" in network.output and "Ben Smith" not in network.output
    menu = cli("simulate", "--at", "2026-12-01T11:00", "--to", "+442071838752", "--press", "2",
               "--others", "accept")
    assert menu.exit_code == 0, menu.output
    assert "caller presses 2" in menu.output
    assert "Cara Nye" in menu.output and "Ben Smith" not in menu.output
    support = cli("simulate", "--at", "2026-12-01T12:00", "--to", "+442071838752", "--press",
                  "1", "--others", "accept")
    assert "Ben Smith" in support.output and "Cara Nye" not in support.output


def test_simulate_refuses_a_malformed_called_number(cli):
    result = cli("simulate", "--to", "not a number")
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
