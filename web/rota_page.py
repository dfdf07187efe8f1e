"""The Rota page: the month's grid, and the manager's changes through the rota's own functions
(the same validation and messages as the command line). With several teams, the chosen
team's rota (web.team_choice), changed with its settings."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from accounts import audit
from rota import absences, change_warnings, generate, overrides, periods, swaps
from dutyline.ids import MAX_ID
from rota.engineers import RotaError, find_engineer
from rota.models import Absence, Engineer, Override
from web.access import manager_only
from web.blueprint import bp
from rota.teams import members
from web.context import runtime
from web.team_choice import may_see_engineer, seen_or_404, team_id, team_settings
from web.parse import parse_day, parse_instant
from rota.seen import AlreadyDone, parse_seen, snapshot
from rota.started import StartedPeriod
from web.rota_day import picked_day
from web.rota_grid import month_grid, month_of, neighbours

STARTED_NOTE = "; periods that had started included"


def _page(month_text, status=200, error=None, action=None):
    settings = team_settings()
    try:
        year, month = month_of(month_text, g.now, settings.tz)
    except RotaError as exc:
        if error is None:
            return render_template("error.html", title="Not a month", text=str(exc),
                                   code=404), 404
        year, month = month_of(None, g.now, settings.tz)
    data = month_grid(year, month, settings, g.now, team_id(),
                      members(g.team) if g.team is not None else None)
    picked = picked_day(request.values.get("day") if request.method == "GET"
                        else request.form.get("picked"), data["days"], data["names"], settings,
                        g.now)
    before, after = neighbours(year, month)
    return render_template("rota.html", year=year, month=month, month_text=f"{year}-{month:02d}",
                           seen=snapshot(year, month, team_id()), picked=picked,
                           before=before, after=after, today=g.now.astimezone(settings.tz).date(),
                           error=error, action=action, form=request.form, tz=settings.tz,
                           **data), status


@bp.get("/rota")
def rota():
    return _page(request.args.get("month"))


def _back():
    """The month the form came from, and the day picked on its grid (the forms' panel)."""
    picked = request.form.get("picked") or None
    return redirect(url_for("web.rota", month=request.form.get("month") or None, day=picked,
                            _anchor="change" if picked else None))


def _done(message, detail=None, warnings=()):
    audit.record(g.user.email, message, detail or "", g.now)
    flash(message + (f": {detail}" if detail else ""))
    for warning in warnings:
        flash(f"warning: {warning}", "warning")
    return _back()


def _change(action, apply):
    manager_only()
    try:
        return apply(team_settings())
    except AlreadyDone as exc:  # a form sent twice: the first did it, the second does nothing
        flash(f"already done: {exc}")
        return _back()
    except StartedPeriod as exc:
        return _page(request.form.get("month"), 400, action=action,
                     error=f"{exc}. Tick “Include periods that have started” to do it anyway.")
    except (RotaError, ValueError) as exc:
        return _page(request.form.get("month"), 400, error=str(exc), action=action)


def _seen():
    """What the page showed when the form was sent (rota.seen)."""
    return parse_seen(request.form.get("seen"))


def _include_started():
    """The form's explicit request to change periods that have started too."""
    return bool(request.form.get("include_started"))


def _engineer(field, required=True):
    name = request.form.get(field, "").strip()
    if not name and not required:
        return None
    return find_engineer(name)


@bp.post("/rota/generate")
def rota_generate():
    def apply(settings):
        from rota.months import parse_month

        year, month = parse_month(request.form.get("month", ""))
        result = generate.generate_month(year, month, settings, g.now,
                                         replace=bool(request.form.get("replace")),
                                         include_started=_include_started(),
                                         team=team_id())
        text = (f"{result.periods} periods, {result.filled} places filled, {result.kept} kept, "
                f"{result.empty} left empty"
                + (f"; {result.started} that had started left as they were" if result.started
                   else "") + (STARTED_NOTE if _include_started() else ""))
        return _done(f"generated {year}-{month:02d}", text, result.warnings)

    return _change("generate", apply)


@bp.post("/rota/assign")
def rota_assign():
    def apply(settings):
        day = parse_day(request.form.get("day"))
        primary = _engineer("primary")
        backup = _engineer("backup", required=False)
        periods.assign_period(day, primary, backup, settings, now=g.now, seen=_seen(),
                              include_started=_include_started(), team=team_id())
        return _done("assigned", f"{day}: {primary.name}"
                     + (f", backup {backup.name}" if backup else "")
                     + (STARTED_NOTE if _include_started() else ""))

    return _change("assign", apply)


@bp.post("/rota/swap")
def rota_swap():
    def apply(settings):
        first, second = parse_day(request.form.get("first")), parse_day(request.form.get("second"))
        one, two = swaps.swap_periods(first, second, settings, g.now,
                                      include_started=_include_started(), seen=_seen(),
                                      team=team_id())
        return _done("swapped", f"{first} and {second}"
                     + (STARTED_NOTE if _include_started() else ""),
                     change_warnings.swap_warnings(one, two, settings.tz))

    return _change("swap", apply)


@bp.post("/rota/override")
def rota_override():
    def apply(settings):
        tz = settings.tz
        name = request.form.get("engineer", "")
        made = overrides.add_override(name, parse_instant(request.form.get("starts"), tz),
                                      parse_instant(request.form.get("ends"), tz), settings,
                                      g.now, include_started=_include_started(),
                                      seen=_seen(), team=team_id())
        starts_at, ends_at = made.starts_at.astimezone(tz), made.ends_at.astimezone(tz)
        return _done("override added", f"{made.engineer.name} on duty from "
                     f"{starts_at:%a %d %b %Y %H:%M} to {ends_at:%a %d %b %Y %H:%M}"
                     + (STARTED_NOTE if _include_started() else ""),
                     change_warnings.override_warnings(made, tz))

    return _change("override", apply)


@bp.post("/rota/override/<int:override_id>/remove")
def rota_override_remove(override_id):
    """Remove an override by id: one of a team the user may not see is not found (404),
    and the engineers concerned are told in its own team's settings."""
    team = (Override.select(Override.team).where(Override.id == override_id).scalar()
            if override_id <= MAX_ID else None)
    if team is not None:
        seen_or_404(team)

    def apply(settings):
        settings = runtime().team_settings(team) if team is not None else settings
        early = overrides.remove_override(override_id, settings, g.now)
        return _done("override removed", f"override {override_id}"
                     + (" ended now (what has passed is kept)" if early else ""))

    return _change("override", apply)


@bp.post("/rota/absence")
def rota_absence_add():
    """Add an absence: one for an engineer in no team the user may see is not found (404)."""
    try:
        found = find_engineer(request.form.get("engineer", ""))
    except RotaError:  # add_absence says so, in the page
        found = None
    if found is not None and not may_see_engineer(found):
        abort(404)

    def apply(settings):
        made = absences.add_absence(request.form.get("engineer", ""),
                                    parse_day(request.form.get("starts")),
                                    parse_day(request.form.get("ends")), settings, g.now,
                                    request.form.get("reason", ""))
        return _done("absence added", f"{made.engineer.name}: "
                     f"{absences.absence_as_dict(made, settings.tz)['local']}")

    return _change("absence", apply)


@bp.post("/rota/absence/<int:absence_id>/remove")
def rota_absence_remove(absence_id):
    """Remove an absence by id: one of an engineer in no team the user may see is not found
    (404)."""
    found = (Engineer.select().join(Absence).where(Absence.id == absence_id).first()
             if absence_id <= MAX_ID else None)
    if found is not None and not may_see_engineer(found):
        abort(404)

    def apply(settings):
        removed = absences.remove_absence(absence_id)
        return _done("absence removed", f"{removed.engineer.name}: "
                     f"{absences.absence_as_dict(removed, settings.tz)['local']}")

    return _change("absence", apply)


