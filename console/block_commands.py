"""`dutyline block`: nuisance callers' numbers, answered with one sentence and hung up on."""

import click

from accounts.audit import command_line_actor
from console.app import app_command, audited
from console.tables import emit_table
from console.timeparse import parse_day
from customers import blocklist
from webhooks.runtime import runtime


@click.group("block")
def block_group():
    """Numbers the line refuses (a robocaller, a fax machine, a prank)."""


@block_group.command("add")
@click.argument("number")
@click.option("--reason", required=True, help="why the number is refused")
@click.option("--until", "until", default=None,
              help="last day blocked (YYYY-MM-DD, local); left out: until removed")
@app_command
def block_add(number, reason, until):
    """Refuse calls from NUMBER: one sentence, then the line hangs up; nobody is rung."""
    rt = runtime()
    now = rt.clock()
    blocked = blocklist.add_block(number, reason, rt.settings, command_line_actor(), now,
                                  until=parse_day(until) if until else None)
    audited("number blocked", blocklist.describe(blocked, rt.settings.tz), now)
    click.echo(f"blocked {blocklist.describe(blocked, rt.settings.tz)}")


@block_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@app_command
def block_list(as_json):
    """Blocked numbers, ended blocks too (marked so)."""
    rt = runtime()
    now = rt.clock()
    rows = [blocklist.block_as_dict(b, rt.settings.tz, now) for b in blocklist.list_blocks()]
    emit_table(rows, as_json, ["number", "until", "reason", "by"],
               lambda r: [r["number"], (r["until"] or "-") + (
                   "" if r["in_force"] else " (ended)"), r["reason"], r["created_by"]],
               "no blocked numbers")


@block_group.command("remove")
@click.argument("number")
@app_command
def block_remove(number):
    """Take NUMBER off the block list: its calls ring the team again."""
    rt = runtime()
    removed = blocklist.remove_block(number, rt.settings.phone_region)
    audited("number unblocked", blocklist.describe(removed, rt.settings.tz))
    click.echo(f"unblocked {removed.number}")
