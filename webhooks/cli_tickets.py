"""Commands for the call log, voicemail tickets and customers."""

import click

from customers import directory as customers
from customers.models import ALL_HOURS, CORE
from rota import engineers as engineer_service
from telephony import calls
from voicemail import tickets
from voicemail.models import ticket_as_dict
from webhooks.cli import emit, main, with_app
from webhooks.runtime import runtime
from webhooks.timeparse import parse_instant


@main.group("calls")
def calls_group():
    """The call log."""


@calls_group.command("list")
@click.option("--missed", is_flag=True, help="only calls that ended with no answer and no message")
@click.option("--json", "as_json", is_flag=True)
@with_app
def calls_list(missed, as_json):
    """Recent calls, newest first."""
    tz = runtime().settings.tz
    rows = [calls.call_as_dict(c) for c in calls.list_calls(status="missed" if missed else None)]
    emit(rows, as_json, lambda r: (
        f"{parse_instant(r['started_at'], tz).astimezone(tz):%Y-%m-%d %H:%M:%S}  {r['from']:<16} "
        f"{r['mode']:<13} {r['status']:<10} {r['answered_by'] or ''}"))


@main.group("tickets")
def tickets_group():
    """Voicemail tickets."""


@tickets_group.command("list")
@click.option("--status", type=click.Choice(tickets.STATUSES))
@click.option("--json", "as_json", is_flag=True)
@with_app
def tickets_list(status, as_json):
    """Recent tickets, newest first."""
    rows = [ticket_as_dict(t) for t in tickets.list_tickets(status)]
    emit(rows, as_json, lambda r: (
        f"#{r['number']}  {r['caller']:<16} {(r['customer'] or '-')[:20]:<20} {r['status']:<12} "
        f"{r['recording_seconds'] or 0:>4} s  {r['engineer'] or ''}"))


@tickets_group.command("show")
@click.argument("number")
@with_app
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
@with_app
def tickets_ack(number, by_name):
    """Acknowledge a ticket."""
    engineer = engineer_service.find_engineer(by_name) if by_name else None
    ticket = tickets.acknowledge(number, runtime().clock(), engineer)
    click.echo(f"#{ticket.number} {ticket.status}")


@tickets_group.command("close")
@click.argument("number")
@with_app
def tickets_close(number):
    """Close a ticket."""
    ticket = tickets.close(number, runtime().clock())
    click.echo(f"#{ticket.number} {ticket.status}")


@main.group("customer")
def customer_group():
    """Customers, their numbers and contracts."""


@customer_group.command("add")
@click.argument("name")
@click.option("--number", "numbers", multiple=True, required=True, help="repeatable")
@click.option("--hours", type=click.Choice([CORE, ALL_HOURS]),
              default=CORE, show_default=True)
@click.option("--reaction", default=customers.DEFAULT_REACTION, show_default=True,
              help="reaction time, e.g. 4h, 90m")
@with_app
def customer_add(name, numbers, hours, reaction):
    """Add a customer."""
    added = customers.add_customer(name, numbers, hours, reaction,
                                   region=runtime().settings.phone_region)
    click.echo(f"added {added.name} ({hours}, reaction {reaction})")


@customer_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_app
def customer_import(path):
    """Import name,numbers,hours,reaction rows; nothing is imported when any row is bad."""
    with open(path, encoding="utf-8-sig") as handle:
        count = customers.import_customers(handle.read(), region=runtime().settings.phone_region)
    click.echo(f"imported {count} customers")


@customer_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@with_app
def customer_list(as_json):
    """Customers by name."""
    rows = [customers.customer_as_dict(c, n) for c, n in customers.list_customers()]
    emit(rows, as_json, lambda r: (
        f"{r['name']:<28} {r['hours']:<5} {r['reaction']:>6}  {' '.join(r['numbers'])}"))
