"""The caller's clock: how long each thing a caller waits for takes, as a stated model.

The simulator moves its clock by these figures, so every line it prints carries the seconds
since the call arrived and the benchmark can count calls reached within 12 s. The figures
are assumptions, written down so they can be argued with:

- speech: `words_per_second` (2.6, Polly's pace); a number read digit by digit is a word a
  digit, so "0 7 4 0 0" is five words;
- a webhook round trip (Twilio asks, the app answers): `webhook_seconds`;
- from dialling an engineer to their phone ringing: `ring_after_seconds`;
- an engineer's pick-up delay: given per engineer ("Ann=accept@3s"), from the ring;
- a personal voicemail picks up `voicemail_after_seconds` after the ring;
- the engineer presses 1 `press_after_seconds` after the whisper has named the caller (its
  first sentence: a <Gather> takes the key while the prompt still plays).
"""

import re
from dataclasses import dataclass

ACTIONS = ("accept", "ignore", "voicemail", "busy")
SPEC = re.compile(r"^(?P<action>[a-z]+)(?:@(?P<delay>\d+(?:\.\d+)?)s?)?$")


@dataclass(frozen=True)
class CallerClock:
    words_per_second: float = 2.6
    webhook_seconds: float = 0.2
    ring_after_seconds: float = 1.5
    pickup_seconds: float = 4.0  # an engineer's pick-up delay when none is given
    voicemail_after_seconds: float = 10.0
    press_after_seconds: float = 0.7
    message_seconds: float = 30.0
    talk_seconds: float = 120.0

    def speech_seconds(self, text):
        """Seconds to say `text`: its words (each digit of a spelt-out number a word) at the pace."""
        words = len(re.findall(r"[\w'’]+", text or ""))
        return words / self.words_per_second if words else 0.0

    def until_press(self, whisper):
        """Seconds from the whisper starting to the engineer's key press."""
        named = re.split(r"(?<=[.!?])\s", (whisper or "").strip(), maxsplit=1)[0]
        return self.speech_seconds(named) + self.press_after_seconds


@dataclass(frozen=True)
class Answer:
    """What one engineer does when rung, and after how many seconds of ringing."""

    action: str
    delay: float | None = None  # pick-up delay; None: the model's default

    def pickup_after(self, clock):
        if self.action == "voicemail":
            return self.delay if self.delay is not None else clock.voicemail_after_seconds
        return self.delay if self.delay is not None else clock.pickup_seconds


def parse_answer(text):
    """'accept', 'accept@3s', 'voicemail@8' -> Answer; ValueError with one line otherwise."""
    match = SPEC.match(text.strip().lower())
    if not match or match.group("action") not in ACTIONS:
        raise ValueError(f"expected one of {', '.join(ACTIONS)}, optionally @SECONDS "
                         f"(e.g. accept@3s), got {text!r}")
    delay = match.group("delay")
    return Answer(match.group("action"), float(delay) if delay is not None else None)
