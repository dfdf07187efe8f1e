"""TwiML of overlapped hunting: the caller's queue, its wait ticks, the engineers' legs."""

import io
import math
import struct
import wave

from twilio.twiml.voice_response import VoiceResponse

from telephony.queue_hunt import queue_name
from telephony.twiml import TONE_SECONDS, _say

# The ringback cadence (0.4 s on, 0.2 s off, 0.4 s on, 2 s off) is played a second at a
# time, so that every second the wait URL is fetched again: a tick, at which the next
# engineer can start ringing. The first second is the tone, the other two are silence.
RINGBACK_SECONDS = 1
CADENCE_SECONDS = 3
NOT_JOINED = "Sorry, the caller could not be connected."


def render_enqueue(greeting, call_id, url, settings):
    """[Greeting,] then the caller waits in their own queue while engineers' phones ring."""
    response = VoiceResponse()
    if greeting:
        _say(response, greeting, settings)
    response.enqueue(queue_name(call_id), action=url("queue_result", call=call_id),
                     method="POST", wait_url=url("queue_wait", call=call_id),
                     wait_url_method="POST")
    return response


def render_wait(url, leave=False, waited=0, wait_for=None):
    """One tick of waiting: a second of the ringback cadence (then Twilio fetches the wait URL
    again), or leave the queue. `waited` is the caller's seconds in the queue (QueueTime).
    With `wait_for` (the target hunt), the document lasts that many seconds, the ringback's
    cadence all along (a burst, two seconds of silence), until the next planned start."""
    response = VoiceResponse()
    if leave:
        response.leave()
    elif wait_for is not None:
        left = wait_for
        while left > 0:
            response.play(url("ringback"))
            left -= RINGBACK_SECONDS
            if left > 0:
                response.pause(length=min(left, CADENCE_SECONDS - RINGBACK_SECONDS))
                left -= CADENCE_SECONDS - RINGBACK_SECONDS
    elif waited % CADENCE_SECONDS == 0:
        response.play(url("ringback"))
    else:
        response.pause(length=RINGBACK_SECONDS)
    return response


def render_join(call_id, leg_id, url):
    """The accepting engineer is joined to the caller waiting in the call's queue."""
    response = VoiceResponse()
    dial = response.dial(action=url("join_result", leg=leg_id), method="POST")
    dial.queue(queue_name(call_id))
    return response


def tone_wav():
    """The short whisper's tone: 880 Hz for TONE_SECONDS, as WAV."""
    rate = 8000
    frames = bytearray()
    for n in range(int(rate * TONE_SECONDS)):
        frames += struct.pack("<h", int(math.sin(2 * math.pi * 880 * n / rate) * 8000))
    return _wav(rate, frames)


def _wav(rate, frames):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def ringback_wav():
    """The ringback burst (400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on) as one second of WAV."""
    rate = 8000
    on = [(0.0, 0.4), (0.6, 1.0)]
    frames = bytearray()
    for n in range(rate * RINGBACK_SECONDS):
        t = n / rate
        sound = any(start <= t < end for start, end in on)
        value = (math.sin(2 * math.pi * 400 * t) + math.sin(2 * math.pi * 450 * t)) * 6000 \
            if sound else 0.0
        frames += struct.pack("<h", int(value))
    return _wav(rate, frames)
