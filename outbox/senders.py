"""What every outbox channel's sender promises, and a recording fake that keeps it.

A sender takes one outbox message (its channel's fields: recipient, subject, body, the
dedupe and thread keys, when it was queued) and hands it to the provider: `send(message)`
returns the provider's id for it, or raises DeliveryError.
"""

from dataclasses import dataclass, field
from typing import Protocol


class DeliveryError(Exception):
    """A message that could not be handed over; `permanent` says whether a retry can help."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class Sender(Protocol):
    def send(self, message):
        """Hand one outbox message to the provider; return its id, or raise DeliveryError."""


@dataclass
class RecordingSender:
    """A fake sender for any channel: it keeps the messages it was asked to send, and
    `fail_with` makes the next sends raise those errors instead."""

    sent: list = field(default_factory=list)
    fail_with: list = field(default_factory=list)

    def send(self, message):
        """Record the message (or raise the next queued DeliveryError); return a fake id."""
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append(message)
        return f"fake-{message.channel}-{len(self.sent):04d}"

    def texts(self):
        """What was sent, as (recipient, body) pairs."""
        return [(message.recipient, message.body) for message in self.sent]
