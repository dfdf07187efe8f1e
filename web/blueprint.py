"""The web interface's blueprint: every request opens the database, finds its user and, for a
form, checks the CSRF token before any view runs."""

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from werkzeug.routing import IntegerConverter

from accounts.sessions import session_user
from dutyline.db import database
from dutyline.ids import MAX_ID
from web.context import runtime
from web.filters import register_filters
from web.protect import csrf
from web.team_choice import choose_team, team_url

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/assets")
register_filters(bp)
bp.add_app_template_global(team_url)  # a form's action, for the team its page shows


class IdConverter(IntegerConverter):
    """`<int:…>` in the interface's paths: a number a table's key can hold, else no route
    matches and the answer is 404 (`/tickets/99999999999999999999` names no ticket)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


# before any page's route is added to the app: every <int:…> of the interface is an id
bp.record_once(lambda state: state.app.url_map.converters.update(int=IdConverter))

OPEN_ENDPOINTS = {"web.sign_in", "web.sign_in_link", "web.static"}


@bp.before_request
def load_user():
    if request.endpoint == "web.static":
        return None
    g.opened_database = database.connect(reuse_if_open=True)
    g.now = runtime().clock()
    g.user = session_user(session.get("sid"), g.now, current_app.config["WEB_IDLE"])
    if g.user is None:
        session.pop("sid", None)
        if request.endpoint not in OPEN_ENDPOINTS:
            if request.headers.get("HX-Request"):  # a live refresh: the whole page goes
                return "", 204, {"HX-Redirect": url_for("web.sign_in")}
            return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))
    if request.method == "POST":
        csrf.protect()  # a form without its token is refused (400) before anything changes
    choose_team()
    return None
