"""The escalation call's two webhooks: what is said when it is answered, and the key press.

Both name the call's outbox row in the URL (`esc=`) with its token, and the form's CallSid
must be the call the outbox worker made for that row (the key press is refused without
it): a forged or shifted URL hears a polite goodbye and changes nothing. Whatever fails,
the answer is valid TwiML that ends the call, never a 5xx and never the caller's fallback.
"""

import logging

from flask import Blueprint, request
from twilio.twiml.voice_response import VoiceResponse

from dutyline.phones import masked
from dutyline.plain_text import for_log
from outbox.models import VOICE, OutboxMessage
from telephony import twiml
from voicemail import escalation_call as words
from voicemail.escalation import acknowledge_by_key, call_of
from voicemail.tickets import TicketError
from webhooks.callback_tokens import TOKEN_PARAM
from webhooks.lifecycle import Lifecycle
from webhooks.runtime import runtime
from webhooks.signature import twilio_only
from webhooks.twilio_form import call_sid
from webhooks.voice_answers import DATABASE_SECONDS, xml

bp = Blueprint("escalation_voice", __name__, url_prefix="/voice")
log = logging.getLogger(__name__)


def goodbye(text):
    return xml(twiml.render_goodbye(text, runtime().settings))


escalation_webhook = Lifecycle(
    "webhooks.escalation", subject=lambda _form: f"esc={request.args.get('esc', '-')[:12]}",
    on_failure=lambda: goodbye(words.TRY_LATER), deadline=DATABASE_SECONDS)


def _refused(reason):
    log.warning("webhooks.escalation: refused esc=%s reason=%s path=%s",
                for_log(request.args.get("esc", "")[:12]), reason, for_log(request.path))


def named_message(strict):
    """The outbox row of the escalation call this request is about, or None.

    `strict`: the form's CallSid must be the one Twilio gave the worker for that row (on
    the first answer the worker may not have written it yet; a key press comes later)."""
    value = request.args.get("esc", "")
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    message = OutboxMessage.get_or_none(OutboxMessage.id == int(value),
                                        OutboxMessage.channel == VOICE)
    if message is None:
        return None
    if not runtime().callback_matches("esc", message.id, request.args.get(TOKEN_PARAM)):
        _refused("token")
        return None
    sid = call_sid(request.form)
    if (strict or message.provider_id) and (not sid or sid != message.provider_id):
        _refused("another call")
        return None
    return message


def _ticket(message):
    try:
        return call_of(message) if message is not None else None
    except TicketError:
        return None


def _prompt(ticket, message):
    """The ticket and "press 1", its key press coming back for this escalation call."""
    rt = runtime()
    return xml(words.render_prompt(ticket, rt.url("escalation_key", esc=message.id),
                                   rt.settings))


@bp.post("/escalation")
@twilio_only
@escalation_webhook
def escalation_answered():
    message = named_message(strict=False)
    ticket = _ticket(message)
    if ticket is None:
        return goodbye(words.NOTHING_WAITING)
    if ticket.status != "new":
        return goodbye(words.already_seen(ticket))
    return _prompt(ticket, message)


@bp.post("/escalation-key")
@twilio_only
@escalation_webhook
def escalation_key():
    rt = runtime()
    message = named_message(strict=True)
    ticket = _ticket(message)
    if ticket is None:
        return goodbye(words.NOTHING_WAITING)
    if request.form.get("Digits", "").strip() != "1":
        if ticket.status != "new":
            return goodbye(words.already_seen(ticket))
        return _prompt(ticket, message)
    try:
        if acknowledge_by_key(message, rt.clock()):
            return goodbye(words.ACKNOWLEDGED)
    except TicketError:  # closed meanwhile
        pass
    return goodbye(words.already_seen(call_of(message)))


@bp.post("/escalation-status")
@twilio_only
@escalation_webhook
def escalation_status():
    """How the call ended (no-answer, busy, completed …), in the log beside its outbox row."""
    message = named_message(strict=True)
    ticket = _ticket(message)
    if ticket is not None:
        log.info("webhooks.escalation: call ended esc=%s ticket=%s to=%s status=%s seconds=%s "
                 "ticket_status=%s", message.id, ticket.number, masked(message.recipient),
                 for_log(request.form.get("CallStatus", "-")[:20]),
                 for_log(request.form.get("CallDuration", "-")[:6]), ticket.status)
    return xml(VoiceResponse())
