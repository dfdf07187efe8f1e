"""The caller's clock: how long each thing a caller waits for takes, as a stated model.

The simulator moves its clock by these figures, so every line it prints carries the seconds
since the call arrived and the benchmark can count calls reached within 12 s. The figures
are assumptions, written down so they can be argued with:

- speech: `words_per_second` (2.6, Polly's pace) plus `say_seconds` (0.2) per <Say>; a
  number read digit by digit is a word a digit, so "0 7 4 0 0" is five words; <Play> lasts
  its file, <Pause> its length, and a wait document is fetched again when it ends;
- each webhook document in the caller's or the engineer's path: `webhook_seconds` (0.25);
  status callbacks run beside the call, not in its path;
- a <Dial> leg rings `ring_after_seconds` (1.5) after its document arrives; a REST leg is
  requested once the answer that started it has gone (`webhook_seconds`), takes effect
  `rest_effect_seconds` (0.3) later and rings `ring_after_seconds` after that; Twilio rings
  about 5 s past a timeout;
- an engineer's pick-up delay: given per engineer ("Ann=accept@3s"), from the ring;
- a personal voicemail picks up `voicemail_after_seconds` after the ring and never presses;
- the engineer presses 1 `press_after_seconds` (0.8) after the whisper's prompt has been read
  once (a press during the prompt is not counted on).
"""

import re
from dataclasses import dataclass

ACTIONS = ("accept", "ignore", "voicemail", "busy")
SPEC = re.compile(r"^(?P<action>[a-z]+)(?:@(?P<delay>\d+(?:\.\d+)?)s?)?$")


@dataclass(frozen=True)
class CallerClock:
    words_per_second: float = 2.6
    webhook_seconds: float = 0.25
    ring_after_seconds: float = 1.5
    rest_effect_seconds: float = 0.3
    say_seconds: float = 0.2
    pickup_seconds: float = 4.0  # an engineer's pick-up delay when none is given
    voicemail_after_seconds: float = 10.0
    press_after_seconds: float = 0.8
    message_seconds: float = 30.0
    talk_seconds: float = 120.0

    def speech_seconds(self, text):
        """Seconds to say `text`: its words (each digit of a spelt-out number a word) at the pace."""
        words = len(re.findall(r"[\w'’]+", text or ""))
        return words / self.words_per_second if words else 0.0

    def say(self, text):
        """Seconds one <Say> of `text` lasts: its words and the verb's own start."""
        return self.speech_seconds(text) + self.say_seconds

    def until_press(self, prompt, says=1):
        """Seconds from the whisper's prompt starting (`says` <Say> verbs) to the key press:
        the whole prompt read once, then the engineer's reaction."""
        return self.speech_seconds(prompt) + says * self.say_seconds + self.press_after_seconds

    def rest_leg_rings(self):
        """Seconds from a webhook asking for a REST leg to that leg ringing."""
        return self.webhook_seconds + self.rest_effect_seconds + self.ring_after_seconds


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
