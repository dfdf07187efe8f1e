"""The Engineers page: the team, presence (signed in, office or remote), the handover's ring
test, add, edit, remove.

Engineers change their own presence, and their own ring test where the managers allow it
(the setting ring_test_opt_out); everything else is for managers.

With several teams the page lists the chosen team's engineers only, and says how many more
are in the user's other teams; an engineer added here joins the chosen team. An engineer in
none of the teams the user may see is not found (404), and nothing changes."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from accounts import audit
from dutyline.phones import InvalidNumber
from rota import engineers as service
from rota.engineers import RotaError
from rota.models import Engineer
from rota.ring_test import RingTestRefused, set_ring_test
from rota.teams import members
from telephony.presence import engineers_on_a_call
from web.access import is_manager, manager_only, may_change_engineer
from web.blueprint import bp
from web.context import runtime
from web.local_paths import safe_target
from web.team_choice import may_see_engineer, team_id, team_settings

ERRORS = (RotaError, InvalidNumber, ValueError)


def _shown():
    """(the engineers listed, how many more are in the user's other teams): every engineer
    with one team, else the chosen team's."""
    if g.get("team") is None:
        return service.list_engineers(), 0
    shown = members(g.team)
    others = {engineer.id for team in g.teams if team.id != g.team.id
              for engineer in members(team)} - {engineer.id for engineer in shown}
    return shown, len(others)


def _page(status=200, error=None, form=None, editing=None):
    shown, elsewhere = _shown()
    return render_template("engineers.html", engineers=shown, elsewhere=elsewhere,
                           busy=engineers_on_a_call(g.now), error=error, form=form or {},
                           editing=editing), status


def _engineer(engineer_id):
    """The active engineer with this id, in a team the user may see (else 404)."""
    engineer = Engineer.get_or_none(Engineer.id == engineer_id, Engineer.active)
    if engineer is None or not may_see_engineer(engineer):
        abort(404)
    return engineer


def _done(action, detail):
    audit.record(g.user.email, action, detail, g.now)
    flash(f"{action}: {detail}")
    return redirect(url_for("web.engineers"))


@bp.get("/engineers")
def engineers():
    return _page()


@bp.post("/engineers")
def engineer_add():
    manager_only()
    form = request.form
    try:
        added = service.add_engineer(form.get("name", ""), form.get("mobile", ""),
                                     form.get("desk") or None, form.get("email") or None,
                                     region=runtime().settings.phone_region, now=g.now,
                                     team_id=team_id())
    except ERRORS as exc:
        return _page(400, error=str(exc), form=form, editing="new")
    return _done("engineer added", f"{added.name} (mobile {added.mobile})")


@bp.post("/engineers/<int:engineer_id>")
def engineer_edit(engineer_id):
    manager_only()
    engineer = _engineer(engineer_id)
    form = request.form
    try:
        changed = service.update_engineer(engineer.name, g.now, new_name=form.get("name"),
                                          mobile=form.get("mobile"), desk=form.get("desk", ""),
                                          email=form.get("email", ""),
                                          region=runtime().settings.phone_region,
                                          desk_connects="desk_connects" in form)
    except ERRORS as exc:
        return _page(400, error=str(exc), form=form, editing=engineer_id)
    return _done("engineer changed", changed.name)


@bp.route("/engineers/<int:engineer_id>/remove", methods=["GET", "POST"])
def engineer_remove(engineer_id):
    """Asks first: the confirmation page; the removal only when its form says so."""
    manager_only()
    gone = Engineer.get_or_none(Engineer.id == engineer_id, ~Engineer.active)
    # the confirmation sent twice
    if gone is not None and request.method == "POST" and may_see_engineer(gone):
        flash(f"already done: {gone.name} was removed")
        return redirect(url_for("web.engineers"))
    engineer = _engineer(engineer_id)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("engineer_remove.html", engineer=engineer,
                               coming=service.coming_duties(engineer, g.now))
    _removed, periods = service.remove_engineer(engineer.name, now=g.now)
    return _done("engineer removed", engineer.name + (
        f"; {periods} coming duty periods lost them (see the rota's gaps)" if periods else ""))


@bp.post("/engineers/<int:engineer_id>/presence")
def engineer_presence(engineer_id):
    engineer = _engineer(engineer_id)
    if not may_change_engineer(engineer):
        abort(403)
    form = request.form
    if "signed_in" in form:
        signed_in = form["signed_in"] == "1"
        service.set_signed_in(engineer.name, signed_in, now=g.now)
        what = f"{engineer.name} signed {'in' if signed_in else 'out'}"
    elif "location" in form:
        try:
            service.set_location(engineer.name, form["location"], now=g.now)
        except RotaError as exc:
            return _page(400, error=str(exc))
        what = f"{engineer.name} is {form['location']}"
    else:
        abort(400)
    audit.record(g.user.email, "presence", what, g.now)
    flash(what)
    back = request.form.get("back", "")
    return redirect(safe_target(back, url_for("web.engineers")))


@bp.post("/engineers/<int:engineer_id>/ring-test")
def engineer_ring_test(engineer_id):
    """The handover's ring test on or off, as the form says (sent twice: the second finds it
    done). A manager sets anyone's; an engineer their own, only where ring_test_opt_out of
    the chosen team (the one the form's page showed) allows; off for anyone only where it
    allows (rota.ring_test.set_ring_test)."""
    engineer = _engineer(engineer_id)
    settings = team_settings()  # the team the form's page showed (its ring_test_opt_out)
    if not may_change_engineer(engineer):
        abort(403)
    if not is_manager() and not settings.ring_test_opt_out:
        abort(403)
    wanted = request.form.get("ring_test")
    if wanted not in ("1", "0"):
        return _page(400, error="ring test: say on (1) or off (0)")
    state = "on" if wanted == "1" else "off"
    back = safe_target(request.form.get("back", ""), url_for("web.engineers"))
    try:
        changed = set_ring_test(engineer, wanted == "1", settings, g.now)
    except RingTestRefused as exc:
        return _page(400, error=str(exc))
    what = f"{engineer.name}: ring test {state}"
    if not changed:
        flash(f"already done: {engineer.name}'s ring test is {state}")
        return redirect(back)
    audit.record(g.user.email, "ring test", what, g.now)
    flash(what)
    return redirect(back)
