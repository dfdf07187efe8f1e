"""Senders for trials: every message is written to a file in a folder instead of being sent.

With OUTBOX_FOLDER set, `dutyline outbox work` hands texts, mails and ticket webhooks to
this sender: nothing leaves the machine, and each message can be read where it landed.
"""

import os
import re
from itertools import count

from outbox.models import CHANNELS


class FolderOutbox:
    """Writes each message as a small text file and says where (through `echo`)."""

    def __init__(self, folder, echo=None):
        self.folder = folder
        self.echo = echo
        self.numbers = count(1)
        os.makedirs(folder, exist_ok=True)

    def send(self, message):
        """Write one outbox message (any channel); return its file name as the provider's id."""
        channel, to, subject = message.channel, message.recipient, message.subject
        name = f"{channel}-{os.getpid()}-{next(self.numbers):04d}-{_safe(to)}.txt"
        headers = f"To: {to}\n" + (f"Subject: {subject}\n" if subject else "")
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as handle:
            handle.write(f"{headers}\n{message.body}\n")
        if self.echo:
            self.echo(f"{channel} to {to}" + (f" ({subject})" if subject else "")
                      + f": {message.body}  [{os.path.join(self.folder, name)}]")
        return name

    def senders(self):
        """This one sender for every channel."""
        return {channel: self for channel in CHANNELS}


def _safe(text):
    return re.sub(r"[^A-Za-z0-9@.+-]+", "_", text)[:60]
