"""The Reports page: the figures of `dutyline report calls` (reports.report), as charts,
tables and a CSV download: the service level per day, week or month against the settings'
target, the waits, the engineers, calls by weekday and hour (reports.heat), and the reaction
time per customer against the contract (reports.reactions, as `dutyline report reactions`);
beside the service level, the one the engineers signed in now are forecast to give
(telephony.forecast). With several teams, the chosen team's calls alone, with its settings
(web.team_choice; reports.report counts one team's from the call log).

A span longer than reports.limits allows is refused with a 400 and nothing counted; a
report whose closed days are still being counted (reports.limits.StillCounting) says so
with a 503 and Retry-After, and the next request goes on counting where it stopped."""

from datetime import date

from flask import Response, g, render_template, request

from hours.business_hours import IN_HOURS, OUT_OF_HOURS
from reports import GROUPS, Budget, StillCounting, report
from reports.heat import grid, weekday_hours
from reports.limits import report_span
from reports.reactions import reactions
from reports.span import asked_days
from reports.tables import ENGINEER_COLUMNS, cell, report_csv
from telephony.forecast import presence_forecast
from web.blueprint import bp
from web.charts import heat_map, service_level_chart, wait_buckets, wait_chart
from web.team_choice import calls_team, team_id, team_settings

MODES = {"in": IN_HOURS, "out": OUT_OF_HOURS}
PERIODS = ("day", "week", "month")  # how the page's chart and table group the days
RETRY = {"Retry-After": "5"}  # nothing counts meanwhile: a new request goes on


def default_period(span):
    """Days for up to two months, weeks for up to a year, then months."""
    days = len(list(span.local_days()))
    return "day" if days <= 62 else "week" if days <= 371 else "month"


def _asked():
    """(span or None, error, values typed): the local days asked for, as `report calls`
    reads them; no span when they cannot be reported."""
    settings = team_settings()
    args = request.args
    typed = {"from": args.get("from", ""), "to": args.get("to", ""), "mode": args.get("mode", ""),
             "by": args.get("by", "")}
    try:
        first = date.fromisoformat(typed["from"]) if typed["from"] else None
        last = date.fromisoformat(typed["to"]) if typed["to"] else None
    except ValueError:
        return None, "dates are YYYY-MM-DD", typed
    today = g.now.astimezone(settings.tz).date()
    try:
        first, last = asked_days(today, first, last)
        span = report_span(settings, first, last, mode=MODES.get(typed["mode"]), now=g.now,
                           team=calls_team())
    except ValueError as exc:  # reports.ReportError among them
        return None, str(exc), typed
    return span, None, typed


@bp.get("/reports")
def reports():
    span, error, typed = _asked()
    if span is None:
        return render_template("reports.html", error=error, typed=typed), 400
    period = typed["by"] if typed["by"] in PERIODS else default_period(span)
    budget = Budget()  # the page's reports share one
    try:
        periods = report(span, period, budget=budget)
        engineers = report(span, "engineer", budget=budget)
        heat = grid(span, weekday_hours(span, budget=budget))
    except StillCounting as exc:
        return render_template("reports.html", error=str(exc), typed=typed), 503, RETRY
    buckets = wait_buckets(periods.waits)
    settings = team_settings()
    target = settings.service_level_target
    return render_template(
        "reports.html", span=span, error=None, typed=typed, periods=periods, period=period,
        reactions=reactions(settings, span.start, span.end, g.now, team=span.team),
        forecast=presence_forecast(settings, g.now, team_id()).words(),
        engineers=engineers, columns=ENGINEER_COLUMNS, cell=cell, target=target,
        sl_chart=service_level_chart(periods.rows, target, period),
        wait_chart=wait_chart(buckets), buckets=buckets, heat_chart=heat_map(heat),
        groups=GROUPS, first_day=next(span.local_days()),
        last_day=list(span.local_days())[-1])


@bp.get("/reports.csv")
def reports_csv():
    span, error, _typed = _asked()
    group = request.args.get("by") or "day"
    if error or group not in GROUPS:
        return Response((error or f"by: {', '.join(GROUPS)}") + "\n", status=400,
                        mimetype="text/plain")
    try:
        result = report(span, group, budget=Budget())
    except StillCounting as exc:
        return Response(f"{exc}\n", status=503, mimetype="text/plain", headers=RETRY)
    first = span.start.astimezone(span.tz).date()
    name = f"dutyline-calls-{first}-by-{group}.csv"
    return Response(report_csv(result), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
