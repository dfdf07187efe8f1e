"""How long callers wait for a person, per team profile and hunt strategy, through the real app.

Each call is played by the simulator (console.simulator) against a fresh SQLite database, on
the caller's clock of console.caller_clock: 0.25 s per webhook document in the caller's or
the engineer's path, speech at 2.6 words a second plus 0.2 s per <Say>, a <Dial> leg ringing
1.5 s after its document, a REST leg 0.25 + 0.3 + 1.5 s after the answer that asked for it,
wait documents fetched again when they end, the key pressed 0.8 s after the whole prompt,
each engineer's pick-up delay drawn from the profile. The figures are what that model says a
caller waits; they depend on it, not on this machine's speed.

    python bench/caller_wait.py [--calls 100] [--seed 1] [--strategy LABEL]...

prints, per profile and strategy, the share of calls reached within 12 s (20 s at night), the
median, p90 and best wait of the calls that reached someone, the calls that reached nobody,
engineer phones rung per call and engineers per call who picked up a call someone else had.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from console.caller_clock import Answer  # noqa: E402
from console.scenario import Scenario, SimClock  # noqa: E402
from console.simulator import Simulator  # noqa: E402
from dutyline.db import database  # noqa: E402
from dutyline.migrations import upgrade  # noqa: E402
from dutyline.settings import parse_settings  # noqa: E402
from rota import engineers, periods  # noqa: E402
from telephony.dialer import RecordingDialer  # noqa: E402
from webhooks import create_app  # noqa: E402

LONDON = ZoneInfo("Europe/London")
OFFICE_HOURS = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)  # a Tuesday
NIGHT = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)
THRESHOLD = 12.0
NIGHT_THRESHOLD = 20.0
LABEL = __import__("telephony.twiml", fromlist=["caller_label"]).caller_label


@dataclass(frozen=True)
class Profile:
    name: str
    size: int
    at: datetime
    office: bool  # desk phones in the office; else mobiles
    answer: object  # rng -> Answer for one engineer on one call


def fast(rng):
    return Answer("accept", rng.uniform(2, 4))


def mostly(rng):
    return Answer("accept", rng.uniform(2, 8)) if rng.random() < 0.85 else Answer("ignore")


def remote(rng):
    draw = rng.random()
    if draw < 0.70:
        return Answer("accept", rng.uniform(4, 10))
    if draw < 0.80:
        return Answer("voicemail", rng.uniform(6, 10))
    return Answer("ignore")


def night(rng):
    return Answer("accept", rng.uniform(6, 14)) if rng.random() < 0.90 else Answer("ignore")


PROFILES = (
    Profile("office team of 6, all answer in 2-4 s", 6, OFFICE_HOURS, True, fast),
    Profile("office team of 6, each answers 85% in 2-8 s", 6, OFFICE_HOURS, True, mostly),
    Profile("4 remote on mobiles, 70% in 4-10 s, 10% voicemail", 4, OFFICE_HOURS, False, remote),
    Profile("night: duty + backup, 90% in 6-14 s", 2, NIGHT, False, night),
)
# The line as it was before the short critical path, under the same model: the old
# greetings, and the whisper reading an unknown caller's number digit by digit.
BEFORE = {"hunt": "sequential",
          "greeting": "Thank you for calling support. Connecting you to an engineer.",
          "out_of_hours_greeting": "Thank you for calling support. Our office is closed; "
                                   "connecting you to the engineer on duty."}
OLD_WHISPER = "Support call from 0 7 4 0 0 1 2 3 4 5 6"
OVERLAP_2 = {"hunt": "overlap", "overlap_seconds": 2, "backup_after_seconds": 2}
# (label, settings, desk phones connect on pick-up); the desk rows only for office teams
STRATEGIES = (
    ("target", {"hunt": "target"}, False),
    ("before", BEFORE, False),
    ("sequential", {"hunt": "sequential"}, False),
    ("overlap 6 s", {"hunt": "overlap", "overlap_seconds": 6, "backup_after_seconds": 6}, False),
    ("overlap 2 s", OVERLAP_2, False),
    ("overlap 1 s", {"hunt": "overlap", "overlap_seconds": 1, "backup_after_seconds": 1}, False),
    ("sequential, desk connects", {"hunt": "sequential"}, True),
    ("overlap 2 s, desk connects", OVERLAP_2, True),
)


def build(profile, strategy_settings, folder, desk_connects=False):
    path = os.path.join(folder, f"bench-{secrets.token_hex(4)}.db")
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TWILIO_AUTH_TOKEN": "bench-token",
                      "PUBLIC_URL": "https://support.example.com", "LOG_LEVEL": "ERROR",
                      "SETTINGS": parse_settings(strategy_settings),
                      "CLOCK": SimClock(profile.at), "DIALER": RecordingDialer()})
    upgrade()
    added = profile.at - timedelta(days=30)
    with app.app_context(), database.connection_context():
        team = []
        for n in range(profile.size):
            name = f"Engineer {n + 1}"
            engineer = engineers.add_engineer(name, f"+4479111230{n:02d}",
                                              f"+4420794601{n:02d}" if profile.office else None,
                                              None, region="GB", now=added)
            engineers.set_signed_in(name, True, now=added)
            engineers.set_location(name, "office" if profile.office else "remote", now=added)
            if desk_connects:
                engineer = engineers.update_engineer(name, added, desk_connects=True,
                                                     region="GB")
            team.append(engineer)
        if profile.at.hour < 8:
            settings = app.extensions["dutyline"].settings
            periods.assign_period((profile.at - timedelta(days=1)).date(), team[0],
                                  team[1] if len(team) > 1 else None, settings, now=added)
    return app, [engineer.name for engineer in team]


def play(profile, strategy_settings, calls, seed, folder, desk_connects=False):
    import telephony.twiml

    telephony.twiml.caller_label = ((lambda name=None: OLD_WHISPER)
                                    if strategy_settings is BEFORE else LABEL)
    rng = random.Random(seed)
    app, names = build(profile, strategy_settings, folder, desk_connects)
    simulator = Simulator(app)
    waits, nobody, phones, taken = [], 0, 0, 0
    at = profile.at
    for _ in range(calls):
        answers = {name: profile.answer(rng) for name in names}
        outcome = simulator.run(Scenario(at=at, answers=answers, caller_action="hangup"))
        if outcome.reached_after is None:
            nobody += 1
        else:
            waits.append(outcome.reached_after)
        phones += outcome.phones_rung
        taken += outcome.taken_pickups
        at += timedelta(minutes=2)  # one at a time: the last call (2 min talk) has ended
    return waits, nobody, phones / calls, taken / calls


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100, help="calls per profile and strategy")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strategy", action="append", metavar="LABEL",
                        help="only this strategy's rows (repeatable), e.g. 'overlap 2 s'")
    args = parser.parse_args()
    chosen = [row for row in STRATEGIES if not args.strategy or row[0] in args.strategy]
    print(f"{args.calls} calls per row; 'within' is 12 s (20 s at night) and counts calls "
          f"that reached nobody as misses")
    print(f"{'profile':52} {'strategy':26} {'within':>7} {'median':>7} {'p90':>7} "
          f"{'best':>6} {'nobody':>6} {'phones':>6} {'taken':>5}")
    with tempfile.TemporaryDirectory() as folder:
        for profile in PROFILES:
            for label, strategy, desk_connects in chosen:
                if desk_connects and not profile.office:
                    continue  # mobiles never connect on pick-up
                waits, nobody, phones, taken = play(profile, strategy, args.calls, args.seed,
                                                    folder, desk_connects)
                limit = NIGHT_THRESHOLD if profile.at.hour < 8 else THRESHOLD
                within = sum(wait <= limit for wait in waits) / args.calls
                figures = (f"{statistics.median(waits):6.1f}s {percentile(waits, 0.9):6.1f}s "
                           f"{min(waits):5.1f}s" if waits else f"{'-':>7} {'-':>7} {'-':>6}")
                print(f"{profile.name:52} {label:26} {within:6.1%} {figures} {nobody:6d} "
                      f"{phones:6.2f} {taken:5.2f}")


if __name__ == "__main__":
    main()
