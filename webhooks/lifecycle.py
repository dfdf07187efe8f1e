"""One request lifecycle for every endpoint: the connection, failures, one timed log line.

    @bp.post("/incoming")
    @twilio_only                    # the signature first: a forged request costs nothing more
    @VOICE                          # connect, run, answer failures, log
    def incoming(): ...

The connection is opened by the handler's first query (after the checks that need no
database; an endpoint with no query never opens one) and given back to the pool when the
request ends. A database fault, while connecting or later, is one
incident (webhooks.incidents) and the channel's own answer (on /voice/: the fallback TwiML).
"""

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass
from functools import wraps

from flask import g, request

from dutyline.db import database
from dutyline.deadline import deadlines
from dutyline.plain_text import for_log
from webhooks.incidents import DATABASE_FAULTS
from webhooks.runtime import runtime


def note(**fields):
    """Fields for this request's log line (after the outcome); never a secret."""
    g.setdefault("log_fields", {}).update(fields)


@dataclass(frozen=True)
class Lifecycle:
    """How one kind of endpoint is logged and what it answers when its handler failed.

    `subject(form)` names what the request is about (e.g. 'call=CA…'); `describe(response)`
    adds what the answer did; `on_failure()` is the answer after a failure, or None to let
    the app's last resort answer. With `deadline` (seconds), the handler's database work is
    cut when it runs longer (dutyline.deadline): a database that stops answering costs the
    request its fallback, never Twilio's patience, and the connection it held is thrown away.
    """

    channel: str  # the log line's prefix and the logger's name
    subject: object = None
    describe: object = None
    on_failure: object = None
    deadline: float | None = None

    def __call__(self, view):
        log = logging.getLogger(self.channel)

        @wraps(view)
        def lived(*args, **kwargs):
            started = time.perf_counter()
            incidents = runtime().incidents
            bounded = deadlines.bounded(self.deadline) if self.deadline else nullcontext()
            try:
                # connected by the first query (peewee's autoconnect), so an endpoint that
                # needs no database (/voice/fallback) never waits for one
                g.opened_database = database.is_closed()
                with bounded as limit:
                    try:
                        response = view(*args, **kwargs)
                    finally:
                        if limit is not None and limit.expired:
                            _throw_away_connection()
                outcome = "ok"
                if not g.get("database_failed"):
                    incidents.succeeded()
            except DATABASE_FAULTS as exc:
                g.database_failed = True
                incidents.failed(exc, route_of())  # the route: a feed's path holds its token
                if self.on_failure is None:
                    self._log(log, started, "failed", None)
                    raise
                response, outcome = self.on_failure(), "fallback"
            except Exception:  # whatever broke, the channel's own answer
                if self.on_failure is None:
                    self._log(log, started, "failed", None)
                    raise
                log.exception("%s: failed endpoint=%s %s", self.channel, for_log(route_of()),
                              for_log(self.subject(request.form)) if self.subject else "")
                response, outcome = self.on_failure(), "fallback"
            self._log(log, started, outcome, response)
            return response

        return lived

    def _log(self, log, started, outcome, response):
        if not log.isEnabledFor(logging.INFO):
            return
        parts = [f"{self.channel}: endpoint={route_of()}"]
        if self.subject is not None:
            parts.append(self.subject(request.form))
        parts.append(f"outcome={outcome}")
        if response is not None and self.describe is not None:
            parts.append(self.describe(response))
        parts.extend(f"{key}={value}" for key, value in g.get("log_fields", {}).items())
        # the subject and the notes repeat what the request said (a CallSid, a feed's name)
        log.info("%s ms=%.1f", for_log(" ".join(parts)), (time.perf_counter() - started) * 1000)


def database_failed(exc):
    """A handler that answered despite a database fault says so: one incident, not its end."""
    g.database_failed = True
    runtime().incidents.failed(exc, route_of())


def _throw_away_connection():
    """The connection a cut request held goes, rather than back to the pool."""
    if database.is_closed():
        return
    try:
        if hasattr(database, "manual_close"):
            database.manual_close()  # pooled: closed for good, the pool opens another
        else:
            database.close()
    except DATABASE_FAULTS:
        pass  # already broken: closed all the same


def route_of(req=request):
    # the route's pattern, not the path: a feed's path holds its secret token
    rule = req.url_rule
    return rule.rule if rule is not None else req.path


def init_app(app):
    """Give the request's connection back when the request ends."""

    @app.teardown_request
    def close_database(_exc):
        # only the connection this request opened; a CLI command or test may hold its own
        if g.pop("opened_database", False) and not database.is_closed():
            database.close()
