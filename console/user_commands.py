"""`dutyline user`: web interface accounts, and the one-time sign-in links that need no mail."""

import click

from accounts import audit, users
from accounts.links import issue_link
from accounts.models import ROLES
from console.app import app_command
from console.tables import emit_table
from dutyline.db import database
from rota.teams import team_named
from webhooks.runtime import runtime


def _public_url():
    rt = runtime()
    if not rt.public_url:
        raise click.ClickException("PUBLIC_URL is not set; sign-in links need it (e.g. "
                                   "PUBLIC_URL=https://support.example.com)")
    return rt.public_url


def _link(user):
    rt = runtime()
    _public_url()
    secret = issue_link(user, rt.clock())
    return f"{rt.public_url.rstrip('/')}/signin/link/{secret}"


@click.group("user")
def user():
    """Users of the web interface."""


@user.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--engineer", "engineer_name", help="the engineer this user is (engineers)")
@click.option("--team", "team_names", multiple=True, metavar="NAME",
              help="a team the user may see (repeatable); none: every team")
@app_command
def user_add(email, role, engineer_name, team_names):
    """Add a user and print a one-time sign-in link (15 minutes)."""
    _public_url()  # before anything is added: all or nothing
    now = runtime().clock()
    teams = [team_named(name) for name in team_names]
    with database.atomic():
        added = users.add_user(email, role, engineer_name, now=now, teams=teams)
        audit.record(audit.command_line_actor(), "user added",
                     f"{added.email} ({added.role})", now)
        link = _link(added)
    click.echo(f"added {added.email} ({added.role}"
               + (f", engineer {added.engineer.name}" if added.engineer_id else "")
               + (f", teams {', '.join(team.name for team in teams)}" if teams else "") + ")")
    click.echo(f"sign-in link (works once, for 15 minutes): {link}")


@user.command("link")
@click.argument("email")
@app_command
def user_link(email):
    """Print a new one-time sign-in link for EMAIL (15 minutes)."""
    click.echo(_link(users.find_user(email)))


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
@app_command
def user_list(as_json):
    """Every user: address, role, engineer, whether they have a password, the teams they
    may see (all: every team)."""
    rows = [users.user_as_dict(u) for u in users.list_users()]
    emit_table(rows, as_json, ["email", "role", "engineer", "sign-in", "teams"],
               lambda r: [r["email"], r["role"], r["engineer"] or "-",
                          "password" if r["password"] else "link only",
                          ", ".join(r["teams"]) if r["teams"] is not None else "all"],
               "no users yet: dutyline user add EMAIL --role manager")


@user.command("teams")
@click.argument("email")
@click.option("--team", "team_names", multiple=True, metavar="NAME",
              help="a team the user may see (repeatable); none: every team")
@app_command
def user_teams(email, team_names):
    """Change the teams EMAIL may see in the web interface: those named, or every team when
    none is named. Their next page shows the change."""
    found = users.find_user(email)
    teams = [team_named(name) for name in team_names]  # every name checked before a change
    now = runtime().clock()
    with database.atomic():
        changed = users.set_teams(found, teams)
        names = users.team_names(changed)
        shown = ", ".join(names) if names is not None else "every team"
        audit.record(audit.command_line_actor(), "user teams", f"{changed.email}: {shown}", now)
    click.echo(f"{changed.email} sees {shown}")


@user.command("remove")
@click.argument("email")
@app_command
def user_remove(email):
    """Remove a user; their sessions end at once."""
    removed = users.remove_user(email)
    audit.record(audit.command_line_actor(), "user removed", removed.email,
                 runtime().clock())
    click.echo(f"removed {removed.email}")
