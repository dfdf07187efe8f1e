"""Database faults are logged once per incident, not once per request."""

import logging
import threading

from peewee import DatabaseError, InterfaceError

from dutyline.db import what_ended
from dutyline.plain_text import for_log

log = logging.getLogger(__name__)

DATABASE_FAULTS = (DatabaseError, InterfaceError, OSError)


class IncidentLog:
    """Tracks whether the database is failing; logs the start and the end of each incident."""

    def __init__(self, what="database"):
        self.what = what
        self._lock = threading.Lock()
        self.open = False
        self.failures = 0
        self.last_failure_at = None  # the instant given with the latest failure, if any

    def failed(self, exc, endpoint, at=None):
        with self._lock:
            self.failures += 1
            starting = not self.open
            self.open = True
            if at is not None:
                self.last_failure_at = at
        if starting:
            exc = what_ended(exc)  # a full disk, not the failed rollback after it
            log.error("webhooks.incidents: %s unavailable endpoint=%s error=%s: %s", self.what,
                      for_log(endpoint), type(exc).__name__,
                      for_log(str(exc).splitlines()[0]) if str(exc) else "")

    def failing_since(self, now, within):
        """True while an incident is open and its latest failure is less than `within` old."""
        last = self.last_failure_at
        return self.open and last is not None and now - last < within

    def succeeded(self):
        if not self.open:
            return
        with self._lock:
            if not self.open:
                return
            failures, self.open, self.failures = self.failures, False, 0
        log.warning("webhooks.incidents: %s back after failed_requests=%d", self.what, failures)
