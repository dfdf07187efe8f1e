"""`dutyline customer`: customers, their numbers and contracts."""

import click

from console.app import app_command, audited
from console.tables import emit_table
from customers import directory as customers
from customers.models import ALL_HOURS, CORE, ENDS_AT_CALLBACK, REACTION_ENDS
from webhooks.runtime import runtime


@click.group("customer")
def customer_group():
    """Customers, their numbers and contracts."""


@customer_group.command("add")
@click.argument("name")
@click.option("--number", "numbers", multiple=True, required=True, help="repeatable")
@click.option("--hours", type=click.Choice([CORE, ALL_HOURS]),
              default=CORE, show_default=True)
@click.option("--reaction", default=customers.DEFAULT_REACTION, show_default=True,
              help="reaction time, e.g. 4h, 90m")
@click.option("--reaction-end", type=click.Choice(REACTION_ENDS), default=ENDS_AT_CALLBACK,
              show_default=True, help="what ends the reaction: the first call-back that reached "
                                      "the customer, or the ticket's acknowledgement")
@app_command
def customer_add(name, numbers, hours, reaction, reaction_end):
    """Add a customer."""
    added = customers.add_customer(name, numbers, hours, reaction, reaction_end=reaction_end,
                                   region=runtime().settings.phone_region)
    audited("customer added", added.name)
    click.echo(f"added {added.name} ({hours}, reaction {reaction} to the {reaction_end})")


@customer_group.command("reaction-end")
@click.argument("name")
@click.argument("end", type=click.Choice(REACTION_ENDS))
@app_command
def customer_reaction_end(name, end):
    """What ends NAME's reaction clock: the first call-back that reached the customer, or the
    ticket's acknowledgement. The reaction report measures every ticket by it, earlier ones
    included."""
    customer, changed = customers.set_reaction_end(name, end)
    if not changed:
        click.echo(f"{customer.name}: the reaction already ends at the {end}")
        return
    audited("customer changed", f"{customer.name}: reaction ends at the {end}")
    click.echo(f"{customer.name}: the reaction now ends at the {end}")


@customer_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@app_command
def customer_import(path):
    """Import name,numbers,hours,reaction[,reaction end] rows; nothing is imported when any
    row is bad."""
    with open(path, encoding="utf-8-sig") as handle:
        count = customers.import_customers(handle.read(), region=runtime().settings.phone_region)
    audited("customers imported", f"{count} from {path}")
    click.echo(f"imported {count} customers")


@customer_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@app_command
def customer_list(as_json):
    """Customers by name."""
    rows = [customers.customer_as_dict(c, n) for c, n in customers.list_customers()]
    emit_table(rows, as_json, ["customer", "hours", "reaction", "ends at", "numbers"],
               lambda r: [r["name"], r["hours"], r["reaction"], r["reaction_end"],
                          " ".join(r["numbers"])],
               "no customers yet: dutyline customer add NAME --number NUMBER", right=(2,))


@customer_group.command("remove")
@click.argument("name")
@app_command
def customer_remove(name):
    """Remove a customer: its numbers no longer match callers; its calls and tickets stay."""
    removed = customers.remove_customer(name)
    audited("customer removed", removed.name)
    click.echo(f"removed {removed.name}")
