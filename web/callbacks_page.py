"""The Call-backs page: every call that reached nobody and is still due a call-back, the
oldest first; an engineer marks one done with the reason (voicemail.missed), or presses
Call back (here or on the ticket): their own phone rings, then the caller's, who sees the
support number (voicemail.callbacks). With several teams the list is the chosen team's, and
a ticket of a team the user may not see is not found (404) and nothing changes."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from accounts import audit
from voicemail import callbacks as calls
from voicemail import missed
from voicemail.tickets import TicketError
from web.blueprint import bp
from web.team_choice import calls_team
from web.tickets_page import of_a_team_seen


@bp.get("/callbacks")
def callbacks():
    due = missed.callbacks_due(team=calls_team())
    return render_template("callbacks.html", due=due, can_call_back=missed.can_call_back)


@bp.post("/callbacks/<int:number>/done")
def callback_done(number):
    of_a_team_seen(number)
    engineer = g.user.engineer if g.user.engineer_id else None
    try:
        done = missed.mark_done(number, request.form.get("reason", ""), g.now, engineer)
    except TicketError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.callbacks"))
    audit.record(g.user.email, "call-back done", f"#{done.number} {done.callback_reason}", g.now)
    flash(f"#{done.number} call-back done")
    return redirect(url_for("web.callbacks"))


@bp.post("/callbacks/<int:number>/call")
def callback_call(number):
    if not g.user.engineer_id:
        abort(403)  # a call-back rings the engineer's own phone: a user with none has none
    of_a_team_seen(number)
    try:
        made = calls.request_callback(number, g.user.engineer, g.now)
    except TicketError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.callbacks"))
    audit.record(g.user.email, "call-back", f"#{made.ticket.number}", g.now)
    flash(f"#{made.ticket.number}: your phone rings now; answer and press 1 to be put "
          "through (the customer sees the support number)")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/tickets/") else url_for("web.callbacks"))
