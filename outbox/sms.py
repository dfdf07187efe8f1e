"""Text messages out through Twilio's REST client."""

import logging

from twilio.rest import Client

from dutyline.phones import masked
from outbox.twilio_errors import delivery_errors

log = logging.getLogger(__name__)

class TwilioSms:
    """Sends texts with Twilio's REST client from one sender number (the support number)."""

    def __init__(self, account_sid, auth_token, from_number, client=None, timeout=20):
        self.from_number = from_number
        self.client = client or Client(account_sid, auth_token, http_client=_http_client(timeout))

    def send(self, message):
        """Create the text at Twilio; 5xx, 401, 429 and network errors may be retried."""
        with delivery_errors():
            created = self.client.messages.create(to=message.recipient, from_=self.from_number,
                                                  body=message.body)
        log.info("outbox.sms.send: to=%s sid=%s", masked(message.recipient), created.sid)
        return created.sid


def _http_client(timeout):
    from twilio.http.http_client import TwilioHttpClient

    return TwilioHttpClient(timeout=timeout)
