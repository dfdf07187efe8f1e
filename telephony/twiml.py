"""TwiML for every step of a call, rendered from data; `url(name, **params)` builds callback URLs."""

from xml.sax.saxutils import escape

from twilio.twiml.voice_response import Gather, VoiceResponse

from telephony.hunt_claims import Acceptance
from telephony.routing import BLOCKED_SENTENCE, HUNT, Target, dial_timeout
from telephony.steps import Step

VOICEMAIL_PROMPT = ("Please leave your name, your number and a short description of the problem "
                    "after the tone. Press the hash key when you have finished.")
NO_MESSAGE = "We did not receive a message. Please call again. Goodbye."
OUTSIDE_CONTRACT = ("Thank you for calling support. You are calling outside your contracted "
                    "support hours. If this is an emergency, "
                    "press 1 now to reach the engineer on duty. Otherwise, stay on the line and "
                    "leave a message after the tone.")
TECHNICAL_PROBLEM = "Sorry, we are having a technical problem."
MAX_RECORDING_SECONDS = 120
WHISPER_WAIT_SECONDS = 8
TONE_SECONDS = 0.3  # the short whisper's tone (webhooks.queue_voice serves it)
TONE_WAIT_SECONDS = 2  # after the tone, a key this long before the words
# what an engineer whose acceptance did not take the caller hears, before the leg hangs up
NOT_NEEDED = {Acceptance.TAKEN: "Another engineer has taken this call. Thank you.",
              Acceptance.MOVED_ON: "This call has moved on. Thank you.",
              Acceptance.CALLER_GONE: "The caller has hung up. Thank you.",
              Acceptance.LEAVING_MESSAGE: "The caller is leaving a message. Thank you."}


def _say(node, text, settings, **extra):
    node.say(text, voice=settings.voice, language=settings.language, **extra)


def add_dial(response, target, leg_id, url, settings, caller_id=None):
    """Ring one engineer; the leg runs the press-1 whisper before the caller is connected
    (not on a desk phone set to connect on pick-up, `target.on_pickup`).

    The engineer's phone shows the caller's own number (`caller_id`), which Twilio allows
    on a call forwarded from an inbound one.
    """
    dial = response.dial(action=url("dial_result", leg=leg_id), method="POST",
                         timeout=dial_timeout(settings.ring_seconds), caller_id=caller_id)
    # a desk phone set to connect on pick-up has no whisper: answering it is accepting
    whisper = {} if target.on_pickup else {"url": url("whisper", leg=leg_id), "method": "POST"}
    dial.number(target.number, **whisper,
                status_callback=url("leg_status", leg=leg_id), status_callback_method="POST",
                status_callback_event="initiated ringing answered completed")
    return response


def add_voicemail(response, url, settings):
    """Prompt, record, and a fallback verb for an empty recording (which calls no action)."""
    _say(response, VOICEMAIL_PROMPT, settings)
    response.record(action=url("recorded"), method="POST", max_length=MAX_RECORDING_SECONDS,
                    timeout=5, finish_on_key="#", play_beep=True,
                    recording_status_callback=url("recording_status"),
                    recording_status_callback_method="POST",
                    recording_status_callback_event="completed",
                    transcribe=True, transcribe_callback=url("transcription"))
    _say(response, NO_MESSAGE, settings)
    response.hangup()
    return response


def add_fallback_dial(response, number, url, settings):
    """Dial the fallback number plainly; its action goes to voicemail unless it was answered."""
    dial = response.dial(action=url("fallback_result"), method="POST",
                         timeout=dial_timeout(settings.ring_seconds * 2))
    dial.number(number)
    return response


# A dial step differs from call to call only in the leg and the number rung. The library
# renders each shape once, with placeholders for those two, and every step fills in its
# own: rendering was the costliest part of answering an arrival after the database.
_LEG = "dutyline-leg-placeholder"
_NUMBER = "dutyline-number-placeholder"
_CALLER = "dutyline-caller-placeholder"
_DIAL_DOCUMENTS = {}


def _dial_document(greeting, ring, url, settings):
    """The TwiML text of [greeting,] ringing the Ring's target on its leg."""
    # one callback URL stands for all three: they share the base and differ by fixed paths
    shape_url = url("dial_result", leg=_LEG)
    key = (greeting, settings.voice, settings.language, settings.ring_seconds, shape_url,
           ring.caller_id is not None, ring.target.on_pickup)
    document = _DIAL_DOCUMENTS.get(key)
    if document is None:
        response = VoiceResponse()
        if greeting:
            _say(response, greeting, settings)
        caller = _CALLER if ring.caller_id is not None else None
        shape = Target(0, "", _NUMBER, HUNT, on_pickup=ring.target.on_pickup)
        document = str(add_dial(response, shape, _LEG, url, settings, caller_id=caller))
        if len(_DIAL_DOCUMENTS) >= 256:  # settings or URLs changed many times: start over
            _DIAL_DOCUMENTS.clear()
        _DIAL_DOCUMENTS[key] = document
    # the leg's query (its id, and the token the URL builder adds for it) as a whole
    document = document.replace(_query_of(shape_url),
                                _query_of(url("dial_result", leg=int(ring.leg_id))))
    if ring.caller_id is not None:
        document = document.replace(_CALLER, escape(ring.caller_id, {'"': "&quot;"}))
    return document.replace(_NUMBER, escape(ring.target.number))


def _query_of(callback_url):
    return escape(callback_url.rpartition("?")[2])


def render(step, url, settings):
    """The TwiML of a telephony.steps.Step: the one renderer of what the caller hears next.

    The emergency gate, else hanging up, else a blocked caller's one sentence and hanging
    up, else [greeting,] ringing an engineer, else [greeting,] the fallback number, else
    [greeting,] voicemail. Like every render_ function, the result gives the TwiML document
    with str().
    """
    if step.gate_call_id is not None:
        return render_gate(step.gate_call_id, url, settings)
    if step.hang_up:
        return render_hangup()
    if step.blocked:
        return render_goodbye(BLOCKED_SENTENCE, settings)
    if step.ring is not None:
        return _dial_document(step.greeting, step.ring, url, settings)
    response = VoiceResponse()
    if step.greeting:
        _say(response, step.greeting, settings)
    if step.fallback_number:
        return add_fallback_dial(response, step.fallback_number, url, settings)
    return add_voicemail(response, url, settings)


def render_gate(call_id, url, settings):
    """Out of hours for a core-hours customer: press 1 for an emergency, else a message.

    No greeting first: "connecting you" would promise what the gate may not do.
    """
    response = VoiceResponse()
    gather = Gather(num_digits=1, timeout=WHISPER_WAIT_SECONDS,
                    action=url("emergency", call=call_id), method="POST")
    _say(gather, OUTSIDE_CONTRACT, settings)
    response.append(gather)
    return add_voicemail(response, url, settings)


def render_whisper(caller_label, leg_id, url, settings, accept="accept", short=False):
    """What the engineer hears on pick-up: who is calling and 'press 1', the key posted to
    the callback `accept` (the overlapped hunt's legs have their own); silence hangs up.
    `short` ("Support. Press 1."): the target hunt's, whose phones show the support line's
    number as the caller ID; the key counts while the prompt plays."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, timeout=WHISPER_WAIT_SECONDS, action=url(accept, leg=leg_id),
                    method="POST")
    if short:  # the tone, a key at once; then the words, the key still counting
        tone = Gather(num_digits=1, timeout=TONE_WAIT_SECONDS, action=url(accept, leg=leg_id),
                      method="POST")
        tone.play(url("ringback", tone="whisper"))
        response.append(tone)
        label = "Support" if caller_label == caller_label_default() else caller_label
        _say(gather, f"{label}. Press 1.", settings, loop=2)
    else:
        _say(gather, f"{caller_label}. Press 1 to accept.", settings, loop=2)
    response.append(gather)
    response.hangup()
    return response


def render_accepted():
    """An empty whisper answer: Twilio bridges the caller to the engineer."""
    return VoiceResponse()


def render_hangup():
    response = VoiceResponse()
    response.hangup()
    return response


def render_goodbye(text, settings):
    """Say one thing and hang up: an engineer not needed, an escalation call's last word."""
    response = VoiceResponse()
    _say(response, text, settings)
    response.hangup()
    return response


def render_not_needed(acceptance, settings):
    """An engineer whose acceptance did not take the caller hears why, then hangs up."""
    return render_goodbye(NOT_NEEDED[acceptance], settings)


def render_ticket_confirmation(ticket_number, settings):
    digits = " ".join(str(ticket_number))
    response = VoiceResponse()
    _say(response, f"Thank you. Your message has been logged as ticket number {digits}. "
                   f"Again, your ticket number is {digits}. Goodbye.", settings)
    response.hangup()
    return response


def render_message_kept(reference_by_text, settings):
    """The message is safe but has no ticket number yet (the database was away): say so,
    and that the reference follows by text when the caller's number can take one."""
    response = VoiceResponse()
    text = "Thank you. We have your message, and an engineer will call you back."
    if reference_by_text:
        text += " Your ticket number will follow by text message."
    _say(response, text + " Goodbye.", settings)
    response.hangup()
    return response


def render_fallback(url, settings, fallback_number=None):
    """Safe TwiML for any failure: apologise, then the fallback number or voicemail."""
    return render(Step(greeting=TECHNICAL_PROBLEM, fallback_number=fallback_number), url, settings)


def caller_label(customer_name=None):
    """How the whisper names the caller, in a second or two: the customer, else "Support call".

    Never the number read digit by digit (that took seven seconds): the engineer's phone
    shows it as the caller ID.
    """
    return customer_name or "Support call"


def caller_label_default():
    return "Support call"


def render_menu(menu, url, settings, arrived_ms):
    """A line's short choice (telephony.lines.Menu): the sentence, one key; silence goes on
    to the menu's callback with no key, which takes the default. The callback carries the
    call's arrival (`arrived_ms`, milliseconds since the epoch): the caller's wait counts
    from there, the menu included."""
    response = VoiceResponse()
    action = url("menu", at=arrived_ms)
    gather = Gather(num_digits=1, timeout=menu.wait_seconds, action=action, method="POST")
    _say(gather, menu.sentence, settings)
    response.append(gather)
    response.redirect(action, method="POST")
    return response


FORWARD_NOT_ANSWERED = "Sorry, nobody could take your call. Please call again later. Goodbye."


def render_forward(number, caller_id, url, settings):
    """A menu key that leads to a plain number: dialled showing the caller's number when it
    can be shown. Its result (`forward_result`) hangs up, or says nobody answered: not a
    support call, so no support voicemail."""
    response = VoiceResponse()
    dial = response.dial(action=url("forward_result"), method="POST",
                         timeout=dial_timeout(settings.ring_seconds * 2),
                         **({"caller_id": caller_id} if caller_id else {}))
    dial.number(number)
    return response
