"""The shipped gunicorn configuration keeps answering calls while slow clients hold connections."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from dutyline.db import open_database
from dutyline.migrations import upgrade
from tests.postgres import _free_port

TOKEN = "gunicorn-test-token"
ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 16


@contextmanager
def gunicorn(database_url, tmp_path):
    """The shipped configuration serving the app on a free port; yields (port, base URL)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": TOKEN,
           "PUBLIC_URL": base, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "PYTHONPATH": str(ROOT)}
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "webhooks:create_app()"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
    try:
        yield port, base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def server(database_url, tmp_path):
    open_database(database_url)
    upgrade()
    with gunicorn(database_url, tmp_path) as served:
        yield served


def trickle(port, stop):
    """A client that sends its request a byte at a time, as slowly as it dares."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /voice/incoming HTTP/1.1\r\nHost: x\r\n")
        for byte in b"Content-Type: application/x-www-form-urlencoded\r\n" * 20:
            if stop.wait(0.5):
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return


def real_call(base):
    form = {"CallSid": "CA" + "4" * 32, "From": "+447400123456", "To": "+442071838750",
            "CallStatus": "ringing"}
    url = base + "/voice/incoming"
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), method="POST",
        headers={"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, form),
                 "Content-Type": "application/x-www-form-urlencoded"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200 and b"<Response>" in response.read()
    return time.monotonic() - started


def test_a_call_is_answered_while_slow_clients_trickle(server):
    port, base = server
    stop = threading.Event()
    clients = [threading.Thread(target=trickle, args=(port, stop)) for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    try:
        time.sleep(1.5)  # every slow client has connected and started its request
        assert real_call(base) < 5, "a real call waited behind the slow clients"
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)


def test_an_older_schema_is_one_line_at_start_and_callers_are_still_answered(tmp_path,
                                                                              twiml_schema):
    from dutyline.migrations import LATEST
    from tests.conftest import assert_valid_twiml
    from tests.test_migrations import make_first_release_database

    url = f"sqlite:///{tmp_path / 'first-release.db'}"
    make_first_release_database(url)
    with gunicorn(url, tmp_path) as (_port, base):
        for n in range(3):
            form = {"CallSid": f"CA{n:032x}", "From": "+447400123456", "To": "+442071838750"}
            request = urllib.request.Request(
                base + "/voice/incoming", data=urllib.parse.urlencode(form).encode(),
                headers={"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(
                    base + "/voice/incoming", form)})
            with urllib.request.urlopen(request, timeout=15) as response:
                assert response.status == 200
                assert_valid_twiml(twiml_schema, response.read())
    text = (tmp_path / "gunicorn.log").read_text()
    lines = [line for line in text.splitlines() if "this version needs" in line]
    assert len(lines) == 1, text
    assert (f"dutyline.db_check: the database is at schema 1, this version needs {LATEST}: run dutyline "
            "db upgrade; until then callers get the fallback") in lines[0]
    assert "Traceback" not in text, text
