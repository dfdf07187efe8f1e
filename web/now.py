"""The Now page: who is on duty now and next, who is signed in and where, live calls, today,
and the service level the engineers signed in are forecast to give (telephony.forecast);
with several teams, the chosen team's (web.team_choice): its rota, its engineers, its calls."""

from datetime import timedelta

from flask import g, redirect, render_template, request, url_for

from reports import Span, report
from rota import periods
from rota.engineers import list_engineers
from rota.teams import members
from rota.labels import relative_label
from rota.my_duty import my_duty
from rota.ring_test import unconfirmed_duty
from rota.swap_requests import waiting_for
from rota.overrides import override_at
from telephony.forecast import presence_forecast
from telephony.presence import engineers_on_a_call
from hours.business_hours import IN_HOURS, mode_at
from telephony.models import Call, CallStatus
from reports.call_figures import team_condition
from web.blueprint import bp
from web.swaps_page import request_rows
from web.team_choice import calls_team, team_id, team_settings

RINGING_STALE = timedelta(hours=1)  # a call still "ringing" after this lost its callbacks


def today_figures(now, settings, team=None):
    """Today's figures (local day so far) from the same function as `dutyline report calls`;
    of one team's calls with `team` (an id)."""
    today = now.astimezone(settings.tz).date()
    return report(Span.days(settings, today, today, now=now, team=team)).total


def now_view(now):
    settings = team_settings()
    team = team_id()
    busy = engineers_on_a_call(now)
    engineers = members(g.team) if g.get("team") is not None else list_engineers()
    ringing = (Call
               .select()
               .where(Call.status == CallStatus.RINGING, Call.ended_at.is_null(),
                      Call.started_at > now - RINGING_STALE)
               .order_by(Call.started_at))
    if calls_team() is not None:  # a call with no team is the first team's
        ringing = ringing.where(team_condition(calls_team()))
    ringing = list(ringing)
    user = g.get("user")
    me = user.engineer if user is not None and user.engineer_id else None
    mine = my_duty(me, now, settings, team) if me is not None and me.active else None
    return {
        "mine": mine,
        "mine_text": mine_text(mine, now, settings.tz) if mine else {},
        "waiting": request_rows(waiting_for(me, now, team), settings) if mine else [],
        "now": now,
        "in_hours": mode_at(settings, now) == IN_HOURS,
        "current": periods.period_at(now, team),
        "upcoming": periods.next_period_after(now, team),
        "override": override_at(now, team),
        "unconfirmed": unconfirmed_duty(now, team),
        "engineers": engineers,
        "busy": busy,
        "ringing": ringing,
        "today": today_figures(now, settings, calls_team()),
        "forecast": presence_forecast(settings, now, team).words(),
        "day": now.astimezone(settings.tz).date().isoformat(),
    }


def mine_text(mine, now, tz):
    """An engineer's duty in short words: until '18:00 today', their next duties as
    (role, 'Tue 08 Dec 18:00', 'Wed 18:00')."""
    coming = [(role, f"{a.astimezone(tz):%a %d %b %H:%M}", f"{b.astimezone(tz):%a %H:%M}")
              for a, b, role in mine.coming]
    return {"until": relative_label(mine.until, now, tz) if mine.until else None,
            "coming": coming}


@bp.get("/")
def home():
    return redirect(url_for("web.now"))


@bp.get("/now")
def now():
    data = now_view(g.now)
    if request.headers.get("HX-Request"):
        return render_template("now_live.html", **data)
    return render_template("now.html", **data)
