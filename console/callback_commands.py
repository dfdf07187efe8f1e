"""`dutyline calls missed`, `dutyline calls done` and `dutyline calls back`: the call-back
list (voicemail.missed) and call-backs through the support number (voicemail.callbacks)."""

import json
import click

from console.app import app_command
from console.team_option import chosen_team, team_option
from console.timeparse import asked_span
from reports.reactions import reactions
from reports.tables import text_table
from rota.engineers import find_engineer
from voicemail import callbacks, missed
from webhooks.runtime import runtime


def _local(value, tz):
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "-"


def _row(ticket):
    return {"ticket": ticket.number, "kind": ticket.kind, "caller": ticket.caller,
            "can_call_back": missed.can_call_back(ticket),
            "customer": ticket.customer.name if ticket.customer_id else None,
            "arrived": ticket.created_at.isoformat(),
            "reaction_due": ticket.deadline.isoformat() if ticket.deadline else None,
            "status": ticket.status}


@click.command("missed")
@click.option("--json", "as_json", is_flag=True)
@team_option("the call-backs of that team's calls only, in its zone (default: every team's)")
@app_command
def calls_missed(as_json, team_name):
    """The calls due a call-back (missed calls and voicemails), the oldest first."""
    team, settings = chosen_team(team_name)
    due = missed.callbacks_due(team=team.id if team else None)
    if as_json:
        click.echo(json.dumps([_row(ticket) for ticket in due], indent=2))
        return
    if not due:
        click.echo("no call-backs due")
        return
    tz = settings.tz
    rows = [[f"#{t.number}", _local(t.created_at, tz), t.kind,
             t.caller if missed.can_call_back(t) else "withheld: cannot be called back",
             t.customer.name if t.customer_id else "-", _local(t.deadline, tz)] for t in due]
    click.echo(text_table(["ticket", "arrived", "kind", "call back", "customer",
                           "reaction due"], rows))


@click.command("done")
@click.argument("ticket")
@click.option("--reason", required=True, help="why no call-back is needed any more")
@click.option("--engineer", "name", help="the engineer marking it done")
@app_command
def calls_done(ticket, reason, name):
    """Mark a ticket's call-back done, with the reason."""
    engineer = find_engineer(name) if name else None
    done = missed.mark_done(ticket, reason, runtime().clock(), engineer)
    click.echo(f"ticket #{done.number}: call-back done ({done.callback_reason})")


@click.command("back")
@click.argument("ticket")
@click.option("--engineer", "name", required=True, help="the engineer whose phone rings first")
@app_command
def calls_back(ticket, name):
    """Call a ticket's caller back: the engineer's own phone rings (the outbox worker calls
    it through Twilio), they press 1, and the customer sees the support number."""
    made = callbacks.request_callback(ticket, find_engineer(name), runtime().clock())
    click.echo(f"ticket #{made.ticket.number}: calling {made.engineer.name} now (outbox "
               f"message {made.message_id}); they press 1 to be put through")


@click.command("reactions")
@click.option("--from", "from_text", metavar="DATE", help="first local day (default: the 1st)")
@click.option("--to", "to_text", metavar="DATE", help="last local day (default: today)")
@click.option("--json", "as_json", is_flag=True)
@team_option("the tickets of that team's calls only (default: every team's)")
@app_command
def report_reactions(from_text, to_text, as_json, team_name):
    """Reaction time per customer against the contract: arrival to the first call-back
    that reached the customer, or to the ticket's acknowledgement where the contract says
    so; business minutes for an in-hours contract, minutes for a 24x7 one. The tickets that
    broke it listed."""
    team, settings = chosen_team(team_name)
    span = asked_span(from_text, to_text, settings=settings)
    found = reactions(settings, span.start, span.end, runtime().clock(),
                      team=team.id if team else None)
    if as_json:
        click.echo(json.dumps([row.as_dict() for row in found], indent=2))
        return
    rows = []
    for row in found:
        median = row.median_minutes
        rows.append([row.customer or "(no contract)",
                     f"{row.contract_minutes} {row.unit}" if row.contract_minutes else "-",
                     row.reaction_end, str(row.tickets), str(row.reached), str(row.within),
                     "-" if median is None else f"{median:g} {row.unit}",
                     ", ".join(f"#{b.ticket}" for b in row.broken) or "-"])
    click.echo(text_table(["customer", "contract", "ends at", "tickets", "reacted", "in time",
                           "median", "broke it"], rows))
