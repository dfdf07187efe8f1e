"""The Reports page: the figures of `dutyline report calls` (reports.report), as charts,
tables and a CSV download."""

from datetime import date

from flask import Response, g, render_template, request

from hours.business_hours import IN_HOURS, OUT_OF_HOURS
from reports import Span, report
from reports.span import asked_days
from reports.tables import ENGINEER_COLUMNS, cell, report_csv
from web.blueprint import bp
from web.charts import service_level_chart, wait_buckets, wait_chart
from web.context import runtime

MODES = {"in": IN_HOURS, "out": OUT_OF_HOURS}


def _asked():
    """(span, error, values typed): the local days asked for, as `report calls` reads them."""
    settings = runtime().settings
    args = request.args
    typed = {"from": args.get("from", ""), "to": args.get("to", ""), "mode": args.get("mode", "")}
    try:
        first = date.fromisoformat(typed["from"]) if typed["from"] else None
        last = date.fromisoformat(typed["to"]) if typed["to"] else None
        today = g.now.astimezone(settings.tz).date()
        first, last = asked_days(today, first, last)
        return Span.days(settings, first, last, mode=MODES.get(typed["mode"]), now=g.now), None, typed
    except ValueError as exc:
        text = str(exc)
        if "isoformat" in text or "Invalid" in text:
            text = "dates are YYYY-MM-DD"
        today = g.now.astimezone(settings.tz).date()
        first, last = asked_days(today)
        return Span.days(settings, first, last, now=g.now), text, typed


@bp.get("/reports")
def reports():
    span, error, typed = _asked()
    by_day = report(span, "day")
    engineers = report(span, "engineer")
    buckets = wait_buckets(by_day.waits)
    return render_template(
        "reports.html", span=span, error=error, typed=typed, by_day=by_day,
        engineers=engineers, columns=ENGINEER_COLUMNS, cell=cell,
        sl_chart=service_level_chart(by_day.rows), wait_chart=wait_chart(buckets),
        buckets=buckets, first_day=next(span.local_days()),
        last_day=list(span.local_days())[-1]), (400 if error else 200)


@bp.get("/reports.csv")
def reports_csv():
    span, error, _typed = _asked()
    group = request.args.get("by") or "day"
    if error or group not in ("day", "hour", "engineer", "customer"):
        return Response((error or "by: day, hour, engineer or customer") + "\n", status=400,
                        mimetype="text/plain")
    first = span.start.astimezone(span.tz).date()
    name = f"dutyline-calls-{first}-by-{group}.csv"
    return Response(report_csv(report(span, group)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
