"""The fields of Twilio's voice forms, checked before anything acts on them.

A CallSid is Twilio's "CA" and 32 hex digits, never cut: a request without a usable one
names no call and touches none. Optional fields that do not parse are dropped and logged;
they never cost the caller's call or message.
"""

import logging
import re

from dutyline.phones import without_format_characters
from telephony.arrival import Arrival
from telephony.models import CALL_SID

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LONGEST_CALL = 7 * 24 * 3600  # seconds; far beyond any real call, inside a 32-bit integer
NUMBER_LENGTH = 64


def call_sid(form, key="CallSid"):
    """The form's CallSid (or ParentCallSid) when it is one, else None."""
    value = form.get(key)
    if value is None or CALL_SID.fullmatch(value):
        return value
    log.warning("webhooks.twilio_form: not a call sid, refused field=%s value=%r", key,
                value[:40])
    return None


def number(form, key):
    """A caller or called number as text a database keeps and a text shows as it is (no NUL,
    control or format characters: a direction override would show it reversed)."""
    value = form.get(key) or ""
    cleaned = without_format_characters(_CONTROL.sub("", value))[:NUMBER_LENGTH]
    if cleaned != value:
        log.warning("webhooks.twilio_form: control or format characters or excess length "
                    "dropped field=%s", key)
    return cleaned


def duration(form, key):
    """Whole seconds (ASCII digits, at most a week), else None."""
    value = (form.get(key) or "").strip()
    if not value:
        return None
    if re.fullmatch(r"[0-9]{1,7}", value) and int(value) <= LONGEST_CALL:
        return int(value)
    log.warning("webhooks.twilio_form: not a duration, dropped field=%s value=%r", key,
                value[:20])
    return None


def arrival(form):
    """The arriving call the form describes, or None when it names no call (no CallSid)."""
    sid = call_sid(form)
    if not sid:
        log.warning("webhooks.twilio_form: an arrival without a usable CallSid, no call logged")
        return None
    return Arrival(sid, number(form, "From"), number(form, "To"))
