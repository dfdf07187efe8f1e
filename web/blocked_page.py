"""The Blocked numbers page (managers): nuisance callers' numbers, added with a reason and an
optional last day, removed after a confirmation step; every change audited."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for

from accounts import audit
from customers import blocklist
from customers.blocklist import BlockError
from web.access import manager_only
from web.blueprint import bp
from web.context import runtime


def _page(status=200, error=None, form=None):
    manager_only()
    settings = runtime().settings
    blocks = [blocklist.block_as_dict(b, settings.tz, g.now) for b in blocklist.list_blocks()]
    return render_template("blocked.html", blocks=blocks, error=error, form=form or {},
                           timezone=settings.timezone), status


def _day(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BlockError(f"until: not a date (YYYY-MM-DD): {text[:20]!r}") from None


@bp.get("/blocked")
def blocked():
    return _page()


@bp.post("/blocked")
def blocked_add():
    manager_only()
    settings, form = runtime().settings, request.form
    try:
        added = blocklist.add_block(form.get("number", ""), form.get("reason", ""), settings,
                                    g.user.email, g.now, until=_day(form.get("until")))
    except BlockError as exc:
        return _page(400, error=str(exc), form=form)
    detail = blocklist.describe(added, settings.tz)
    audit.record(g.user.email, "number blocked", detail, g.now)
    flash(f"blocked {detail}")
    return redirect(url_for("web.blocked"))


@bp.route("/blocked/<int:block_id>/remove", methods=["GET", "POST"])
def blocked_remove(block_id):
    """The confirmation page; the change only when its form says so (confirm=yes)."""
    manager_only()
    settings = runtime().settings
    found = blocklist.find_block(block_id)
    if found is None:
        return _page(404, error="no such blocked number (removed already?)")
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("blocked_remove.html",
                               block=blocklist.block_as_dict(found, settings.tz, g.now))
    removed = blocklist.remove_block(found.number, settings.phone_region)
    detail = blocklist.describe(removed, settings.tz)
    audit.record(g.user.email, "number unblocked", detail, g.now)
    flash(f"unblocked {removed.number}: its calls ring the team again")
    return redirect(url_for("web.blocked"))
