"""A demo team, its rota and a month of calls up to now, in a fresh SQLite file: five calls
printed step by step, the month around them played quietly (console.demo_history)."""

import os
import sys
from dataclasses import replace
from datetime import time, timedelta

from console.app import app_factory
from console.demo_history import DAYS, play_month
from console.scenario import Scenario
from console.simulator import Simulator
from customers import directory as customers
from dutyline.db import database
from dutyline.localtime import local_instant, local_midnight
from dutyline.migrations import upgrade
from dutyline.phones import to_e164
from hours.business_hours import is_closed_day
from outbox import queue
from rota import engineers, periods
from rota.models import Engineer
from telephony.models import HuntPosition
from webhooks.runtime import runtime

HOUR = timedelta(hours=1)

ACME = "020 7946 0500"
TEAM = [
    # name, mobile, desk, signed in, location
    ("Ben Smith", "07911 123401", "020 7946 0101", True, "office"),
    ("Tobi Jones", "07911 123402", "020 7946 0102", True, "remote"),
    ("Asha Patel", "07911 123403", "020 7946 0103", True, "office"),
    ("Chris Wong", "07911 123404", None, False, "remote"),
]


def _last_weekday(day, settings):
    """The last working day before the local date `day`."""
    day -= timedelta(days=1)
    while day.weekday() >= 5 or is_closed_day(settings, day):
        day -= timedelta(days=1)
    return day


def demo_data(settings, now, today=None):
    """The demo's team and customers, made at `now`, and its rota around the local date
    `today` (now's by default; see demo_rota); returns the rota's first and last days."""
    team = []
    for name, mobile, desk, signed_in, location in TEAM:
        engineer = engineers.add_engineer(name, mobile, desk, region=settings.phone_region,
                                          now=now)
        engineers.set_signed_in(name, signed_in, now=now)
        engineers.set_location(name, location, now=now)
        team.append(engineer)
    customers.add_customer("ACME Ltd", [ACME], "core", "4h", region=settings.phone_region)
    customers.add_customer("Globex", ["0161 496 0000"], "24x7", "1h",
                           region=settings.phone_region)
    return demo_rota(team, today or now.astimezone(settings.tz).date(), settings, now)


def demo_rota(team, today, settings, now):
    """Last month's, this month's and next month's duty, every day (the demo's month of
    calls reaches back into last month): each engineer on duty every fourth night and backup
    two nights later, so nobody holds two nights running and `rota check` finds nothing
    wrong. Returns the first and last days."""
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (following + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    day, size = first, len(team)
    while day <= last:
        n = (day - first).days
        periods.assign_period(day, team[n % size], team[(n + 2) % size], settings, now=now)
        day += timedelta(days=1)
    return first, last


def demo_database_url(db_path):
    return f"sqlite:///{os.path.abspath(db_path)}"


def command_path():
    """How to type the dutyline command from here: the virtual environment's own script."""
    script = os.path.join(os.path.dirname(sys.executable), "dutyline")
    relative = os.path.relpath(script)
    return script if relative.startswith("..") else relative


def run_demo(db_path, port, echo=print):
    """Build the demo database and play a month of calls up to now through an in-process
    simulation app, five of them printed step by step.

    The simulation app runs on its own clock and is dropped afterwards; the app that serves
    the demo is made afresh, on the real clock.
    """
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    app = simulation_app(db_path, port)
    upgrade()  # the demo makes its own database, as `dutyline db init` would
    with app.app_context():
        settings = runtime().settings
        now = runtime().clock()
        today = now.astimezone(settings.tz).date()
        since = today - timedelta(days=DAYS)
        with database.connection_context():
            first, last = demo_data(settings, local_midnight(since, settings.tz) - HOUR, today)
    echo(f"Demo database: {db_path} ({len(TEAM)} engineers, duty rota from {first:%d %b} "
         f"to {last:%d %b}; handover {settings.handover:%H:%M} {settings.timezone}).")

    weekday = _last_weekday(today, settings)
    month = play_month(app, settings, now, printed(app, settings, weekday, echo), since)
    echo(f"\nAnd a month around them, played the same way but not printed: {month.calls} calls "
         f"since {since:%a %d %b} ({month.out_of_hours} out of hours, {month.tickets} messages "
         f"left, {month.acknowledged} acknowledged by text).")
    with app.app_context(), database.connection_context():
        queued = [m for m in queue.list_messages() if m.status == "queued"]
    echo(f"\n{len(queued)} notices wait in the outbox for `dutyline outbox work` "
         "(the callers' references, the engineers' texts).")
    dutyline = command_path()
    echo(f"\nTry: DATABASE_URL=sqlite:///{db_path} {dutyline} calls list")
    echo(f"     DATABASE_URL=sqlite:///{db_path} {dutyline} simulate --at "
         f"{weekday:%Y-%m-%d}T11:00 --answer 'Tobi Jones=accept'")


def simulation_app(db_path, port):
    """The app the demo plays its calls through, on a clock of its own. It hunts one engineer
    at a time, as the demo's line does: with no Twilio account (TWILIO_ACCOUNT_SID) there
    is no REST API for the strategies that ring several phones."""
    options = dict(simulation=True, DATABASE_URL=demo_database_url(db_path),
                   PUBLIC_URL=f"http://127.0.0.1:{port}")
    app = app_factory(**options)
    with app.app_context():
        settings = runtime().settings
    if settings.hunt == "sequential":
        return app
    return app_factory(**options, SETTINGS=replace(settings, hunt="sequential"))


def printed(app, settings, day, echo):
    """The five calls printed step by step, on the last working day `day`, as (at, play())
    in time order: a night call, two in hours, two in the evening."""
    tz = settings.tz
    at = lambda hour, minute=0: local_instant(day, time(hour, minute), tz)  # noqa: E731
    acme = to_e164(ACME, settings.phone_region)
    simulator = Simulator(app, echo=lambda line: echo("  " + line))
    calls = [  # the hunt goes on from wherever the month left it: the order is read then
        ("Out of hours at 03:00: the duty engineer accepts", at(3),
         lambda: dict(others="accept")),
        ("In hours: ACME Ltd calls; the first two engineers let it ring, the third accepts",
         at(10), lambda: dict(caller=acme, answers={hunt_order(app)[2]: "accept"},
                              others="ignore")),
        ("In hours: a personal voicemail picks up, hunting goes on", at(10, 30),
         lambda: dict(answers={hunt_order(app)[0]: "voicemail"}, others="accept")),
        ("Out of hours: nobody answers, the caller leaves a message", at(22),
         lambda: dict(others="ignore")),
        ("Out of hours: ACME Ltd (core-hours contract) presses 1 for an emergency", at(23),
         lambda: dict(caller=acme, caller_presses="1", others="accept")),
    ]

    def play(title, moment, how):
        echo(f"\n== {title}")
        simulator.run(Scenario(at=moment, **how()))

    return [(call[1], lambda call=call: play(*call)) for call in calls]


def hunt_order(app):
    """The signed-in engineers in the order the next call in hours rings them: from the one
    after the engineer rung last (the hunt position), round the rotation."""
    with app.app_context(), database.connection_context():
        team = list(Engineer.select().where(Engineer.active, Engineer.signed_in)
                    .order_by(Engineer.rotation))
        position = HuntPosition.get_or_none(HuntPosition.id == 1)
    last = position.last_rotation if position else HuntPosition.last_rotation.default
    after = [engineer for engineer in team if engineer.rotation > last]
    return [engineer.name for engineer in after + team[:len(team) - len(after)]]


DEMO_MANAGER = "manager@example.com"


def demo_sign_in_link(app):
    """A demo manager for the web interface, and a one-time sign-in link (15 minutes)."""
    from accounts.links import issue_link
    from accounts.users import add_user, get_user

    with app.app_context(), database.connection_context():
        rt = runtime()
        user = get_user(DEMO_MANAGER) or add_user(DEMO_MANAGER, "manager", now=rt.clock())
        return f"{rt.public_url.rstrip('/')}/signin/link/{issue_link(user, rt.clock())}"
