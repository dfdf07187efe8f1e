"""The outbox: messages queued with the change that causes them, delivered later with retries."""
