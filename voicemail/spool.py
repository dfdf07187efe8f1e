"""A local, durable spool for callers' messages the database could not take.

When a recording callback cannot reach the database, what it said is written to a file of
its own in the spool's folder and forced to disk (fsync of the file and of the folder)
before the caller hears anything, and replayed later by the first process of this machine
that reaches the database again: the web app after a request, the outbox worker or the
clock at each pass. A replay applies the event (voicemail.messages.record_message, which is
idempotent per call) and only then removes the file, so a crash between the two repeats the
event, never loses it, and a repeat changes nothing. Replays on one machine take turns
through a lock on the folder; each machine replays its own folder.
"""

import fcntl
import json
import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseError, InterfaceError

from voicemail.messages import MessageEvent

log = logging.getLogger(__name__)

SUFFIX = ".json"
LOCK_NAME = ".replay.lock"
DATABASE_FAULTS = (DatabaseError, InterfaceError)


class Spool:
    """The spool folder of this machine (made when first needed)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def keep(self, event):
        """Write the event to its own file, durably; returns the file's path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = event.received_at.strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{event.call_sid}-{event.kind}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        final = self.folder / name
        partial = self.folder / f".{name}.partial"  # never read as an event: no SUFFIX end
        data = json.dumps(event.as_dict(), sort_keys=True).encode()
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.rename(partial, final)
        self._sync_folder()
        return final

    def waiting(self):
        """The kept events' files, oldest first."""
        try:
            names = sorted(entry.name for entry in os.scandir(self.folder)
                           if entry.name.endswith(SUFFIX) and not entry.name.startswith("."))
        except FileNotFoundError:
            return []
        return [self.folder / name for name in names]

    def replay(self, apply):
        """Apply each kept event oldest first, removing its file once applied; returns how
        many were applied. Stops at a database fault (the file stays for the next replay);
        an event that cannot be applied for another reason is logged and set aside in
        `failed/` for a person to look at, so it never blocks the ones after it."""
        if not self.waiting():
            return 0
        applied = 0
        with self._turn() as mine:
            if not mine:
                return 0  # another process of this machine is replaying now
            for path in self.waiting():
                try:
                    event = MessageEvent.from_dict(json.loads(path.read_bytes()))
                except FileNotFoundError:
                    continue
                except (ValueError, KeyError, TypeError) as exc:
                    self._set_aside(path, exc)
                    continue
                try:
                    apply(event)
                except DATABASE_FAULTS:
                    raise
                except Exception as exc:  # a fault of this event, not of the database
                    self._set_aside(path, exc)
                    continue
                path.unlink(missing_ok=True)
                self._sync_folder()
                applied += 1
                log.info("voicemail.spool.replay: applied kind=%s call=%s", event.kind,
                         event.call_sid)
        return applied

    @contextmanager
    def _turn(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / LOCK_NAME, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _set_aside(self, path, exc):
        failed = self.folder / "failed"
        failed.mkdir(exist_ok=True)
        os.replace(path, failed / path.name)
        self._sync_folder()
        log.error("voicemail.spool.replay: could not apply, set aside file=failed/%s error=%s",
                  path.name, type(exc).__name__)

    def _sync_folder(self):
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
