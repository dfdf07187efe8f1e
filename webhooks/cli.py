"""The dutyline command: thin click wrappers over the domain functions."""

import json
import os
import sys
from datetime import timezone
from functools import wraps

import click

from customers.directory import CustomerError
from dutyline.db import database
from dutyline.phones import InvalidNumber, to_e164
from dutyline.settings import SettingsError
from hours.business_hours import mode_at
from rota import engineers as engineer_service
from rota import periods
from rota.engineers import RotaError
from rota.overrides import override_at
from voicemail.tickets import TicketError
from webhooks.runtime import runtime
from webhooks.timeparse import parse_day, parse_instant

USER_ERRORS = (RotaError, InvalidNumber, SettingsError, CustomerError, TicketError)


def make_app(log_level="WARNING", **overrides):
    """The app for a command. One-shot commands log warnings only (their output is what they
    print); the services (serve, outbox work, clock) pass INFO. LOG_LEVEL overrides both."""
    from webhooks import ConfigError, create_app

    overrides["LOG_LEVEL"] = os.environ.get("LOG_LEVEL") or log_level
    try:
        return create_app(overrides)
    except (ConfigError, SettingsError) as exc:
        raise click.ClickException(str(exc)) from exc


def command_app(log_level="WARNING"):
    """The app of this command line, made once and kept on the click context."""
    ctx = click.get_current_context()
    if ctx.obj is None:
        ctx.obj = make_app(log_level)
    return ctx.obj


def with_app(command):
    """Run the command inside the app (settings, database) and turn user errors into one line."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        with command_app().app_context(), database.connection_context():
            try:
                return command(*args, **kwargs)
            except USER_ERRORS as exc:
                raise click.ClickException(str(exc)) from exc

    return wrapper


def emit(rows, as_json, line):
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        for row in rows:
            click.echo(line(row))


@click.group()
def main():
    """dutyline: the support line's router, rota and tickets."""


@main.group()
def db():
    """The database."""


@db.command("init")
@with_app
def db_init():
    """Create the tables, or bring them up to date (safe to run again)."""
    from dutyline.migrations import schema_version

    click.echo(f"database ready (schema version {schema_version()})")


@db.command("upgrade")
def db_upgrade():
    """Apply the schema migrations the database lacks (the Procfile's release step)."""
    from dutyline.migrations import LATEST, schema_version, upgrade

    make_app(CREATE_TABLES=False)
    before = schema_version()
    applied = upgrade()
    if applied:
        click.echo(f"schema upgraded from version {before} to {applied[-1]}")
    else:
        click.echo(f"schema already at version {LATEST}")


@main.group()
def engineer():
    """Engineers and their presence."""


@engineer.command("add")
@click.argument("name")
@click.option("--mobile", required=True)
@click.option("--desk")
@click.option("--email")
@with_app
def engineer_add(name, mobile, desk, email):
    """Add an engineer at the end of the rotation."""
    added = engineer_service.add_engineer(name, mobile, desk, email,
                                          region=runtime().settings.phone_region,
                                          now=runtime().clock())
    click.echo(f"added {added.name} (mobile {added.mobile}, rotation {added.rotation})")


@engineer.command("list")
@click.option("--json", "as_json", is_flag=True)
@with_app
def engineer_list(as_json):
    """Engineers in rotation order."""
    rows = [engineer_service.engineer_as_dict(e) for e in engineer_service.list_engineers()]
    emit(rows, as_json, lambda r: (
        f"{r['rotation']:>3}  {r['name']:<24} {'signed in' if r['signed_in'] else 'signed out':<10} "
        f"{r['location']:<6} mobile {r['mobile']}" + (f" desk {r['desk']}" if r["desk"] else "")))


@engineer.command("set")
@click.argument("name")
@click.option("--name", "new_name", help="a new name")
@click.option("--mobile")
@click.option("--desk", help='a desk number, or "" for none')
@click.option("--email", help='an e-mail address, or "" for none')
@with_app
def engineer_set(name, new_name, mobile, desk, email):
    """Rename an engineer or change their numbers; the calendar feeds follow."""
    changed = engineer_service.update_engineer(name, runtime().clock(), new_name=new_name,
                                               mobile=mobile, desk=desk, email=email,
                                               region=runtime().settings.phone_region)
    click.echo(f"{changed.name}: mobile {changed.mobile}"
               + (f", desk {changed.desk}" if changed.desk else ""))


@engineer.command("sign-in")
@click.argument("name")
@with_app
def engineer_sign_in(name):
    """Join in-hours hunting."""
    changed = engineer_service.set_signed_in(name, True, now=runtime().clock())
    click.echo(f"{changed.name} signed in")


@engineer.command("sign-out")
@click.argument("name")
@with_app
def engineer_sign_out(name):
    """Leave in-hours hunting."""
    changed = engineer_service.set_signed_in(name, False, now=runtime().clock())
    click.echo(f"{changed.name} signed out")


@engineer.command("where")
@click.argument("name")
@click.argument("location", type=click.Choice(["office", "remote"]))
@with_app
def engineer_where(name, location):
    """Office (desk phone) or remote (mobile)."""
    changed = engineer_service.set_location(name, location, now=runtime().clock())
    click.echo(f"{changed.name} is {location}")


@main.group()
def rota():
    """The out-of-hours duty rota."""


@rota.command("assign")
@click.argument("day")
@click.argument("primary")
@click.option("--backup")
@with_app
def rota_assign(day, primary, backup):
    """Put PRIMARY on duty from the handover on DAY to the next day's handover."""
    settings = runtime().settings
    day = parse_day(day)
    first = engineer_service.find_engineer(primary)
    second = engineer_service.find_engineer(backup) if backup else None
    period = periods.assign_period(day, first, second, settings, now=runtime().clock())
    click.echo(f"{describe_period(period, settings)}: {first.name}"
               + (f", backup {second.name}" if second else ""))


def describe_period(period, settings):
    start = period.starts_at.astimezone(settings.tz)
    end = period.ends_at.astimezone(settings.tz)
    return f"{start:%H:%M %a %d %b} to {end:%H:%M %a %d %b %Y}"


@rota.command("who")
@click.option("--at", "at_text", help="ISO-8601 instant; local time when no offset")
@click.option("--json", "as_json", is_flag=True)
@with_app
def rota_who(at_text, as_json):
    """Who is on duty now (or at --at), and who is next."""
    rt = runtime()
    settings = rt.settings
    at = parse_instant(at_text, settings.tz) if at_text else rt.clock()
    current = periods.period_at(at)
    upcoming = periods.next_period_after(at)

    def person(engineer):
        return {"name": engineer.name, "mobile": engineer.mobile} if engineer else None

    def period_dict(period):
        if period is None:
            return None
        return {"starts_at": period.starts_at.isoformat(), "ends_at": period.ends_at.isoformat(),
                "primary": person(period.primary), "backup": person(period.backup)}

    override = override_at(at)
    result = {"at": at.astimezone(timezone.utc).isoformat(), "mode": mode_at(settings, at),
              "now": period_dict(current), "next": period_dict(upcoming),
              "override": None if override is None else {
                  "engineer": person(override.engineer),
                  "starts_at": override.starts_at.isoformat(),
                  "ends_at": override.ends_at.isoformat()}}
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"at {at.astimezone(settings.tz):%a %d %b %Y %H:%M %Z}: "
               f"{'in hours (hunting)' if result['mode'] == 'in_hours' else 'out of hours'}")
    if override is not None:
        start = override.starts_at.astimezone(settings.tz)
        end = override.ends_at.astimezone(settings.tz)
        click.echo(f"covering now: {override.engineer.name} "
                   f"({start:%H:%M %a %d %b} to {end:%H:%M %a %d %b}, over the plan)")
    for label, period in (("on duty", current), ("next", upcoming)):
        if period is None:
            click.echo(f"{label}: nobody")
            continue
        text = f"{label}: {period.primary.name if period.primary else 'nobody'}"
        if period.backup:
            text += f", backup {period.backup.name}"
        click.echo(f"{text} ({describe_period(period, settings)})")


@main.command()
@click.option("--at", "at_text", required=True, help="when the call arrives (ISO-8601, local)")
@click.option("--from", "caller", default="+447400123456", show_default=True)
@click.option("--answer", "answers", multiple=True, metavar="NAME=ACTION",
              help="what an engineer does: accept, ignore, voicemail or busy (repeatable)")
@click.option("--others", type=click.Choice(["accept", "ignore", "voicemail", "busy"]),
              default="ignore", show_default=True, help="what the engineers not named do")
@click.option("--caller-action", type=click.Choice(["message", "hangup"]), default="message",
              show_default=True, help="what the caller does at the voicemail tone")
@click.option("--press", "caller_presses", help="the key the caller presses when asked (e.g. 1)")
@with_app
def simulate(at_text, caller, answers, others, caller_action, caller_presses):
    """Play a call through the app as Twilio would, printing every step."""
    from webhooks.simulator import ENGINEER_ACTIONS, Scenario, Simulator

    app = click.get_current_context().obj
    settings = runtime().settings
    wanted = {}
    for item in answers:
        name, _, action = item.rpartition("=")
        if not name or action not in ENGINEER_ACTIONS:
            raise click.ClickException(f"expected NAME=ACTION with ACTION one of "
                                     f"{', '.join(ENGINEER_ACTIONS)}: {item!r}")
        engineer_service.find_engineer(name)
        wanted[name] = action
    scenario = Scenario(at=parse_instant(at_text, settings.tz),
                        caller=to_e164(caller, settings.phone_region), answers=wanted,
                        others=others, caller_action=caller_action,
                        caller_presses=caller_presses)
    Simulator(app, echo=click.echo).run(scenario)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host, port):
    """Run the web app with Flask's server (use gunicorn from the Procfile in production)."""
    make_app("INFO").run(host=host, port=port)


@main.command()
@click.option("--database", "db_path", default="dutyline-demo.db", show_default=True,
              help="SQLite file made afresh for the demo")
@click.option("--serve/--no-serve", "serve_after", default=True, show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(db_path, serve_after, port):
    """A demo team and rota, a few simulated calls printed, then the server."""
    from webhooks.demo import run_demo

    app = run_demo(db_path, port, echo=click.echo)
    if serve_after:
        click.echo(f"\nServing the demo on http://127.0.0.1:{port}/ (Ctrl-C stops it).")
        app.run(host="127.0.0.1", port=port)


from webhooks.cli_calendars import calendars  # noqa: E402  (it uses with_app from here)
main.add_command(calendars)


@main.result_callback()
def _done(*_args, **_kwargs):
    sys.stdout.flush()


from webhooks.cli_rota import register as _register_rota  # noqa: E402

_register_rota(main, rota, with_app, emit)
import webhooks.cli_ops  # noqa: E402,F401  (adds the outbox and clock commands to main)
import webhooks.cli_tickets  # noqa: E402,F401  (adds calls, tickets and customers to main)
