"""What an escalation call says, as TwiML rendered from data (no Flask, no database)."""

from twilio.twiml.voice_response import VoiceResponse

from voicemail.escalation import who_left_it

ACKNOWLEDGED = "Acknowledged. Thank you."
NOTHING_PRESSED = "Nothing was pressed, so the ticket stays open. Goodbye."
NOTHING_WAITING = "Sorry, there is nothing waiting for you on this call. Goodbye."
TRY_LATER = "Sorry, this call cannot be completed now. Please check the open tickets. Goodbye."
KEY_WAIT_SECONDS = 8


def spoken_number(number):
    """A ticket number read digit by digit ("1 0 4 2"), as the caller heard it."""
    return " ".join(str(number))


def _say(node, text, settings):
    node.say(text, voice=settings.voice, language=settings.language)


def render_prompt(ticket, key_url, settings):
    """The question, twice, then goodbye: a key press goes to `key_url`."""
    response = VoiceResponse()
    question = (f"Voicemail ticket {spoken_number(ticket.number)} from {who_left_it(ticket)} "
                "is waiting. Press 1 to acknowledge.")
    gather = response.gather(num_digits=1, action=key_url, method="POST",
                             timeout=KEY_WAIT_SECONDS)
    _say(gather, question, settings)
    gather.pause(length=1)
    _say(gather, question, settings)
    _say(response, NOTHING_PRESSED, settings)
    response.hangup()
    return response


def already_seen(ticket):
    """What is said when the ticket no longer waits."""
    if ticket.status == "closed":
        return f"Ticket {spoken_number(ticket.number)} has been closed. Thank you. Goodbye."
    by = f" by {ticket.acknowledged_by.name}" if ticket.acknowledged_by_id else ""
    return (f"Ticket {spoken_number(ticket.number)} has already been acknowledged{by}. "
            "Thank you. Goodbye.")
