"""Ticket events as signed JSON POSTs to the helpdesk's webhook, each with a delivery id."""

import hashlib
import hmac
import logging
from datetime import timezone

import requests

from outbox.senders import DeliveryError

log = logging.getLogger(__name__)

RETRYABLE = frozenset({408, 409, 425, 429})


def signature(secret, body):
    """The X-Dutyline-Signature value: sha256= and the hex HMAC-SHA256 of the body."""
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def delivery_id(message):
    """The X-Dutyline-Delivery value of an outbox row: its id and the instant it was queued
    (`42.20261201T100000.000000Z`). It is the same at every attempt, so a receiver can drop
    the repeat a crash between its answer and the outbox's record can cause; the instant
    keeps it apart from a row of another database, or of one started afresh, with the same
    id (whose ticket numbers and keys repeat too)."""
    queued = message.created_at.astimezone(timezone.utc)
    return f"{message.id}.{queued:%Y%m%dT%H%M%S.%fZ}"


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
                   "X-Dutyline-Signature": signature(self.secret, message.body),
                   "X-Dutyline-Delivery": delivery_id(message)}
        try:
            response = self.session.post(message.recipient, data=message.body.encode(),
                                         headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise DeliveryError(f"webhook unreachable: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 400:
            permanent = response.status_code < 500 and response.status_code not in RETRYABLE
            raise DeliveryError(f"webhook answered {response.status_code}", permanent=permanent)
        log.info("outbox.webhook.send: status=%s delivery=%s", response.status_code,
                 headers["X-Dutyline-Delivery"])
        return str(response.status_code)
