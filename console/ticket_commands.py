"""`dutyline tickets`: voicemail tickets."""

import json

import click

from console.app import app_command
from console.tables import table
from console.timeparse import parse_instant
from rota import engineers as engineer_service
from voicemail import tickets
from voicemail.models import ticket_as_dict
from webhooks.runtime import runtime


@click.group("tickets")
def tickets_group():
    """Voicemail tickets."""


@tickets_group.command("list")
@click.option("--status", type=click.Choice(tickets.STATUSES))
@click.option("--json", "as_json", is_flag=True)
@app_command
def tickets_list(status, as_json):
    """Recent tickets, newest first."""
    rows = [ticket_as_dict(t) for t in tickets.list_tickets(status)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no tickets")
        return
    tz = runtime().settings.tz

    def local(value):
        return parse_instant(value, tz).astimezone(tz).strftime("%a %d %b %H:%M") if value else "-"

    click.echo(table(
        ["ticket", "left at", "caller", "customer", "status", "react by", "message", "engineer"],
        [[f"#{r['number']}", local(r["created_at"]), r["caller"], (r["customer"] or "-")[:24],
          r["status"], local(r["deadline"]), f"{r['recording_seconds'] or 0} s",
          r["engineer"] or "-"] for r in rows], right=(6,)))


@tickets_group.command("show")
@click.argument("number")
@app_command
def tickets_show(number):
    """Everything about one ticket."""
    tz = runtime().settings.tz
    row = ticket_as_dict(tickets.get_ticket(number))
    for key, value in row.items():
        if value and (key.endswith("_at") or key == "deadline"):
            value = parse_instant(value, tz).astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")
        click.echo(f"{key.replace('_', ' '):<18} {value if value is not None else '-'}")


@tickets_group.command("ack")
@click.argument("number")
@click.option("--by", "by_name", help="the engineer acknowledging it")
@app_command
def tickets_ack(number, by_name):
    """Acknowledge a ticket."""
    engineer = engineer_service.find_engineer(by_name) if by_name else None
    ticket = tickets.acknowledge(number, runtime().clock(), engineer)
    click.echo(f"#{ticket.number} {ticket.status}")


@tickets_group.command("close")
@click.argument("number")
@app_command
def tickets_close(number):
    """Close a ticket."""
    ticket = tickets.close(number, runtime().clock())
    click.echo(f"#{ticket.number} {ticket.status}")
