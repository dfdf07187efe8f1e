"""The Calendars page: subscribe links (https and webcal), a QR code, revoke and make new.

Tokens are stored hashed, so a link is shown once, right after it is made. With several
teams, the page lists and makes the links of the chosen team's feeds (web.team_choice), and
a manager revokes only the links of the teams they may see."""

import io

import segno
from flask import abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from accounts import audit
from calendars import tokens
from calendars.models import ENGINEER, MANAGER, FeedToken
from web.access import is_manager
from web.blueprint import bp
from rota.models import FIRST_TEAM
from web.context import runtime
from web.team_choice import seen_or_404

ENGINEER_FEEDS = (("mine", "My duty"), ("handovers", "Handovers"), ("rota", "The whole rota"))
MANAGER_FEEDS = (("rota", "The whole rota"), ("handovers", "Handovers"))


def feed_links(token, names):
    """[(title, https URL, webcal URL, QR as inline SVG)] of each named feed for a token."""
    base = (runtime().public_url or request.host_url).rstrip("/")
    webcal = "webcal://" + base.split("://", 1)[1]
    links = []
    for name, title in names:
        https = f"{base}/calendars/{token}/{name}.ics"
        out = io.BytesIO()
        segno.make(https, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False,
                                          svgns=True, title=f"QR code: {title}")
        links.append((title, https, f"{webcal}/calendars/{token}/{name}.ics",
                      Markup(out.getvalue().decode())))
    return links


def _live(query):
    """The live tokens of the query, of the chosen team's feeds when there are several."""
    query = query.where(FeedToken.revoked_at.is_null())
    team = g.get("team")
    if team is not None:
        query = query.where((FeedToken.team == team.id) if team.id != FIRST_TEAM
                            else FeedToken.team.is_null() | (FeedToken.team == FIRST_TEAM))
    return list(query.order_by(FeedToken.created_at.desc()))


@bp.get("/calendars")
def calendars():
    mine = []
    if g.user.engineer_id:
        mine = _live(FeedToken.select().where(FeedToken.engineer == g.user.engineer_id))
    managers = _live(FeedToken.select().where(FeedToken.kind == MANAGER)) if is_manager() else []
    everyone = _live(FeedToken.select().where(FeedToken.kind == ENGINEER)) if is_manager() else []
    return render_template("calendars.html", mine=mine, managers=managers, everyone=everyone,
                           made=None)


@bp.post("/subscribe/new")
def calendar_new():
    kind = request.form.get("kind", ENGINEER)
    if kind == MANAGER:
        if not is_manager():
            abort(403)
        label = request.form.get("label", "").strip() or g.user.email
        try:
            token = tokens.issue_token(g.now, label=label, team=g.get("team"))
        except tokens.TokenError as exc:
            flash(str(exc), "warning")
            return redirect(url_for("web.calendars"))
        names, detail = MANAGER_FEEDS, f"manager link {token[:tokens.PREFIX_LENGTH]} ({label})"
    else:
        if not g.user.engineer_id:
            abort(403)
        engineer = g.user.engineer
        # a new link replaces the old ones: whoever still has those loses the feed
        for old in _live(FeedToken.select().where(FeedToken.engineer == engineer.id)):
            tokens.revoke_token(old.prefix, g.now)
        token = tokens.issue_token(g.now, engineer=engineer, team=g.get("team"))
        names, detail = ENGINEER_FEEDS, f"link {token[:tokens.PREFIX_LENGTH]} for {engineer.name}"
    audit.record(g.user.email, "calendar link made", detail, g.now)
    return render_template("calendars.html", made=feed_links(token, names), mine=[],
                           managers=[], everyone=[])


@bp.post("/subscribe/revoke/<prefix>")
def calendar_revoke(prefix):
    found = FeedToken.get_or_none(FeedToken.prefix == prefix, FeedToken.revoked_at.is_null())
    if found is None:
        abort(404)
    own = g.user.engineer_id is not None and found.engineer_id == g.user.engineer_id
    if not (own or is_manager()):
        abort(403)
    if not own:  # another's link of a team the manager may not see: not found, kept
        seen_or_404(found.team_id)
    try:
        tokens.revoke_token(prefix, g.now)
    except tokens.TokenError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.calendars"))
    audit.record(g.user.email, "calendar link revoked", f"{prefix} ({found.label})", g.now)
    flash(f"revoked {prefix} ({found.label}); its feeds answer 404 from now on")
    return redirect(url_for("web.calendars"))
