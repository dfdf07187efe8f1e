"""`dutyline calls`: the call log."""

import click

from console.app import app_command, emit
from console.timeparse import parse_instant
from telephony import calls
from webhooks.runtime import runtime


@click.group("calls")
def calls_group():
    """The call log."""


@calls_group.command("list")
@click.option("--missed", is_flag=True, help="only calls that ended with no answer and no message")
@click.option("--json", "as_json", is_flag=True)
@app_command
def calls_list(missed, as_json):
    """Recent calls, newest first."""
    tz = runtime().settings.tz
    rows = [calls.call_as_dict(c) for c in calls.list_calls(status="missed" if missed else None)]
    emit(rows, as_json, lambda r: (
        f"{parse_instant(r['started_at'], tz).astimezone(tz):%Y-%m-%d %H:%M:%S}  {r['from']:<16} "
        f"{r['mode']:<13} {r['status']:<10} {r['answered_by'] or ''}"))
