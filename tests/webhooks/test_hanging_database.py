"""A database that hangs or is locked: every voice webhook still answers within about 5 s, with
the fallback TwiML, and /voice/fallback needs no database at all."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from lxml import etree
from twilio.request_validator import RequestValidator

from dutyline.db import database
from dutyline.migrations import upgrade
from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from tests.postgres import _free_port
from tests.webhooks.test_faults import make_app

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUDGET = 5.0  # seconds: Twilio waits 15, the caller should not wait more than this


class SilentServer:
    """A TCP endpoint that accepts connections and never answers (a stuck server)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                continue

    def close(self):
        self.stopped.set()
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def signed(path, form):
    return {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(
        PUBLIC_URL + path, form)}


def call(n):
    return {"CallSid": f"CA{n:032d}", "From": "+447400123456", "To": "+442071838750"}


def timed_post(app, path, form):
    started = time.monotonic()
    response = app.test_client().post(path, data=form, headers=signed(path, form))
    return response, time.monotonic() - started


def fallback_number(response):
    return etree.fromstring(response.get_data()).find("Dial/Number").text


def test_a_postgresql_that_never_answers_gets_the_fallback_in_time(silent, twiml_schema):
    from tests.conftest import assert_valid_twiml

    app = make_app(f"postgresql://postgres:pw@127.0.0.1:{silent.port}/dutyline")
    response, waited = timed_post(app, "/voice/fallback", call(1))
    assert response.status_code == 200 and waited < 0.5  # no database asked at all
    assert fallback_number(response) == "+442079460999"
    for path in ("/voice/incoming", "/voice/status", "/voice/recorded"):
        response, waited = timed_post(app, path, {**call(2), "CallStatus": "completed",
                                                  "RecordingUrl": "https://api.twilio.com/r"})
        assert response.status_code == 200 and waited < BUDGET, (path, waited)
        assert_valid_twiml(twiml_schema, response.get_data())
    started = time.monotonic()
    assert app.test_client().get("/healthz").status_code == 503
    assert time.monotonic() - started < BUDGET
    database.close_all()


def test_a_locked_sqlite_file_keeps_every_call_under_five_seconds(tmp_path):
    """The lock is held for 20 s, four times the budget, while calls keep arriving on four
    threads (four workers): none waits as long as the lock lasts."""
    path = tmp_path / "locked.db"
    app = make_app(f"sqlite:///{path}")
    upgrade()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    held_until = time.monotonic() + 20
    try:
        def calls_while_locked(worker):
            results, n = [], 0
            while time.monotonic() < held_until - 0.5:
                n += 1
                results.append(timed_post(app, "/voice/incoming", call(worker * 1000 + n)))
            return results

        with ThreadPoolExecutor(max_workers=4) as pool:
            answered = [r for rs in pool.map(calls_while_locked, range(4)) for r in rs]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answered
    assert all(response.status_code == 200 for response, _ in answered)
    assert all(fallback_number(response) == "+442079460999" for response, _ in answered)
    worst = max(waited for _, waited in answered)
    assert worst < BUDGET, worst
    database.close_all()


def post_over_http(base, path, form):
    request = urllib.request.Request(base + path, data=urlencode(form).encode(), method="POST",
                                     headers={**signed(path, form), "Content-Type":
                                              "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status, response.read()


def test_a_worker_killed_during_an_outage_comes_back_and_answers(silent, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"postgresql://postgres:pw@127.0.0.1:{silent.port}/x",
           "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_URL": PUBLIC_URL,
           "FALLBACK_NUMBER": "+442079460999", "WEB_CONCURRENCY": "2",
           "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env.pop("DUTYLINE_SETTINGS", None)
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(  # the shipped configuration, its check at start included
        [sys.executable, "-m", "gunicorn", "-c", os.path.join(ROOT, "gunicorn.conf.py"),
         "webhooks:create_app()"], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
        stderr=log.open("w"))
    try:
        def answer():
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    return post_over_http(base, "/voice/fallback", call(1))
                except OSError:
                    time.sleep(0.2)
            pytest.fail("gunicorn did not answer: " + log.read_text()[-2000:])

        assert answer()[0] == 200
        workers = [int(line.rsplit("pid: ", 1)[1].rstrip(")"))
                   for line in log.read_text().splitlines() if "Booting worker with pid" in line]
        os.kill(workers[0], 9)  # the platform kills a worker while the database is down
        time.sleep(1)
        deadline = time.monotonic() + 30
        while log.read_text().count("Booting worker with pid") < 3:
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.2)
        assert server.poll() is None, log.read_text()[-2000:]  # the server is still there
        for n in range(4):  # both workers answer callers with the fallback
            status, body = post_over_http(base, "/voice/incoming", call(n))
            assert status == 200
            assert etree.fromstring(body).find("Dial/Number").text == "+442079460999"
        deadline = time.monotonic() + 30  # and the start said once what is wrong
        while "dutyline.db_check:" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.2)
        assert f"PostgreSQL at 127.0.0.1:{silent.port} did not answer in time" in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
