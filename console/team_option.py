"""`--team NAME` on the commands that act on one team: the team and its settings."""

import click

from rota.models import FIRST_TEAM
from rota.teams import team_named
from webhooks.runtime import runtime


def team_option(help_text):
    """The `--team NAME` option, passed to the command as `team_name`."""
    return click.option("--team", "team_name", metavar="NAME", help=help_text)


def chosen_team(name, default_first=False):
    """(team, settings) of the team called `name` (any case), with that team's own settings
    (dutyline.settings.Settings.of_team); an unknown name ends the command in one line
    (rota.teams.UnknownTeam). Without a name: the first team when `default_first`, else
    (None, the top-level settings), which the caller reads as every team together."""
    rt = runtime()
    if name is None and not default_first:
        return None, rt.settings
    team = team_named(name)
    return team, rt.settings.of_team(team.name, team.id == FIRST_TEAM)
