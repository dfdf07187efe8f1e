"""A demo team, a month of rota and a few simulated calls, in a fresh SQLite file."""

import os
import sys
from datetime import time, timedelta

from console.app import app_factory
from console.scenario import Scenario
from console.simulator import Simulator
from customers import directory as customers
from dutyline.db import database
from dutyline.localtime import local_instant
from dutyline.migrations import upgrade
from dutyline.phones import to_e164
from hours.business_hours import is_closed_day
from outbox import queue
from rota import engineers, periods
from webhooks.runtime import runtime

ACME = "020 7946 0500"
TEAM = [
    # name, mobile, desk, signed in, location
    ("Ben Smith", "07911 123401", "020 7946 0101", True, "office"),
    ("Tobi Jones", "07911 123402", "020 7946 0102", True, "remote"),
    ("Asha Patel", "07911 123403", "020 7946 0103", True, "office"),
    ("Chris Wong", "07911 123404", None, False, "remote"),
]


def _next_weekday(day, settings):
    while day.weekday() >= 5 or is_closed_day(settings, day):
        day += timedelta(days=1)
    return day


def demo_data(settings, now):
    """The demo's team, customers and rota (see demo_rota); returns the rota's first and last
    days."""
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
    return demo_rota(team, now.astimezone(settings.tz).date(), settings, now)


def demo_rota(team, today, settings, now):
    """This month's and next month's duty, every day: each engineer on duty every fourth
    night and backup two nights later, so nobody holds two nights running and `rota check`
    finds nothing wrong. Returns the first and last days."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
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
    """Build the demo database and play a few calls through an in-process simulation app.

    The simulation app runs on its own clock and is dropped afterwards; the app that serves
    the demo is made afresh, on the real clock.
    """
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    app = app_factory(simulation=True, DATABASE_URL=demo_database_url(db_path),
                      PUBLIC_URL=f"http://127.0.0.1:{port}")
    upgrade()  # the demo makes its own database, as `dutyline db init` would
    with app.app_context():
        settings = runtime().settings
        clock = runtime().clock
        with database.connection_context():
            first, last = demo_data(settings, clock())
        today = clock().astimezone(settings.tz).date()
    echo(f"Demo database: {db_path} ({len(TEAM)} engineers, duty rota from {first:%d %b} "
         f"to {last:%d %b}; handover {settings.handover:%H:%M} {settings.timezone}).")

    weekday = _next_weekday(today + timedelta(days=1), settings)
    tz = settings.tz
    at = lambda day, hour, minute=0: local_instant(day, time(hour, minute), tz)  # noqa: E731
    acme = to_e164(ACME, settings.phone_region)
    scenarios = [
        ("In hours: ACME Ltd calls; the first two engineers let it ring, the third accepts",
         Scenario(at=at(weekday, 10), caller=acme, answers={"Asha Patel": "accept"},
                  others="ignore")),
        ("In hours: a personal voicemail picks up, hunting goes on",
         Scenario(at=at(weekday, 10, 30), answers={"Ben Smith": "voicemail"}, others="accept")),
        ("Out of hours at 03:00: the duty engineer accepts",
         Scenario(at=at(weekday, 3), others="accept")),
        ("Out of hours: nobody answers, the caller leaves a message",
         Scenario(at=at(weekday, 22), others="ignore")),
        ("Out of hours: ACME Ltd (core-hours contract) presses 1 for an emergency",
         Scenario(at=at(weekday, 23), caller=acme, caller_presses="1", others="accept")),
    ]
    simulator = Simulator(app, echo=lambda line: echo("  " + line))
    for title, scenario in scenarios:
        echo(f"\n== {title}")
        simulator.run(scenario)
    with app.app_context(), database.connection_context():
        queued = [m for m in queue.list_messages() if m.status == "queued"]
    echo(f"\n{len(queued)} notices wait in the outbox for `dutyline outbox work` "
         "(the caller's reference, the engineers' texts).")
    dutyline = command_path()
    echo(f"\nTry: DATABASE_URL=sqlite:///{db_path} {dutyline} calls list")
    echo(f"     DATABASE_URL=sqlite:///{db_path} {dutyline} simulate --at "
         f"{weekday:%Y-%m-%d}T11:00 --answer 'Tobi Jones=accept'")


DEMO_MANAGER = "manager@example.com"


def demo_sign_in_link(app):
    """A demo manager for the web interface, and a one-time sign-in link (15 minutes)."""
    from accounts.links import issue_link
    from accounts.users import add_user, get_user

    with app.app_context(), database.connection_context():
        rt = runtime()
        user = get_user(DEMO_MANAGER) or add_user(DEMO_MANAGER, "manager", now=rt.clock())
        return f"{rt.public_url.rstrip('/')}/signin/link/{issue_link(user, rt.clock())}"
