"""`dutyline team` and `dutyline line`: several teams on one installation, each number a
line that reaches a team or offers one short choice."""

import click

from console.app import app_command, audited
from console.tables import emit_table
from rota.engineers import find_engineer
from rota.teams import (add_team, join_team, leave_team, list_teams, members, rename_team,
                        tables_naming_no_team, team_named)
from telephony import lines
from webhooks.runtime import runtime


@click.group("team")
def team_group():
    """Teams: each its engineers, rota, round robin, hours and greeting."""


@team_group.command("add")
@click.argument("name")
@app_command
def team_add(name):
    """A new team called NAME, with no engineers yet."""
    team = add_team(name, runtime().clock())
    audited("team added", team.name)
    click.echo(f"team {team.name} added: give it engineers (dutyline team join {team.name} "
               f"ENGINEER), a rota (dutyline rota generate --team {team.name}) and a line "
               f"(dutyline line add NUMBER --team {team.name})")


@team_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@app_command
def team_list(as_json):
    """Every team and its engineers."""
    rows = [{"team": t.name, "engineers": [e.name for e in members(t)]} for t in list_teams()]
    emit_table(rows, as_json, ["team", "engineers"],
               lambda r: [r["team"], ", ".join(r["engineers"]) or "-"], "no teams")
    _warn_of_lost_tables()


def _warn_of_lost_tables():
    for name in tables_naming_no_team(runtime().settings):
        click.echo(f'warning: the settings file\'s table [teams."{name}"] names no team: its '
                   "settings are used by nobody (dutyline team list shows the names)", err=True)


@team_group.command("rename")
@click.argument("name")
@click.argument("new_name")
@app_command
def team_rename(name, new_name):
    """Call the team NAME NEW_NAME (its table in the settings file is named after it)."""
    old = team_named(name)
    team = rename_team(old, new_name)
    audited("team renamed", f"{old.name} -> {team.name}")
    click.echo(f"team {old.name} is now {team.name}")
    if old.name.casefold() in runtime().settings.teams:
        click.echo(f'rename its table in the settings file too, [teams."{old.name}"] to '
                   f'[teams."{team.name}"]: until then the team has the top-level settings',
                   err=True)


@team_group.command("join")
@click.argument("team")
@click.argument("engineer")
@app_command
def team_join(team, engineer):
    """Make ENGINEER one of TEAM's engineers (an engineer may belong to several teams)."""
    team, person = team_named(team), find_engineer(engineer)
    join_team(team, person)
    audited("engineer joined a team", f"{person.name} -> {team.name}")
    click.echo(f"{person.name} is in team {team.name}")


@team_group.command("leave")
@click.argument("team")
@click.argument("engineer")
@app_command
def team_leave(team, engineer):
    """Take ENGINEER out of TEAM; their other teams keep them."""
    team, person = team_named(team), find_engineer(engineer)
    leave_team(team, person)
    audited("engineer left a team", f"{person.name} -> {team.name}")
    click.echo(f"{person.name} is no longer in team {team.name}")


@click.group("line")
def line_group():
    """Lines: the numbers the service answers, each for a team or with a short menu."""


@line_group.command("add")
@click.argument("number")
@click.option("--team", default=None, help="the team the number reaches")
@click.option("--menu", default=None,
              help='one sentence the caller hears first, e.g. "For support press 2, for '
                   'accounts press 1."')
@click.option("--key", "keys", multiple=True, metavar="DIGIT=TEAM|NUMBER",
              help="with --menu: where a key leads, a team or a phone number (up to four)")
@click.option("--default", "default", default=None,
              help="with --menu: the key taken when the caller presses nothing")
@click.option("--wait", default=5, show_default=True, type=int,
              help="with --menu: seconds of silence before the default key")
@app_command
def line_add(number, team, menu, keys, default, wait):
    """Answer NUMBER (a Twilio number of the account) for a team, or with a menu."""
    rt = runtime()
    if (team is None) == (menu is None):
        raise click.UsageError("give --team NAME, or --menu with its --key and --default")
    if team is not None:
        line = lines.add_line(number, rt.settings.phone_region, rt.clock(),
                              team=team_named(team))
    else:
        choices = {}
        for key in keys:
            digit, sep, where = key.partition("=")
            if not sep:
                raise click.UsageError(f"--key {key!r}: write DIGIT=TEAM or DIGIT=NUMBER")
            choices[digit.strip()] = where.strip()
        teams = {t.name.casefold(): t.id for t in list_teams()}
        parsed = lines.parse_menu(menu, choices, default or "", wait,
                                  rt.settings.phone_region, teams)
        line = lines.add_line(number, rt.settings.phone_region, rt.clock(), menu=parsed)
    described = dict(lines.list_lines())[line.number]
    audited("line added", f"{line.number}: {described}")
    click.echo(f"line {line.number}: {described}")


@line_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@app_command
def line_list(as_json):
    """Every line and where it leads; any other number reaches the first team."""
    rows = [{"number": n, "leads_to": leads} for n, leads in lines.list_lines()]
    emit_table(rows, as_json, ["number", "leads to"], lambda r: [r["number"], r["leads_to"]],
               "no lines: every number reaches the first team")


@line_group.command("remove")
@click.argument("number")
@app_command
def line_remove(number):
    """Stop treating NUMBER as a line: its calls reach the first team again."""
    removed = lines.remove_line(number, runtime().settings.phone_region)
    audited("line removed", removed)
    click.echo(f"line {removed} removed: its calls reach the first team")
