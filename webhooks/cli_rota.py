"""The rota commands: generate, show, check, swap, override, and the absence group."""

import json
import sys
import click

from rota import absences, change_warnings, check, counts, generate, months, overrides, swaps
from rota.spans import WEEKEND
from webhooks.runtime import runtime
from webhooks.timeparse import parse_day, parse_instant


def _day(text):
    try:
        return parse_day(text)
    except click.BadParameter as exc:
        raise click.ClickException(exc.message) from exc


def _instant(text, tz):
    try:
        return parse_instant(text, tz)
    except click.BadParameter as exc:
        raise click.ClickException(exc.message) from exc


def _day_or_instant(text, tz):
    """A plain date stays a date (whole local days); anything longer is an instant."""
    return _day(text) if len(text.strip()) == 10 else _instant(text, tz)


def register(main, rota, with_app, emit):
    """Attach the rota commands to the `rota` group and an `absence` group to `main`."""

    @rota.command("generate")
    @click.argument("month")
    @click.option("--replace", is_flag=True, help="regenerate the whole month, manual entries too")
    @with_app
    def rota_generate(month, replace):
        """Fill every open duty period of MONTH (YYYY-MM) fairly."""
        rt = runtime()
        year, number = months.parse_month(month)
        result = generate.generate_month(year, number, rt.settings, rt.clock(), replace=replace)
        for warning in result.warnings:
            click.echo(f"warning: {warning}")
        click.echo(f"{month}: {result.periods} periods, {result.filled} places filled, "
                   f"{result.kept} kept, {result.empty} left empty")
        _print_counts(year, number, rt.settings)
        if result.empty:
            raise click.ClickException(f"{result.empty} places could not be filled")

    @rota.command("show")
    @click.argument("month")
    @click.option("--json", "as_json", is_flag=True)
    @with_app
    def rota_show(month, as_json):
        """The duty periods and overrides of MONTH (YYYY-MM)."""
        settings = runtime().settings
        year, number = months.parse_month(month)
        rows = [months.period_as_dict(p, settings) for p in months.month_periods(year, number)]
        start, end = months.month_span(year, number, settings)
        extra = [overrides.override_as_dict(o) for o in overrides.overrides_between(start, end)]
        if as_json:
            click.echo(json.dumps({"month": month, "periods": rows, "overrides": extra},
                                  indent=2))
            return
        if not rows:
            click.echo(f"{month}: no duty periods yet")
        for row in rows:
            marker = "*" if row["kind"] == WEEKEND else " "
            click.echo(f"{row['local']} {marker} {row['primary'] or '-':<20} "
                       f"{row['backup'] or ''}")
        for item in extra:
            starts_at = parse_instant(item["starts_at"], settings.tz).astimezone(settings.tz)
            ends_at = parse_instant(item["ends_at"], settings.tz).astimezone(settings.tz)
            click.echo(f"override: {item['engineer']} from {starts_at:%a %d %b %H:%M} "
                       f"to {ends_at:%a %d %b %H:%M} (id {item['id']})")

    @rota.command("check")
    @click.argument("month")
    @click.option("--json", "as_json", is_flag=True)
    @with_app
    def rota_check(month, as_json):
        """Gaps out of hours, absent engineers on duty, bad overrides; exit 1 when any."""
        settings = runtime().settings
        year, number = months.parse_month(month)
        problems = check.check_month(year, number, settings)
        if as_json:
            click.echo(json.dumps({"month": month, "ok": not problems,
                                   "problems": [p.as_dict(settings.tz) for p in problems]},
                                  indent=2))
        else:
            for problem in problems:
                click.echo(problem.describe(settings.tz))
            click.echo(f"{month}: {'ok' if not problems else f'{len(problems)} problems'}")
        if problems:
            sys.exit(1)

    @rota.command("swap")
    @click.argument("first")
    @click.argument("second")
    @with_app
    def rota_swap(first, second):
        """Exchange the engineers of the periods on the dates FIRST and SECOND."""
        rt = runtime()
        one, two = swaps.swap_periods(_day(first), _day(second), rt.settings, rt.clock())
        for period in (one, two):
            row = months.period_as_dict(period, rt.settings)
            click.echo(f"{row['local']}: {row['primary'] or '-'}"
                       + (f", backup {row['backup']}" if row["backup"] else ""))
        for warning in change_warnings.swap_warnings(one, two, rt.settings.tz):
            click.echo(f"warning: {warning}")

    @rota.command("override")
    @click.argument("name")
    @click.option("--from", "starts", required=True, help="ISO-8601; local time when no offset")
    @click.option("--to", "ends", required=True, help="ISO-8601; local time when no offset")
    @with_app
    def rota_override(name, starts, ends):
        """Put NAME on duty from --from to --to, over the plan."""
        rt = runtime()
        tz = rt.settings.tz
        made = overrides.add_override(name, _instant(starts, tz), _instant(ends, tz), rt.clock())
        starts_at, ends_at = made.starts_at.astimezone(tz), made.ends_at.astimezone(tz)
        click.echo(f"{made.engineer.name} on duty from {starts_at:%a %d %b %Y %H:%M} "
                   f"to {ends_at:%a %d %b %Y %H:%M} (override {made.id})")
        for warning in change_warnings.override_warnings(made, tz):
            click.echo(f"warning: {warning}")

    @rota.command("override-remove")
    @click.argument("override_id", type=int)
    @with_app
    def rota_override_remove(override_id):
        """Remove the override OVERRIDE_ID (its id from `rota override` or `rota show --json`)."""
        overrides.remove_override(override_id)
        click.echo(f"override {override_id} removed")

    @main.group("absence")
    def absence():
        """Leave and other absences."""

    @absence.command("add")
    @click.argument("name")
    @click.option("--from", "starts", required=True, help="first day (or ISO date-time)")
    @click.option("--to", "ends", required=True, help="last day, included (or ISO date-time)")
    @click.option("--reason", default="")
    @with_app
    def absence_add(name, starts, ends, reason):
        """Record NAME as away from --from to --to."""
        rt = runtime()
        tz = rt.settings.tz
        made = absences.add_absence(name, _day_or_instant(starts, tz), _day_or_instant(ends, tz),
                                    rt.settings, rt.clock(), reason)
        click.echo(f"{made.engineer.name} absent: "
                   f"{absences.absence_as_dict(made, tz)['local']}")

    @absence.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @click.option("--all", "show_all", is_flag=True, help="past absences too")
    @with_app
    def absence_list(as_json, show_all):
        """Absences not yet over (all of them with --all)."""
        rt = runtime()
        rows = [absences.absence_as_dict(a, rt.settings.tz)
                for a in absences.list_absences(None if show_all else rt.clock())]
        emit(rows, as_json, lambda r: f"{r['engineer']:<20} {r['local']}  {r['reason']}")

    @absence.command("import")
    @click.argument("name")
    @click.argument("source")
    @with_app
    def absence_import(name, source):
        """Replace NAME's absences from an iCalendar FILE or URL with its events."""
        from rota.ical_import import import_absences

        rt = runtime()
        count = import_absences(name, source, rt.settings, rt.clock())
        click.echo(f"{count} absences imported for {name} from {source}")


def _print_counts(year, month, settings):
    """Per engineer: primary and backup duties this month, weeknights, weekends and holidays."""
    for name, person in counts.month_counts(year, month, settings).items():
        click.echo(f"  {name:<20} {counts.describe_counts(person)}")
