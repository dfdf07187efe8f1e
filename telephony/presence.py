"""Who can be rung: the engineers on a support call, and those free for the hunt.

An engineer is on a call while a leg of theirs is picked up (the whisper or the
conversation) and has not ended, for at most CONNECTED_STALE (a callback lost); a phone
that only rings is not. Free for the hunt: active, signed in, not on leave and not on a
call. The arrival asks it of every engineer in its one read (telephony.arrival), a later
leg of either strategy asks free_engineers; both from the same conditions here.
"""

from datetime import timedelta

from peewee import SQL, fn

from dutyline.compiled import slot, statement
from rota.models import Absence, Engineer
from telephony.models import Leg

CONNECTED_STALE = timedelta(hours=4)  # a picked-up leg with no news for this long has ended


def on_a_call(leg, engineer_id):
    """A leg of the engineer picked up, not ended and not stale (slot "stale").

    The partial index leg_on_a_call (telephony.models) holds exactly these legs, however
    long the call log grows.
    """
    return ((leg.engineer == engineer_id) & leg.ended_at.is_null()
            & leg.picked_up_at.is_null(False) & leg.engineer.is_null(False)
            & (leg.started_at > slot("stale")))


def busy(engineer):
    """True for an engineer (a table alias) on a call."""
    leg = Leg.alias("l")
    return fn.EXISTS(leg.select(SQL("1")).where(on_a_call(leg, engineer.id)))


def away(engineer):
    """True for an engineer on leave at the instant of slot "now"."""
    absence = Absence.alias("a")
    return fn.EXISTS(absence.select(SQL("1")).where(absence.engineer == engineer.id,
                                                     absence.starts_at <= slot("now"),
                                                     absence.ends_at > slot("now")))


def hunted(engineer):
    """True for an engineer the hunt rings when free: active and signed in."""
    return engineer.active & engineer.signed_in


def moments(now):
    """The slots these conditions read, for the instant `now`."""
    return {"now": Absence.starts_at.db_value(now),
            "stale": Leg.started_at.db_value(now - CONNECTED_STALE)}


@statement
def _on_a_call():
    engineer, leg = Engineer.alias("e"), Leg.alias("l")
    return (engineer.select(engineer.id).distinct()
            .join(leg, on=on_a_call(leg, engineer.id)))


@statement
def _free():
    engineer = Engineer.alias("e")
    return engineer.select(engineer.id).where(hunted(engineer), ~busy(engineer),
                                               ~away(engineer))


def engineers_on_a_call(now):
    """The ids of the engineers on a support call at `now`."""
    return frozenset(row["id"] for row in _on_a_call.rows(**moments(now)))


def free_engineers(now):
    """The ids of the engineers free for the hunt at `now`."""
    return frozenset(row["id"] for row in _free.rows(**moments(now)))
