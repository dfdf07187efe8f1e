"""The sign-in limit: counted atomically per address and client, with growing waits, and never
in the owner's way: their password from another client and a mailed link always work."""

import re
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from accounts.models import SignInAttempt
from accounts.throttle import FIRST_PAUSE, Rule, _lock_id, password_key
from accounts.users import find_user, set_password
from dutyline.db import database
from outbox.models import OutboxMessage
from tests.web.conftest import csrf_of
from web import auth

PASSWORD = "correct horse battery"
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def mia(make_user):
    make_user("mia@example.com")
    with database.connection_context():
        set_password(find_user("mia@example.com"), PASSWORD)


@pytest.fixture
def checked(monkeypatch):
    """The passwords actually checked, counted across threads."""
    seen = []
    lock = threading.Lock()
    real = auth.check_password

    def counting(user, password):
        with lock:
            seen.append(password)
        return real(user, password)

    monkeypatch.setattr(auth, "check_password", counting)
    return seen


def sign_in(client, password, environ, email="mia@example.com", token=None):
    token = token or csrf_of(client)
    return client.post("/signin", data={"email": email, "password": password,
                                        "csrf_token": token}, environ_base=environ)


def mailed_link(app):
    with database.connection_context():
        mails = list(OutboxMessage.select().where(OutboxMessage.channel == "email")
                     .order_by(OutboxMessage.id))
    assert mails and mails[-1].recipient == "mia@example.com"
    return re.search(r"https://support\.example\.com(/signin/link/\S+)", mails[-1].body).group(1)


@pytest.fixture
def slow_writes(monkeypatch):
    """Each attempt written 50 ms after it was counted, as on a busy server: a count that
    is not atomic with its write lets many more guesses through."""
    real = SignInAttempt.insert_many.__func__

    def slow(cls, *args, **kwargs):
        time.sleep(0.05)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(SignInAttempt, "insert_many", classmethod(slow))


def test_forty_guesses_at_once_check_five_and_the_owner_still_gets_in(app, mia, checked,
                                                                      slow_writes):
    clients = [app.test_client() for _ in range(40)]
    tokens = [csrf_of(client) for client in clients]
    start = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def guess(n):
        start.wait()
        statuses[n] = sign_in(clients[n], f"guess {n}", ATTACKER, token=tokens[n]).status_code

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 5, checked
    assert sorted(statuses) == [400] * 5 + [429] * 35

    # the owner, from their own client: the right password works at once
    owner = app.test_client()
    response = sign_in(owner, PASSWORD, OWNER)
    assert response.status_code == 302 and owner.get("/now").status_code == 200
    # a link asked for from anywhere, even the attacker's client, is mailed and works
    elsewhere = app.test_client()
    asked = elsewhere.post("/signin", data={"email": "mia@example.com",
                                            "csrf_token": csrf_of(elsewhere)},
                           environ_base=ATTACKER)
    assert asked.status_code == 200 and "sign-in link is on its way" in asked.get_data(as_text=True)
    link = mailed_link(app)
    phone = app.test_client()
    assert phone.post(link, data={"csrf_token": csrf_of(phone, link)},
                      environ_base=ATTACKER).status_code == 302
    assert phone.get("/now").status_code == 200


def test_after_five_failures_each_next_check_waits_twice_as_long(app, mia, clock, checked):
    client = app.test_client()
    for n in range(5):
        assert sign_in(client, f"guess {n}", ATTACKER).status_code == 400
    refused = sign_in(client, PASSWORD, ATTACKER)  # not even the right one is checked now
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "61"
    assert "Try again in 1 minute, or leave the password empty" in refused.get_data(as_text=True)
    assert len(checked) == 5
    for wait in (1, 2, 4):
        clock.set(clock() + timedelta(minutes=wait) - timedelta(seconds=1))
        assert sign_in(client, "guess", ATTACKER).status_code == 429
        clock.set(clock() + timedelta(seconds=1))
        assert sign_in(client, "guess", ATTACKER).status_code == 400  # checked, wrong
        again = sign_in(client, "guess", ATTACKER)
        assert again.status_code == 429
        assert f"Try again in {wait * 2} minutes" in again.get_data(as_text=True)
    assert len(checked) == 8
    # the other client's waits are not the owner's: nothing to wait for there
    assert sign_in(app.test_client(), "typo", OWNER).status_code == 400
    # the right password after the wait: signed in, and this client's failures forgotten
    clock.set(clock() + timedelta(minutes=8))
    assert sign_in(client, PASSWORD, ATTACKER).status_code == 302
    fresh = app.test_client()
    assert [sign_in(fresh, "guess", ATTACKER).status_code for _ in range(6)] == [400] * 5 + [429]


def test_failures_are_forgotten_after_a_day(app, mia, clock):
    client = app.test_client()
    for _ in range(5):
        sign_in(client, "guess", ATTACKER)
    assert sign_in(client, "guess", ATTACKER).status_code == 429
    clock.set(clock() + timedelta(days=1))
    assert sign_in(client, PASSWORD, ATTACKER).status_code == 302


NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("failures, ago, wait", [
    (0, None, timedelta(0)),
    (4, timedelta(0), timedelta(0)),                     # the 5th check is still free
    (5, timedelta(0), FIRST_PAUSE),                      # then 1 minute after the 5th failure
    (5, timedelta(seconds=59), timedelta(seconds=1)),
    (5, FIRST_PAUSE, timedelta(0)),
    (6, timedelta(0), 2 * FIRST_PAUSE),
    (7, timedelta(0), 4 * FIRST_PAUSE),
    (10, timedelta(0), 32 * FIRST_PAUSE),
    (60, timedelta(0), timedelta(days=1)),               # never longer than a day
])
def test_the_pause_doubles_after_each_failure_past_the_fifth(failures, ago, wait):
    rule = Rule("password:mia@example.com 203.0.113.66", 5, timedelta(days=1), growing=True)
    times = [NOW - (ago or timedelta(0)) - timedelta(seconds=n) for n in range(failures)]
    assert rule.wait(times, NOW) == wait


def test_a_clients_attempts_in_all_are_limited_too():
    rule = Rule("client:203.0.113.66", 20, timedelta(minutes=15))
    times = [NOW - timedelta(minutes=14)] + [NOW] * 19
    assert rule.wait(times, NOW) == timedelta(minutes=1)
    assert rule.wait(times[1:], NOW) == timedelta(0)


def test_an_attempt_that_cannot_be_counted_in_time_is_refused_not_let_through(
        app, mia, checked, database_url):
    key = password_key("mia@example.com", ATTACKER["REMOTE_ADDR"])
    if database_url.startswith("sqlite"):
        import sqlite3

        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock too long
    else:
        import psycopg

        other = psycopg.connect(database_url, autocommit=True)
        other.execute("SELECT pg_advisory_lock(%s)", (_lock_id(key),))
    try:
        refused = sign_in(app.test_client(), PASSWORD, ATTACKER)
    finally:
        other.close()
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "6"
    assert checked == []
    assert sign_in(app.test_client(), PASSWORD, ATTACKER).status_code == 302
