"""`dutyline calls`: the call log, as the statistics read it (reports.call_log); every team's
calls, or with `--team NAME` that team's, in its zone."""

import json
from datetime import datetime

import click

from console.app import app_command
from console.team_option import chosen_team, team_option
from console.timeparse import asked_span
from reports.call_log import OUTCOME_LABELS, CallNotFound, call_detail, logged_calls
from reports.tables import text_table
from rota.models import FIRST_TEAM
from rota.teams import settings_of
from webhooks.runtime import runtime

ALL_DAYS = 36500  # --to without --from: every call up to that day


@click.group("calls")
def calls_group():
    """The call log."""


def _local(value, fmt="%Y-%m-%d %H:%M:%S", tz=None):
    if not value:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(tz or runtime().settings.tz).strftime(fmt)


@calls_group.command("list")
@click.option("--missed", is_flag=True,
              help="every call nobody accepted: voicemail, abandoned, fallback")
@click.option("--from", "from_text", metavar="DATE", help="first local day")
@click.option("--to", "to_text", metavar="DATE", help="last local day")
@click.option("--json", "as_json", is_flag=True)
@team_option("that team's calls only, its days and times in its zone (default: every team's)")
@app_command
def calls_list(missed, from_text, to_text, as_json, team_name):
    """Calls, newest first (the latest 200 unless --from or --to is given)."""
    team, settings = chosen_team(team_name)
    span = asked_span(from_text, to_text, default_days=ALL_DAYS, settings=settings) \
        if from_text or to_text else None
    found = logged_calls(span, missed=missed, limit=None if span else 200,
                         team=team.id if team else None)
    if as_json:
        click.echo(json.dumps([item.as_dict() for item in found], indent=2))
        return
    rows = [[_local(item.call.started_at, tz=settings.tz), item.call.from_number, item.call.mode,
             OUTCOME_LABELS.get(item.outcome, item.outcome),
             item.call.answered_by.name if item.call.answered_by_id else "",
             ", ".join(item.rung) or "-"] for item in found]
    click.echo(text_table(["arrived", "from", "mode", "outcome", "answered by", "rung"], rows))


@calls_group.command("show")
@click.argument("reference", metavar="CALLSID|TICKET")
@app_command
def calls_show(reference):
    """One call: every leg, who was rung, when, for how long and how it ended."""
    try:
        detail = call_detail(reference)
    except CallNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    tz = settings_of(runtime().settings, detail["team_id"] or FIRST_TEAM).tz  # its team's
    click.echo(f"call {detail['sid']} from {detail['from']} ({detail['mode']})")
    for label, key in (("arrived", "started_at"), ("first ringing", "ringing_at"),
                       ("connected", "connected_at"), ("voicemail", "voicemail_at"),
                       ("fallback", "fallback_at"), ("ended", "ended_at")):
        if detail[key]:
            click.echo(f"  {label:<14} {_local(detail[key], tz=tz)}")
    wait = detail["wait_seconds"]
    click.echo(f"  {'outcome':<14} {OUTCOME_LABELS.get(detail['outcome'], detail['outcome'])}"
               + (f" by {detail['answered_by']}" if detail["answered_by"] else "")
               + (f" after {wait:g} s" if wait is not None else ""))
    if detail["ticket"]:
        click.echo(f"  {'ticket':<14} #{detail['ticket']}")
    if detail["logged_in_part"]:
        click.echo("  logged before call statistics: when phones rang, a voicemail prompt "
                   "left without a message and a fallback dial are not known")
    rows = [[str(leg["step"] + 1), leg["engineer"] or "-", leg["number"],
             _local(leg["ringing_at"] or leg["dialled_at"], "%H:%M:%S", tz),
             "-" if leg["rang_seconds"] is None else f"{leg['rang_seconds']:g}",
             leg["ended"]] for leg in detail["legs"]]
    click.echo("")
    click.echo(text_table(["leg", "engineer", "number", "rang at", "rang s", "ended"], rows)
               if rows else "no engineer was rung")
