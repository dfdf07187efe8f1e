"""Which team the pages show: the team switcher.

With one team nothing here shows and every page is as it was: `g.team` is None, and the
pages read every call and the first (only) team's rota. With several, each page shows the
chosen team's: `?team=ID` chooses (kept in the session for the next pages), else the
session's choice, else the first team the user may see. A manager may be limited to some
teams (accounts.models.User.teams): they see and choose only those. A team asked for that
does not exist or is not the user's is refused (404) and changes nothing.
"""

from flask import abort, g, request, session, url_for

from rota.models import FIRST_TEAM
from rota.teams import list_teams, teams_of
from web.context import runtime

SESSION_KEY = "team"


def choose_team():
    """Set g.team (the chosen Team, None with one team), g.teams (those the user may
    choose) and g.team_settings (the chosen team's settings, the top-level ones with one)."""
    g.team, g.teams, g.team_settings = None, [], runtime().settings
    user = g.get("user")
    if user is None:
        return
    teams = list_teams()
    if len(teams) < 2:
        return
    limited = user.team_ids()
    allowed = [team for team in teams if limited is None or team.id in limited] or teams[:1]
    by_id = {team.id: team for team in allowed}
    asked = request.args.get("team")
    if asked is not None:
        if not asked.isdigit() or int(asked) not in by_id:
            abort(404)
        session[SESSION_KEY] = int(asked)
    team = by_id.get(session.get(SESSION_KEY)) or allowed[0]
    g.team, g.teams = team, allowed
    g.team_settings = runtime().settings.of_team(team.name, team.id == FIRST_TEAM)


def team_url(endpoint, **values):
    """The URL of `endpoint`, as url_for gives it, with `team=ID` of the team the page shows
    when there are several: a form that acts on a team's data carries it, so the action
    (choose_team reads it on the POST too) lands on the team its page showed, whatever
    another tab has chosen since."""
    if g.get("team") is not None:
        values.setdefault("team", g.team.id)
    return url_for(endpoint, **values)


def team_id():
    """The chosen team's id for the rota's functions (the first team with one team)."""
    return g.team.id if g.get("team") is not None else FIRST_TEAM


def calls_team():
    """The chosen team's id to count calls by, or None (every call) with one team."""
    return g.team.id if g.get("team") is not None else None


def team_settings():
    """The chosen team's settings (the top-level settings with one team)."""
    return g.get("team_settings") or runtime().settings


def may_see(team):
    """Whether the user may see what belongs to the team whose id is `team` (None: the first
    team, as for a call logged before teams): always with one team, else when it is one of
    the teams they may choose."""
    if g.get("team") is None:
        return True
    return (team or FIRST_TEAM) in {allowed.id for allowed in g.teams}


def seen_or_404(team):
    """Stop (404) when the user may not see what belongs to the team whose id is `team`: a
    page or an action on it is as if it did not exist, and nothing changes."""
    if not may_see(team):
        abort(404)


def may_see_engineer(engineer):
    """Whether the user may see `engineer`: always with one team; else when the engineer is
    in a team the user may see (an engineer in no team: only for a user limited to none)."""
    if g.get("team") is None:
        return True
    teams = [team.id for team in teams_of(engineer)]
    if not teams:
        return g.user.team_ids() is None
    return any(may_see(team) for team in teams)
