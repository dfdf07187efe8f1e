"""Limits on signing in, kept in the database so that every web worker and machine sees them.

- A password is checked at most 5 times for one address from one client (its IP) without a
  pause; after the n-th failure from there the next check waits 2^(n-5) minutes (1, 2, 4 …,
  at most a day). Failures are remembered for a day, and a correct password from that
  client forgets them. The owner signing in from another client is not slowed at all by an
  attacker's guesses.
- A client makes at most 20 attempts (passwords and link requests, any addresses) in 15
  minutes: one client guessing one password across many accounts, or filling a mailbox.
- A sign-in link is never refused for failed passwords, and using a mailed link is never
  limited: the owner's mailbox always lets them in.

An attempt is counted and recorded under one lock (SQLite's write lock, taken first;
PostgreSQL's advisory lock of each key), so of 40 guesses sent at once only the first 5 are
checked. Every attempt admitted is recorded before its password is checked; the ones still
being checked count as failures until they end.
"""

import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from peewee import OperationalError, PostgresqlDatabase

from accounts.models import SignInAttempt
from dutyline.db import database

log = logging.getLogger(__name__)

FREE_GUESSES = 5  # password checks for one address from one client before any pause
FIRST_PAUSE = timedelta(minutes=1)  # after the 5th failure; doubled at each one after it
REMEMBERED = timedelta(days=1)  # how long a failure counts, and the longest pause
PER_CLIENT = 20  # attempts of one client in CLIENT_WINDOW
CLIENT_WINDOW = timedelta(minutes=15)
BUSY = timedelta(seconds=5)  # the wait asked for when the lock could not be had in time


@dataclass(frozen=True)
class Rule:
    """Attempts under `key`: `free` of them within `window`, then a pause. Growing: the pause
    follows the last attempt and doubles with each one; else the oldest must leave the window."""

    key: str
    free: int
    window: timedelta
    growing: bool = False

    def wait(self, times, now):
        """How long the next attempt must wait, given the times of the counted ones."""
        counted = sorted(at for at in times if at > now - self.window)
        if len(counted) < self.free:
            return timedelta(0)
        if self.growing:
            pause = min(FIRST_PAUSE * 2 ** min(len(counted) - self.free, 20), self.window)
            return max(counted[-1] + pause - now, timedelta(0))
        return max(counted[len(counted) - self.free] + self.window - now, timedelta(0))


@dataclass(frozen=True)
class Admission:
    """Whether the attempt may go on; when not, how long to wait."""

    allowed: bool
    wait: timedelta = timedelta(0)


def _client(ip):
    return ip or "-"


def password_key(email, ip):
    return f"password:{email.strip().lower()} {_client(ip)}"


def _client_rule(ip):
    return Rule(f"client:{_client(ip)}", PER_CLIENT, CLIENT_WINDOW)


def admit_password(email, ip, now):
    """Count a password attempt for the address from the client, or refuse it."""
    return admit((Rule(password_key(email, ip), FREE_GUESSES, REMEMBERED, growing=True),
                  _client_rule(ip)), now)


def admit_link_request(ip, now):
    """Count a request for a mailed sign-in link: only the client's own rate limits it."""
    return admit((_client_rule(ip),), now)


def password_accepted(email, ip):
    """A correct password: the failures of that address from that client are forgotten."""
    SignInAttempt.delete().where(SignInAttempt.key == password_key(email, ip)).execute()


def _lock_id(key):
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                          signed=True)


@contextmanager
def _locked(keys):
    """A transaction in which nobody else counts the same keys."""
    db = database.obj
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            for key in sorted(keys):  # always in one order: two attempts never deadlock
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_lock_id(key),))
            yield
    else:
        with db.atomic("IMMEDIATE"):  # the write lock before the count is read
            yield


def _forget_old(now):
    try:
        SignInAttempt.delete().where(SignInAttempt.at < now - REMEMBERED).execute()
    except OperationalError as exc:  # a busy moment: they go at a later attempt
        log.info("accounts.throttle: old attempts kept for now: %s", exc)


def admit(rules, now):
    """Under the keys' lock: refuse when any rule asks for a wait, else record the attempt
    under every key. Nothing is recorded for a refused attempt."""
    keys = [rule.key for rule in rules]
    oldest = now - max(rule.window for rule in rules)
    try:
        with _locked(keys):
            times = {key: [] for key in keys}
            for key, at in (SignInAttempt
                            .select(SignInAttempt.key, SignInAttempt.at)
                            .where(SignInAttempt.key.in_(keys), SignInAttempt.at > oldest)
                            .tuples()):
                times[key].append(at)
            wait = max(rule.wait(times[rule.key], now) for rule in rules)
            if wait == timedelta(0):
                SignInAttempt.insert_many([{"key": key, "at": now} for key in keys]).execute()
    except OperationalError as exc:  # the lock not had in time: refused, never let through
        log.warning("accounts.throttle: attempt not counted, refused: %s", exc)
        return Admission(False, BUSY)
    _forget_old(now)
    return Admission(wait == timedelta(0), wait)
