"""The demo's month: a month of a support line's traffic up to now, played through the app.

Busy weekday mornings (08:00-11:00), quieter afternoons, quiet Fridays, a call now and then
at night or at the weekend that reaches the duty engineer, a few that nobody takes (the
caller leaves a message: a ticket, most of them acknowledged later by an engineer's ACK
text), and one slow engineer (Tobi Jones) who often lets it ring. Every call is a Scenario
played silently by the simulator through the app's signed webhooks, every acknowledgement
an ACK text to /sms/incoming, in the order they happen; the calls the demo prints are
played among them at their own moments. The month is drawn from a seeded generator, so it
is the same from one demo to the next but for the dates.
"""

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import time, timedelta

from console.caller_clock import Answer
from console.scenario import Scenario
from console.simulator import Simulator
from console.text_simulator import simulate_text
from dutyline.db import database
from dutyline.localtime import local_instant, local_midnight
from dutyline.phones import to_e164
from hours.business_hours import is_closed_day, is_in_hours
from rota.models import Engineer

DAYS = 30  # played before today, and today up to now
# expected calls in each hour of a working day (Friday's are FRIDAY times these)
HOURLY = {8: 1.7, 9: 2.1, 10: 1.8, 11: 0.9, 12: 0.4, 13: 0.6, 14: 0.6, 15: 0.5, 16: 0.4,
          17: 0.3}
FRIDAY = 0.4
NIGHT = 0.3  # the chance of a call at night (19:00-07:00)
WEEKEND_DAY = 0.35  # the chance of a call by day on a weekend day or a holiday
SLOTS = range(0, 60, 5)  # calls start in different five-minute slots of an hour: none overlaps
QUIET = timedelta(minutes=6)  # nothing is played this close to the printed calls, or to now
# how each engineer answers a call: the share taken, and the pick-up (seconds of ringing)
ENGINEERS = {"Ben Smith": (0.94, 1.5, 4), "Tobi Jones": (0.75, 3.5, 9),  # the slow one
             "Asha Patel": (0.95, 1.5, 4.5), "Chris Wong": (0.85, 3, 8)}
NOBODY_FREE = 23  # one call in so many: everyone is on another line, the caller gets the tone
HANGS_UP = 3  # of those callers, one in so many hangs up at the tone; the others leave a message
UNANSWERED = 4  # one message in so many is left for the newcomer; the others are acknowledged
ACKERS = ("Ben Smith", "Asha Patel", "Tobi Jones")
# callers who are no customer: Ofcom's mobile numbers for drama, 07700 900xxx
OWN_CALLERS = ["+447700900" + f"{n:03d}" for n in range(101, 131)]


@dataclass(order=True)
class Event:
    at: object
    order: int
    play: object = field(compare=False)  # play() plays it


@dataclass
class Month:
    """What was played, for the demo's one-line summary."""

    calls: int = 0
    out_of_hours: int = 0
    tickets: int = 0
    acknowledged: int = 0


def working(settings, day):
    return day.weekday() in settings.hours and not is_closed_day(settings, day)


def arrivals(settings, first, now, rng, avoid=()):
    """The instants of a month of calls from the local day `first` up to `now`: none within
    QUIET of `now` or of the instants in `avoid`; at least one today."""
    tz, today = settings.tz, now.astimezone(settings.tz).date()
    found, day = [], first
    while day <= today:
        hours = []
        if working(settings, day):
            scale = FRIDAY if day.weekday() == 4 else 1.0
            hours = [hour for hour, rate in HOURLY.items()
                     for _ in range(int(rate * scale) + (rng.random() < rate * scale % 1))]
        elif rng.random() < WEEKEND_DAY:
            hours = [rng.randint(9, 16)]
        if rng.random() < NIGHT:
            hours.append(rng.choice((0, 1, 2, 3, 4, 5, 6, 19, 20, 21, 22, 23)))
        for hour in sorted(set(hours)):
            for minute in sorted(rng.sample(SLOTS, hours.count(hour))):
                found.append(local_instant(day, time(hour, minute, rng.randint(0, 59)), tz))
        day += timedelta(days=1)
    found = [at for at in found if at <= now - QUIET
             and all(abs(at - other) >= QUIET for other in avoid)]
    midnight = local_midnight(today, tz)
    if not any(at >= midnight for at in found):  # today is never empty
        found.append(midnight + (now - midnight) / 2)
    return sorted(found)


def scenario(at, index, rng, callers):
    """How the `index`-th call goes: each engineer takes it (after their pick-up) or lets it
    ring; now and then nobody is free."""
    caller = rng.choice(callers)
    answers = {}
    for name, (share, low, high) in ENGINEERS.items():
        taken = rng.random() < share
        answers[name] = Answer("accept", round(rng.uniform(low, high), 1)) if taken \
            else Answer("ignore")
    hangs_up = False
    if index % NOBODY_FREE == NOBODY_FREE // 2:
        answers = {name: Answer("ignore") for name in ENGINEERS}
        hangs_up = index // NOBODY_FREE % HANGS_UP == HANGS_UP - 1
    return Scenario(at=at, caller=caller, answers=answers,
                    caller_action="hangup" if hangs_up else "message",
                    caller_presses="1" if rng.random() < 0.5 else None)


def acknowledgement(settings, ticket, at, now, rng):
    """When (and by whom, with which text) a ticket left at `at` is acknowledged: soon in
    hours, the next working morning otherwise; None when not (yet) acknowledged."""
    if ticket % UNANSWERED == 0:
        return None
    local = at.astimezone(settings.tz)
    if is_in_hours(settings, at):
        when = at + timedelta(minutes=rng.uniform(8, 100))
    else:  # the next working morning
        day = local.date() + timedelta(days=1 if local.hour >= 12 else 0)
        while not working(settings, day):
            day += timedelta(days=1)
        when = local_instant(day, time(8, rng.randint(5, 59)), settings.tz)
    if when > now - QUIET:
        return None
    priority = rng.choice(("", "", " B", " A", " D"))
    return when, rng.choice(ACKERS), f"ACK {ticket}{priority}"


def play_month(app, settings, now, samples, first=None, seed=2026):
    """Play the month up to `now` (from the local day `first`, DAYS before today by default),
    and `samples` [(at, play())] among it at their moments, in time order. Returns the
    Month played."""
    rng = random.Random(seed)
    today = now.astimezone(settings.tz).date()
    first = first or today - timedelta(days=DAYS)
    customers = [to_e164(number, settings.phone_region) for number in ("020 7946 0500",
                                                                       "0161 496 0000")]
    callers = customers * 5 + OWN_CALLERS
    mobiles = engineer_mobiles(app)
    month, events, order = Month(), [], itertools.count()
    quiet = Simulator(app)

    def call(scene):
        def play():
            outcome = quiet.run(scene)
            month.calls += 1
            month.out_of_hours += not is_in_hours(settings, scene.at)
            if outcome.ticket_number is not None:
                month.tickets += 1
                acked = acknowledgement(settings, outcome.ticket_number, scene.at, now, rng)
                if acked is not None:
                    heapq.heappush(events, Event(acked[0], next(order), text(*acked)))
        return play

    def text(at, name, body):
        def play():
            simulate_text(app, mobiles[name], body, at, echo=lambda line: None)
            month.acknowledged += 1
        return play

    for index, at in enumerate(arrivals(settings, first, now, rng, [at for at, _ in samples])):
        made = scenario(at, index, rng, callers)
        heapq.heappush(events, Event(at, next(order), call(made)))
    for at, play in samples:
        heapq.heappush(events, Event(at, next(order), play))
    while events:
        heapq.heappop(events).play()
    return month


def engineer_mobiles(app):
    """Each engineer's mobile, the number their ACK texts come from."""
    with app.app_context(), database.connection_context():
        return {engineer.name: engineer.mobile for engineer in Engineer.select()}
