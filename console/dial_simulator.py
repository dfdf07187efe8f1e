"""The simulator's side of a sequential hunt: one engineer rung by a <Dial> with a whisper."""

import secrets
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from telephony.twiml import caller_label


def _sid(prefix):
    return prefix + secrets.token_hex(16)


def ring_engineer(sim, node, timeout):
    """One engineer rung by <Dial><Number url=whisper>: (DialCallStatus, bridged, seconds)."""
    number = node.text.strip()
    name, answer = sim.answer_for(number)
    child = _sid("CA")
    status_url = node.get("statusCallback")
    rings_for = timeout + 5  # Twilio rings about five seconds past a <Dial> timeout

    def leg_status(status, **extra):
        if status_url:
            sim.post(status_url, _leg_params(sim, child, number, status, **extra))

    leg_status("initiated")
    sim.advance(sim.model.ring_after_seconds)
    if answer.action == "busy":
        sim.say(f"{name} on {number} is busy")
        leg_status("busy")
        return "busy", False, 0
    sim.say(f"ringing {name} on {number} ({answer.action})")
    sim.outcome.phones_rung += 1
    leg_status("ringing")
    pickup = answer.pickup_after(sim.model)
    if answer.action == "ignore" or pickup >= rings_for:
        sim.advance(rings_for)
        sim.say(f"{name} does not answer")
        leg_status("no-answer")
        return "no-answer", False, 0
    sim.advance(pickup)
    who = "personal voicemail" if answer.action == "voicemail" else name
    if not node.get("url"):  # a desk phone that connects on pick-up: no whisper at all
        sim.say(f"{who} picks up; connected on pick-up with no whisper "
                f"(about {whisper_seconds(sim):.1f} s saved)")
        leg_status("in-progress")
        return _talk(sim, name, leg_status)
    sim.say(f"{who} picks up; whisper plays")
    leg_status("in-progress")
    body = sim.post(node.get("url"), _leg_params(sim, child, number, "in-progress"))
    sim.advance(sim.model.webhook_seconds)
    key = "1" if answer.action == "accept" else None
    bridged = _whisper(sim, body, child, number, key)
    if not bridged:
        sim.say(f"leg to {name} dropped without acceptance")
        leg_status("completed", CallDuration="10")
        return "completed", False, 0
    return _talk(sim, name, leg_status)


def _talk(sim, name, leg_status):
    sim.connected(name)
    talk = sim.model.talk_seconds
    sim.advance(talk)
    sim.say(f"{name} and the caller hang up after {talk:.0f} s")
    leg_status("completed", CallDuration=str(int(talk)))
    return "completed", True, int(talk)


def whisper_seconds(sim):
    """What the press-1 whisper costs the caller on the model's clock: the whisper fetched,
    the caller named, the key pressed and its answer."""
    spoken = f"{caller_label()}. Press 1 to accept."
    return 2 * sim.model.webhook_seconds + sim.model.until_press(spoken)


def _whisper(sim, body, child, number, key):
    """Run the whisper on the engineer's leg; True when it ends by bridging."""
    while True:
        root = ET.fromstring(body)
        next_body = None
        for verb in root:
            if verb.tag == "Say":
                sim.say(f"engineer hears: {verb.text}")
                sim.advance(sim.model.say(verb.text))
            elif verb.tag == "Hangup":
                return False
            elif verb.tag == "Gather":
                spoken = " ".join(c.text or "" for c in verb if c.tag == "Say")
                says = sum(c.tag == "Say" for c in verb)
                sim.say(f"engineer hears: {spoken}")
                if key is None:
                    sim.advance(sim.model.speech_seconds(spoken) + says * sim.model.say_seconds)
                    sim.advance(int(verb.get("timeout", "5")))
                    sim.say("no key pressed")
                    continue
                sim.advance(sim.model.until_press(spoken, says))
                sim.say(f"engineer presses {key}")
                params = _leg_params(sim, child, number, "in-progress", Digits=key)
                next_body = sim.post(verb.get("action"), params)
                sim.advance(sim.model.webhook_seconds)
                key = None  # one press only
                break
            else:
                raise AssertionError(f"<{verb.tag}> is not allowed in a whisper")
        if next_body is None:
            return True  # the document ended without hanging up: Twilio bridges
        body = next_body


def _leg_params(sim, child, number, status, **extra):
    params = {"CallSid": child, "ParentCallSid": sim.call_sid, "AccountSid": "ACsimulator",
              "From": sim.scenario.to, "To": number, "CallStatus": status,
              "Direction": "outbound-dial", "ApiVersion": "2010-04-01",
              "Timestamp": format_datetime(sim.clock())}  # status callbacks carry it
    params.update(extra)
    return params
