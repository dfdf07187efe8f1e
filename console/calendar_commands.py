"""`dutyline calendars`: feed tokens and their URLs. A token reads one team's feeds
(`--team NAME`, the first team by default), named after that team."""

import click

from calendars import tokens
from console.app import app_command, audited
from console.tables import emit_table
from console.team_option import chosen_team, team_option
from rota.teams import list_teams
from rota import engineers as engineer_service
from webhooks.runtime import runtime

ENGINEER_FEEDS = ("mine", "handovers", "rota")
MANAGER_FEEDS = ("rota", "handovers")


def feed_urls(public_url, token, names):
    """(https URL, webcal URL) of each named feed for a token."""
    base = public_url.rstrip("/")
    webcal = "webcal://" + base.split("://", 1)[1]
    return [(f"{base}/calendars/{token}/{name}.ics", f"{webcal}/calendars/{token}/{name}.ics")
            for name in names]


@click.group("calendars")
def calendars():
    """Calendar feeds of the rota and their tokens."""


@calendars.command("token")
@click.argument("name")
@click.option("--manager", is_flag=True, help="NAME is a label; the token reads rota and handovers")
@team_option("the team whose feeds the token reads (default: the first team)")
@app_command
def calendars_token(name, manager, team_name):
    """Make a feed token for engineer NAME (or a manager labelled NAME) and print its URLs."""
    rt = runtime()
    if not rt.public_url:
        raise click.ClickException("PUBLIC_URL is not set; feed URLs need it")
    team = chosen_team(team_name, default_first=True)[0] if team_name is not None else None
    if manager:
        token = tokens.issue_token(rt.clock(), label=name, team=team)
        names = MANAGER_FEEDS
    else:
        token = tokens.issue_token(rt.clock(), engineer=engineer_service.find_engineer(name),
                                   team=team)
        names = ENGINEER_FEEDS
    whose = f" of team {team.name}" if team is not None else ""
    audited("calendar link made", f"{'manager link' if manager else 'link'} "
            f"{token[:tokens.PREFIX_LENGTH]} for {name}{whose}")
    click.echo(f"token {token[:tokens.PREFIX_LENGTH]}… for {name}{whose}; it is shown only now")
    for https, webcal in feed_urls(rt.public_url, token, names):
        click.echo(f"  {https}\n  {webcal}")


@calendars.command("tokens")
@click.option("--json", "as_json", is_flag=True)
@app_command
def calendars_tokens(as_json):
    """Every feed token: prefix, kind, owner, created, revoked, and its team when there are
    several (none named: the first)."""
    rows = [tokens.token_as_dict(token) for token in tokens.list_tokens()]
    first = list_teams()[0].name
    several = len(list_teams()) > 1
    emit_table(rows, as_json, ["prefix", "kind", "for", *(["team"] if several else []),
                               "created", "revoked"],
               lambda r: [r["prefix"], r["kind"], r["label"],
                          *([r["team"] or first] if several else []), r["created_at"][:16],
                          (r["revoked_at"] or "-")[:16]],
               "no feed tokens yet: dutyline calendars token NAME")


@calendars.command("revoke")
@click.argument("prefix")
@app_command
def calendars_revoke(prefix):
    """Revoke the live token starting with PREFIX; its feeds answer 404 from now on."""
    token = tokens.revoke_token(prefix, runtime().clock())
    audited("calendar link revoked", f"{token.prefix} ({token.label})")
    click.echo(f"revoked {token.prefix} ({token.kind} {token.label})")
