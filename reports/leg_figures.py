"""Each engineer's legs in a span, counted in the database (legs of the span's calls)."""

from peewee import SQL, Case, fn

from reports.call_figures import in_span
from reports.measures import LegTally
from reports.sql import seconds_between
from telephony.models import Call, Leg

# how a leg ended (Leg.outcome); "ringing" is a leg still open when the caller hung up
ACCEPTED = "accepted"
NO_ANSWER = "no-answer"
BUSY = "busy"
FAILED = "failed"
NOT_PRESSED = "not-accepted"  # picked up (a person or a voicemail box), 1 never pressed
CALLER_GONE = ("ringing", "canceled", "caller-hung-up")


def _sum(condition):
    return fn.SUM(Case(None, [(condition, SQL("1"))], SQL("0")))


def leg_tallies(span):
    """{engineer id: LegTally} for the legs of the calls that arrived in the span."""
    gone = Leg.outcome.in_(list(CALLER_GONE))
    answered_elsewhere = Call.answered_at.is_null(False)
    ring_to_accept = seconds_between(Leg.accepted_at, Leg.ringing_at)
    first = Leg.step == 0
    query = (Leg
             .select(Leg.engineer,
                     fn.COUNT(SQL("*")),
                     _sum(Leg.outcome == ACCEPTED),
                     _sum(Leg.outcome == NO_ANSWER),
                     _sum(Leg.outcome == BUSY),
                     _sum(Leg.outcome == FAILED),
                     _sum(Leg.outcome == NOT_PRESSED),
                     _sum(gone & ~answered_elsewhere),
                     _sum(gone & answered_elsewhere),
                     fn.SUM(ring_to_accept),
                     fn.COUNT(ring_to_accept),
                     _sum(first),
                     _sum(first & (Leg.outcome == ACCEPTED)))
             .join(Call, on=(Leg.call == Call.id))
             .where(Leg.engineer.is_null(False))
             .group_by(SQL("1")))
    tallies = {}
    for row in in_span(query, span).tuples():
        engineer_id, values = row[0], [value or 0 for value in row[1:]]
        tallies[engineer_id] = LegTally(
            legs=values[0], accepted=values[1], not_answered=values[2], busy=values[3],
            failed=values[4], not_pressed=values[5], caller_hung_up=values[6],
            cancelled=values[7], ring_to_accept_total=float(values[8]),
            ring_to_accept_count=values[9], first_legs=values[10],
            first_legs_accepted=values[11])
    return tallies
