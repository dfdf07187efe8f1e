"""`dutyline rota pay`: a month's on-call duty per engineer, as payroll asks for it."""

import json

import click

from console.app import app_command
from console.tables import table
from reports.oncall_pay import month_pay, pay_csv, pay_rows
from rota.months import parse_month
from webhooks.runtime import runtime


@click.command("pay")
@click.argument("month", metavar="YYYY-MM")
@click.option("--csv", "as_csv", is_flag=True, help="for payroll's spreadsheet")
@click.option("--json", "as_json", is_flag=True)
@app_command
def rota_pay(month, as_csv, as_json):
    """Hours on duty, nights, weekend days, public holidays and calls taken out of hours,
    per engineer, in MONTH."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    settings = runtime().settings
    pay = month_pay(*parse_month(month), settings)
    if as_csv:
        click.echo(pay_csv(pay), nl=False)
        return
    if as_json:
        click.echo(json.dumps(pay_rows(pay), indent=2))
        return
    tz = settings.tz
    click.echo(f"{pay.label}: duty from {pay.starts_at.astimezone(tz):%a %d %b %H:%M} to "
               f"{pay.ends_at.astimezone(tz):%a %d %b %Y %H:%M} ({pay.timezone})")
    click.echo(table(["engineer", "hours", "nights", "weekend days", "public holidays",
                      "calls out of hours"],
                     [[line.name, line.hours, len(line.pay.nights), len(line.pay.weekend_days),
                       len(line.pay.holidays), line.pay.calls] for line in pay.lines],
                     right=(1, 2, 3, 4, 5)))
