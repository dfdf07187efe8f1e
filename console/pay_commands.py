"""`dutyline rota pay`: a month's on-call duty per engineer, as payroll asks for it."""

import json

import click

from console.app import app_command
from console.tables import table
from console.team_choice import team_and_settings, team_choice
from reports.oncall_pay import month_pay, pay_csv, pay_rows
from rota.months import parse_month


@click.command("pay")
@click.argument("month", metavar="YYYY-MM")
@click.option("--csv", "as_csv", is_flag=True, help="for payroll's spreadsheet")
@click.option("--json", "as_json", is_flag=True)
@team_choice("the team whose duty is paid (default: the first team)")
@app_command
def rota_pay(month, as_csv, as_json, team_name):
    """Hours on duty, nights, weekend days, public holidays and calls taken out of hours,
    per engineer, in MONTH: the first team's, or --team's in that team's own settings."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    year, number = parse_month(month)
    team, settings = team_and_settings(team_name)
    pay = month_pay(year, number, settings, team.id)
    if as_csv:
        click.echo(pay_csv(pay), nl=False)
        return
    if as_json:
        click.echo(json.dumps(pay_rows(pay), indent=2))
        return
    tz = settings.tz
    heading = pay.label + (f", {team.name}" if team_name else "")
    click.echo(f"{heading}: duty from {pay.starts_at.astimezone(tz):%a %d %b %H:%M} to "
               f"{pay.ends_at.astimezone(tz):%a %d %b %Y %H:%M} ({pay.timezone})")
    click.echo(table(["engineer", "hours", "nights", "weekend days", "public holidays",
                      "calls out of hours"],
                     [[line.name, line.hours, len(line.pay.nights), len(line.pay.weekend_days),
                       len(line.pay.holidays), line.pay.calls] for line in pay.lines],
                     right=(1, 2, 3, 4, 5)))
