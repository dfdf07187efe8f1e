"""The service level the team's current presence is forecast to give.

For a call arriving now, the hunt would ring the engineers signed in, one after another in
round-robin order, each on the number the hunt rings them on, each answering as the call log
taught (telephony.answering_log.learned_for). Until somebody accepts, when each phone starts
does not depend on chance: the target hunt asks its own rule (telephony.target_hunt.
next_start) at each start for the next one; the overlapped hunt starts one every
`overlap_seconds`; the sequential hunt starts the next once the last has rung
`ring_seconds`. The forecast is the chance that somebody accepts within
`service_level_seconds` with phones started at those moments, the phones answering
independently (as the rule reckons), taken as the mean over where round robin starts, since
each call starts at the next engineer.

Left out, as the rule leaves them out: engineers already on a call, a phone picked up with
no key that ends its ring early, and legs that fail to start.
"""

from dataclasses import dataclass

from rota.models import FIRST_TEAM, OFFICE, Absence, Engineer, TeamMember
from telephony.answering_log import learned_for
from telephony.queue_hunt import TONE_WHISPER
from telephony.routing import Person
from telephony.target_hunt import RingingLeg, Timing, leg_chance, next_start


@dataclass(frozen=True)
class Forecast:
    """The share of calls forecast to be accepted within `window` seconds, with `engineers`
    signed in (None when nobody is)."""

    share: float | None
    engineers: int
    window: int

    def words(self):
        """E.g. "Forecast: 97.8% within 12 s with the 4 engineers signed in"."""
        if self.share is None:
            return f"Forecast: nobody is signed in, so no call is accepted within {self.window} s"
        people = "the 1 engineer" if self.engineers == 1 else f"the {self.engineers} engineers"
        return (f"Forecast: {self.share * 100:.1f}% within {self.window} s with {people} "
                f"signed in")


def timing_of(hunt):
    """The seconds the plan reckons with: the target hunt's short whisper, else the spoken."""
    return TONE_WHISPER if hunt == "target" else Timing()


def start_times(answerings, settings, timing):
    """Seconds after the arrival at which each of `answerings` (in hunt order) would start,
    nobody having accepted; phones that would start only after the window are left out."""
    window = settings.service_level_seconds
    if not answerings:
        return []
    if settings.hunt == "overlap":
        gap = settings.overlap_seconds
    elif settings.hunt != "target":
        gap = timing.ring_after + settings.ring_seconds
    else:
        return _target_starts(answerings, settings, timing)
    return [index * gap for index in range(len(answerings)) if index * gap < window]


def _target_starts(answerings, settings, timing):
    window = settings.service_level_seconds
    starts, elapsed = [0.0], 0.0
    while len(starts) < len(answerings):
        legs = [RingingLeg(answering, elapsed - start - timing.ring_after)
                for answering, start in zip(answerings, starts)]
        plan = next_start(legs, answerings[len(starts)], settings.service_level_target, window,
                          elapsed, settings.max_phones, timing)
        if plan.start_in is None:
            break
        elapsed = round(elapsed + plan.start_in, 1)
        if elapsed >= window:
            break
        starts.append(elapsed)
    return starts


def chance_within(answerings, starts, window, timing):
    """The chance that one of the phones started at `starts` brings an acceptance within
    `window` seconds of the arrival."""
    miss = 1.0
    for answering, start in zip(answerings, starts):
        miss *= 1.0 - leg_chance(RingingLeg(answering, -timing.ring_after), window - start,
                                 timing)
    return 1.0 - miss


def forecast_share(answerings, settings):
    """The share of calls accepted within service_level_seconds when the hunt rings
    `answerings` (telephony.answering.Answering, in round-robin order): the mean over the
    engineer each call starts at. None for nobody."""
    if not answerings:
        return None
    timing = timing_of(settings.hunt)
    window = settings.service_level_seconds
    shares = []
    for first in range(len(answerings)):
        order = answerings[first:] + answerings[:first]
        shares.append(chance_within(order, start_times(order, settings, timing), window,
                                    timing))
    return sum(shares) / len(shares)


def presence_forecast(settings, now, team=FIRST_TEAM):
    """The Forecast for a call to the team (its id) arriving at `now` in hours, from its
    engineers signed in and not on leave, each on the number the hunt rings them on,
    answering as learned; `settings` are the team's."""
    away = (Absence.select(Absence.engineer)
            .where(Absence.starts_at <= now, Absence.ends_at > now))
    engineers = (Engineer.select().join(TeamMember)
                 .where(TeamMember.team == team, Engineer.active, Engineer.signed_in,
                        Engineer.id.not_in(away))
                 .order_by(Engineer.rotation, Engineer.id))
    answerings = []
    for engineer in engineers:
        person = Person(engineer.id, engineer.name, engineer.rotation, engineer.mobile,
                        engineer.desk, in_office=engineer.location == OFFICE)
        answerings.append(learned_for(engineer.id, person.hunt_number, now))
    return Forecast(forecast_share(answerings, settings), len(answerings),
                    settings.service_level_seconds)

