"""Signing in and out: one-time links, passwords, rate limits, idle expiry, removed users."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from accounts.models import AuditEntry, WebSession
from accounts.users import find_user
from dutyline.db import database
from tests.web.conftest import csrf_of
from outbox.models import OutboxMessage
from console.main import main

SENT = "If that address has an account, a sign-in link is on its way"


def outbox_mail():
    with database.connection_context():
        return list(OutboxMessage.select().where(OutboxMessage.channel == "email"))


def test_anonymous_pages_redirect_to_sign_in(app):
    client = app.test_client()
    response = client.get("/now")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin?next=/now")
    assert client.get("/").status_code == 302


def test_a_link_page_shows_a_button_and_only_the_button_signs_in(app, make_user, clock):
    make_user("mia@example.com")
    client = app.test_client()
    with database.connection_context():
        from accounts.links import issue_link

        secret = issue_link(find_user("mia@example.com"), clock())
    path = f"/signin/link/{secret}"
    page = client.get(path)  # what a mail scanner does: it must not use the link up
    assert page.status_code == 200 and "mia@example.com" in page.get_data(as_text=True)
    assert client.get("/now").status_code == 302
    token = csrf_of(client, path)
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert client.get("/now").status_code == 200
    other = app.test_client()
    again = other.post(path, data={"csrf_token": csrf_of(other, "/signin")})
    assert again.status_code == 410
    assert "expired or was already used" in again.get_data(as_text=True)
    assert other.get("/now").status_code == 302


def test_an_expired_link_is_refused(app, make_user, clock):
    make_user("mia@example.com")
    client = app.test_client()
    with database.connection_context():
        from accounts.links import issue_link

        secret = issue_link(find_user("mia@example.com"), clock())
    clock.set(clock() + timedelta(minutes=15, seconds=1))
    path = f"/signin/link/{secret}"
    assert client.get(path).status_code == 410
    response = client.post(path, data={"csrf_token": csrf_of(client, "/signin")})
    assert response.status_code == 410
    assert client.get("/now").status_code == 302


def test_user_add_prints_a_link_that_signs_in_under_public_url(app, make_engineer, monkeypatch,
                                                                database_url, tmp_path, clock):
    clock.set(datetime.now(timezone.utc))  # the command reads the real clock
    monkeypatch.chdir(tmp_path)
    for key, value in {"DATABASE_URL": database_url, "PUBLIC_URL": "https://support.example.com",
                       "TWILIO_AUTH_TOKEN": "t"}.items():
        monkeypatch.setenv(key, value)
    make_engineer("Ben Smith")
    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "Ben@Example.com", "--role", "engineer",
                                  "--engineer", "ben smith"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "added ben@example.com (engineer, engineer Ben Smith)" in result.output
    link = re.search(r"https://support\.example\.com(/signin/link/\S+)", result.output).group(1)
    client = app.test_client()
    assert client.post(link, data={"csrf_token": csrf_of(client, link)}).status_code == 302
    assert "Ben Smith" in client.get("/now").get_data(as_text=True)

    listed = runner.invoke(main, ["user", "list"]).output
    assert "ben@example.com" in listed and "engineer" in listed and "link only" in listed
    second = runner.invoke(main, ["user", "link", "ben@example.com"])
    assert second.exit_code == 0 and "/signin/link/" in second.output
    for args, message in [
        (["user", "add", "ben@example.com", "--role", "manager"], "already exists"),
        (["user", "add", "not-an-address", "--role", "manager"], "not an e-mail address"),
        (["user", "add", "x@example.com", "--role", "engineer"], "needs --engineer"),
        (["user", "add", "x@example.com", "--role", "engineer", "--engineer", "Nobody"],
         "unknown engineer"),
        (["user", "link", "nobody@example.com"], "no user nobody@example.com"),
        (["user", "remove", "nobody@example.com"], "no user nobody@example.com"),
    ]:
        refused = runner.invoke(main, args)
        assert refused.exit_code != 0 and message in refused.output, (args, refused.output)
    assert runner.invoke(main, ["user", "list"]).output == listed

    removed = runner.invoke(main, ["user", "remove", "ben@example.com"])
    assert removed.exit_code == 0 and "removed ben@example.com" in removed.output
    assert client.get("/now").status_code == 302  # the removed user's session ended at once


def test_e_mailed_link_goes_through_the_outbox_and_unknown_addresses_get_the_same_answer(
        app, make_user):
    make_user("mia@example.com")
    client = app.test_client()
    known = client.post("/signin", data={"email": "MIA@example.com",
                                         "csrf_token": csrf_of(client)})
    unknown = client.post("/signin", data={"email": "eve@example.com",
                                           "csrf_token": csrf_of(client)})
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.get_data(as_text=True) and SENT in unknown.get_data(as_text=True)
    mails = outbox_mail()
    assert [m.recipient for m in mails] == ["mia@example.com"]
    link = re.search(r"https://support\.example\.com(/signin/link/\S+)", mails[0].body).group(1)
    other = app.test_client()
    assert other.post(link, data={"csrf_token": csrf_of(other, link)}).status_code == 302
    assert other.get("/now").status_code == 200


def test_sign_in_attempts_are_limited_per_address_and_client_and_per_client(app, make_user):
    make_user("mia@example.com")
    client = app.test_client()
    for _ in range(5):
        assert client.post("/signin", data={"email": "mia@example.com", "password": "wrong-guess",
                                            "csrf_token": csrf_of(client)}).status_code == 400
    blocked = client.post("/signin", data={"email": "mia@example.com", "password": "guess",
                                           "csrf_token": csrf_of(client)})
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)
    # failed passwords never keep a sign-in link from the address's mailbox
    link = client.post("/signin", data={"email": "mia@example.com",
                                        "csrf_token": csrf_of(client)})
    assert link.status_code == 200 and [m.recipient for m in outbox_mail()] == ["mia@example.com"]
    # one client: 20 attempts in all (6 counted above; the refused one is not)
    for n in range(14):
        client.post("/signin", data={"email": f"u{n}@example.com", "csrf_token": csrf_of(client)})
    assert client.post("/signin", data={"email": "new@example.com",
                                        "csrf_token": csrf_of(client)}).status_code == 429
    elsewhere = app.test_client()
    response = elsewhere.post("/signin", data={"email": "other@example.com",
                                               "csrf_token": csrf_of(elsewhere)},
                              environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 200


def test_password_sign_in_and_a_wrong_password_says_nothing_about_the_account(
        app, manager, make_user):
    assert manager.post("/account", {"password": "short", "repeat": "short"}).status_code == 400
    assert manager.post("/account", {"password": "correct horse battery",
                                     "repeat": "correct horse battery"}).status_code == 200
    client = app.test_client()
    wrong = client.post("/signin", data={"email": "mia@example.com", "password": "incorrect pw!",
                                         "csrf_token": csrf_of(client)})
    nobody = client.post("/signin", data={"email": "eve@example.com", "password": "incorrect pw!",
                                          "csrf_token": csrf_of(client)})
    assert wrong.status_code == nobody.status_code == 400
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert "do not match an account" in nobody.get_data(as_text=True)
    assert 'value="mia@example.com"' in wrong.get_data(as_text=True)  # what was typed stays
    right = client.post("/signin", data={"email": "mia@example.com",
                                         "password": "correct horse battery",
                                         "csrf_token": csrf_of(client)})
    assert right.status_code == 302 and client.get("/now").status_code == 200


def test_sign_out_ends_the_session_and_idle_sessions_expire(app, manager, make_user, browser,
                                                           clock):
    cookie = manager.client.get_cookie("dutyline_session").value
    assert manager.post("/signout").status_code == 302
    assert manager.get("/now").status_code == 302
    replay = app.test_client()
    replay.set_cookie("dutyline_session", cookie)
    assert replay.get("/now").status_code == 302

    make_user("ola@example.com")
    ola = browser().sign_in("ola@example.com")
    clock.set(clock() + timedelta(minutes=59))
    assert ola.get("/now").status_code == 200
    clock.set(clock() + timedelta(minutes=61))
    assert ola.get("/now").status_code == 302


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(app, manager):
    refused = manager.client.post("/account", data={"password": "correct horse battery",
                                                    "repeat": "correct horse battery"})
    assert refused.status_code == 400
    with database.connection_context():
        assert find_user("mia@example.com").password_hash is None
    assert manager.client.post("/signout").status_code == 400
    assert manager.get("/now").status_code == 200


def test_session_cookie_is_http_only_same_site_and_secure_under_https(manager):
    cookie = manager.client.get_cookie("dutyline_session")
    assert cookie.http_only and cookie.secure and cookie.same_site == "Lax"


@pytest.mark.parametrize("app_config", [{"SECRET_KEY": "k", "PUBLIC_URL": "http://127.0.0.1:5000"}])
def test_no_secure_flag_when_public_url_is_plain_http(app, make_user, browser):
    make_user("mia@example.com")
    cookie = browser().sign_in("mia@example.com").client.get_cookie("dutyline_session")
    assert cookie.http_only and not cookie.secure


def test_sign_ins_are_in_the_audit_log(manager):
    with database.connection_context():
        entries = [(e.actor, e.action) for e in AuditEntry.select()]
        assert ("mia@example.com", "signed in") in entries
        assert WebSession.select().count() == 1


def test_missing_pages_are_pages_and_machines_keep_plain_answers(app, manager):
    page = manager.get("/no-such-page")
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.get_data(as_text=True)
    feed = app.test_client().get("/calendars/wrongtoken/rota.ics")
    assert feed.status_code == 404 and feed.mimetype == "text/plain"


def test_the_demo_prints_a_sign_in_link_for_its_manager(tmp_path, monkeypatch):
    from console import sim_commands

    served = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sim_commands, "serve_app", lambda app, host, port: served.append(app))
    result = CliRunner().invoke(main, ["demo", "--database", str(tmp_path / "demo.db"),
                                       "--port", "5099"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    link = re.search(r"http://127\.0\.0\.1:5099(/signin/link/\S+)", result.output).group(1)
    (app,) = served
    app.config["SESSION_COOKIE_SECURE"] = False
    client = app.test_client()
    assert client.post(link, data={"csrf_token": csrf_of(client, link)}).status_code == 302
    assert "On duty now" in client.get("/now").get_data(as_text=True)


def test_twilio_webhooks_and_feeds_set_no_cookie(app, twilio):
    response = twilio.post("/voice/incoming", {"CallSid": "CA" + "9" * 32,
                                               "From": "+447700900123", "To": "+442071838750"})
    assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
    feed = app.test_client().get("/calendars/nosuchtoken/rota.ics")
    assert not feed.headers.getlist("Set-Cookie")


@pytest.mark.parametrize("app_config", [{"SECRET_KEY": "k", "FORWARDED_HOPS": "1"}])
def test_behind_a_proxy_the_limit_per_ip_counts_the_client(app):
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(20):
        client.post("/signin", data={"email": f"u{n}@example.com", "csrf_token": csrf_of(client)},
                    headers={"X-Forwarded-For": "198.51.100.7"}, environ_base=proxy)
    blocked = client.post("/signin", data={"email": "x@example.com", "csrf_token": csrf_of(client)},
                          headers={"X-Forwarded-For": "198.51.100.7"}, environ_base=proxy)
    other = client.post("/signin", data={"email": "x@example.com", "csrf_token": csrf_of(client)},
                        headers={"X-Forwarded-For": "198.51.100.8"}, environ_base=proxy)
    assert blocked.status_code == 429 and other.status_code == 200
