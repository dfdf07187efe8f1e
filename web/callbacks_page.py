"""The Call-backs page: every call that reached nobody and is still due a call-back, the
oldest first; an engineer marks one done with the reason (voicemail.missed)."""

from flask import flash, g, redirect, render_template, request, url_for

from accounts import audit
from voicemail import missed
from voicemail.tickets import TicketError
from web.blueprint import bp


@bp.get("/callbacks")
def callbacks():
    due = missed.callbacks_due()
    return render_template("callbacks.html", due=due, can_call_back=missed.can_call_back)


@bp.post("/callbacks/<int:number>/done")
def callback_done(number):
    engineer = g.user.engineer if g.user.engineer_id else None
    try:
        done = missed.mark_done(number, request.form.get("reason", ""), g.now, engineer)
    except TicketError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.callbacks"))
    audit.record(g.user.email, "call-back done", f"#{done.number} {done.callback_reason}", g.now)
    flash(f"#{done.number} call-back done")
    return redirect(url_for("web.callbacks"))
