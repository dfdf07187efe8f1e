"""`dutyline tickets`: voicemail tickets; `tickets list --team NAME` lists one team's (a
ticket is its call's team's), in that team's zone."""

import json

import click

from console.app import app_command, audited
from console.tables import table
from console.team_option import chosen_team, team_option
from console.timeparse import parse_instant
from rota import engineers as engineer_service
from rota.models import FIRST_TEAM
from rota.teams import settings_of
from voicemail import tickets
from voicemail.escalation import escalation_calls
from voicemail.models import ticket_as_dict
from webhooks.runtime import runtime


@click.group("tickets")
def tickets_group():
    """Voicemail tickets."""


@tickets_group.command("list")
@click.option("--status", type=click.Choice(tickets.STATUSES))
@click.option("--json", "as_json", is_flag=True)
@team_option("the tickets of that team's calls only, in its zone (default: every team's)")
@app_command
def tickets_list(status, as_json, team_name):
    """Recent tickets, newest first."""
    team, settings = chosen_team(team_name)
    rows = [ticket_as_dict(t)
            for t in tickets.list_tickets(status, team=team.id if team else None)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no tickets")
        return
    tz = settings.tz

    def local(value):
        return parse_instant(value, tz).astimezone(tz).strftime("%a %d %b %H:%M") if value else "-"

    click.echo(table(
        ["ticket", "pri", "left at", "caller", "customer", "status", "react by", "message",
         "engineer"],
        [[f"#{r['number']}", r["priority"], local(r["created_at"]), r["caller"],
          (r["customer"] or "-")[:24], r["status"], local(r["deadline"]),
          f"{r['recording_seconds'] or 0} s", r["engineer"] or "-"] for r in rows],
        right=(7,)))


@tickets_group.command("show")
@click.argument("number")
@app_command
def tickets_show(number):
    """Everything about one ticket, its times in its team's zone."""
    ticket = tickets.get_ticket(number)
    tz = settings_of(runtime().settings, ticket.call.team_id or FIRST_TEAM).tz
    row = ticket_as_dict(ticket)
    for key, value in row.items():
        if value and (key.endswith("_at") or key == "deadline"):
            value = parse_instant(value, tz).astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")
        click.echo(f"{key.replace('_', ' '):<18} {value if value is not None else '-'}")
    for call in escalation_calls(ticket):
        at = call["queued_at"].astimezone(tz).strftime("%a %d %b %H:%M %Z")
        click.echo(f"{'escalation call':<18} step {call['step']} {at} to {call['to']}: "
                   f"{call['status']}" + (f" ({call['error']})" if call["error"] else ""))


PRIORITY_HELP = "A critical, B important, C normal, D low"


@tickets_group.command("ack")
@click.argument("number")
@click.option("--by", "by_name", help="the engineer acknowledging it")
@click.option("--priority", help=f"also set its priority: {PRIORITY_HELP}")
@app_command
def tickets_ack(number, by_name, priority):
    """Acknowledge a ticket (and set its priority)."""
    engineer = engineer_service.find_engineer(by_name) if by_name else None
    rt = runtime()
    now = rt.clock()
    ticket = tickets.acknowledge(number, now, engineer, priority, rt.delivery)
    by = f" by {engineer.name}" if engineer else ""
    set_to = f", priority {ticket.priority_label}" if priority else ""
    audited("ticket acknowledged", f"#{ticket.number}{by}{set_to}", now)
    click.echo(f"#{ticket.number} {ticket.status}, priority {ticket.priority_label}")


@tickets_group.command("priority")
@click.argument("number")
@click.argument("priority")
@click.option("--by", "by_name", help="the engineer setting it")
@app_command
def tickets_priority(number, priority, by_name):
    """Set a ticket's priority: A critical, B important, C normal, D low."""
    engineer = engineer_service.find_engineer(by_name) if by_name else None
    rt = runtime()
    now = rt.clock()
    ticket = tickets.set_priority(number, priority, now, engineer, rt.delivery)
    audited("ticket priority", f"#{ticket.number}: {ticket.priority_label}", now)
    click.echo(f"#{ticket.number} priority {ticket.priority_label}")


@tickets_group.command("close")
@click.argument("number")
@app_command
def tickets_close(number):
    """Close a ticket."""
    now = runtime().clock()
    ticket = tickets.close(number, now)
    audited("ticket closed", f"#{ticket.number}", now)
    click.echo(f"#{ticket.number} {ticket.status}")
