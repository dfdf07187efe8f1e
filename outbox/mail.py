"""E-mail out: an SMTP sender (STARTTLS when offered) behind the outbox's sender interface."""

import logging
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from outbox.senders import DeliveryError

log = logging.getLogger(__name__)

# Python folds a header longer than 78 characters by starting its value on a line of its
# own, which readers unfold into a subject with a leading space: keep each header on one
# line up to the 998 characters RFC 5322 allows
ONE_LINE_HEADERS = policy.default.clone(max_line_length=998)


class MailConfigError(ValueError):
    """An SMTP_URL that cannot be used; the message says why."""


def message_id(key, domain):
    """The Message-ID of the mail with this outbox key: the same at every attempt, so a
    receiver can drop the repeat a crash between the server's answer and the outbox's record
    can cause; and never the same for two keys, so it drops nothing else.

    Letters, digits and `-` stand for themselves and a `:` becomes a `.`, so a ticket's key
    reads as it always did (`ticket.1001.mail.CA…`); any other character, a `.` included, is
    written `=` and its UTF-8 bytes in hex (`=2E`), which keeps two keys apart and the result
    a valid id."""
    return f"<{_local_part(key)}@{domain}>"


def _local_part(key):
    out = []
    for index, char in enumerate(key):
        if char.isascii() and (char.isalnum() or char == "-"):
            out.append(char)
        elif char == ":" and 0 < index < len(key) - 1 and key[index - 1] != ":":
            out.append(".")  # never first, last or doubled: an id has no empty dot-atom
        else:
            out.append("".join(f"={byte:02X}" for byte in char.encode()))
    return "".join(out)


class SmtpMailer:
    """Sends mail through `smtp://user:pass@host:port` (or `smtps://` for TLS from the start)."""

    def __init__(self, url, sender, timeout=20):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailConfigError(f"SMTP_URL: expected smtp://user:pass@host:port, got {url!r}")
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.secure else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.domain = sender.rpartition("@")[2] or "localhost"
        self.timeout = timeout

    def build(self, queued):
        """The mail of an outbox message as it is sent: dated when it was queued, with a
        Message-ID from its key, threaded under the message it follows up."""
        message = EmailMessage(policy=ONE_LINE_HEADERS)
        message["From"] = self.sender
        message["To"] = queued.recipient
        message["Subject"] = queued.subject
        message["Date"] = formatdate(queued.created_at.timestamp())
        message["Message-ID"] = message_id(queued.dedupe_key, self.domain)
        if queued.thread_key:
            parent = message_id(queued.thread_key, self.domain)
            message["In-Reply-To"] = parent
            message["References"] = parent
        message.set_content(queued.body)
        return message

    def send(self, queued):
        """Hand one message to the SMTP server; return its Message-ID, or raise DeliveryError."""
        try:
            message = self.build(queued)
        except ValueError as exc:
            # a header with a line feed in it (a name or address that came in with one):
            # resending cannot help, and it must never reach the server as a second header
            raise DeliveryError(f"a mail header would contain a line feed: {exc}",
                                permanent=True) from exc
        try:
            if self.secure:
                server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with server:
                server.ehlo()
                if not self.secure and server.has_extn("starttls"):
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
                if self.user:
                    server.login(self.user, self.password or "")
                server.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryError(f"smtp refused the recipient: {exc.recipients}",
                                permanent=all(500 <= code < 600 for code in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            # 5xx is final, except a failed login (535) that an operator can put right
            permanent = 500 <= exc.smtp_code < 600 and exc.smtp_code != 535
            raise DeliveryError(f"smtp {exc.smtp_code}: {exc.smtp_error!r}",
                                permanent=permanent) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"smtp unreachable: {exc.__class__.__name__}: {exc}") from exc
        log.info("outbox.mail.send: key=%s", queued.dedupe_key)
        return message["Message-ID"]
