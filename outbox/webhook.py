"""Ticket events as signed JSON POSTs to the helpdesk's webhook."""

import hashlib
import hmac
import logging

import requests

from outbox.senders import DeliveryError

log = logging.getLogger(__name__)

RETRYABLE = frozenset({408, 409, 425, 429})


def signature(secret, body):
    """The X-Dutyline-Signature value: sha256= and the hex HMAC-SHA256 of the body."""
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookPoster:
    """POSTs JSON bodies, signed with the shared secret."""

    def __init__(self, secret, timeout=10, session=None):
        self.secret = secret
        self.timeout = timeout
        self.session = session or requests.Session()

    def send(self, message):
        """POST one event to the message's URL; 5xx, 408, 429 and network errors may be
        retried, other 4xx not."""
        headers = {"Content-Type": "application/json",
                   "X-Dutyline-Signature": signature(self.secret, message.body)}
        try:
            response = self.session.post(message.recipient, data=message.body.encode(),
                                         headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise DeliveryError(f"webhook unreachable: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 400:
            permanent = response.status_code < 500 and response.status_code not in RETRYABLE
            raise DeliveryError(f"webhook answered {response.status_code}", permanent=permanent)
        log.info("outbox.webhook.send: status=%s", response.status_code)
        return str(response.status_code)
