"""Which team an engineer's text acts in, and WHO for every team of the sender.

An engineer in one team (every engineer of a single-team installation) never names it:
their texts act in that team and the answers read as they always have. An engineer in
several teams names the team as the last word of a TAKE ("TAKE NETWORK"), or is asked which
they mean; WHO answers for each of their teams, a line a team, the team's name first.
"""

from rota.labels import local_label
from rota.models import FIRST_TEAM, Team
from rota.overrides import override_at
from rota.periods import next_period_after, period_at
from rota.teams import list_teams, teams_of


def sender_teams(engineer):
    """The teams the engineer belongs to, the first one first; an engineer in none acts in
    the first team, as every engineer did before there were teams."""
    return teams_of(engineer) or [Team.get_by_id(FIRST_TEAM)]


def team_names():
    """Every team's name: what may follow TAKE."""
    return [team.name for team in list_teams()]


def which_team(teams, command):
    """The reply that asks an engineer in several teams which one they mean: "You are in
    Support and Network: reply TAKE SUPPORT or TAKE NETWORK"."""
    names = [team.name for team in teams]
    choices = [f"{command} {name.upper()}" for name in names]
    return (f"You are in {_listed(names, 'and')}: reply {_listed(choices, 'or')}; nothing "
            "was changed.")


def not_in_team(name, teams):
    """The reply to a TAKE naming a team the sender is not in."""
    return (f"You are not in {name}, so nothing was changed (your teams: "
            f"{_listed([team.name for team in teams], 'and')}).")


def _listed(words, last):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _names(period):
    name = period.primary.name if period.primary is not None else "nobody"
    if period.backup is not None:
        name += f" (backup {period.backup.name})"
    return name


def who_text(now, tz, team=FIRST_TEAM):
    """Who is on duty in the team now and next, with local times (in `tz`, the team's)."""
    current = period_at(now, team)
    upcoming = next_period_after(now, team)
    override = override_at(now, team)
    if override is not None:
        parts = [f"On duty now: {override.engineer.name} (covering) until "
                 f"{local_label(override.ends_at, tz)}."]
    elif current is None:
        parts = ["On duty now: nobody."]
    else:
        parts = [f"On duty now: {_names(current)} until {local_label(current.ends_at, tz)}."]
    if upcoming is not None:
        parts.append(f"Next: {_names(upcoming)} from {local_label(upcoming.starts_at, tz)} "
                     f"to {local_label(upcoming.ends_at, tz)}.")
    return " ".join(parts)


def who_reply(teams, now, settings):
    """WHO for the sender's teams: one team's answer as it always was, or a line for each
    team, its name first, each in the team's own zone."""
    if len(teams) == 1:
        return who_text(now, settings.for_team(teams[0].name).tz, teams[0].id)
    return "\n".join(f"{team.name}: {who_text(now, settings.for_team(team.name).tz, team.id)}"
                     for team in teams)
