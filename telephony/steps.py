"""What the caller hears next: the named values between the call log and the TwiML."""

import re
from dataclasses import dataclass

from telephony.routing import Target


@dataclass(frozen=True)
class Ring:
    """Ring one engineer on the leg logged for it (the press-1 whisper comes first)."""

    target: Target
    leg_id: int
    caller_id: str | None = None  # shown on the engineer's phone: the caller's own number


@dataclass(frozen=True)
class Step:
    """The caller's next step; with none of the first five set, voicemail.

    The greeting, when set, is said before whatever follows.
    """

    ring: Ring | None = None
    fallback_number: str | None = None  # nobody to ring: dial this number plainly
    gate_call_id: int | None = None  # out of contract hours: press 1 for an emergency
    hang_up: bool = False  # the conversation is over
    blocked: bool = False  # a number on the block list: one sentence, then hang up
    greeting: str | None = None


E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def shown_caller_id(number):
    """The caller's number as the engineer's phone should show it; None when withheld or odd."""
    return number if number and E164.fullmatch(number) else None
