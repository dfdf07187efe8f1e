"""Swap requests on the web: an engineer asks a colleague to swap days; the colleague accepts or
declines (as by texting YES), the requester may withdraw. The same functions and messages as
the text (rota.swap_requests); managers see the open requests. With several teams, the chosen
team's rota and requests (web.team_choice); a request of a team the user may not see is not
found (404) and nothing changes."""

from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for

from accounts import audit
from rota import swap_requests as service
from rota.engineers import RotaError
from rota.models import Engineer, SwapRequest
from rota.seen import AlreadyDone
from rota.teams import settings_of
from web.blueprint import bp
from web.context import runtime
from web.local_paths import safe_target
from web.parse import parse_day
from web.team_choice import seen_or_404, team_id, team_settings

AHEAD = timedelta(days=62)  # how far ahead the form offers days
ANSWERS = ("accept", "decline", "withdraw")


def my_engineer():
    """The engineer the signed-in user is (403 for a user who is none)."""
    engineer = g.user.engineer if g.user.engineer_id else None
    if engineer is None or not engineer.active:
        abort(403)
    return engineer


def request_rows(requests, settings):
    """Swap requests as the pages list them: the request, both engineers' names, the days."""
    names = {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}
    rows = []
    for item in requests:
        give, take = service.day_labels(item, settings)
        rows.append({"id": item.id, "requester": names.get(item.requester_id, "?"),
                     "colleague": names.get(item.colleague_id, "?"), "give": give,
                     "take": take, "expires_at": item.expires_at})
    return rows


def _page(status=200, error=None):
    settings, team = team_settings(), team_id()
    if g.user.engineer_id is None:  # a manager: the team's open requests, to read
        everyone = (SwapRequest
                    .select()
                    .where(SwapRequest.status == service.PENDING, SwapRequest.team == team,
                           SwapRequest.expires_at > g.now)
                    .order_by(SwapRequest.expires_at))
        return render_template("swaps.html", everyone=request_rows(everyone, settings),
                               error=error), status
    me = my_engineer()
    periods = service.coming_periods(g.now, AHEAD, team)
    names = {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}
    mine = [p for p in periods if p.primary_id == me.id]
    theirs = [p for p in periods if p.primary_id != me.id]
    chosen = request.form if request.method == "POST" else request.args
    return render_template(
        "swaps.html", me=me, mine=mine, theirs=theirs, names=names,
        give=chosen.get("give", ""), take=chosen.get("take", ""),
        waiting=request_rows(service.waiting_for(me, g.now, team), settings),
        asked=request_rows(service.asked_by(me, g.now, team), settings), error=error), status


@bp.get("/swaps")
def swaps():
    return _page()


@bp.post("/swaps")
def swap_ask():
    me = my_engineer()
    settings = team_settings()
    try:
        made = service.ask_swap(me, parse_day(request.form.get("give")),
                                parse_day(request.form.get("take")), settings, g.now,
                                team_id())
    except AlreadyDone as exc:
        flash(f"already done: {exc}")
        return redirect(url_for("web.swaps"))
    except RotaError as exc:
        return _page(400, error=str(exc))
    text = f"{made.colleague.name}: {service.describe_days(made, settings)}"
    audit.record(g.user.email, "swap asked", text, g.now)
    flash(f"asked {text}; they have been texted")
    return redirect(url_for("web.swaps"))


@bp.post("/swaps/<int:request_id>/<answer>")
def swap_answer(request_id, answer):
    if answer not in ANSWERS:
        abort(404)
    me = my_engineer()
    try:
        item = service.get_request(request_id)
    except RotaError:
        abort(404)
    seen_or_404(item.team_id)
    settings = settings_of(runtime().settings, item.team_id)  # the request's team's
    try:
        role = "requester" if answer == "withdraw" else "colleague"
        if getattr(item, f"{role}_id") != me.id:
            abort(403)
        if answer == "accept":
            item = service.accept(request_id, me, settings, g.now)
        elif answer == "decline":
            item = service.decline(request_id, me, settings, g.now)
        else:
            item = service.withdraw(request_id, me, g.now)
    except AlreadyDone as exc:
        flash(f"already done: {exc}")
    except RotaError as exc:
        flash(str(exc), "warning")
    else:
        give, take = service.day_labels(item, settings)
        done = {"accept": "swap accepted", "decline": "swap declined",
                "withdraw": "swap withdrawn"}[answer]
        text = (f"{item.colleague.name} takes {give} from {item.requester.name}, who takes "
                f"{take}" if answer == "accept"
                else f"{item.requester.name}: {give} for {take} ({item.colleague.name})")
        audit.record(g.user.email, done, text, g.now)
        flash(f"{done}: {text}")
    return redirect(safe_target(request.form.get("back", ""), url_for("web.swaps")))
