"""Text messages out: the small Sms interface, Twilio's REST client behind it, a recording fake."""

import logging
from dataclasses import dataclass, field
from typing import Protocol

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from dutyline.phones import masked
from outbox.senders import DeliveryError

log = logging.getLogger(__name__)


class Sms(Protocol):
    def send(self, to, body):
        """Hand one text to the provider; return its id, or raise DeliveryError."""


# Answers that a later attempt can fix: the provider or the network was having a bad moment
# (408, 409, 425, 429), or our credentials are wrong (401), which an operator can put right
# without every queued text being given up at once.
RETRYABLE_STATUS = frozenset({401, 408, 409, 425, 429})


class TwilioSms:
    """Sends texts with Twilio's REST client from one sender number (the support number)."""

    def __init__(self, account_sid, auth_token, from_number, client=None, timeout=20):
        self.from_number = from_number
        self.client = client or Client(account_sid, auth_token, http_client=_http_client(timeout))

    def send(self, to, body):
        """Create the message at Twilio; 5xx, 401, 429 and network errors may be retried."""
        try:
            message = self.client.messages.create(to=to, from_=self.from_number, body=body)
        except TwilioRestException as exc:
            permanent = exc.status < 500 and exc.status not in RETRYABLE_STATUS
            raise DeliveryError(f"twilio status={exc.status} code={exc.code}: {exc.msg}",
                                permanent=permanent) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise DeliveryError(f"twilio unreachable: {exc.__class__.__name__}: {exc}") from exc
        log.info("outbox.sms.send: to=%s sid=%s", masked(to), message.sid)
        return message.sid


def _http_client(timeout):
    from twilio.http.http_client import TwilioHttpClient

    return TwilioHttpClient(timeout=timeout)


@dataclass
class RecordingSms:
    """A fake that keeps what it was asked to send; `fail_with` makes the next sends fail."""

    sent: list = field(default_factory=list)
    fail_with: list = field(default_factory=list)

    def send(self, to, body):
        """Record the text (or raise the next queued DeliveryError) and return a fake id."""
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((to, body))
        return f"SMfake{len(self.sent):04d}"
