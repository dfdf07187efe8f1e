"""Round robin across processes: four gunicorn workers on PostgreSQL, 200 calls at once."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from lxml import etree
from twilio.request_validator import RequestValidator

from dutyline.db import database, open_database
from dutyline.migrations import upgrade
from rota import engineers as engineer_service
from tests.conftest import ADDED_AT
from tests.postgres import _free_port

TOKEN = "worker-test-token"
CALLS = 200
ENGINEERS = 5
ALWAYS_OPEN = ('holidays = ""\n[hours]\n' +
               "".join(f'{day} = "00:00-24:00"\n'
                       for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")))


@pytest.fixture
def server(postgres_url, tmp_path):
    open_database(postgres_url)
    upgrade()
    with database.connection_context():
        for n in range(ENGINEERS):
            engineer_service.add_engineer(f"Engineer {n}", f"+4479111234{n:02d}", region="GB",
                                          now=ADDED_AT)
            engineer_service.set_signed_in(f"Engineer {n}", True, now=ADDED_AT)
    settings = tmp_path / "dutyline.toml"
    settings.write_text(ALWAYS_OPEN)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": postgres_url, "TWILIO_AUTH_TOKEN": TOKEN,
           "PUBLIC_URL": base, "DUTYLINE_SETTINGS": str(settings)}
    env.pop("LOG_LEVEL", None)
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "webhooks:create_app()"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):  # refused, or slow to answer while starting
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
    yield base, log
    process.terminate()
    process.wait(timeout=20)


def post_call(base, index):
    form = {"CallSid": f"CA{index:032d}", "From": "+447400123456", "To": "+442071838750",
            "CallStatus": "ringing"}
    url = base + "/voice/incoming"
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), method="POST",
        headers={"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, form),
                 "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def test_two_hundred_simultaneous_calls_share_the_first_ring_fairly(server):
    base, log = server
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda i: post_call(base, i), range(CALLS)))
    assert all(status == 200 for status, _ in results)
    first = Counter(etree.fromstring(body).find("Dial/Number").text for _, body in results)
    assert len(first) == ENGINEERS
    share = CALLS / ENGINEERS
    assert all(abs(count - share) <= 1 for count in first.values()), first


def test_each_webhook_logs_one_line_under_gunicorn(server):
    base, log = server
    for index in range(3):
        post_call(base, index)
    time.sleep(0.5)  # the lines reach the file as the workers write them
    lines = [line for line in log.read_text().splitlines()
             if "webhooks.voice: endpoint=/voice/incoming" in line]
    assert len(lines) == 3, log.read_text()[-2000:]
    for index, line in enumerate(sorted(lines, key=lambda line: line.split("call=")[1])):
        assert f"call=CA{index:032d}" in line and "outcome=ok" in line
        assert "decision=Say+Dial+Number" in line and " INFO " in line
    text = log.read_text()
    assert "+447400123456" not in text and TOKEN not in text  # no full numbers, no secrets
