"""The measures as plain arithmetic over counted figures (no database): percentiles from a
histogram of waits, the service level, abandonment. docs/statistics.md defines each one."""

import math
from dataclasses import dataclass, field

FORMULA = ("service level = calls answered within {t} s / offered calls; offered = inbound "
           "calls less short abandons (caller hung up unanswered within {s} s) and calls "
           "from blocked numbers; voicemail, fallback and abandoned calls count as misses")


def nearest_rank(histogram, percent):
    """The nearest-rank percentile of a {value: count} histogram (None when empty).

    The smallest value with at least `percent` % of the values at or below it.
    """
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(percent / 100 * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # not reached


def ratio(part, whole):
    return part / whole if whole else None


@dataclass
class CallTally:
    """Counts of one group's calls, added up from the database's rows."""

    calls: int = 0
    short_abandons: int = 0
    answered: int = 0
    answered_within: int = 0
    wait_ms: int = 0  # the answered calls' waits added up, in whole milliseconds
    waits: dict = field(default_factory=dict)  # whole seconds -> answered calls
    voicemail: int = 0
    fallback: int = 0
    abandoned_greeting: int = 0
    abandoned_hunting: int = 0
    abandoned_unknown: int = 0  # logged before statistics: where it was abandoned is unknown
    unfinished: int = 0
    legacy: int = 0
    blocked: int = 0  # from numbers on the block list: answered with a sentence, never offered

    def add(self, other):
        # field by field rather than by name: a year's report adds up hundreds of these
        self.calls += other.calls
        self.short_abandons += other.short_abandons
        self.answered += other.answered
        self.answered_within += other.answered_within
        self.wait_ms += other.wait_ms
        self.voicemail += other.voicemail
        self.fallback += other.fallback
        self.abandoned_greeting += other.abandoned_greeting
        self.abandoned_hunting += other.abandoned_hunting
        self.abandoned_unknown += other.abandoned_unknown
        self.unfinished += other.unfinished
        self.legacy += other.legacy
        self.blocked += other.blocked
        waits = self.waits
        for wait, count in other.waits.items():
            waits[wait] = waits.get(wait, 0) + count

    @property
    def abandoned(self):
        """Abandoned calls that count against the line (short abandons are not among them)."""
        return self.abandoned_greeting + self.abandoned_hunting + self.abandoned_unknown

    @property
    def offered(self):
        return self.calls - self.short_abandons - self.unfinished - self.blocked

    def measures(self, threshold_seconds):
        return {
            "calls": self.calls,
            "short_abandons": self.short_abandons,
            "offered": self.offered,
            "answered": self.answered,
            "answered_within": self.answered_within,
            "threshold_seconds": threshold_seconds,
            "service_level": ratio(self.answered_within, self.offered),
            "asa_seconds": (round(self.wait_ms / (1000 * self.answered), 1)
                            if self.answered else None),
            "wait_p50_seconds": nearest_rank(self.waits, 50),
            "wait_p90_seconds": nearest_rank(self.waits, 90),
            "wait_p98_seconds": nearest_rank(self.waits, 98),
            "abandoned": self.abandoned,
            "abandoned_greeting": self.abandoned_greeting,
            "abandoned_hunting": self.abandoned_hunting,
            "abandonment": ratio(self.abandoned, self.offered),
            "voicemail": self.voicemail,
            "fallback": self.fallback,
            "unfinished": self.unfinished,
            "blocked": self.blocked,
            "logged_before_statistics": self.legacy,
        }


@dataclass
class LegTally:
    """One engineer's legs."""

    legs: int = 0
    accepted: int = 0
    not_answered: int = 0
    busy: int = 0
    failed: int = 0
    not_pressed: int = 0
    caller_hung_up: int = 0
    cancelled: int = 0
    ring_to_accept_ms: int = 0
    ring_to_accept_count: int = 0
    first_legs: int = 0
    first_legs_accepted: int = 0

    def add(self, other):
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def measures(self):
        mean = (round(self.ring_to_accept_ms / (1000 * self.ring_to_accept_count), 1)
                if self.ring_to_accept_count else None)
        return {"legs": self.legs, "accepted": self.accepted, "not_answered": self.not_answered,
                "busy": self.busy, "failed": self.failed, "picked_up_not_pressed": self.not_pressed,
                "caller_hung_up": self.caller_hung_up, "cancelled": self.cancelled,
                "ring_to_accept_seconds": mean, "first_legs": self.first_legs,
                "first_legs_accepted": self.first_legs_accepted,
                "first_leg_share": ratio(self.first_legs_accepted, self.first_legs)}


@dataclass
class TicketTally:
    tickets: int = 0
    acknowledged: int = 0
    reaction_ms: int = 0
    met_deadline: int = 0
    past_deadline: int = 0  # acknowledged late, or not acknowledged and already late
    with_deadline: int = 0

    def add(self, other):
        for name in ("tickets", "acknowledged", "reaction_ms", "met_deadline",
                     "past_deadline", "with_deadline"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def measures(self):
        judged = self.met_deadline + self.past_deadline
        return {"tickets": self.tickets, "tickets_acknowledged": self.acknowledged,
                "reaction_seconds": (round(self.reaction_ms / (1000 * self.acknowledged))
                                     if self.acknowledged else None),
                "tickets_met_deadline": self.met_deadline,
                "tickets_past_deadline": self.past_deadline,
                "deadline_share": ratio(self.met_deadline, judged)}
