"""Teams and their engineers.

Every installation has its first team (rota.models.FIRST_TEAM); a company with a second
team (a network team, a second office) adds it here, gives it engineers (an engineer may
belong to several teams), a rota of its own and a line (telephony.lines). With one team
nothing here needs saying: every engineer added joins it.
"""

from peewee import IntegrityError

from dutyline.db import database
from dutyline.plain_text import plain
from rota.engineers import RotaError
from rota.models import FIRST_TEAM, Engineer, Team, TeamMember

MAX_NAME = 40


class UnknownTeam(RotaError):
    """No team of that name; the message lists the teams there are."""


def add_team(name, now):
    """A new team, with no engineers yet."""
    name = plain(" ".join((name or "").split()), "team name", RotaError)
    if not name:
        raise RotaError("a team needs a name")
    if len(name) > MAX_NAME or not name[0].isalnum():
        raise RotaError(f"a team's name starts with a letter or digit and has at most "
                        f"{MAX_NAME} characters")
    if any(t.name.casefold() == name.casefold() for t in Team.select()):
        raise RotaError(f"a team named {name!r} already exists")
    try:
        with database.atomic():
            return Team.create(name=name, created_at=now)
    except IntegrityError as exc:
        raise RotaError(f"a team named {name!r} already exists") from exc


def list_teams():
    """Every team, the first one first."""
    return list(Team.select().order_by(Team.id))


def named_team(teams, name):
    """The team of `teams` called `name` (any case, any runs of spaces), or None."""
    wanted = " ".join(name.split()).casefold()
    return next((t for t in teams if " ".join(t.name.split()).casefold() == wanted), None)


def team_named(name):
    """The team called `name` (any case); None gives the first team. UnknownTeam otherwise."""
    if name is None:
        return Team.get_by_id(FIRST_TEAM)
    found = named_team(Team.select(), name)
    if found is not None:
        return found
    raise UnknownTeam(f"no team named {name!r} (teams: "
                      f"{', '.join(t.name for t in list_teams())})")


def rename_team(team, name):
    """Give a team a new name (its settings table follows its name: rename that too)."""
    name = plain(" ".join((name or "").split()), "team name", RotaError)
    if not name:
        raise RotaError("a team needs a name")
    if any(t.id != team.id and t.name.casefold() == name.casefold() for t in Team.select()):
        raise RotaError(f"a team named {name!r} already exists")
    Team.update(name=name).where(Team.id == team.id).execute()
    return Team.get_by_id(team.id)


def join_team(team, engineer):
    """Make `engineer` one of `team`'s engineers (nothing happens when they are already)."""
    TeamMember.insert(team=team.id, engineer=engineer.id).on_conflict_ignore().execute()


def leave_team(team, engineer):
    """Take `engineer` out of `team`; their other teams keep them."""
    TeamMember.delete().where(TeamMember.team == team.id,
                              TeamMember.engineer == engineer.id).execute()


def members(team):
    """The team's active engineers in rotation order."""
    return list(Engineer.select().join(TeamMember)
                .where(TeamMember.team == team.id, Engineer.active)
                .order_by(Engineer.rotation))


def team_engineers(team):
    """The team's engineers, removed ones too, in rotation order."""
    return list(Engineer.select().join(TeamMember)
                .where(TeamMember.team == team.id).order_by(Engineer.rotation))


def teams_of(engineer):
    """The teams `engineer` belongs to, the first one first."""
    return list(Team.select().join(TeamMember)
                .where(TeamMember.engineer == engineer.id).order_by(Team.id))


def settings_of(settings, team_id):
    """The settings of the team `team_id` (dutyline.settings.Settings.for_team): its table in
    the settings file over the top-level keys; the top-level settings when no team has a
    table of its own (no read then), or for no team."""
    if not settings.teams or team_id is None:
        return settings
    team = Team.get_or_none(Team.id == team_id)
    return settings.for_team(team.name if team is not None else None)


def tables_naming_no_team(settings):
    """The settings file's team tables (their names case folded) that name no team: their
    keys are used by nobody, a misspelt or renamed team's own settings silently lost."""
    names = {team.name.casefold() for team in Team.select()}
    return sorted(name for name in settings.teams if name not in names)
