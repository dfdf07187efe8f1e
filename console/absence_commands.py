"""`dutyline absence`: leave and other absences, by hand or from a calendar."""

import click

from console.app import app_command, audited
from console.tables import emit_table
from console.team_choice import team_and_settings, team_choice
from console.timeparse import parse_day_or_instant, parse_span
from rota import absences
from rota.teams import team_engineers
from webhooks.runtime import runtime


@click.group("absence")
def absence():
    """Leave and other absences."""


@absence.command("add")
@click.argument("name")
@click.option("--from", "starts", required=True, help="first day (or ISO date-time)")
@click.option("--to", "ends", required=True, help="last day, included (or ISO date-time)")
@click.option("--reason", default="")
@app_command
def absence_add(name, starts, ends, reason):
    """Record NAME as away from --from to --to."""
    rt = runtime()
    tz = rt.settings.tz
    first, last = parse_span(starts, ends, lambda text: parse_day_or_instant(text, tz),
                             "absence")
    now = rt.clock()
    made = absences.add_absence(name, first, last, rt.settings, now, reason)
    audited("absence added", f"{made.engineer.name}: "
            f"{absences.absence_as_dict(made, tz)['local']}", now)
    click.echo(f"{made.engineer.name} absent: "
               f"{absences.absence_as_dict(made, tz)['local']}")


@absence.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "show_all", is_flag=True, help="past absences too")
@team_choice("only the absences of this team's engineers")
@app_command
def absence_list(as_json, show_all, team_name):
    """Absences not yet over (all of them with --all); an absence is an engineer's, in every
    team they are in: --team only narrows the list."""
    rt = runtime()
    tz = rt.settings.tz
    listed = absences.list_absences(None if show_all else rt.clock())
    if team_name is not None:
        team, settings = team_and_settings(team_name)
        tz = settings.tz
        in_team = {e.id for e in team_engineers(team)}
        listed = [a for a in listed if a.engineer_id in in_team]
    rows = [absences.absence_as_dict(a, tz) for a in listed]
    emit_table(rows, as_json, ["id", "engineer", "away", "reason"],
               lambda r: [str(r["id"]), r["engineer"], r["local"], r["reason"] or "-"],
               "no absences" + ("" if show_all else " now or to come (--all: past ones too)"),
               right=(0,))


@absence.command("remove")
@click.argument("absence_id", type=int)
@app_command
def absence_remove(absence_id):
    """Remove the absence ABSENCE_ID (the id `absence list` shows), e.g. one entered by mistake."""
    removed = absences.remove_absence(absence_id)
    audited("absence removed", f"{removed.engineer.name}: "
            f"{absences.absence_as_dict(removed, runtime().settings.tz)['local']}")
    click.echo(f"absence {absence_id} removed ({removed.engineer.name}: "
               f"{absences.absence_as_dict(removed, runtime().settings.tz)['local']})")


@absence.command("import")
@click.argument("name")
@click.argument("source")
@app_command
def absence_import(name, source):
    """Replace NAME's absences from an iCalendar FILE or URL with its events."""
    from rota.ical_import import import_absences

    rt = runtime()
    now = rt.clock()
    count = import_absences(name, source, rt.settings, now)
    audited("absences imported", f"{count} for {name} from {source}", now)
    click.echo(f"{count} absences imported for {name} from {source}")
