"""The outbox worker and the clock ride out a database outage: one line when it starts, one
when it ends, never a traceback a pass, and the work goes on without a restart."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.postgres import TemporaryPostgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_postgres():
    server = TemporaryPostgres().start()
    yield server
    server.stop()


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def connections(url):
    import psycopg

    with psycopg.connect(url) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def read(logs):
    return "\n".join(f"{name}: {log.read_text()}" for name, log in logs.items())


def test_outbox_worker_and_clock_wait_out_a_stopped_postgresql(own_postgres, tmp_path):
    url = own_postgres.new_database()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TWILIO_", "SMTP_", "TICKET_", "DUTYLINE_", "LOG_"))}
    env.update(DATABASE_URL=url, OUTBOX_FOLDER=str(tmp_path / "sent"), PYTHONPATH=str(ROOT))
    dutyline = [sys.executable, "-c", "from console.main import main; main()"]
    subprocess.run(dutyline + ["db", "init"], env=env, cwd=tmp_path, check=True,
                   capture_output=True)
    logs = {name: tmp_path / f"{name}.log" for name in ("worker", "clock")}
    processes = [
        subprocess.Popen(dutyline + args, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                         stderr=logs[name].open("w"))
        for name, args in (("worker", ["outbox", "work", "--interval", "0.2"]),
                           ("clock", ["clock", "--interval", "0.2"]))]
    try:
        # both started, past their start-up check, and holding a pooled connection
        assert wait_for(lambda: connections(url) >= 2, 60), read(logs)
        own_postgres.halt()
        assert wait_for(lambda: all("database unavailable" in log.read_text()
                                    for log in logs.values())), read(logs)
        time.sleep(2)  # ten passes or so against the stopped server
        own_postgres.resume()
        assert wait_for(lambda: all("database back" in log.read_text()
                                    for log in logs.values())), read(logs)
        assert all(process.poll() is None for process in processes)  # never exited
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
    port = own_postgres.port
    for log in logs.values():
        text = log.read_text()
        assert "Traceback" not in text, text
        down = [line for line in text.splitlines() if "database unavailable" in line]
        assert len(down) == 1, text
        # refused, or turned away while it shuts down: either way one line naming the server
        assert "database unavailable: " in down[0] and f"127.0.0.1:{port}" in down[0], text
        assert down[0].endswith("; trying again every 0.2s"), text
        assert len([line for line in text.splitlines() if "database back" in line]) == 1
        assert own_postgres.PASSWORD not in text
