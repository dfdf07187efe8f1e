"""A report never holds up a caller: while the widest report a manager may ask counts the
figures of every closed day and month of three years, calls arriving on another thread are
each answered with their hunt, never the fallback a call gets when the database keeps it
waiting; and every transaction the report opens keeps at most one unit and counts nothing
of the call log (the counting is done outside, while arrivals write)."""

import threading
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from lxml import etree

from dutyline.db import database
from reports.limits import MAX_DAYS
from reports.models import ReportUnit
from telephony.models import Call, Leg

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
COUNT_LOG = ('FROM "call"', 'FROM "leg"', 'FROM "ticket"', 'JOIN "leg"', 'JOIN "call"')
UNIT_WRITES = ('INSERT INTO "report_unit"', 'UPDATE "report_unit"')


def log_years(first, days, engineer):
    """Two calls a day from `first` on, one answered by `engineer` and one abandoned."""
    calls, legs = [], []
    for n in range(days):
        at = datetime.combine(first + timedelta(days=n), datetime.min.time(),
                              tzinfo=timezone.utc) + timedelta(hours=9, minutes=n % 60)
        for kind in range(2):
            calls.append({"sid": f"CA{n * 2 + kind + 1:032d}", "from_number": "+447400123456",
                          "started_at": at + timedelta(hours=kind), "mode": "in_hours",
                          "status": "answered" if kind == 0 else "missed",
                          "answered_at": at + timedelta(seconds=9) if kind == 0 else None,
                          "answered_by": engineer.id if kind == 0 else None,
                          "ringing_at": at + timedelta(hours=kind, seconds=1),
                          "ended_at": at + timedelta(hours=kind, seconds=90 if kind == 0 else 30)})
    for batch in range(0, len(calls), 500):
        Call.insert_many(calls[batch:batch + 500]).execute()
    for call in Call.select(Call.id, Call.started_at, Call.answered_at, Call.ended_at):
        legs.append({"call": call.id, "step": 0, "engineer": engineer.id,
                     "number": "+447911123401", "role": "hunt", "started_at": call.started_at,
                     "ringing_at": call.started_at + timedelta(seconds=1),
                     "accepted_at": call.answered_at, "ended_at": call.ended_at,
                     "outcome": "accepted" if call.answered_at else "no-answer"})
    for batch in range(0, len(legs), 500):
        Leg.insert_many(legs[batch:batch + 500]).execute()


class Transactions:
    """The statements each thread ran, transaction by transaction (through peewee's query
    hooks and the database's begin, commit and rollback)."""

    def __init__(self, monkeypatch):
        db = database.obj
        self.open, self.closed, self.lock = {}, [], threading.Lock()
        db.query_hooks.append(self.statement)
        for name in ("commit", "rollback"):
            monkeypatch.setattr(db, name, self.ending(getattr(db, name)))
        monkeypatch.setattr(db, "begin", self.beginning(db.begin))

    def beginning(self, begin):
        def wrapped(*args, **kwargs):
            begin(*args, **kwargs)
            self.open[threading.get_ident()] = []
        return wrapped

    def ending(self, end):
        def wrapped(*args, **kwargs):
            statements = self.open.pop(threading.get_ident(), None)
            try:
                return end(*args, **kwargs)
            finally:
                if statements is not None:
                    with self.lock:
                        self.closed.append((threading.get_ident(), statements))
        return wrapped

    def statement(self, event):
        found = self.open.get(threading.get_ident())
        if found is not None:
            found.append(event.sql)

    def of(self, thread):
        return [statements for ident, statements in self.closed if ident == thread.ident]


def test_calls_arriving_during_the_widest_report_are_answered_as_usual(
        app, manager, make_engineer, clock, twilio, monkeypatch):
    clock.set(TUESDAY_10)
    ben = make_engineer("Ben Smith", signed_in=True)
    make_engineer("Tobi Jones", signed_in=True)
    today = TUESDAY_10.date()
    first = today - timedelta(days=MAX_DAYS - 1)
    with database.connection_context():
        log_years(first, MAX_DAYS, ben)
        assert ReportUnit.select().count() == 0  # every closed day and month to count
    transactions = Transactions(monkeypatch)

    answers = {}

    def ask():
        started = time.monotonic()
        response = manager.get(f"/reports?from={first}&to={today}")
        answers["report"] = (response.status_code, response.get_data(as_text=True),
                             time.monotonic() - started)

    reporter = threading.Thread(target=ask)
    reporter.start()
    arrivals, during = [], 0
    while reporter.is_alive() or len(arrivals) < 5:
        form = {"CallSid": f"CA{9_000_000 + len(arrivals):032d}", "From": "+447400123456",
                "To": "+442071838750", "CallStatus": "ringing"}
        response = twilio.post("/voice/incoming", form)
        arrivals.append((response.status_code, response.get_data()))
        during += reporter.is_alive()
        time.sleep(0.02)
    reporter.join(timeout=60)
    assert during >= 10

    status, page, seconds = answers["report"]
    assert status in (200, 503), page  # the figures, or "still counting: ask again"
    assert seconds < 10
    for code, body in arrivals:  # each arrival rang an engineer: none waited for the report
        document = etree.fromstring(body)
        assert code == 200 and document.find("Dial/Number") is not None, body
    # while the report held the write lock it counted nothing and kept one unit at a time
    report_transactions = transactions.of(reporter)
    assert report_transactions
    for statements in report_transactions:
        assert not [sql for sql in statements if any(part in sql for part in COUNT_LOG)]
        assert sum(sql.startswith(UNIT_WRITES) for sql in statements) <= 1, statements
    with database.connection_context():
        assert ReportUnit.select().count() > 0
