"""The web interface's blueprint: every request opens the database, finds its user and, for a
form, checks the CSRF token before any view runs."""

from flask import Blueprint, current_app, g, redirect, request, session, url_for

from accounts.sessions import session_user
from dutyline.db import database
from web.context import runtime
from web.filters import register_filters
from web.protect import csrf

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/assets")
register_filters(bp)

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
    return None
