"""The Tickets page: voicemail tickets with deadline and status; acknowledge and close. With
several teams the list is the chosen team's (a ticket is of its call's team), and a ticket of
a team the user may not see is not found (404), to read or to act on."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from accounts import audit
from voicemail import tickets as service
from voicemail.callbacks import callbacks_of
from voicemail.escalation import escalation_calls
from voicemail.missed import can_call_back
from voicemail.models import PRIORITIES
from voicemail.ticket_teams import ticket_team
from voicemail.tickets import TicketError
from web.access import is_manager
from web.blueprint import bp
from web.context import runtime
from web.team_choice import calls_team, seen_or_404


PAGE = 50  # tickets a page; older ones a link away


def mine_first(found):
    """An engineer's own tickets (theirs, or acknowledged by them) first, each part in order."""
    me = g.user.engineer_id
    if me is None:
        return found
    return sorted(found, key=lambda t: me not in (t.engineer_id, t.acknowledged_by_id))


def of_a_team_seen(number):
    """Stop (404) when ticket `number` is of a team the user may not see; a ticket not found
    is left to the action, which says so."""
    try:
        found = service.get_ticket(number)
    except TicketError:
        return
    seen_or_404(ticket_team(found))


@bp.get("/tickets")
def tickets():
    status = request.args.get("status") or None
    if status not in (None, *service.STATUSES):
        status = None
    before = request.args.get("before", "")
    # ASCII digits only ("²" is a digit to isdigit, not to int); a number past any ticket
    # leaves none out, as no limit does
    before = int(before) if before.isascii() and before.isdigit() and len(before) < 19 else None
    found = service.list_tickets(status, limit=PAGE + 1, before=before,
                                 team=calls_team())
    older = found[PAGE - 1].number if len(found) > PAGE else None
    return render_template("tickets.html", tickets=mine_first(found[:PAGE]), status=status,
                           statuses=service.STATUSES, priorities=PRIORITIES, before=before,
                           older=older)


@bp.get("/tickets/<int:number>")
def ticket(number):
    try:
        found = service.get_ticket(number)
    except TicketError:
        abort(404)
    seen_or_404(ticket_team(found))
    return render_template("ticket.html", ticket=found, priorities=PRIORITIES,
                           escalation=escalation_calls(found), callbacks=callbacks_of(found),
                           can_call_back=can_call_back)


@bp.post("/tickets/<int:number>/<action>")
def ticket_change(number, action):
    # engineers acknowledge (as by text, ACK 1234) and set priorities in their own name;
    # closing is for managers
    if action not in ("ack", "close", "priority") or (action == "close" and not is_manager()):
        abort(403 if action == "close" else 404)
    of_a_team_seen(number)
    engineer = g.user.engineer if g.user.engineer_id else None
    delivery = runtime().delivery
    try:
        if action == "ack":
            changed = service.acknowledge(number, g.now, engineer, delivery=delivery)
        elif action == "priority":
            before = service.get_ticket(number).priority
            changed = service.set_priority(number, request.form.get("priority", ""), g.now,
                                           engineer, delivery)
        else:
            changed = service.close(number, g.now)
    except TicketError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.tickets"))
    if action == "priority":
        if changed.priority != before:
            audit.record(g.user.email, "ticket priority",
                         f"#{changed.number} {before} -> {changed.priority}", g.now)
        flash(f"#{changed.number} priority {changed.priority_label}")
    else:
        audit.record(g.user.email, f"ticket {changed.status}", f"#{changed.number}", g.now)
        flash(f"#{changed.number} {changed.status}")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/tickets") else url_for("web.tickets"))
