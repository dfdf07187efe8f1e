"""Recording callbacks: a caller's message is kept whatever the database does.

The database takes it when it can (voicemail.messages.record_message); when it cannot, or
anything else goes wrong, the callback is written to this machine's spool
(voicemail.spool) before the answer, and replayed once the database is back: after a later
request of the web app, and at each pass of the outbox worker and the clock.
"""

import logging
import threading
import time

from flask import current_app, g

from dutyline.db import database
from dutyline.phones import masked
from dutyline.plain_text import for_log
from voicemail.messages import MessageEvent, record_message
from webhooks import twilio_form
from webhooks.incidents import DATABASE_FAULTS
from webhooks.lifecycle import database_failed
from webhooks.runtime import runtime

log = logging.getLogger(__name__)

REPLAY_EVERY_SECONDS = 5.0  # a web process tries to replay at most this often
_try_lock = threading.Lock()


def event_of(kind, form, now):
    """The recording callback's MessageEvent, or None when the form names no call."""
    sid = twilio_form.call_sid(form)
    if not sid:
        return None
    return MessageEvent(kind=kind, call_sid=sid, from_number=twilio_form.number(form, "From"),
                        to_number=twilio_form.number(form, "To"), received_at=now,
                        recording_url=form.get("RecordingUrl"),
                        seconds=form.get("RecordingDuration"),
                        recording_sid=form.get("RecordingSid"),
                        transcript=form.get("TranscriptionText"))


class Taken:
    """What became of a message: its ticket, or kept on disk for later (ticket None)."""

    def __init__(self, ticket=None, kept=False):
        self.ticket, self.kept = ticket, kept


def take(event):
    """Record the event in the database, else keep it on disk; a Taken."""
    rt = runtime()
    try:
        return Taken(ticket=record_message(event, rt.settings, rt.delivery))
    except Exception as exc:  # the database away, cut by the deadline, or a fault of ours
        if isinstance(exc, DATABASE_FAULTS):
            database_failed(exc)
        else:
            log.exception("webhooks.messages.take: failed kind=%s call=%s", event.kind,
                          event.call_sid)
        try:
            path = rt.spool.keep(event)
        except OSError:
            # the last trace of the message: the recording stays at Twilio under this link
            log.exception("webhooks.messages.take: could not keep the message on disk either "
                          "kind=%s call=%s from=%s recording=%s", event.kind, event.call_sid,
                          masked(event.from_number), for_log(event.recording_url))
            raise
        log.warning("webhooks.messages.take: kept on disk for later kind=%s call=%s file=%s "
                    "error=%s", event.kind, event.call_sid, path.name, type(exc).__name__)
        return Taken(kept=True)


def replay_kept(rt):
    """Apply what this machine's spool holds (under the caller's connection); how many."""
    return rt.spool.replay(lambda event: record_message(event, rt.settings, rt.delivery))


def replay_after_response(response):
    """After a request that met no database fault, when messages wait on disk (and at most
    every few seconds): replay them once the answer is sent, so no caller waits on it."""
    rt = runtime()
    if g.get("database_failed") or rt.spool is None or not rt.spool.waiting():
        return response
    app = current_app._get_current_object()
    last_try = app.extensions.setdefault("dutyline.spool_replayed", [float("-inf")])
    with _try_lock:
        now = time.monotonic()
        if now - last_try[0] < REPLAY_EVERY_SECONDS:
            return response
        last_try[0] = now

    def run():
        with app.app_context():
            try:
                with database.connection_context():
                    replay_kept(rt)
            except DATABASE_FAULTS as exc:
                log.warning("webhooks.messages.replay: database still unavailable error=%s",
                            type(exc).__name__)
            except Exception:
                log.exception("webhooks.messages.replay: failed")

    response.call_on_close(run)
    return response


def init_app(app):
    app.after_request(replay_after_response)
