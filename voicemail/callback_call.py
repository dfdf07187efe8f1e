"""What a call-back's call says, as TwiML rendered from data (no Flask, no database): the
engineer hears whom they are calling back and presses 1; the customer is then dialled
with the support number as caller ID."""

from twilio.twiml.voice_response import VoiceResponse

from voicemail.callbacks import whisper

KEY_WAIT_SECONDS = 8
DIAL_SECONDS = 30  # the customer's phone rings this long
NOTHING_PRESSED = "Nothing was pressed, so the call-back stays due. Goodbye."
NOTHING_WAITING = "Sorry, there is no call-back waiting on this call. Goodbye."
TRY_LATER = "Sorry, this call-back cannot be made now. Please try again. Goodbye."
ALREADY_MADE = "This call-back has already been made. Goodbye."
CONNECTING = "Connecting you now."


def _say(node, text, settings):
    node.say(text, voice=settings.voice, language=settings.language)


def render_whisper(callback, key_url, settings):
    """Who is being called back, twice, then goodbye: a key press goes to `key_url`."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=key_url, method="POST",
                             timeout=KEY_WAIT_SECONDS)
    _say(gather, whisper(callback), settings)
    gather.pause(length=1)
    _say(gather, whisper(callback), settings)
    _say(response, NOTHING_PRESSED, settings)
    response.hangup()
    return response


def render_dial(customer_number, support_number, dialled_url, settings):
    """Dial the customer showing the support number; how it ended goes to `dialled_url`."""
    response = VoiceResponse()
    _say(response, CONNECTING, settings)
    dial = response.dial(action=dialled_url, method="POST", timeout=DIAL_SECONDS,
                         caller_id=support_number)
    dial.number(customer_number)
    return response


def render_ended(answered, settings):
    """The engineer's last word after the customer's leg ended."""
    text = ("The call-back is logged. Goodbye." if answered else
            "The customer did not answer; the call-back stays due. Goodbye.")
    response = VoiceResponse()
    _say(response, text, settings)
    response.hangup()
    return response
