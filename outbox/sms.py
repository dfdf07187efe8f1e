"""Text messages out through Twilio's REST client."""

import logging

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from dutyline.phones import masked
from outbox.senders import DeliveryError

log = logging.getLogger(__name__)

# Answers that a later attempt can fix: the provider or the network was having a bad moment
# (408, 409, 425, 429), or our credentials are wrong (401), which an operator can put right
# without every queued text being given up at once.
RETRYABLE_STATUS = frozenset({401, 408, 409, 425, 429})


class TwilioSms:
    """Sends texts with Twilio's REST client from one sender number (the support number)."""

    def __init__(self, account_sid, auth_token, from_number, client=None, timeout=20):
        self.from_number = from_number
        self.client = client or Client(account_sid, auth_token, http_client=_http_client(timeout))

    def send(self, message):
        """Create the text at Twilio; 5xx, 401, 429 and network errors may be retried."""
        try:
            created = self.client.messages.create(to=message.recipient, from_=self.from_number,
                                                  body=message.body)
        except TwilioRestException as exc:
            permanent = exc.status < 500 and exc.status not in RETRYABLE_STATUS
            raise DeliveryError(f"twilio status={exc.status} code={exc.code}: {exc.msg}",
                                permanent=permanent) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise DeliveryError(f"twilio unreachable: {exc.__class__.__name__}: {exc}") from exc
        log.info("outbox.sms.send: to=%s sid=%s", masked(message.recipient), created.sid)
        return created.sid


def _http_client(timeout):
    from twilio.http.http_client import TwilioHttpClient

    return TwilioHttpClient(timeout=timeout)
