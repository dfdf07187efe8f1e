"""How a number answers, learned from the call log (telephony.answering.learn on its legs).

Legs that had their chance count: accepted, picked up without a key, rung out or busy. A
leg stopped while it rang (another engineer had the caller) counts as far as it went: not
picked up within that many seconds. One picked up when the caller was already taken says
nothing of how this number answers.
"""

from datetime import timedelta

from telephony.answering import Ring, learn
from telephony.models import Call, Leg, LegOutcome

HAD_THEIR_CHANCE = (LegOutcome.ACCEPTED, LegOutcome.NOT_ACCEPTED, LegOutcome.NO_ANSWER,
                    LegOutcome.BUSY, LegOutcome.CANCELED, LegOutcome.TAKEN_BY_ANOTHER,
                    LegOutcome.WITHDRAWN, LegOutcome.CALLER_HUNG_UP)
HISTORY = timedelta(weeks=12)  # older legs weigh under 1/64 of a new one
LATEST = 200
ENDS_IN_WHOLE_SECONDS = timedelta(seconds=1)
STOPPED = (LegOutcome.CANCELED, LegOutcome.TAKEN_BY_ANOTHER, LegOutcome.WITHDRAWN,
           LegOutcome.CALLER_HUNG_UP)


TEAM_WEIGHT = 3.0  # the team's figures count as this many of a number's own rings


def learned_for(engineer_id, number, now):
    """The Answering of `number` when it is `engineer_id`'s (None: anyone's) at `now`: its
    own legs, with the whole team's (themselves drawn from telephony.answering.PRIOR) as
    the prior, so a number with little history is taken to answer as the team does."""
    team = learn(_rings(None, None, now), now)
    return learn(_rings(engineer_id, number, now), now, prior=team, prior_weight=TEAM_WEIGHT)


def _rings(engineer_id, number, now):
    query = (Leg.select(Leg.started_at, Leg.ringing_at, Leg.picked_up_at, Leg.accepted_at,
                        Leg.outcome,
                        Leg.ended_at, Call.answered_at.alias("call_answered_at"))
             .join(Call).objects()
             .where(Leg.started_at >= now - HISTORY, Leg.started_at < now,
                    Leg.outcome.in_(HAD_THEIR_CHANCE))
             .order_by(Leg.started_at.desc()).limit(LATEST))
    if number is not None:
        query = query.where(Leg.number == number)
    if engineer_id is not None:
        query = query.where(Leg.engineer == engineer_id)
    return [_ring(leg) for leg in query
            if leg.picked_up_at is None or not _taken_by_another(leg)]


def _taken_by_another(leg):
    """True for a leg still up when another engineer accepted (Twilio's end of a leg comes
    in whole seconds, hence the second's grace)."""
    answered = leg.call_answered_at
    return (leg.accepted_at is None and answered is not None
            and (leg.ended_at is None or answered < leg.ended_at + ENDS_IN_WHOLE_SECONDS))


def _ring(leg):
    rang = leg.ringing_at or leg.started_at
    picked = (leg.picked_up_at - rang).total_seconds() if leg.picked_up_at else None
    stopped = None
    if leg.outcome in STOPPED and picked is None and leg.accepted_at is None:
        stopped = max(((leg.ended_at or rang) - rang).total_seconds(), 0.0)
    return Ring(rang, picked, leg.accepted_at is not None, stopped)
