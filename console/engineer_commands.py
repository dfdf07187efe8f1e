"""`dutyline engineer`: engineers, their numbers and their presence."""

import json
from datetime import datetime

import click

from console.app import app_command, audited
from console.tables import table
from console.team_choice import team_choice
from rota import engineers as engineer_service
from rota.cover import on_leave_until, set_cover
from rota.teams import team_engineers, team_named
from rota.weekly import set_weekly_notice
from webhooks.runtime import runtime


@click.group("engineer")
def engineer():
    """Engineers and their presence."""


@engineer.command("add")
@click.argument("name")
@click.option("--mobile", required=True)
@click.option("--desk")
@click.option("--email")
@team_choice("the team the engineer joins (default: the first team)")
@app_command
def engineer_add(name, mobile, desk, email, team_name):
    """Add an engineer at the end of the rotation, in the first team or --team."""
    team = team_named(team_name)
    added = engineer_service.add_engineer(name, mobile, desk, email,
                                          region=runtime().settings.phone_region,
                                          now=runtime().clock(), team_id=team.id)
    audited("engineer added", f"{added.name} (mobile {added.mobile})"
            + (f", team {team.name}" if team_name else ""))
    click.echo(f"added {added.name} (mobile {added.mobile}, rotation {added.rotation}"
               + (f", team {team.name})" if team_name else ")"))


@engineer.command("list")
@click.option("--all", "show_all", is_flag=True, help="removed engineers too")
@click.option("--json", "as_json", is_flag=True)
@team_choice("only the engineers of this team")
@app_command
def engineer_list(show_all, as_json, team_name):
    """Engineers in rotation order (and, with --all, the removed ones after them); with
    --team, that team's."""
    rt = runtime()
    now = rt.clock()
    away, rows = on_leave_until(now), []
    people = engineer_service.list_engineers(include_removed=show_all)
    if team_name is not None:
        in_team = {e.id for e in team_engineers(team_named(team_name))}
        people = [e for e in people if e.id in in_team]
    for person in people:
        row = engineer_service.engineer_as_dict(person)
        row["on_leave_until"] = away[person.id].isoformat() if person.id in away else None
        row["cover_until"] = (person.cover_until.isoformat()
                              if person.cover_until and person.cover_until > now else None)
        rows.append(row)

    def presence(row):
        if row["removed"]:
            return "removed"
        return "signed in" if row["signed_in"] else "signed out"

    def note(r):
        text = ""
        if r["on_leave_until"]:
            until = datetime.fromisoformat(r["on_leave_until"]).astimezone(rt.settings.tz)
            text += f"on leave until {until:%a %d %b %Y %H:%M} "
        if r["cover_until"]:
            until = datetime.fromisoformat(r["cover_until"]).astimezone(rt.settings.tz)
            text += f"cover until {until:%a %d %b %H:%M}"
        return text.strip() or "-"

    def desk_cell(r):
        if not r["desk"]:
            return "-"
        return r["desk"] + (" (connects on pick-up)" if r["desk_connects"] else "")

    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif rows:
        click.echo(table(["#", "name", "presence", "where", "mobile", "desk", "notes"],
                         [[str(r["rotation"]), r["name"], presence(r), r["location"], r["mobile"],
                           desk_cell(r), note(r)] for r in rows], right=(0,)))
    elif team_name is not None:
        click.echo(f"no engineers in team {team_named(team_name).name}: dutyline team join "
                   "TEAM ENGINEER")
    else:
        click.echo("no engineers yet: dutyline engineer add NAME --mobile NUMBER")


@engineer.command("remove")
@click.argument("name")
@app_command
def engineer_remove(name):
    """Take NAME off the line: no longer hunted, rostered, on duty or texted; history stays."""
    now = runtime().clock()
    removed, periods = engineer_service.remove_engineer(name, now=now)
    audited("engineer removed", removed.name + (
        f"; {periods} coming duty periods lost them" if periods else ""), now)
    click.echo(f"removed {removed.name}; their calls, tickets and past duty are kept"
               + (f"; {periods} coming duty period(s) now have a gap: see dutyline rota check"
                  if periods else ""))


@engineer.command("set")
@click.argument("name")
@click.option("--name", "new_name", help="a new name")
@click.option("--mobile")
@click.option("--desk", help='a desk number, or "" for none')
@click.option("--email", help='an e-mail address, or "" for none')
@click.option("--desk-connects", type=click.Choice(["on", "off"]),
              help="on: the desk phone connects the caller on pick-up, with no press-1 "
                   "whisper (only for a desk phone with no voicemail); off by default")
@app_command
def engineer_set(name, new_name, mobile, desk, email, desk_connects):
    """Rename an engineer or change their numbers; the calendar feeds follow."""
    changed = engineer_service.update_engineer(
        name, runtime().clock(), new_name=new_name, mobile=mobile, desk=desk, email=email,
        region=runtime().settings.phone_region,
        desk_connects=None if desk_connects is None else desk_connects == "on")
    audited("engineer changed", changed.name)
    click.echo(f"{changed.name}: mobile {changed.mobile}"
               + (f", desk {changed.desk}" if changed.desk else "")
               + (" (connects on pick-up, no whisper)" if changed.desk_connects else ""))


@engineer.command("sign-in")
@click.argument("name")
@app_command
def engineer_sign_in(name):
    """Join in-hours hunting."""
    changed = engineer_service.set_signed_in(name, True, now=runtime().clock())
    audited("presence", f"{changed.name} signed in")
    click.echo(f"{changed.name} signed in")


@engineer.command("sign-out")
@click.argument("name")
@app_command
def engineer_sign_out(name):
    """Leave in-hours hunting."""
    changed = engineer_service.set_signed_in(name, False, now=runtime().clock())
    audited("presence", f"{changed.name} signed out")
    click.echo(f"{changed.name} signed out")


@engineer.command("where")
@click.argument("name")
@click.argument("location", type=click.Choice(["office", "remote"]))
@app_command
def engineer_where(name, location):
    """Office (desk phone) or remote (mobile)."""
    changed = engineer_service.set_location(name, location, now=runtime().clock())
    audited("presence", f"{changed.name} is {location}")
    click.echo(f"{changed.name} is {location}")


@engineer.command("weekly")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]))
@app_command
def engineer_weekly(name, state):
    """Whether NAME gets the weekly list of their next duties (by mail, else by text)."""
    person = engineer_service.find_engineer(name)
    set_weekly_notice(person, state == "on", runtime().clock())
    audited("weekly duty list", f"{person.name}: {state}")
    click.echo(f"{person.name}: weekly duty list {state}")


@engineer.command("cover")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]))
@app_command
def engineer_cover(name, state):
    """Out-of-hours cover: NAME is rung after the duty engineer and the backup until the next
    handover (on), or no longer (off)."""
    rt = runtime()
    person = engineer_service.find_engineer(name)
    now = rt.clock()
    until = set_cover(person, state == "on", rt.settings, now)
    audited("cover", f"{person.name}: " + (
        "off" if until is None else f"until {until.astimezone(rt.settings.tz):%a %d %b %H:%M}"),
        now)
    if until is None:
        click.echo(f"{person.name}: cover off")
    else:
        click.echo(f"{person.name}: cover until {until.astimezone(rt.settings.tz):%a %d %b %H:%M}")
