"""Engineers' text messages to the support number, answered with TwiML <Message>."""

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from inbox.commands import parse_command
from inbox.once import answer_text
from webhooks.lifecycle import Lifecycle
from webhooks.runtime import runtime
from webhooks.signature import twilio_only

bp = Blueprint("sms", __name__, url_prefix="/sms")

SORRY = "Sorry, that did not work. Please try again or call the office."


def reply(text):
    """A TwiML answer that texts `text` back to the sender."""
    response = MessagingResponse()
    response.message(text)
    return Response(str(response), mimetype="text/xml")


# the engineer always hears back; what went wrong is in the log
sms_webhook = Lifecycle(
    "webhooks.sms", subject=lambda form: f"message={form.get('MessageSid', '-')[:34]}",
    describe=lambda _response: f"command={parse_command(request.form.get('Body', ''))[:10] or '-'}",
    on_failure=lambda: reply(SORRY))


@bp.post("/incoming")
@twilio_only
@sms_webhook
def incoming():
    rt = runtime()
    form = request.form
    return reply(answer_text(form.get("MessageSid"), form.get("From", ""), form.get("Body", ""),
                             rt.clock(), rt.settings, rt.delivery))
