"""Plays Twilio's part against the app: a caller, engineers who accept or not, voicemail.

It follows the TwiML the app returns verb by verb, posts the callbacks Twilio would post
(signed with the app's auth token), and prints every step. The app under simulation is
made with a clock the simulator can move (`CLOCK`, a `SimClock`): the simulator drives that
clock and never replaces the clock of an app.
"""

import secrets
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import format_datetime
from urllib.parse import urlsplit

from console.caller_clock import Answer, CallerClock, parse_answer
from console.dial_simulator import ring_engineer
from console.queue_simulator import QueueWait
from console.scenario import TICKET_SPOKEN, Outcome, SimulationError
from rota.models import Engineer
from webhooks.runtime import PATHS, runtime


def _sid(prefix):
    return prefix + secrets.token_hex(16)


class Simulator:
    def __init__(self, app, echo=None):
        self.app = app
        self.client = app.test_client()
        self.echo = echo

    # -- plumbing -------------------------------------------------------------------------
    def _say(self, text):
        local = self.clock().astimezone(self.rt.settings.tz)
        line = f"[{local:%a %d %b %H:%M:%S}] +{self.elapsed():5.1f} s  {text}"
        self.outcome.lines.append(line)
        if self.echo:
            self.echo(line)

    say = _say

    def elapsed(self):
        """Seconds since the call arrived, on the caller's clock."""
        return (self.clock() - self.started).total_seconds()

    def _advance(self, seconds):
        self.clock.set(self.clock() + timedelta(seconds=seconds))

    advance = _advance

    def connected(self, name):
        self.outcome.answered_by = name
        self.outcome.reached_after = self.elapsed()
        self._say(f"caller connected to {name}")

    def _absolute(self, url):
        if url.startswith(("http://", "https://")):
            return url
        base = (self.rt.public_url or "http://localhost").rstrip("/")
        return f"{base}{url}"

    def post(self, url, params):
        """POST a Twilio-signed form to an app URL; returns the response body."""
        url = self._absolute(url)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        with self.app.app_context():
            signature = self.rt.validator.compute_signature(url, params) if self.rt.validator else ""
        response = self.client.post(path, data=params, headers={"X-Twilio-Signature": signature},
                                    base_url=f"{parts.scheme}://{parts.netloc}")
        body = response.get_data(as_text=True)
        response.close()  # as a server does once the answer is sent: runs its after-work
        started = getattr(self.dialer, "started", ())
        while len(self.leg_requests) < len(started):  # legs asked of the REST API just now
            self.leg_requests.append(self.clock() + timedelta(
                seconds=self.model.webhook_seconds + self.model.rest_effect_seconds))
        self.outcome.responses.append((parts.path, response.status_code, body))
        if response.status_code != 200:
            self._say(f"app answered {response.status_code} to {parts.path}")
        return body

    def _call_params(self, **extra):
        params = {"CallSid": self.call_sid, "AccountSid": "ACsimulator", "From": self.scenario.caller,
                  "To": self.scenario.to, "CallStatus": "in-progress", "Direction": "inbound",
                  "ApiVersion": "2010-04-01"}
        params.update(extra)
        return params

    # -- the call -------------------------------------------------------------------------
    def run(self, scenario):
        """Play one call through the app and return what happened."""
        self.scenario = scenario
        self.rt = runtime_of(self.app)
        self.clock = self.rt.clock
        if not callable(getattr(self.clock, "set", None)):
            raise SimulationError("the app runs on the real clock; make it with a SimClock "
                                  "as CLOCK to simulate calls")
        self.clock.set(scenario.at)
        self.call_sid = _sid("CA")
        self.outcome = Outcome(call_sid=self.call_sid, lines=[], responses=[])
        self.started = scenario.at
        self.model = scenario.clock_model or CallerClock()
        self.dialer = self.rt.dialer
        self.leg_requests = []  # when each REST leg was asked for, by position
        if self.dialer is not None:
            self.dialer.started.clear()
            self.dialer.stopped.clear()
        self.actions = self._actions_by_number(scenario)
        self._say(f"call {self.call_sid[:10]}… from {scenario.caller} to {scenario.to}")
        body = self.post(PATHS["incoming"], self._call_params(CallStatus="ringing"))
        self._advance(self.model.webhook_seconds)
        self._follow(body)
        if self.outcome.reached_after is not None:
            self._say(f"caller reached {self.outcome.answered_by} after "
                      f"{self.outcome.reached_after:.1f} s")
        elif self.outcome.voicemail_after is not None:
            self._say(f"nobody accepted; voicemail after {self.outcome.voicemail_after:.0f} s")
        duration = int((self.clock() - self.started).total_seconds())
        self.post(PATHS["status"], self._call_params(CallStatus="completed",
                                                     CallDuration=str(duration),
                                                     Timestamp=format_datetime(self.clock())))
        self._say(f"call ended after {duration} s")
        return self.outcome

    def _actions_by_number(self, scenario):
        wanted = {name.strip().lower(): _answer(action) for name, action in scenario.answers.items()}
        others = _answer(scenario.others)
        actions = {}
        with self.app.app_context():
            from dutyline.db import database

            with database.connection_context():
                for engineer in Engineer.select():
                    action = wanted.get(engineer.name.lower(), others)
                    for number in (engineer.mobile, engineer.desk):
                        if number:
                            actions[number] = (engineer.name, action)
        return actions

    def _follow(self, body):
        """Run a caller-side TwiML document; a verb with an action hands over to its answer."""
        while body is not None:
            body = self._run_document(body)

    def _run_document(self, body):
        root = ET.fromstring(body)
        for verb in root:
            if verb.tag == "Say":
                self._say(f"caller hears: {verb.text}")
                self._advance(self.model.say(verb.text))
            elif verb.tag == "Pause":
                self._advance(int(verb.get("length", "1")))
            elif verb.tag == "Hangup":
                self._say("app hangs up")
                return None
            elif verb.tag == "Redirect":
                return self.post(verb.text, self._call_params())
            elif verb.tag == "Dial":
                following = self._dial(verb)
                if following is not None:
                    return following
            elif verb.tag == "Record":
                return self._record(verb)
            elif verb.tag == "Enqueue":
                if self.dialer is None:
                    raise SimulationError("the app queues callers but has no simulated dialer")
                return QueueWait(self, verb).run()
            elif verb.tag == "Gather":
                following = self._caller_gather(verb)
                if following is not None:
                    return following
            else:
                self._say(f"(simulator ignores <{verb.tag}>)")
        self._say("end of instructions: Twilio hangs up")
        return None

    def _caller_gather(self, verb):
        for child in verb:
            if child.tag == "Say":
                self._say(f"caller hears: {child.text}")
                self._advance(self.model.say(child.text))
        if not self.scenario.caller_presses:
            self._advance(int(verb.get("timeout", "5")))
            self._say("caller presses nothing")
            return None
        self._say(f"caller presses {self.scenario.caller_presses}")
        return self.post(verb.get("action"), self._call_params(Digits=self.scenario.caller_presses))

    def _dial(self, dial):
        number_node = dial.find("Number")
        number = (number_node.text or "").strip()
        timeout = int(dial.get("timeout", "30"))
        if number_node.get("url") or number_node.get("statusCallback"):  # an engineer's leg
            status, bridged, seconds = ring_engineer(self, number_node, timeout)
        else:
            status, bridged, seconds = self._plain_leg(number, timeout)
        action = dial.get("action")
        if not action:
            return None
        params = self._call_params(DialCallStatus=status, DialBridged=str(bridged).lower())
        if seconds:
            params["DialCallDuration"] = str(seconds)
        return self.post(action, params)

    def _plain_leg(self, number, timeout):
        self._say(f"dialling fallback {number}")
        talk = self.model.talk_seconds
        if self.scenario.fallback_answers:
            self._advance(self.model.ring_after_seconds + self.model.pickup_seconds)
            self._say("fallback number answers and talks")
            self.outcome.fallback_after = self.elapsed()
            self._advance(talk)
            return "completed", True, int(talk)
        self._advance(timeout + 5)
        return "no-answer", False, 0

    def answer_for(self, number):
        """(name, Answer) of the engineer on `number`, as the scenario says."""
        return self.actions.get(number, (number, _answer(self.scenario.others)))

    def call_params(self, **extra):
        return self._call_params(**extra)

    def _record(self, verb):
        if self.scenario.caller_action != "message":
            self.outcome.voicemail_after = self.elapsed()
            self._say("caller hangs up without leaving a message")
            return None
        self._say("beep; caller leaves a message")
        self.outcome.voicemail_after = self.elapsed()
        self._advance(self.model.message_seconds)
        recording = _sid("RE")
        url = f"https://api.twilio.com/2010-04-01/Accounts/ACsimulator/Recordings/{recording}"
        body = self.post(verb.get("action"), self._call_params(
            RecordingUrl=url, RecordingDuration=str(int(self.model.message_seconds)), Digits="#"))
        if verb.get("recordingStatusCallback"):
            self.post(verb.get("recordingStatusCallback"), self._call_params(
                RecordingSid=recording, RecordingUrl=url, RecordingStatus="completed",
                RecordingDuration=str(int(self.model.message_seconds)), RecordingChannels="1",
                RecordingSource="RecordVerb"))
        match = TICKET_SPOKEN.search(body)
        if match:
            self.outcome.ticket_number = int(match.group(1).replace(" ", ""))
        return body


def runtime_of(app):
    with app.app_context():
        return runtime()


def _answer(action):
    """A scenario's answer, given as an Answer or as text ('accept', 'accept@3s')."""
    return action if isinstance(action, Answer) else parse_answer(action)
