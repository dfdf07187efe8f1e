"""The hunt after the arrival, one for both strategies: the plan's legs, rung in order.

The plan was decided and stored at the arrival (telephony.arrival_save). Each later leg is
logged once, whichever callback asks for it first, and a leg that rings a hunt or cover
engineer claims the hunt position for them (telephony.position), so the next call starts
after the engineer rung last. Which step comes next is a pure decision among the engineers
free now (telephony.presence): telephony.routing.next_step when one engineer rings at a
time, telephony.overlap.decide_tick for the overlapped hunt (telephony.queue_hunt).
"""

from peewee import IntegrityError

from dutyline.db import database
from rota.models import FIRST_TEAM
from telephony.models import Leg
from telephony.position import claim
from telephony.presence import free_engineers
from telephony.routing import COVER, HUNT, next_step, plan_targets
from telephony.steps import Ring, Step, shown_caller_id


def targets_of(call):
    """The call's plan, as stored at its arrival."""
    return plan_targets(call.plan)


def begin_leg(call, targets, index, now, only_new=False):
    """The Ring of step `index` of the call, its leg logged once.

    The arrival logged step 0 (and claimed the position for a hunt); a later hunt or cover
    leg claims the position for its engineer. With `only_new`, None when the leg was there
    already (a duplicated request made it).
    """
    target = targets[index]
    leg = Leg.get_or_none(Leg.call == call, Leg.step == index)
    if leg is not None and only_new:
        return None
    if leg is None:
        try:
            with database.atomic():
                leg = Leg.create(call=call, step=index, engineer=target.engineer_id,
                                 number=target.number, role=target.role, started_at=now)
                if target.role in (HUNT, COVER) and index > 0:
                    claim([target.rotation], call.team_id or FIRST_TEAM)
        except IntegrityError:  # a retried callback made it a moment ago
            if only_new:
                return None
            leg = Leg.get(Leg.call == call, Leg.step == index)
    return Ring(target, leg.id, shown_caller_id(call.from_number))


def ring_next(call, after_step, settings, now):
    """One engineer at a time: after the leg of `after_step`, the next target's Ring (its
    leg logged), or voicemail once the plan is exhausted or the caller has waited long."""
    targets = targets_of(call)
    index = next_step(targets, after_step, free_engineers(now),
                      (now - call.started_at).total_seconds(), settings)
    if index is None:
        return Step()
    return Step(ring=begin_leg(call, targets, index, now))


def pass_gate(call, now, fallback_number=None):
    """The caller pressed 1 for an emergency: the first duty leg, else the fallback or
    voicemail."""
    targets = targets_of(call)
    if not targets:
        return Step(fallback_number=fallback_number)
    return Step(ring=begin_leg(call, targets, 0, now))


def connects_on_pickup(leg):
    """True when the leg rings a desk phone set to connect on pick-up (no press-1 whisper)."""
    targets = targets_of(leg.call)
    return 0 <= leg.step < len(targets) and targets[leg.step].on_pickup
