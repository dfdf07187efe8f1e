"""The wallboard: large type for a TV across the room, opened with a read-only link
(accounts.wallboard_links) by a screen that has no account.

A blueprint of its own, outside the web interface's sign-in: it never reads or writes the
session, so it sets no cookie, and its answers are never stored (`Cache-Control:
no-store`). The page fetches its live part every few seconds (htmx, as the Now page does);
once the link is revoked that answer makes the page load again, and it says the link no
longer works.

With several teams a link shows one team's figures, in its settings: the team it was made for
(a link made before there were teams: the first team's). With one team, every call's.
"""

from flask import Blueprint, g, render_template

from accounts.wallboard_links import link_for, link_team
from dutyline.db import database
from reports.board import board
from rota.models import Team
from web.context import runtime

board_bp = Blueprint("wallboard", __name__, template_folder="templates")

POLL_SECONDS = 5
SHOWN_WAITING = 7  # callers listed; "+ n more" says how many others
SHOWN_CALLBACKS = 6
SHOWN_PEOPLE = 16


@board_bp.before_request
def open_database():
    g.opened_database = database.connect(reuse_if_open=True)
    g.now = runtime().clock()


@board_bp.after_request
def never_stored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _gone():
    return render_template("wallboard_gone.html"), 404


def _view(secret, link):
    """What the page shows for `link`: its team's board where there are several teams."""
    rt = runtime()
    settings, team, name = rt.settings, None, rt.settings.team_name
    if Team.select().limit(2).count() > 1:
        found = Team.get_by_id(link_team(link))
        team, settings, name = found.id, rt.team_settings(found.id), found.name
        g.team_settings = settings  # the clock and times in the team's zone (web.filters)
    return {"board": board(settings, g.now, team), "secret": secret, "team_name": name,
            "poll_seconds": POLL_SECONDS, "shown_waiting": SHOWN_WAITING,
            "shown_callbacks": SHOWN_CALLBACKS, "shown_people": SHOWN_PEOPLE}


@board_bp.get("/wallboard/<secret>")
def board_page(secret):
    link = link_for(secret)
    if link is None:
        return _gone()
    return render_template("wallboard.html", **_view(secret, link))


@board_bp.get("/wallboard/<secret>/live")
def board_live(secret):
    link = link_for(secret)
    if link is None:
        # revoked while the screen shows it: the whole page loads again and says so (a 2xx
        # answer, as the Now page's, so that the browser reports no failed request)
        return "", 204, {"HX-Refresh": "true"}
    return render_template("wallboard_live.html", **_view(secret, link))
