"""`dutyline wallboard`: the wallboard's read-only links for screens without an account."""

import click

from accounts.audit import command_line_actor
from accounts.wallboard_links import (PREFIX_LENGTH, WallboardLinkError, link_as_dict,
                                      live_links, make_link, revoke_prefix)
from console.app import app_command, audited
from console.tables import emit_table
from console.team_choice import team_choice
from rota.teams import team_named
from webhooks.runtime import runtime


@click.group("wallboard")
def wallboard_group():
    """The wallboard's read-only links (a TV needs no account)."""


@wallboard_group.command("link")
@click.option("--label", default="Wallboard", show_default=True,
              help="where the screen is, e.g. \"Office TV\"")
@team_choice("the team whose figures it shows (default: the first team)")
@app_command
def wallboard_link(label, team_name):
    """Make a read-only wallboard link and print it (shown only now). With several teams it
    shows one team's figures: the first team's, or --team's."""
    rt = runtime()
    if not rt.public_url:
        raise click.ClickException("PUBLIC_URL is not set; the wallboard's link needs it")
    team = team_named(team_name) if team_name is not None else None
    now = rt.clock()
    try:
        link, secret = make_link(label, command_line_actor(), now, team)
    except WallboardLinkError as exc:
        raise click.ClickException(str(exc)) from exc
    audited("wallboard link made", f"{secret[:PREFIX_LENGTH]} ({link.label})", now)
    click.echo(f"wallboard link {secret[:PREFIX_LENGTH]}… for {link.label}; it is shown only "
               "now:")
    click.echo(f"  {rt.public_url.rstrip('/')}/wallboard/{secret}")


@wallboard_group.command("links")
@click.option("--json", "as_json", is_flag=True)
@app_command
def wallboard_links(as_json):
    """The links in use: how each starts, its screen, who made it and when."""
    rows = [link_as_dict(link) for link in live_links()]
    emit_table(rows, as_json, ["prefix", "screen", "team", "made", "by"],
               lambda r: [r["prefix"], r["label"], r["team"], r["created_at"][:16],
                          r["created_by"]],
               "no wallboard links: dutyline wallboard link --label \"Office TV\"")


@wallboard_group.command("revoke")
@click.argument("prefix")
@app_command
def wallboard_revoke(prefix):
    """Revoke the link starting with PREFIX: its screen shows nothing from now on."""
    now = runtime().clock()
    try:
        link = revoke_prefix(prefix, now)
    except WallboardLinkError as exc:
        raise click.ClickException(str(exc)) from exc
    audited("wallboard link revoked", f"{link.prefix} ({link.label})", now)
    click.echo(f"revoked {link.prefix} ({link.label})")
