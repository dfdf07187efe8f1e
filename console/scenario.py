"""What a simulated call is made of: the scenario, its outcome and the clock it moves, and
the steps played after it (a call-back, a ring test)."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

ENGINEER_ACTIONS = ("accept", "ignore", "voicemail", "busy")
CALL_BACK, RING_TEST = "call-back", "ring-test"  # the steps played after the call
STEP_OPTIONS = {CALL_BACK: {"press": ("1", "2", "none"), "customer": ("answer", "no-answer"),
                            "ticket": None},
                RING_TEST: {"press": ("1", "2", "none")}}
CALLER_ACTIONS = ("message", "hangup")
TALK_SECONDS = 120
MESSAGE_SECONDS = 30
TICKET_SPOKEN = re.compile(r"ticket number ((?:\d )*\d)")


class SimClock:
    """A clock the app reads while the simulation moves it forward."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def set(self, now):
        self.now = now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


class SimulationError(ValueError):
    """The app cannot be simulated against (its clock is the real one)."""


@dataclass
class Scenario:
    at: object  # aware datetime of the call
    caller: str = "+447400123456"
    to: str = "+442071838750"
    answers: dict = field(default_factory=dict)  # engineer name -> action ('accept@3s' or Answer)
    others: str = "ignore"  # what engineers not named in `answers` do
    caller_action: str = "message"
    caller_presses: str | None = None  # the key the caller presses when asked, e.g. "1"
    fallback_answers: bool = True
    clock_model: object = None  # console.caller_clock.CallerClock; None: its defaults
    steps: list = field(default_factory=list)  # Step, played after the call in turn


@dataclass
class Step:
    """A call-back or a ring test played after the call, as `dutyline simulate-callback` and
    `simulate-ring-test` play them."""

    kind: str  # CALL_BACK or RING_TEST
    engineer: str | None  # the engineer rung; a ring test's default: the next handover's
    press: str = "1"  # the key the engineer presses: 1, 2 or none
    customer: str = "answer"  # a call-back's customer: answer or no-answer
    ticket: str | None = None  # a call-back's ticket; None: the ticket the call made

    def __str__(self):
        words = [self.kind, self.engineer or "", f"press={self.press}"]
        if self.kind == CALL_BACK:
            words += [f"customer={self.customer}"] + ([f"ticket={self.ticket}"]
                                                      if self.ticket else [])
        return " ".join(word for word in words if word)


def parse_step(text):
    """A Step from 'call-back NAME [press=1|2|none] [customer=answer|no-answer]
    [ticket=NUMBER]' or 'ring-test [NAME] [press=1|2|none]'; ValueError saying what is wrong."""
    words = (text or "").split()
    if not words or words[0].lower() not in STEP_OPTIONS:
        raise ValueError(f"a step is 'call-back NAME …' or 'ring-test [NAME] …', not {text!r}")
    kind, allowed, options, name = words[0].lower(), STEP_OPTIONS[words[0].lower()], {}, []
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep:
            name.append(word)
            continue
        if key not in allowed or (allowed[key] and value not in allowed[key]) or not value:
            choices = ", ".join(f"{k}={'|'.join(v or ('NUMBER',))}" for k, v in allowed.items())
            raise ValueError(f"{kind}: {word!r} is not one of {choices}")
        options[key] = value
    if kind == CALL_BACK and not name:
        raise ValueError("call-back: name the engineer whose phone rings, e.g. "
                         "'call-back Ben Smith'")
    return Step(kind, " ".join(name) or None, **options)


@dataclass
class Outcome:
    call_sid: str
    lines: list
    responses: list  # (path, status code, body)
    answered_by: str | None = None
    ticket_number: int | None = None
    reached_after: float | None = None  # seconds from arrival to the caller being connected
    voicemail_after: float | None = None  # seconds from arrival to the voicemail tone
    fallback_after: float | None = None
    phones_rung: int = 0  # engineer phones rung for the call
    taken_pickups: int = 0  # engineers who picked up and pressed 1 for a caller already taken
