"""Users (managers): who may sign in, with which role; and the audit log. Both are the
whole installation's: for managers of every team only."""

from flask import flash, g, redirect, render_template, request, url_for

from accounts import audit, users
from accounts.links import issue_link
from accounts.models import ROLES, AuditEntry, User
from dutyline.ids import as_id
from rota.engineers import RotaError, list_engineers
from web.access import every_team_manager_only
from web.blueprint import bp
from web.context import runtime


def _page(status=200, error=None, form=None, link=None):
    every_team_manager_only()
    return render_template("users.html", users=users.list_users(), roles=ROLES,
                           engineers=list_engineers(), error=error, form=form or {},
                           link=link), status


@bp.get("/users")
def users_list():
    return _page()


@bp.post("/users")
def user_add():
    every_team_manager_only()
    form = request.form
    try:
        added = users.add_user(form.get("email", ""), form.get("role", ""),
                               form.get("engineer") or None, now=g.now)
    except (users.AccountError, RotaError) as exc:
        return _page(400, error=str(exc), form=form)
    audit.record(g.user.email, "user added", f"{added.email} ({added.role})", g.now)
    base = (runtime().public_url or request.host_url).rstrip("/")
    link = f"{base}{url_for('web.sign_in_link', secret=issue_link(added, g.now))}"
    flash(f"user added: {added.email}")
    return _page(link=(added.email, link))


@bp.post("/users/<int:user_id>/remove")
def user_remove(user_id):
    every_team_manager_only()
    found = User.get_or_none(User.id == user_id)
    if found is None:
        return _page(404, error="no such user")
    if found.id == g.user.id:
        return _page(400, error="you cannot remove yourself; another manager can")
    users.remove_user(found.email)
    audit.record(g.user.email, "user removed", found.email, g.now)
    flash(f"user removed: {found.email}; their sessions have ended")
    return redirect(url_for("web.users_list"))


@bp.get("/audit")
def audit_log():
    every_team_manager_only()
    before = as_id(request.args.get("before"))  # past the keys' range: every entry is older
    entries = audit.recent_entries(200, before)
    return render_template("audit.html", entries=entries,
                           older=entries[-1].id if len(entries) == 200 else None,
                           total=AuditEntry.select().count())
