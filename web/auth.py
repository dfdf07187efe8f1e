"""Signing in (by e-mailed link or password), signing out, and the account page."""

from flask import g, redirect, render_template, request, session, url_for

from accounts import audit
from accounts.links import LinkRefused, issue_link, link_user, redeem_link
from accounts.sessions import end_session, end_sessions_of, start_session
from accounts.throttle import admit_link_request, admit_password, password_accepted
from accounts.users import AccountError, check_password, get_user, set_password
from dutyline.db import database
from outbox.models import EMAIL
from outbox.queue import enqueue
from web.blueprint import bp
from web.context import runtime
from web.local_paths import safe_target

SENT = "If that address has an account, a sign-in link is on its way. It works once, for 15 minutes."
WRONG = "That address and password do not match an account."


def _slow_down(wait, password):
    minutes = max(1, -(-int(wait.total_seconds()) // 60))  # whole minutes, rounded up
    text = (f"Too many attempts to sign in from here. Try again in {minutes} minute"
            f"{'' if minutes == 1 else 's'}")
    return text + (", or leave the password empty to get a sign-in link by e-mail."
                   if password else ".")


def sign_in_url(secret):
    """The absolute link for a sign-in secret, under PUBLIC_URL when it is set."""
    base = (runtime().public_url or request.host_url).rstrip("/")
    return f"{base}{url_for('web.sign_in_link', secret=secret)}"


def _safe_next(target):
    # only a page of this app: never an open redirect to somewhere else
    return safe_target(target, url_for("web.now"))


def _begin(user, how):
    session.clear()  # a fresh cookie (and CSRF token) for the signed-in browser
    session["sid"] = start_session(user, g.now)
    audit.record(user.email, "signed in", how, g.now)


@bp.route("/signin", methods=["GET", "POST"])
def sign_in():
    if g.user is not None and request.method == "GET":
        return redirect(url_for("web.now"))
    email = request.form.get("email", "").strip()
    if request.method == "GET":
        return render_template("signin.html", email="", next=request.args.get("next", ""))
    nxt = request.form.get("next", "")
    password = request.form.get("password", "")
    if not email:
        return render_template("signin.html", email=email, next=nxt,
                               error="Enter your e-mail address."), 400
    client = request.remote_addr
    admission = (admit_password(email, client, g.now) if password
                 else admit_link_request(client, g.now))
    if not admission.allowed:
        wait = int(admission.wait.total_seconds()) + 1
        return (render_template("signin.html", email=email, next=nxt,
                                error=_slow_down(admission.wait, password)),
                429, {"Retry-After": str(wait)})
    user = get_user(email)
    if password:
        if not check_password(user, password):
            return render_template("signin.html", email=email, next=nxt, error=WRONG), 400
        password_accepted(email, client)
        _begin(user, "password")
        return redirect(_safe_next(nxt))
    if user is not None:
        with database.atomic():
            secret = issue_link(user, g.now)
            enqueue(EMAIL, user.email,
                           "Open this link to sign in to dutyline (it works once, for 15 "
                           f"minutes):\n\n{sign_in_url(secret)}\n\nIf you did not ask for it, "
                           "ignore this message.\n",
                           f"signin:{secret[:16]}", g.now, subject="Your dutyline sign-in link")
    return render_template("signin.html", email=email, next=nxt, notice=SENT)


@bp.route("/signin/link/<secret>", methods=["GET", "POST"])
def sign_in_link(secret):
    # GET only shows a button: mail scanners open links, and must not use them up
    try:
        user = link_user(secret, g.now) if request.method == "GET" else redeem_link(secret, g.now)
    except LinkRefused as exc:
        return render_template("link.html", refused=str(exc)), 410
    if request.method == "GET":
        return render_template("link.html", email=user.email, secret=secret)
    _begin(user, "link")
    return redirect(url_for("web.now"))


@bp.post("/signout")
def sign_out():
    end_session(session.get("sid"))
    session.clear()
    return redirect(url_for("web.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    if request.method == "GET":
        return render_template("account.html")
    password = request.form.get("password", "")
    if password != request.form.get("repeat", ""):
        return render_template("account.html", error="The two passwords differ."), 400
    try:
        set_password(g.user, password)
    except AccountError as exc:
        return render_template("account.html", error=str(exc)), 400
    # other browsers signed in as this user end; this one goes on with a new session
    end_sessions_of(g.user)
    session["sid"] = start_session(g.user, g.now)
    audit.record(g.user.email, "password set" if password else "password removed", "", g.now)
    return render_template("account.html",
                           notice="Password saved." if password else "Password removed.")


