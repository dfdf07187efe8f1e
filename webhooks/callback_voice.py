"""A call-back's webhooks: what the engineer hears when their phone is answered, their key
press (1 dials the customer with the support number as caller ID), and how the customer's
leg ended.

Each names the call's outbox row in the URL (`esc=`, with its token, as escalation calls
do) and must come from the call the outbox worker made for that row. Whatever fails, the
answer is valid TwiML that ends the call, never a 5xx.
"""

import logging

from flask import Blueprint, current_app, request

from dutyline.phones import InvalidNumber, to_e164
from rota import ring_test
from voicemail import callback_call as words
from voicemail import callbacks
from webhooks.escalation_voice import goodbye, named_message
from webhooks.lifecycle import Lifecycle
from webhooks.runtime import runtime
from webhooks.signature import twilio_only
from webhooks.voice_answers import DATABASE_SECONDS, xml

bp = Blueprint("callback_voice", __name__, url_prefix="/voice")
log = logging.getLogger(__name__)
ANSWERED = "completed"  # Twilio's DialCallStatus of a customer who picked up
MAX_SECONDS = 24 * 3600


callback_webhook = Lifecycle(
    "webhooks.callback", subject=lambda _form: f"esc={request.args.get('esc', '-')[:12]}",
    on_failure=lambda: goodbye(words.TRY_LATER), deadline=DATABASE_SECONDS)


def answer_url(message):
    """The URL Twilio asks for the words of an outbox voice call: a call-back's, a ring
    test's or an escalation call's (the senders' `answer_url`)."""
    rt = runtime()
    name = ("callback" if callbacks.is_callback(message) else
            "ring_test" if ring_test.is_ring_test(message) else "escalation")
    return rt.url(name, esc=message.id)


def support_number(callback):
    """The number customers call: the one this caller dialled, else the texts' sender."""
    dialled = callback.ticket.call.to_number or ""
    if dialled.startswith("+") and dialled[1:].isdigit():
        return dialled
    try:
        return to_e164(current_app.config.get("TWILIO_FROM_NUMBER") or "",
                       runtime().settings.phone_region)
    except InvalidNumber:
        return None


@bp.post("/callback")
@twilio_only
@callback_webhook
def callback_answered():
    callback = callbacks.callback_of(named_message(strict=False))
    return _over(callback) or _whisper(callback)


def _over(callback):
    """The goodbye for a call-back no longer waiting for the engineer's 1, else None."""
    if callback is None:
        return goodbye(words.NOTHING_WAITING)
    if callback.connected_at is not None:
        return goodbye(words.ALREADY_MADE)
    return None


def _whisper(callback):
    """Whom the engineer is calling back, and "press 1", the key coming back to us."""
    rt = runtime()
    return xml(words.render_whisper(callback, rt.url("callback_key", esc=callback.message_id),
                                    rt.settings))


@bp.post("/callback-key")
@twilio_only
@callback_webhook
def callback_key():
    rt = runtime()
    callback = callbacks.callback_of(named_message(strict=True))
    over = _over(callback)
    if over is not None:
        return over
    if request.form.get("Digits", "").strip() != "1":
        return _whisper(callback)
    support = support_number(callback)
    if support is None:
        log.warning("webhooks.callback: no support number to show esc=%s",
                    callback.message_id)
        return goodbye(words.TRY_LATER)
    callbacks.connected(callback, rt.clock())
    return xml(words.render_dial(callback.ticket.caller, support,
                                 rt.url("callback_dialled", esc=callback.message_id),
                                 rt.settings))


def _seconds(text):
    text = (text or "").strip()
    return min(int(text), MAX_SECONDS) if text.isascii() and text.isdigit() and \
        len(text) < 9 else 0


@bp.post("/callback-dialled")
@twilio_only
@callback_webhook
def callback_dialled():
    rt = runtime()
    callback = callbacks.callback_of(named_message(strict=True))
    if callback is None:
        return goodbye(words.NOTHING_WAITING)
    seconds = _seconds(request.form.get("DialCallDuration"))
    answered = request.form.get("DialCallStatus", "") == ANSWERED and seconds > 0
    callbacks.dial_ended(callback, answered, seconds, rt.clock())
    log.info("webhooks.callback: ticket=%s answered=%s seconds=%s", callback.ticket.number,
             answered, seconds)
    return xml(words.render_ended(answered, rt.settings))
