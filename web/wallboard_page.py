"""The Wallboard page (managers): the wallboard's read-only links for screens without an
account, made (the link shown once) and revoked; every change audited. With several teams
the page lists and makes the chosen team's links (web.team_choice); a link of a team the
manager may not see is not found (404) and stays as it was."""

from flask import flash, g, redirect, render_template, request, url_for

from accounts import audit
from accounts.models import WallboardLink
from accounts.wallboard_links import (PREFIX_LENGTH, WallboardLinkError, link_team, live_links,
                                      make_link, revoke_link)
from web.access import manager_only
from web.blueprint import bp
from web.context import runtime
from web.team_choice import calls_team, seen_or_404


def board_url(secret):
    """The absolute address a screen opens, under PUBLIC_URL when it is set."""
    base = (runtime().public_url or request.host_url).rstrip("/")
    return f"{base}{url_for('wallboard.board_page', secret=secret)}"


def _page(status=200, error=None, made=None, label=""):
    manager_only()
    return render_template("wallboard_links.html", links=live_links(calls_team()), error=error, made=made,
                           label=label), status


@bp.get("/wallboard")
def wallboard_links():
    return _page()


@bp.post("/wallboard")
def wallboard_make():
    manager_only()
    label = request.form.get("label", "")
    try:
        link, secret = make_link(label, g.user.email, g.now, g.get("team"))
    except WallboardLinkError as exc:
        return _page(400, error=str(exc), label=label)
    audit.record(g.user.email, "wallboard link made", f"{secret[:PREFIX_LENGTH]} ({link.label})",
                 g.now)
    return _page(made=(link.label, board_url(secret)))


@bp.post("/wallboard/revoke/<int:link_id>")
def wallboard_revoke(link_id):
    manager_only()
    asked = WallboardLink.get_or_none(WallboardLink.id == link_id)
    if asked is not None:
        seen_or_404(link_team(asked))
    try:
        link = revoke_link(link_id, g.now)
    except WallboardLinkError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.wallboard_links"))
    audit.record(g.user.email, "wallboard link revoked", f"{link.prefix} ({link.label})", g.now)
    flash(f"revoked the link of {link.label}: its screen shows nothing from now on")
    return redirect(url_for("web.wallboard_links"))
