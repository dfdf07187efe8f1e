"""Plays Twilio's part while a caller waits in a queue and engineer legs ring side by side.

Overlapped hunting puts the caller in an `<Enqueue>` and rings engineers with legs made
through the REST API. Here those legs come from the recording dialer the app under
simulation was given (telephony.dialer.RecordingDialer), and every leg's progress
(ringing, pick-up, whisper, key press) is an event on the caller's clock, played in time
order with the queue's wait-URL fetches.
"""

import heapq
import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime

from console.caller_clock import Answer
from console.dial_simulator import whisper_seconds
from dutyline.db import database
from telephony.models import Leg
from telephony.queue_twiml import RINGBACK_SECONDS
from telephony.twiml import TONE_SECONDS


def _play_seconds(play):
    """A <Play> lasts its file: the whisper's tone, else the ringback's second."""
    return TONE_SECONDS if "tone=whisper" in (play.text or "") else RINGBACK_SECONDS


@dataclass
class SimLeg:
    sid: str
    number: str
    name: str
    answer: Answer
    url: str
    status_callback: str | None
    timeout: int
    state: str = "dialling"  # dialling | ringing | picked-up | talking | ended
    person_picked_up: bool = False  # the engineer (not a voicemail) picked up


class QueueWait:
    """One caller's stay in a queue: returns the TwiML the caller runs after leaving, or None."""

    def __init__(self, sim, enqueue):
        self.sim = sim
        self.model = sim.model
        self.enqueue = enqueue
        self.dialer = sim.dialer
        self.events = []
        self.order = itertools.count()
        self.legs = {}
        self.seen_starts = 0
        self.seen_stops = 0
        self.entered = sim.clock()
        self.bridged_to = None
        self.left = False

    # -- the event queue --------------------------------------------------------------------
    def at(self, seconds_from_now, action, *args):
        when = self.sim.clock() + timedelta(seconds=seconds_from_now)
        heapq.heappush(self.events, (when, next(self.order), action, args))

    def run(self):
        self.collect_legs()  # a leg the arrival itself started
        self.at(0, self.fetch_wait)
        while self.events and not self.left and self.bridged_to is None:
            when, _, action, args = heapq.heappop(self.events)
            if when > self.sim.clock():
                self.sim.clock.set(when)
            action(*args)
            self.collect_legs()
        return self.after()

    def after(self):
        if self.bridged_to is not None:
            name = self.bridged_to
            self.sim.outcome.taken_pickups = sum(  # picked up a call someone else had
                leg.person_picked_up and leg.state != "talking" for leg in self.legs.values())
            self.sim.connected(name)
            self.sim.advance(self.model.talk_seconds)
            self.sim.say(f"{name} and the caller hang up after {self.model.talk_seconds:.0f} s")
            for leg in self.legs.values():
                if leg.state != "ended":
                    self.end_leg(leg, "completed")
            self.sim.post(self.enqueue.get("action"), self.sim.call_params(
                QueueResult="bridged", QueueTime=str(self.waited())))
            return None
        if self.left:
            return self.sim.post(self.enqueue.get("action"), self.sim.call_params(
                QueueResult="leave", QueueTime=str(self.waited())))
        return None

    def waited(self):
        return int((self.sim.clock() - self.entered).total_seconds())

    # -- the caller's side ------------------------------------------------------------------
    def fetch_wait(self):
        body = self.sim.post(self.enqueue.get("waitUrl"), self.sim.call_params(
            QueueTime=str(self.waited()), CurrentQueueSize="1", QueuePosition="1"))
        elapsed = self.model.webhook_seconds
        for verb in ET.fromstring(body):
            if verb.tag == "Leave":
                self.at(elapsed, self.leave)
                return
            if verb.tag == "Say":
                self.sim.say(f"caller hears: {verb.text}")
                elapsed += self.model.say(verb.text)
            elif verb.tag == "Play":
                elapsed += RINGBACK_SECONDS  # the only sound the app plays a waiting caller
            elif verb.tag == "Pause":
                elapsed += float(verb.get("length", "1"))
        self.at(elapsed, self.fetch_wait)

    def leave(self):
        self.sim.say("caller leaves the queue")
        self.left = True

    # -- the engineers' side ----------------------------------------------------------------
    def collect_legs(self):
        for request in self.dialer.started[self.seen_starts:]:
            asked = self.sim.leg_requests[self.seen_starts]
            self.seen_starts += 1
            name, answer = self.sim.answer_for(request["to"])
            leg = SimLeg(request["sid"], request["to"], name, answer, request["url"],
                         request["status_callback"], int(request["timeout"]))
            self.legs[leg.sid] = leg
            reason = self.reason_of(leg.sid)
            if reason:  # the target hunt's own words for starting it now
                self.sim.say(f"why: {reason}")
            self.leg_status(leg, "initiated")
            ring_in = (asked - self.sim.clock()).total_seconds() + self.model.ring_after_seconds
            self.at(ring_in, self.ring, leg)
        for sid, _ringing in self.dialer.stopped[self.seen_stops:]:
            self.seen_stops += 1
            leg = self.legs.get(sid)
            if leg is not None and leg.state != "ended":
                self.sim.say(f"leg to {leg.name} cancelled")
                self.end_leg(leg, "canceled" if leg.state in ("dialling", "ringing") else "completed")

    def reason_of(self, sid):
        """Why the app started the leg with this CallSid, as its call log keeps it."""
        with self.sim.app.app_context(), database.connection_context():
            return Leg.select(Leg.reason).where(Leg.child_sid == sid).scalar()

    def leg_status(self, leg, status, **extra):
        if leg.status_callback:
            self.sim.post(leg.status_callback, self.leg_params(leg, status, **extra))

    def leg_params(self, leg, status, **extra):
        params = {"CallSid": leg.sid, "AccountSid": "ACsimulator", "From": self.sim.scenario.to,
                  "To": leg.number, "CallStatus": status, "Direction": "outbound-api",
                  "ApiVersion": "2010-04-01", "Timestamp": format_datetime(self.sim.clock())}
        params.update(extra)
        return params

    def end_leg(self, leg, status):
        leg.state = "ended"
        self.leg_status(leg, status)

    def ring(self, leg):
        if leg.state != "dialling":
            return
        if leg.answer.action == "busy":
            self.sim.say(f"{leg.name} on {leg.number} is busy")
            self.end_leg(leg, "busy")
            return
        leg.state = "ringing"
        self.sim.outcome.phones_rung += 1
        self.sim.say(f"ringing {leg.name} on {leg.number} ({leg.answer.action})")
        self.leg_status(leg, "ringing")
        pickup = leg.answer.pickup_after(self.model)
        rings_for = leg.timeout + 5  # as with <Dial>, Twilio rings a little past the timeout
        if leg.answer.action == "ignore" or pickup >= rings_for:
            self.at(rings_for, self.no_answer, leg)
        else:
            self.at(pickup, self.pick_up, leg)

    def no_answer(self, leg):
        if leg.state == "ringing":
            self.sim.say(f"{leg.name} does not answer")
            self.end_leg(leg, "no-answer")

    def pick_up(self, leg):
        if leg.state != "ringing":
            return
        leg.state = "picked-up"
        who = "personal voicemail" if leg.answer.action == "voicemail" else leg.name
        leg.person_picked_up = leg.answer.action == "accept"
        body = self.sim.post(leg.url, self.leg_params(leg, "in-progress"))
        if [verb.tag for verb in ET.fromstring(body)] == ["Dial"]:  # a desk phone: no whisper
            self.sim.say(f"{who} picks up; connected on pick-up with no whisper "
                         f"(about {whisper_seconds(self.sim):.1f} s saved)")
        else:
            self.sim.say(f"{who} picks up; whisper plays")
        self.run_whisper(leg, body, self.model.webhook_seconds)

    def run_whisper(self, leg, body, elapsed):
        for verb in ET.fromstring(body):
            if verb.tag == "Say":
                self.sim.say(f"{leg.name} hears: {verb.text}")
                elapsed += self.model.say(verb.text)
            elif verb.tag == "Hangup":
                self.at(elapsed, self.hang_up, leg)
                return
            elif verb.tag == "Dial":
                self.at(elapsed, self.join, leg, verb)
                return
            elif verb.tag == "Gather":
                spoken = " ".join(child.text or "" for child in verb if child.tag == "Say")
                says = sum(child.tag == "Say" for child in verb)
                played = sum(_play_seconds(child) for child in verb if child.tag == "Play")
                self.sim.say(f"{leg.name} hears: {spoken or 'a tone'}")
                if leg.answer.action == "accept":
                    self.at(elapsed + played + self.model.until_press(spoken, says), self.press,
                            leg, verb.get("action"))
                    return
                elapsed += (played + self.model.speech_seconds(spoken)
                            + says * self.model.say_seconds + float(verb.get("timeout", "5")))
        self.at(elapsed, self.hang_up, leg)

    def press(self, leg, action):
        if leg.state != "picked-up":
            return
        self.sim.say(f"{leg.name} presses 1")
        body = self.sim.post(action, self.leg_params(leg, "in-progress", Digits="1"))
        self.run_whisper(leg, body, self.model.webhook_seconds)

    def join(self, leg, dial):
        if leg.state != "picked-up":
            return
        if dial.find("Queue") is None:
            self.hang_up(leg)
            return
        leg.state = "talking"
        self.bridged_to = leg.name

    def hang_up(self, leg):
        if leg.state == "ended":
            return
        self.sim.say(f"leg to {leg.name} dropped without acceptance")
        self.end_leg(leg, "completed")
