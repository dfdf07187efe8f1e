"""Each engineer's legs in a span, counted in the database (legs of the span's calls).

The inner query names each leg's ending in a word and keeps its ring-to-accept time; the
outer one counts them by engineer, ending and first leg. The sort behind the grouping then
handles a few small values a leg, not the leg's timestamps.
"""

from peewee import SQL, Case, fn

from reports.call_figures import in_span
from reports.measures import LegTally
from reports.sql import is_postgres, milliseconds_between
from telephony.models import Call, Leg, LegOutcome

# Leg.outcome read as how the leg ended: RINGING is a leg still open when the caller hung up
CALLER_GONE = (LegOutcome.RINGING, LegOutcome.CANCELED, LegOutcome.CALLER_HUNG_UP)
COUNTED = (LegOutcome.ACCEPTED, LegOutcome.NO_ANSWER, LegOutcome.BUSY, LegOutcome.FAILED,
           LegOutcome.NOT_ACCEPTED)  # NOT_ACCEPTED: picked up (a person or a voicemail box)

# the ending's word -> the LegTally counter it adds to
COUNTERS = {LegOutcome.ACCEPTED: "accepted", LegOutcome.NO_ANSWER: "not_answered",
            LegOutcome.BUSY: "busy", LegOutcome.FAILED: "failed",
            LegOutcome.NOT_ACCEPTED: "not_pressed", "gone": "caller_hung_up",
            "cancelled": "cancelled"}


def _text(value):
    return SQL(f"'{value}'")


def ending_case():
    """The leg's ending as a word of COUNTERS ('other' for anything else)."""
    gone = Leg.outcome.in_([_text(name) for name in CALLER_GONE])
    return Case(None, [
        *[(Leg.outcome == _text(name), _text(name)) for name in COUNTED],
        (gone & Call.answered_at.is_null(False), _text("cancelled")),  # another leg accepted
        # overlapped hunting: 1 pressed after another leg had the caller
        (Leg.outcome == _text(LegOutcome.TAKEN_BY_ANOTHER), _text("cancelled")),
        (gone, _text("gone")),
    ], _text("other"))


def _id_range(span):
    """The lowest and highest id of the span's calls, found through call_started_at (the
    OFFSET keeps PostgreSQL from walking the primary key for MIN and MAX instead)."""
    ids = in_span(Call.select(Call.id), span).offset(0).alias("ids")
    return (Call
            .select(fn.MIN(ids.c.id), fn.MAX(ids.c.id))
            .from_(ids)
            .tuples()
            .first())


def leg_tallies(span, by_mode=False):
    """{engineer id: LegTally} for the legs of the calls that arrived in the span
    ({(call mode, engineer id): LegTally} with `by_mode`)."""
    # only accepted legs have one: the others' ringing moments are not read at all
    ring_to_accept = Case(None, [(Leg.accepted_at.is_null(False),
                                  milliseconds_between(Leg.accepted_at, Leg.ringing_at))])
    first = Case(None, [(Leg.step == 0, SQL("1"))], SQL("0"))
    legs = (Leg
            .select(Leg.engineer.alias("e"), ending_case().alias("k"), first.alias("f"),
                    ring_to_accept.alias("r"), (Call.mode if by_mode else SQL("''")).alias("m"))
            .join(Call, on=(Leg.call == Call.id))
            .where(Leg.engineer.is_null(False)))
    legs = in_span(legs, span)
    if is_postgres():
        # the span's calls have ids in one range, so their legs lie in one range of the
        # (call_id, step) index: without it PostgreSQL reads every leg ever logged
        low, high = _id_range(span)
        if low is None:
            return {}
        legs = legs.where(Leg.call.between(SQL(str(int(low))), SQL(str(int(high)))))
    # a LIMIT (SQLite) or OFFSET (PostgreSQL) keeps the database from copying the
    # expressions outward: the grouping then sorts a few small values a leg
    legs = legs.offset(0) if is_postgres() else legs.limit(-1)
    legs = legs.alias("l")
    query = (Leg
             .select(legs.c.e, legs.c.k, legs.c.f, fn.COUNT(SQL("*")), fn.SUM(legs.c.r),
                     fn.COUNT(legs.c.r), legs.c.m)
             .from_(legs)
             .group_by(SQL("1"), SQL("2"), SQL("3"), SQL("7")))
    tallies = {}
    for engineer_id, ending, is_first, count, r2a_total, r2a_count, mode in query.tuples():
        tally = tallies.setdefault((mode, engineer_id) if by_mode else engineer_id, LegTally())
        tally.legs += count
        counter = COUNTERS.get(ending)
        if counter:
            setattr(tally, counter, getattr(tally, counter) + count)
        if int(is_first):
            tally.first_legs += count
            if ending == LegOutcome.ACCEPTED:
                tally.first_legs_accepted += count
        tally.ring_to_accept_ms += int(r2a_total or 0)
        tally.ring_to_accept_count += r2a_count or 0
    return tallies
