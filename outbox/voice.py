"""Spoken calls out through Twilio's REST API (Calls resource), behind the outbox's sender
contract: `send(message)` starts the call and returns its CallSid, or raises DeliveryError.

The call's words are not in the request: Twilio fetches them, when the call is answered,
from the URL `answer_url(message)` gives (a signed endpoint of the app, whose URL carries
a token for this one message), so what is said is decided at that moment (a ticket
acknowledged meanwhile is not asked for again).
"""

import logging

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from dutyline.phones import masked
from outbox.twilio_errors import delivery_errors

log = logging.getLogger(__name__)

RING_SECONDS = 30  # long enough to wake someone; a personal voicemail usually answers later
REST_TIMEOUT_SECONDS = 10


class TwilioVoiceCall:
    """Rings the message's recipient from the support number; Twilio asks `answer_url`
    what to say once it is answered."""

    def __init__(self, account_sid, auth_token, from_number, answer_url, client=None,
                 timeout=REST_TIMEOUT_SECONDS, status_url=None):
        self.from_number = from_number
        self.answer_url = answer_url
        self.status_url = status_url  # where Twilio says how the call ended (logged)
        self.client = client or Client(account_sid, auth_token,
                                       http_client=TwilioHttpClient(timeout=timeout))

    def send(self, message):
        """Start the call; 5xx, 401, 429 and network errors may be retried, other 4xx not."""
        status = {}
        if self.status_url is not None:
            status = {"status_callback": self.status_url(message),
                      "status_callback_method": "POST", "status_callback_event": ["completed"]}
        with delivery_errors():
            call = self.client.calls.create(to=message.recipient, from_=self.from_number,
                                            url=self.answer_url(message), method="POST",
                                            timeout=RING_SECONDS, **status)
        log.info("outbox.voice.send: to=%s sid=%s key=%s", masked(message.recipient), call.sid,
                 message.dedupe_key)
        return call.sid
