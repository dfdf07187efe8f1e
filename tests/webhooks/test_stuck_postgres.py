"""A PostgreSQL that stops answering on an established connection: every voice webhook still
answers within 5 s (the fallback), and the line recovers by itself once the server answers.

Two ways a real server goes silent while TCP keeps acknowledging: the traffic of a pooled
connection stops mid-query (a stuck network path, here a proxy that stops passing bytes),
and the server's processes are stopped (a stuck disk, a paused machine: SIGSTOP here).
"""

import os
import signal
import socket
import subprocess
import threading
import time

import pytest
from lxml import etree

from dutyline.db import database
from tests.webhooks.test_faults import app_with_ben_signed_in, post_call
from tests.webhooks.test_hanging_database import call as call_form
from tests.webhooks.test_hanging_database import signed
from voicemail.models import Ticket

BUDGET = 5.0  # seconds: Twilio waits 15, the caller should not wait more than this
BEN, FALLBACK = "+447911123401", "+442079460999"
RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"


def signed_post(app, path, form):
    return app.test_client().post(path, data=form, headers=signed(path, form))


class StallingProxy:
    """Passes TCP through to PostgreSQL until `stall()`: then it keeps every connection open
    and reads what arrives, but passes nothing on either way (TCP still acknowledges)."""

    def __init__(self, port):
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stalled = threading.Event()
        self.closed = threading.Event()
        self.sockets = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                while self.stalled.is_set() and not self.closed.is_set():
                    time.sleep(0.05)  # hold what arrived; pass it on only when resumed
                sink.sendall(data)
        except OSError:
            pass

    def stall(self):
        self.stalled.set()

    def resume(self):
        self.stalled.clear()

    def close(self):
        self.closed.set()
        for sock in self.sockets:
            sock.close()


def url_through(url, port):
    head, _, rest = url.rpartition("@")
    host_port, _, name = rest.partition("/")
    return f"{head}@127.0.0.1:{port}/{name}"


def first_number(app, n):
    started = time.monotonic()
    response = post_call(app, n)
    waited = time.monotonic() - started
    response.close()  # as a server does once the answer is sent
    assert response.status_code == 200
    return etree.fromstring(response.get_data()).find("Dial/Number").text, waited


def test_a_connection_whose_traffic_stops_mid_query_costs_seconds_not_the_call(postgres_server):
    proxy = StallingProxy(postgres_server.port)
    try:
        app = app_with_ben_signed_in(url_through(postgres_server.new_database(), proxy.port))
        assert first_number(app, 1)[0] == BEN  # a pooled connection through the proxy
        proxy.stall()
        for n in (2, 3):
            number, waited = first_number(app, n)
            assert number == FALLBACK and waited < BUDGET, (number, waited)
        started = time.monotonic()  # the caller of call 3 leaves a message after the fallback
        recorded = signed_post(app, "/voice/recorded", {**call_form(3),
                                                        "RecordingUrl": RECORDING})
        assert time.monotonic() - started < BUDGET
        assert "We have your message" in recorded.get_data(as_text=True)
        spool = app.extensions["dutyline"].spool
        assert len(spool.waiting()) == 1
        proxy.resume()
        number, waited = first_number(app, 4)  # no restart, no operator: the normal path
        assert number == BEN and waited < BUDGET
        # call 4's answer, once sent, replayed the message kept while the database was stuck
        with database.connection_context():
            assert [t.call.sid for t in Ticket.select()] == [call_form(3)["CallSid"]]
        assert spool.waiting() == []
    finally:
        database.close_all()
        proxy.close()


def server_processes(server):
    """The postmaster and its children, by the pid file in the data folder."""
    with open(os.path.join(server.data, "postmaster.pid")) as handle:
        postmaster = int(handle.readline())
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True,
                              text=True).stdout.split()
    return [postmaster] + [int(pid) for pid in children]


@pytest.fixture
def own_postgres():
    from tests.postgres import TemporaryPostgres

    server = TemporaryPostgres().start()
    yield server
    server.stop()


def test_stopped_server_processes_cost_seconds_not_the_call(own_postgres):
    app = app_with_ben_signed_in(own_postgres.new_database())
    assert first_number(app, 1)[0] == BEN
    processes = server_processes(own_postgres)
    for pid in processes:
        os.kill(pid, signal.SIGSTOP)
    try:
        for n in (2, 3, 4):  # the pooled connection, then new ones that cannot log in
            number, waited = first_number(app, n)
            assert number == FALLBACK and waited < BUDGET, (n, number, waited)
    finally:
        for pid in processes:
            os.kill(pid, signal.SIGCONT)
    deadline = time.monotonic() + 10
    while (number := first_number(app, 5)[0]) != BEN and time.monotonic() < deadline:
        time.sleep(0.2)
    assert number == BEN  # back by itself once the server runs again
    database.close_all()
