"""Engineer legs made through Twilio's REST API: the small Dialer interface and a recording fake.

Overlapped hunting rings several engineers while the caller waits in a queue, so each leg
is an outbound call of its own (Calls resource) whose answer runs the whisper. The web layer
builds one Dialer in create_app; tests use `responses` against the real client, or the fake.
"""

import logging
import re
import secrets
from dataclasses import dataclass, field

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from dutyline.phones import masked
from telephony.models import CALL_SID

log = logging.getLogger(__name__)

# A leg that cannot be started quickly is worth less than falling back to ringing one
# engineer at a time: the caller is waiting.
REST_TIMEOUT_SECONDS = 3


class DialerError(Exception):
    """Twilio's REST API refused or did not answer in time."""


NUMBER = re.compile(r"\+?\d[\d ]{5,}\d")


def _described(exc):
    """The failure in one line for the log, any phone number in it masked."""
    text = f"{exc.__class__.__name__}: {exc}".splitlines()[0] if str(exc) else \
        exc.__class__.__name__
    return NUMBER.sub(lambda match: masked(match.group().replace(" ", "")), text)


class TwilioDialer:
    """Starts and stops engineer legs with Twilio's REST client."""

    def __init__(self, account_sid, auth_token, client=None, timeout=REST_TIMEOUT_SECONDS):
        self.client = client or Client(account_sid, auth_token,
                                       http_client=TwilioHttpClient(timeout=timeout))

    def start(self, to, from_, url, status_callback, timeout):
        """Ring `to`; Twilio fetches `url` (the whisper) when it is picked up. Returns the CallSid."""
        try:
            call = self.client.calls.create(
                to=to, from_=from_, url=url, method="POST", timeout=timeout,
                status_callback=status_callback, status_callback_method="POST",
                status_callback_event=["initiated", "ringing", "answered", "completed"])
        except (TwilioRestException, TwilioException, requests.RequestException) as exc:
            raise DialerError(_described(exc)) from exc
        if not isinstance(call.sid, str) or not CALL_SID.fullmatch(call.sid):
            # no leg anyone could follow or stop: as good as refused
            raise DialerError(f"answer without a CallSid: {str(call.sid)[:40]!r}")
        log.info("telephony.dialer.start: to=%s sid=%s", masked(to), call.sid)
        return call.sid

    def stop(self, sid, ringing):
        """End a leg nobody needs any more: cancel it while it rings, hang it up once answered.
        A leg picked up in the instant before it was cancelled is left in progress by the
        cancel (Twilio answers with its status): it is hung up too."""
        try:
            call = self.client.calls(sid).update(status="canceled" if ringing else "completed")
            if ringing and getattr(call, "status", None) == "in-progress":
                self.client.calls(sid).update(status="completed")
        except (TwilioRestException, TwilioException, requests.RequestException) as exc:
            raise DialerError(_described(exc)) from exc


@dataclass
class RecordingDialer:
    """A fake that keeps the legs it was asked to start and stop; `fail` makes starts fail."""

    started: list = field(default_factory=list)  # dicts of the start() arguments plus "sid"
    stopped: list = field(default_factory=list)  # (sid, ringing)
    fail: bool = False

    def start(self, to, from_, url, status_callback, timeout):
        if self.fail:
            raise DialerError("refused (fake)")
        sid = f"CA{secrets.token_hex(16)}"  # of the shape Twilio gives a CallSid
        self.started.append({"to": to, "from_": from_, "url": url, "timeout": timeout,
                             "status_callback": status_callback, "sid": sid})
        return sid

    def stop(self, sid, ringing):
        self.stopped.append((sid, ringing))
