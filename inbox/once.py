"""Each text is acted on once: Twilio's MessageSid is recorded with the change it made.

A replayed request (the same signed form posted again) gets the first reply back and
changes nothing: no second sign-out, no second TAKE.
"""

import logging
import re

from dutyline.db import database
from dutyline.phones import masked
from inbox.commands import handle_text
from inbox.models import InboundText

log = logging.getLogger(__name__)

NO_SID = "Sorry, that text could not be read. Please send it again."
_SID = re.compile(r"[A-Z]{2}[0-9A-Za-z]{1,62}")


def answer_text(message_sid, sender, text, now, settings, delivery=None):
    """Carry out the text with this MessageSid once; a replay gets the first reply again."""
    sid = (message_sid or "").strip()
    if not _SID.fullmatch(sid):
        log.warning("inbox.once.answer_text: refused, no usable MessageSid sender=%s",
                    masked(sender))
        return NO_SID
    with database.atomic():
        query = (InboundText
                 .insert(message_sid=sid, received_at=now, reply="")
                 .on_conflict(action="NOTHING", conflict_target=[InboundText.message_sid]))
        if database.execute(query).rowcount != 1:
            first = InboundText.get(InboundText.message_sid == sid)
            log.warning("inbox.once.answer_text: replay of message=%s, nothing done", sid)
            return first.reply
        reply = handle_text(sender, text, now, settings, delivery)
        InboundText.update(reply=reply).where(InboundText.message_sid == sid).execute()
    return reply
