"""The wallboard: opened from a revocable read-only link with no account, it sets no cookie
and is never stored; managers make and revoke its links on the web and the command line,
audited; it shows the callers waiting, today's figures and the call-backs due."""

import re
from datetime import timedelta
from html import unescape

import pytest
from click.testing import CliRunner

from accounts.models import AuditEntry, WallboardLink
from console.main import main
from customers.models import Customer, CustomerNumber
from dutyline.db import database
from telephony.models import Call
from tests.conftest import PUBLIC_URL, app_info

LINK = re.compile(r"https://support\.example\.com/wallboard/([a-z2-7]{40})")


def make_board_link(manager, label="Office TV"):
    made = manager.post("/wallboard", {"label": label}, token_from="/wallboard")
    assert made.status_code == 200, made.get_data(as_text=True)
    return LINK.search(made.get_data(as_text=True)).group(1)


def audited():
    with database.connection_context():
        return [(e.actor, e.action, e.detail) for e in AuditEntry.select()
                .where(AuditEntry.action.contains("wallboard")).order_by(AuditEntry.id)]


def test_a_manager_makes_a_link_a_tv_opens_it_without_an_account_and_revokes_it(app, manager):
    assert 'href="/wallboard"' in manager.get("/now").get_data(as_text=True)
    secret = make_board_link(manager)
    assert audited() == [("mia@example.com", "wallboard link made",
                          f"{secret[:8]} (Office TV)")]
    listing = manager.get("/wallboard").get_data(as_text=True)
    assert secret[:8] in listing and secret not in listing  # shown once, then named only
    with database.connection_context():
        stored = WallboardLink.get()
        assert secret[:8] == stored.prefix and secret not in stored.token_hash

    tv = app.test_client()
    for path in (f"/wallboard/{secret}", f"/wallboard/{secret}/live"):
        answer = tv.get(path)
        assert answer.status_code == 200, path
        assert "Set-Cookie" not in answer.headers, path
        assert answer.headers["Cache-Control"] == "no-store"
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
        page = answer.get_data(as_text=True)
        assert "Waiting now" in page and "Call-backs due" in page
        assert "<script>" not in page and "style=" not in page
    assert f'hx-get="/wallboard/{secret}/live"' in tv.get(f"/wallboard/{secret}").get_data(
        as_text=True)

    with database.connection_context():
        link_id = WallboardLink.get().id
    revoked = manager.post(f"/wallboard/revoke/{link_id}", token_from="/wallboard")
    assert revoked.status_code == 302
    assert audited()[-1] == ("mia@example.com", "wallboard link revoked",
                             f"{secret[:8]} (Office TV)")
    gone = tv.get(f"/wallboard/{secret}")
    assert gone.status_code == 404 and "does not work" in gone.get_data(as_text=True)
    assert gone.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in gone.headers
    live = tv.get(f"/wallboard/{secret}/live", headers={"HX-Request": "true"})
    assert live.status_code == 204 and live.headers["HX-Refresh"] == "true"
    again = manager.post(f"/wallboard/revoke/{link_id}", token_from="/wallboard",
                         follow_redirects=True)
    assert "revoked already" in again.get_data(as_text=True)
    assert len(audited()) == 2


def test_a_signed_in_browser_opening_the_board_keeps_its_session_untouched(manager):
    secret = make_board_link(manager)
    answer = manager.get(f"/wallboard/{secret}")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    assert 'action="/signout"' not in answer.get_data(as_text=True)  # nothing of the account
    assert manager.get("/now").status_code == 200  # still signed in


@pytest.mark.parametrize("secret", ["x", "a" * 40, "A" * 40, "../now", "%20"])
def test_a_wrong_secret_shows_nothing(app, manager, secret):
    make_board_link(manager)
    for path in (f"/wallboard/{secret}", f"/wallboard/{secret}/live"):
        answer = app.test_client().get(path)
        assert answer.status_code in (204, 404), path
        assert "Waiting now" not in answer.get_data(as_text=True)


def test_engineers_neither_see_nor_make_links(engineer):
    assert 'href="/wallboard"' not in engineer.get("/now").get_data(as_text=True)
    assert engineer.get("/wallboard").status_code == 403
    assert engineer.post("/wallboard", {"label": "TV"}).status_code == 403
    assert audited() == []


@pytest.mark.parametrize("label, message", [
    ("", "a wallboard link needs a label"),
    ("Office\nTV", "holds a control character"),
    ("x" * 81, "at most 80 characters"),
])
def test_a_link_needs_a_plain_label(manager, label, message):
    answer = manager.post("/wallboard", {"label": label}, token_from="/wallboard")
    assert answer.status_code == 400 and message in unescape(answer.get_data(as_text=True))
    assert audited() == []


@pytest.fixture
def cli(app, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "ops")
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), obj=app_info(app),
                                       catch_exceptions=False)


def test_the_command_line_makes_lists_and_revokes_links(app, cli):
    made = cli("wallboard", "link", "--label", "Reception")
    assert made.exit_code == 0, made.output
    secret = LINK.search(made.output).group(1)
    assert f"{PUBLIC_URL}/wallboard/{secret}" in made.output
    assert app.test_client().get(f"/wallboard/{secret}").status_code == 200
    listed = cli("wallboard", "links")
    assert secret[:8] in listed.output and "Reception" in listed.output
    assert secret not in listed.output
    assert cli("wallboard", "revoke", "zz").output.endswith(
        "give at least 4 characters of the link's secret, as `dutyline wallboard links` "
        "shows them\n")
    revoked = cli("wallboard", "revoke", secret[:6])
    assert revoked.exit_code == 0 and f"revoked {secret[:8]} (Reception)" in revoked.output
    assert app.test_client().get(f"/wallboard/{secret}").status_code == 404
    assert cli("wallboard", "revoke", secret[:8]).exit_code == 1
    assert audited() == [("cli:ops", "wallboard link made", f"{secret[:8]} (Reception)"),
                         ("cli:ops", "wallboard link revoked", f"{secret[:8]} (Reception)")]
    assert "no wallboard links" in cli("wallboard", "links").output


CALLER = "+447400123456"


def test_the_board_shows_a_ringing_caller_and_how_long_they_have_waited(
        app, manager, twilio, make_engineer, clock):
    make_engineer("Ben Smith", signed_in=True, location="office")
    make_engineer("Tobi Jones", signed_in=False)
    with database.connection_context():
        acme = Customer.create(name="ACME Ltd")
        CustomerNumber.create(customer=acme, number=CALLER)
    secret = make_board_link(manager)
    tv = app.test_client()
    quiet = tv.get(f"/wallboard/{secret}/live").get_data(as_text=True)
    assert '<p class="figure" id="waiting-count">0</p>' in quiet
    assert "Nobody is waiting." in quiet
    answer = twilio.post("/voice/incoming", {"CallSid": "CA" + "1" * 32, "From": CALLER,
                                             "To": "+442071838750", "CallStatus": "ringing"})
    assert answer.status_code == 200
    clock.set(clock() + timedelta(seconds=42))
    page = tv.get(f"/wallboard/{secret}/live").get_data(as_text=True)
    assert '<p class="figure" id="waiting-count">1</p>' in page
    assert '<span class="who">ACME Ltd</span><span class="wait">0:42</span>' in page
    assert '<p class="figure" id="longest-wait">0:42</p>' in page
    signed_in = page.split('id="w-in"', 1)[1]
    assert "Ben Smith" in signed_in and "Tobi Jones" not in signed_in
    assert "target 98 % within 12 s" in page


@pytest.mark.parametrize("settings_data", [{"service_level_target": 0.9,
                                            "service_level_seconds": 20}])
def test_the_board_holds_today_to_the_teams_target(app, manager, twilio, clock):
    secret = make_board_link(manager)
    page = app.test_client().get(f"/wallboard/{secret}/live").get_data(as_text=True)
    assert "target 90 % within 20 s" in page


def _call(n, number, minutes, **fields):
    """A call of today (1 December, the test clock is 10:00) `minutes` before 10:00."""
    from datetime import datetime, timezone

    started = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc) - timedelta(minutes=minutes)
    ends = fields.pop("held", 60)
    return Call.create(sid=f"CA{n:032d}", from_number=number, started_at=started,
                       mode="in_hours", ended_at=started + timedelta(seconds=ends), **fields)


def test_call_backs_due_are_todays_calls_that_reached_nobody_and_were_not_answered_since(
        app, settings, db, clock, make_engineer):
    from reports.board import callbacks_due

    ben = make_engineer("Ben Smith")
    at = {"answered_at": None}
    _call(1, "+447400000001", 120, status="voicemail", voicemail_at=clock())  # due
    _call(2, "+447400000002", 110, status="missed", ringing_at=clock(), held=30)  # answered:
    _call(3, "+447400000002", 100, status="answered", answered_at=clock(), answered_by=ben)
    _call(4, "+447400000003", 90, status="missed", held=3)  # a short abandon
    _call(5, "+447400000004", 80, status="blocked", held=1)  # blocked: never offered
    _call(6, "+447400000005", 70, status="missed", ringing_at=clock(), held=40)  # twice
    _call(7, "+447400000005", 60, status="missed", fallback_at=clock(), held=50)
    _call(8, "anonymous", 50, status="voicemail", voicemail_at=clock())  # withheld: counted
    _call(9, "+447400000006", 60 * 24, status="voicemail", voicemail_at=clock())  # yesterday
    _call(10, "+447400000007", 40, status="answered", answered_at=clock(), answered_by=ben)
    _call(11, "+447400000007", 30, status="missed", ringing_at=clock(), held=20)  # after
    _call(12, "+447400000008", 1, status="ringing", held=0, **at)  # still ringing: not yet
    Call.update(ended_at=None).where(Call.sid == f"CA{12:032d}").execute()
    due, withheld = callbacks_due(settings, clock())
    assert [(c.number, c.calls, c.outcome) for c in due] == [
        ("+447400000001", 1, "voicemail"),
        ("+447400000005", 2, "fallback"),
        ("+447400000007", 1, "abandoned_hunting"),
    ]
    assert due[1].last_at.isoformat() == "2026-12-01T09:00:00+00:00"
    assert withheld == 1
