"""What a simulated call is made of: the scenario, its outcome and the clock it moves."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

ENGINEER_ACTIONS = ("accept", "ignore", "voicemail", "busy")
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
