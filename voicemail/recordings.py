"""What a recording callback says about the message, checked before it reaches a ticket.

Each of these fields is optional: a value that does not parse is dropped (and logged), so
that it can never cost the caller's message.
"""

import logging
import re
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

# api.twilio.com, and the regional hosts: api.dublin.ie1.twilio.com, api.sydney.au1.twilio.com
# (and the older api.ie1.twilio.com form)
_TWILIO_HOST = re.compile(r"api(\.[a-z][a-z-]*)?(\.[a-z]{2}[0-9])?\.twilio\.com")
LONGEST_RECORDING = 24 * 3600  # seconds; Twilio's own limit is far below
_SID = re.compile(r"[A-Za-z0-9]{2,64}")


def _is_twilio_link(url):
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (parts.scheme == "https" and port in (None, 443) and parts.username is None
            and _TWILIO_HOST.fullmatch(parts.hostname or "") is not None)


def recording_link(url):
    """The recording URL when it points at Twilio's recording hosts over https, else None."""
    url = (url or "").strip()
    if not url:
        return None
    if _is_twilio_link(url):
        return url
    log.warning("voicemail.recordings.recording_link: not a Twilio recording link, dropped "
                "url=%r", url[:80])
    return None


def recording_seconds(value):
    """A recording's length in whole seconds (ASCII digits, at most a day), else None."""
    text = str(value or "").strip()
    if not text:
        return None
    if re.fullmatch(r"[0-9]{1,6}", text) and int(text) <= LONGEST_RECORDING:
        return int(text)
    log.warning("voicemail.recordings.recording_seconds: not a length, dropped value=%r",
                text[:20])
    return None


def recording_sid(value):
    """Twilio's recording sid (letters and digits, at most 64), else None."""
    text = str(value or "").strip()
    if not text:
        return None
    if _SID.fullmatch(text):
        return text
    log.warning("voicemail.recordings.recording_sid: not a sid, dropped value=%r", text[:70])
    return None


def plain_text(value):
    """Text as a database can keep it: without NUL characters (PostgreSQL refuses them)."""
    return value.replace("\x00", "") if value else value
