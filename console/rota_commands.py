"""`dutyline rota`: duty periods, who is on duty, generation, the check, swaps, overrides."""

import json
import sys
from contextlib import contextmanager

import click

from console.app import app_command, audited
from console.tables import table
from console.team_choice import team_and_settings, team_choice
from console.timeparse import parse_day, parse_instant, parse_span
from dutyline.ids import as_id
from rota import (change_warnings, check, counts, generate, months, overrides, periods, swaps,
                  who)
from rota import engineers as engineer_service
from rota.models import Override
from rota.spans import WEEKEND
from rota.started import StartedPeriod
from webhooks.runtime import runtime


@click.group("rota")
def rota():
    """The out-of-hours duty rota."""


@rota.command("assign")
@click.argument("day")
@click.argument("primary")
@click.option("--backup")
@team_choice()
@app_command
def rota_assign(day, primary, backup, team_name):
    """Put PRIMARY on duty from the handover on DAY to the next day's handover."""
    team, settings = team_and_settings(team_name)
    day = parse_day(day)
    first = engineer_service.find_engineer(primary)
    second = engineer_service.find_engineer(backup) if backup else None
    now = runtime().clock()
    period = periods.assign_period(day, first, second, settings, now=now, team=team.id)
    audited("assigned", f"{day}: {first.name}" + (f", backup {second.name}" if second else ""),
            now)
    click.echo(f"{who.describe_period(period, settings.tz)}: {first.name}"
               + (f", backup {second.name}" if second else ""))


@rota.command("who")
@click.option("--at", "at_text", help="ISO-8601 instant; local time when no offset")
@click.option("--json", "as_json", is_flag=True)
@team_choice()
@app_command
def rota_who(at_text, as_json, team_name):
    """Who is on duty now (or at --at), and who is next."""
    team, settings = team_and_settings(team_name)
    at = parse_instant(at_text, settings.tz) if at_text else runtime().clock()
    duty = who.duty_at_instant(at, settings, team.id)
    if as_json:
        click.echo(json.dumps(duty.as_dict(), indent=2))
    else:
        click.echo("\n".join(duty.lines(settings.tz)))


INCLUDE_STARTED = click.option(
    "--include-started", is_flag=True,
    help="change duty periods that have already started too (rewrites the past; audited)")
STARTED_NOTE = "; periods that had started included"


@contextmanager
def started_hint():
    """A refusal to rewrite what has started says how to ask for it explicitly."""
    try:
        yield
    except StartedPeriod as exc:
        raise click.ClickException(f"{exc} (--include-started to do it anyway)") from exc


@rota.command("generate")
@click.argument("month")
@click.option("--replace", is_flag=True, help="regenerate the whole month, manual entries too")
@INCLUDE_STARTED
@team_choice()
@app_command
def rota_generate(month, replace, include_started, team_name):
    """Fill every open duty period of MONTH (YYYY-MM) fairly from the team's engineers;
    periods that have started are left as they were unless --include-started."""
    team, settings = team_and_settings(team_name)
    year, number = months.parse_month(month)
    now = runtime().clock()
    with started_hint():
        result = generate.generate_month(year, number, settings, now, replace=replace,
                                         include_started=include_started, team=team.id)
    left = (f"; {result.started} that had started left as they were" if result.started
            else "")
    audited(f"generated {year}-{number:02d}" + (f" for {team.name}" if team_name else ""),
            f"{result.periods} periods, {result.filled} places filled, {result.kept} kept, "
            f"{result.empty} left empty" + ("; manual entries replaced" if replace else "")
            + (STARTED_NOTE if include_started else left), now)
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"{month}: {result.periods} periods, {result.filled} places filled, "
               f"{result.kept} kept, {result.empty} left empty{left}")
    _print_counts(year, number, settings, team.id)
    if result.empty:
        raise click.ClickException(f"{result.empty} places could not be filled")


LEGEND = "* a weekend or public holiday period   - nobody (a gap, see rota check)"


@rota.command("show")
@click.argument("month")
@click.option("--json", "as_json", is_flag=True)
@team_choice()
@app_command
def rota_show(month, as_json, team_name):
    """The duty periods and overrides of MONTH (YYYY-MM)."""
    team, settings = team_and_settings(team_name)
    year, number = months.parse_month(month)
    rows = [months.period_as_dict(p, settings)
            for p in months.month_periods(year, number, team.id)]
    start, end = months.month_span(year, number, settings)
    extra = [overrides.override_as_dict(o)
             for o in overrides.overrides_between(start, end, team.id)]

    def local(text):
        return f"{parse_instant(text, settings.tz).astimezone(settings.tz):%a %d %b %H:%M}"

    if as_json:
        click.echo(json.dumps({"month": month, "periods": rows, "overrides": extra},
                              indent=2))
        return
    if not rows:
        click.echo(f"{month}: no duty periods yet")
    else:
        click.echo(table(["duty period", "", "primary", "backup"],
                         [[row["local"], "*" if row["kind"] == WEEKEND else "",
                           row["primary"] or "-", row["backup"] or "-"] for row in rows]))
        click.echo(f"\n{LEGEND}")
    if extra:
        click.echo("\noverrides (over the plan; remove one with rota override-remove ID):")
        click.echo(table(["id", "engineer", "from", "to"], [
            [str(item["id"]), item["engineer"], local(item["starts_at"]), local(item["ends_at"])]
            for item in extra], right=(0,)))


@rota.command("check")
@click.argument("month")
@click.option("--json", "as_json", is_flag=True)
@team_choice()
@app_command
def rota_check(month, as_json, team_name):
    """Gaps out of hours, absent engineers on duty, bad overrides; exit 1 when any."""
    team, settings = team_and_settings(team_name)
    year, number = months.parse_month(month)
    problems = check.check_month(year, number, settings, team.id)
    if as_json:
        click.echo(json.dumps({"month": month, "ok": not problems,
                               "problems": [p.as_dict(settings.tz) for p in problems]},
                              indent=2))
    else:
        for problem in problems:
            click.echo(problem.describe(settings.tz))
        click.echo(f"{month}: {'ok' if not problems else f'{len(problems)} problems'}")
    if problems:
        sys.exit(1)


@rota.command("swap")
@click.argument("first")
@click.argument("second")
@INCLUDE_STARTED
@team_choice()
@app_command
def rota_swap(first, second, include_started, team_name):
    """Exchange the engineers of the periods on the dates FIRST and SECOND (periods that have
    started only with --include-started)."""
    team, settings = team_and_settings(team_name)
    now = runtime().clock()
    with started_hint():
        one, two = swaps.swap_periods(parse_day(first), parse_day(second), settings, now,
                                      include_started=include_started, team=team.id)
    audited("swapped", f"{one.day} and {two.day}" + (STARTED_NOTE if include_started else ""),
            now)
    for period in (one, two):
        row = months.period_as_dict(period, settings)
        click.echo(f"{row['local']}: {row['primary'] or '-'}"
                   + (f", backup {row['backup']}" if row["backup"] else ""))
    for warning in change_warnings.swap_warnings(one, two, settings.tz):
        click.echo(f"warning: {warning}")


@rota.command("override")
@click.argument("name")
@click.option("--from", "starts", required=True, help="ISO-8601; local time when no offset")
@click.option("--to", "ends", required=True, help="ISO-8601; local time when no offset")
@INCLUDE_STARTED
@team_choice()
@app_command
def rota_override(name, starts, ends, include_started, team_name):
    """Put NAME on duty from --from to --to, over the plan (from a time already past only
    with --include-started)."""
    team, settings = team_and_settings(team_name)
    tz = settings.tz
    starts_at, ends_at = parse_span(starts, ends, lambda text: parse_instant(text, tz),
                                    "override")
    now = runtime().clock()
    with started_hint():
        made = overrides.add_override(name, starts_at, ends_at, settings, now,
                                      include_started=include_started, team=team.id)
    starts_at, ends_at = made.starts_at.astimezone(tz), made.ends_at.astimezone(tz)
    audited("override added", f"{made.engineer.name} on duty from "
            f"{starts_at:%a %d %b %Y %H:%M} to {ends_at:%a %d %b %Y %H:%M}"
            + (STARTED_NOTE if include_started else ""), now)
    click.echo(f"{made.engineer.name} on duty from {starts_at:%a %d %b %Y %H:%M} "
               f"to {ends_at:%a %d %b %Y %H:%M} (override {made.id})")
    for warning in change_warnings.override_warnings(made, tz):
        click.echo(f"warning: {warning}")


@rota.command("override-remove")
@click.argument("override_id", type=int)
@INCLUDE_STARTED
@app_command
def rota_override_remove(override_id, include_started):
    """Remove the override OVERRIDE_ID (its id from `rota override` or `rota show --json`);
    one that has started ends now, its past kept, unless --include-started."""
    rt = runtime()
    now = rt.clock()
    key = as_id(override_id)  # a number past the keys' range names no override
    found = Override.get_or_none(Override.id == key) if key else None
    settings = rt.team_settings(found.team_id) if found is not None else rt.settings
    with started_hint():  # the engineers are texted in the override's team's settings
        early = overrides.remove_override(override_id, settings, now,
                                          include_started=include_started)
    done = "ended now (what has passed is kept)" if early else "removed"
    audited("override removed", f"override {override_id} {done}"
            + (STARTED_NOTE if include_started else ""), now)
    click.echo(f"override {override_id} {done}")


def _print_counts(year, month, settings, team):
    """Per engineer: primary and backup duties this month, weeknights, weekends and holidays."""
    for name, person in counts.month_counts(year, month, settings, team).items():
        click.echo(f"  {name:<20} {counts.describe_counts(person)}")
