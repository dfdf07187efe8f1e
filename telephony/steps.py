"""What the caller hears next: the named values between the call log and the TwiML."""

from dataclasses import dataclass

from telephony.routing import Target


@dataclass(frozen=True)
class Ring:
    """Ring one engineer on the leg logged for it (the press-1 whisper comes first)."""

    target: Target
    leg_id: int


@dataclass(frozen=True)
class Step:
    """The caller's next step; with none of the first four set, voicemail.

    The greeting, when set, is said before whatever follows.
    """

    ring: Ring | None = None
    fallback_number: str | None = None  # nobody to ring: dial this number plainly
    gate_call_id: int | None = None  # out of contract hours: press 1 for an emergency
    hang_up: bool = False  # the conversation is over
    greeting: str | None = None
