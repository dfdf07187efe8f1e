"""`--team NAME` on the commands that act on one team's rota and engineers.

Without it a command acts on the first team, as it did before there were teams; a name
that is no team's ends the command in one line that lists the teams (rota.teams.UnknownTeam).
"""

import click

from rota.teams import team_named
from webhooks.runtime import runtime


def team_choice(help_text="the team (default: the first team)"):
    """The `--team NAME` option, passed to the command as `team_name`."""
    return click.option("--team", "team_name", metavar="NAME", default=None, help=help_text)


def team_and_settings(name):
    """(the team called `name`, or the first team without one; that team's settings)."""
    team = team_named(name)
    return team, runtime().team_settings(team.id)
