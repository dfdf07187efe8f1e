"""`dutyline report calls`: the call statistics of a span (reports.report).

`--team NAME` counts that team's calls alone, with its own settings (its zone, hours,
service level and week); without it every team's calls are counted together.

A span longer than reports.limits allows, or one whose closed days are still being counted
(reports.limits.StillCounting: run it again to go on), ends the command with one line."""

import json
from datetime import timedelta

import click

from console.app import app_command
from console.team_option import chosen_team, team_option
from console.timeparse import parse_day
from hours.business_hours import IN_HOURS, OUT_OF_HOURS
from reports import GROUPS, StillCounting, report
from reports.limits import report_span
from reports.span import asked_days
from reports.tables import report_csv, report_text
from webhooks.runtime import runtime


@click.group("report")
def report_group():
    """Call statistics."""


@report_group.command("calls")
@click.option("--from", "from_text", metavar="DATE", help="first local day (default: the 1st)")
@click.option("--to", "to_text", metavar="DATE", help="last local day (default: today)")
@click.option("--by", "group", type=click.Choice(GROUPS),
              help="one row per local day, week (from week_start), month, hour, engineer or "
                   "customer")
@click.option("--in-hours", "mode", flag_value=IN_HOURS, help="only calls in office hours")
@click.option("--out-of-hours", "mode", flag_value=OUT_OF_HOURS, help="only calls out of hours")
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "as_csv", is_flag=True, help="for a spreadsheet")
@team_option("that team's calls only (default: every team's)")
@app_command
def report_calls(from_text, to_text, group, mode, as_json, as_csv, team_name):
    """Service level, speed of answer, abandoned and missed calls, tickets."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    team, settings = chosen_team(team_name)
    now = runtime().clock()
    try:
        first, last = asked_days(now.astimezone(settings.tz).date(),
                                 parse_day(from_text) if from_text else None,
                                 parse_day(to_text) if to_text else None)
        span = report_span(settings, first, last, mode=mode, now=now,
                           team=team.id if team else None)
    except ValueError as exc:  # reports.ReportError among them
        raise click.ClickException(str(exc)) from exc
    try:
        result = report(span, group)
    except StillCounting as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    if as_csv:
        click.echo(report_csv(result), nl=False)
        return
    tz = span.tz
    first = span.start.astimezone(tz).strftime("%a %d %b %Y")
    last = (span.end - timedelta(seconds=1)).astimezone(tz).strftime("%a %d %b %Y")
    which = {IN_HOURS: "in hours", OUT_OF_HOURS: "out of hours"}.get(mode, "all calls")
    whose = f"{team.name}: " if team else ""
    click.echo(f"{whose}{first} to {last} ({span.timezone}), {which}")
    click.echo(report_text(result, group or "span"))
