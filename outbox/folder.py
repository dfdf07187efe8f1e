"""Senders for trials: every message is written to a file in a folder instead of being sent.

With OUTBOX_FOLDER set, `dutyline outbox work` hands texts, mails and ticket webhooks to
these senders: nothing leaves the machine, and each message can be read where it landed.
"""

import os
import re
from itertools import count

from outbox.models import EMAIL, SMS, WEBHOOK


class FolderOutbox:
    """Writes each message as a small text file and says where (through `echo`)."""

    def __init__(self, folder, echo=None):
        self.folder = folder
        self.echo = echo
        self.numbers = count(1)
        os.makedirs(folder, exist_ok=True)

    def write(self, channel, to, body, subject=None):
        """Write one message; return its file name as the provider's id."""
        name = f"{channel}-{os.getpid()}-{next(self.numbers):04d}-{_safe(to)}.txt"
        headers = f"To: {to}\n" + (f"Subject: {subject}\n" if subject else "")
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as handle:
            handle.write(f"{headers}\n{body}\n")
        if self.echo:
            self.echo(f"{channel} to {to}" + (f" ({subject})" if subject else "")
                      + f": {body}  [{os.path.join(self.folder, name)}]")
        return name

    def senders(self):
        """A sender for every channel, each with that channel's send()."""
        return {SMS: _Texts(self), EMAIL: _Mails(self), WEBHOOK: _Posts(self)}


def _safe(text):
    return re.sub(r"[^A-Za-z0-9@.+-]+", "_", text)[:60]


class _Texts:
    def __init__(self, folder):
        self.folder = folder

    def send(self, to, body):
        return self.folder.write(SMS, to, body)


class _Mails:
    def __init__(self, folder):
        self.folder = folder

    def send(self, to, subject, body, key, thread_key=None):
        return self.folder.write(EMAIL, to, body, subject=subject)


class _Posts:
    def __init__(self, folder):
        self.folder = folder

    def send(self, url, body):
        return self.folder.write(WEBHOOK, url, body)
