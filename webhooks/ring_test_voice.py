"""The ring test's webhooks: what the incoming duty engineer hears ("You are on duty from
18:00. Press 1 to confirm.") and their key press.

Each names the call's outbox row in the URL (`esc=`, with its token) and must come from the
call the outbox worker made for it. Whatever fails, the answer is valid TwiML that ends the
call, never a 5xx.
"""

from flask import Blueprint, Response, request
from twilio.twiml.voice_response import VoiceResponse

from rota import ring_test
from telephony import twiml
from webhooks.escalation_voice import named_message
from webhooks.lifecycle import Lifecycle
from webhooks.runtime import runtime
from webhooks.signature import twilio_only
from webhooks.voice_answers import DATABASE_SECONDS

bp = Blueprint("ring_test_voice", __name__, url_prefix="/voice")
KEY_WAIT_SECONDS = 8
CONFIRMED = "Confirmed. Thank you."
NOTHING_PRESSED = "Nothing was pressed, so your duty is not confirmed. Goodbye."
NOTHING_WAITING = "Sorry, there is nothing to confirm on this call. Goodbye."
TRY_LATER = "Sorry, this call cannot be completed now. Goodbye."


def xml(response):
    return Response(str(response), mimetype="text/xml")


def goodbye(text, test=None):
    """Say `text` and hang up, in the voice of the ring test's team (the top-level settings'
    when there is no test)."""
    rt = runtime()
    settings = rt.team_settings(test.team_id) if test is not None else rt.settings
    return xml(twiml.render_goodbye(text, settings))


ring_test_webhook = Lifecycle(
    "webhooks.ring_test", subject=lambda _form: f"esc={request.args.get('esc', '-')[:12]}",
    on_failure=lambda: goodbye(TRY_LATER), deadline=DATABASE_SECONDS)


def _prompt(test, message):
    """"You are on duty from …" in the team's zone and voice; 1 confirms."""
    rt = runtime()
    settings = rt.team_settings(test.team_id)
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=rt.url("ring_test_key", esc=message.id),
                             method="POST", timeout=KEY_WAIT_SECONDS)
    text = ring_test.words(test, rt.clock(), settings.tz)
    gather.say(text, voice=settings.voice, language=settings.language)
    gather.pause(length=1)
    gather.say(text, voice=settings.voice, language=settings.language)
    response.say(NOTHING_PRESSED, voice=settings.voice, language=settings.language)
    response.hangup()
    return xml(response)


@bp.post("/ring-test")
@twilio_only
@ring_test_webhook
def ring_test_answered():
    message = named_message(strict=False)
    test = ring_test.ring_test_of(message)
    if test is None:
        return goodbye(NOTHING_WAITING)
    if test.confirmed_at is not None:
        return goodbye(CONFIRMED, test)
    return _prompt(test, message)


@bp.post("/ring-test-key")
@twilio_only
@ring_test_webhook
def ring_test_key():
    message = named_message(strict=True)
    test = ring_test.ring_test_of(message)
    if test is None:
        return goodbye(NOTHING_WAITING)
    if request.form.get("Digits", "").strip() != "1":
        return _prompt(test, message)
    ring_test.confirm(test, runtime().clock())
    return goodbye(CONFIRMED, test)
