"""The On-call pay page: a month's duty per engineer as payroll asks for it (rota.pay), and
its CSV. Managers see everyone; an engineer sees their own line. With several teams, the
chosen team's duty in its own settings (web.team_choice)."""

from flask import Response, g, render_template, request

from reports.oncall_pay import month_pay, pay_csv
from rota.engineers import RotaError
from rota.months import parse_month
from web.access import is_manager
from web.blueprint import bp
from web.team_choice import team_id, team_settings


def _asked():
    """(the MonthPay the user may see, or None, and the error)."""
    settings = team_settings()
    text = request.args.get("month", "").strip()
    try:
        if text:
            year, month = parse_month(text)
        else:
            here = g.now.astimezone(settings.tz)
            year, month = here.year, here.month
    except RotaError as exc:
        return None, str(exc)
    pay = month_pay(year, month, settings, team_id())
    return (pay if is_manager() else pay.only(g.user.engineer_id)), None


def _neighbours(year, month):
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{before[0]}-{before[1]:02d}", f"{after[0]}-{after[1]:02d}"


@bp.get("/rota/pay")
def pay():
    month, error = _asked()
    if month is None:
        return render_template("pay.html", month=None, error=error,
                               typed=request.args.get("month", "")), 400
    before, after = _neighbours(month.year, month.month)
    return render_template("pay.html", month=month, error=None, before=before, after=after,
                           typed=month.label, tz=team_settings().tz)


@bp.get("/rota/pay.csv")
def pay_download():
    month, error = _asked()
    if month is None:
        return Response(f"{error}\n", status=400, mimetype="text/plain")
    name = f"dutyline-on-call-pay-{month.label}.csv"
    return Response(pay_csv(month), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
