"""Engineers' text messages to the support number, answered with TwiML <Message>."""

import logging
import time

from flask import Blueprint, Response, g, request
from twilio.twiml.messaging_response import MessagingResponse

from dutyline.db import database
from inbox.commands import handle_text, parse_command
from webhooks.runtime import runtime
from webhooks.signature import twilio_only

log = logging.getLogger(__name__)

bp = Blueprint("sms", __name__, url_prefix="/sms")

SORRY = "Sorry, that did not work. Please try again or call the office."


def reply(text):
    """A TwiML answer that texts `text` back to the sender."""
    response = MessagingResponse()
    response.message(text)
    return Response(str(response), mimetype="text/xml")


@bp.post("/incoming")
@twilio_only
def incoming():
    rt = runtime()
    form = request.form
    started = time.perf_counter()
    try:
        g.opened_database = database.connect(reuse_if_open=True)
        text = handle_text(form.get("From", ""), form.get("Body", ""), rt.clock(), rt.settings)
        outcome = "ok"
    except Exception:  # the engineer still hears back; the error is in the log
        log.exception("webhooks.sms.incoming: failed message=%s", form.get("MessageSid", "-"))
        text, outcome = SORRY, "failed"
    log.info("webhooks.sms: endpoint=%s message=%s command=%s outcome=%s ms=%.1f", request.path,
             form.get("MessageSid", "-")[:34], parse_command(form.get("Body", ""))[:10] or "-",
             outcome, (time.perf_counter() - started) * 1000)
    return reply(text)
