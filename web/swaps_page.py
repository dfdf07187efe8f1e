"""Swap requests on the web: an engineer asks a colleague to swap days; the colleague accepts or
declines (as by texting YES), the requester may withdraw. The same functions and messages as
the text (rota.swap_requests); managers see the open requests."""

from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for

from accounts import audit
from rota import swap_requests as service
from rota.engineers import RotaError
from rota.models import Engineer, SwapRequest
from rota.seen import AlreadyDone
from web.blueprint import bp
from web.context import runtime
from web.local_paths import safe_target
from web.parse import parse_day

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
    settings = runtime().settings
    if g.user.engineer_id is None:  # a manager: every open request, to read
        everyone = (SwapRequest
                    .select()
                    .where(SwapRequest.status == service.PENDING,
                           SwapRequest.expires_at > g.now)
                    .order_by(SwapRequest.expires_at))
        return render_template("swaps.html", everyone=request_rows(everyone, settings),
                               error=error), status
    me = my_engineer()
    periods = service.coming_periods(g.now, AHEAD)
    names = {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}
    mine = [p for p in periods if p.primary_id == me.id]
    theirs = [p for p in periods if p.primary_id != me.id]
    chosen = request.form if request.method == "POST" else request.args
    return render_template(
        "swaps.html", me=me, mine=mine, theirs=theirs, names=names,
        give=chosen.get("give", ""), take=chosen.get("take", ""),
        waiting=request_rows(service.waiting_for(me, g.now), settings),
        asked=request_rows(service.asked_by(me, g.now), settings), error=error), status


@bp.get("/swaps")
def swaps():
    return _page()


@bp.post("/swaps")
def swap_ask():
    me = my_engineer()
    settings = runtime().settings
    try:
        made = service.ask_swap(me, parse_day(request.form.get("give")),
                                parse_day(request.form.get("take")), settings, g.now)
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
    settings = runtime().settings
    try:
        item = service.get_request(request_id)
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
