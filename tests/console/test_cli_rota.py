"""The rota and absence commands: output, exit codes, and errors that change nothing."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
import responses
from click.testing import CliRunner

from console.main import main
from rota.models import Absence, DutyPeriod, Engineer, Override
from tests.conftest import ADDED_AT, app_info

ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//leave//EN
BEGIN:VEVENT
UID:summer@example.com
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261214
DTEND;VALUE=DATE:20261219
SUMMARY:Annual leave
END:VEVENT
BEGIN:VEVENT
UID:dentist@example.com
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/London:20261203T140000
DTEND;TZID=Europe/London:20261203T160000
SUMMARY:Dentist
END:VEVENT
BEGIN:VEVENT
UID:choir@example.com
DTSTAMP:20261101T000000Z
DTSTART:20261202T190000Z
DTEND:20261202T210000Z
RRULE:FREQ=WEEKLY;COUNT=3
EXDATE:20261209T190000Z
SUMMARY:Choir
END:VEVENT
BEGIN:VEVENT
UID:off@example.com
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261224
STATUS:CANCELLED
SUMMARY:Called off
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def cli(app):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), obj=app_info(app),
                             catch_exceptions=False)

    return run


@pytest.fixture
def team(make_engineer):
    return [make_engineer(n) for n in ("Ben Smith", "Tobi Jones", "Asha Patel", "Chris Wong")]


def state(db):
    """Everything the rota commands could change, to compare before and after."""
    return ([(p.day, p.primary_id, p.backup_id, p.updated_at) for p in DutyPeriod.select()],
            [(o.engineer_id, o.starts_at, o.ends_at) for o in Override.select()],
            [(a.engineer_id, a.starts_at, a.ends_at) for a in Absence.select()])


def test_generate_show_check(cli, team, db):
    result = cli("rota", "generate", "2026-12")
    assert result.exit_code == 0, result.output
    assert "31 periods, 31 places filled" in result.output
    shown = json.loads(cli("rota", "show", "2026-12", "--json").output)
    assert len(shown["periods"]) == 31 and all(p["primary"] for p in shown["periods"])
    checked = cli("rota", "check", "2026-12", "--json")
    assert checked.exit_code == 0 and json.loads(checked.output)["ok"] is True
    text = cli("rota", "show", "2026-12").output.splitlines()
    assert text[0].split() == ["duty", "period", "primary", "backup"]
    assert text[1].startswith("Tue 01 Dec 18:00 to Wed 02 Dec 18:00")
    saturday = next(line for line in text if line.startswith("Sat 05 Dec 18:00"))
    assert saturday.split()[9] == "*"  # a weekend period, marked as the legend says
    assert text[-1] == "* a weekend or public holiday period   - nobody (a gap, see rota check)"


def test_check_fails_after_absence_and_generate_mends_it(cli, team, db):
    cli("rota", "generate", "2026-12")
    on_duty = DutyPeriod.get(DutyPeriod.day == date(2026, 12, 9)).primary.name
    added = cli("absence", "add", on_duty, "--from", "2026-12-09", "--to", "2026-12-09",
                "--reason", "sick")
    assert added.exit_code == 0, added.output
    failed = cli("rota", "check", "2026-12")
    assert failed.exit_code == 1 and f"{on_duty} is primary" in failed.output
    assert cli("rota", "generate", "2026-12").exit_code == 0
    assert cli("rota", "check", "2026-12").exit_code == 0


def test_swap_and_override_commands(cli, team, db):
    cli("rota", "generate", "2026-12")
    first = DutyPeriod.get(DutyPeriod.day == date(2026, 12, 3)).primary_id
    second = DutyPeriod.get(DutyPeriod.day == date(2026, 12, 10)).primary_id
    assert cli("rota", "swap", "2026-12-03", "2026-12-10").exit_code == 0
    assert DutyPeriod.get(DutyPeriod.day == date(2026, 12, 3)).primary_id == second
    assert DutyPeriod.get(DutyPeriod.day == date(2026, 12, 10)).primary_id == first
    made = cli("rota", "override", "Tobi Jones", "--from", "2026-12-04T21:00",
               "--to", "2026-12-05T02:00")
    assert made.exit_code == 0, made.output
    assert "Tobi Jones on duty from Fri 04 Dec 2026 21:00 to Sat 05 Dec 2026 02:00" in made.output
    shown = json.loads(cli("rota", "show", "2026-12", "--json").output)
    assert [o["engineer"] for o in shown["overrides"]] == ["Tobi Jones"]
    text = cli("rota", "show", "2026-12").output.splitlines()
    override_id = shown["overrides"][0]["id"]
    assert text[-2].split() == ["id", "engineer", "from", "to"]
    assert text[-1].split() == [str(override_id), "Tobi", "Jones", "Fri", "04", "Dec", "21:00",
                                "Sat", "05", "Dec", "02:00"]
    removed = cli("rota", "override-remove", str(override_id))
    assert removed.exit_code == 0, removed.output
    assert json.loads(cli("rota", "show", "2026-12", "--json").output)["overrides"] == []
    again = cli("rota", "override-remove", str(override_id))
    assert again.exit_code != 0 and f"no override with id {override_id}" in again.output


def test_engineer_set_renames_and_changes_numbers(cli, team, db):
    changed = cli("engineer", "set", "Tobi Jones", "--name", "Tobi Evans",
                  "--mobile", "07911 123456")
    assert changed.exit_code == 0, changed.output
    tobi = Engineer.get(Engineer.name == "Tobi Evans")
    assert tobi.mobile == "+447911123456"
    assert tobi.updated_at is not None and tobi.updated_at > ADDED_AT
    taken = cli("engineer", "set", "Tobi Evans", "--name", "ben smith")
    assert taken.exit_code != 0 and "already exists" in taken.output


ERRORS = [
    # command                                                                  says
    (["rota", "generate", "2026-13"],                                           "not a month"),
    (["rota", "generate", "December"],                                          "not a month"),
    (["rota", "check", "2026-1"],                                               "not a month"),
    (["rota", "swap", "2026-12-03", "2026-12-32"],                         "there is no such day"),
    (["rota", "swap", "2026-12-03", "2027-05-01"],                              "no duty period"),
    (["rota", "override", "Nobody", "--from", "2026-12-04T21:00", "--to", "2026-12-05T02:00"],
     "unknown engineer"),
    (["rota", "override", "Ben Smith", "--from", "tonight", "--to", "2026-12-05T02:00"],
     "not an ISO-8601"),
    (["rota", "override", "Ben Smith", "--from", "2026-12-05T02:00", "--to", "2026-12-04T21:00"],
     "ends"),
    (["absence", "add", "Nobody", "--from", "2026-12-01", "--to", "2026-12-02"], "unknown engineer"),
    (["absence", "add", "Ben Smith", "--from", "2026-12-05", "--to", "2026-12-01"], "ends"),
    (["absence", "add", "Ben Smith", "--from", "2026-02-30", "--to", "2026-03-01"],
     "there is no such day"),
    (["absence", "import", "Nobody", "leave.ics"],                              "unknown engineer"),
    (["absence", "import", "Ben Smith", "/nonexistent/leave.ics"],              "cannot read"),
]


@pytest.mark.parametrize("args, says", ERRORS)
def test_errors_exit_non_zero_in_one_line_and_change_nothing(cli, team, db, args, says):
    cli("rota", "generate", "2026-12")
    before = state(db)
    result = cli(*args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.output
    assert state(db) == before


def test_absence_import_from_a_file(cli, team, db, tmp_path, clock):
    clock.set(datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    path = tmp_path / "leave.ics"
    path.write_bytes(ICS)
    result = cli("absence", "import", "Tobi Jones", str(path))
    assert result.exit_code == 0, result.output
    assert "4 absences imported" in result.output
    listed = json.loads(cli("absence", "list", "--json").output)
    assert [(a["engineer"], a["reason"], a["local"]) for a in listed] == [
        ("Tobi Jones", "Choir", "Wed 02 Dec 2026 19:00 to Wed 02 Dec 2026 21:00"),
        ("Tobi Jones", "Dentist", "Thu 03 Dec 2026 14:00 to Thu 03 Dec 2026 16:00"),
        ("Tobi Jones", "Annual leave", "Mon 14 Dec 2026 00:00 to Sat 19 Dec 2026 00:00"),
        ("Tobi Jones", "Choir", "Wed 16 Dec 2026 19:00 to Wed 16 Dec 2026 21:00"),
    ]
    # importing again replaces, never doubles
    assert cli("absence", "import", "Tobi Jones", str(path)).exit_code == 0
    assert Absence.select().count() == 4


@responses.activate
def test_absence_import_from_a_url(cli, team, db, clock):
    clock.set(datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    responses.add(responses.GET, "https://calendar.example.com/tobi.ics", body=ICS,
                  content_type="text/calendar")
    responses.add(responses.GET, "https://calendar.example.com/gone.ics", status=404)
    assert cli("absence", "import", "Tobi Jones",
               "https://calendar.example.com/tobi.ics").exit_code == 0
    assert Absence.select().count() == 4
    failed = cli("absence", "import", "Tobi Jones", "https://calendar.example.com/gone.ics")
    assert failed.exit_code == 1 and "cannot fetch" in failed.output
    assert Absence.select().count() == 4


def test_generate_says_when_there_are_too_few_engineers(cli, make_engineer, db):
    make_engineer("Solo Person")
    result = cli("rota", "generate", "2026-12")
    assert result.exit_code == 0
    assert "warning: too few engineers (1)" in result.output


def test_generate_reports_roles_and_kinds_and_swap_warns(cli, team, db):
    result = cli("rota", "generate", "2026-12")
    lines = [line.strip() for line in result.output.splitlines()]
    assert "warning: the month's first hours (Tue 01 Dec 00:00 to Tue 01 Dec 08:00) belong " \
           "to a period of the month before that has nobody on duty" in lines
    rows = [line for line in lines if line.startswith(("Ben Smith", "Tobi Jones"))]
    assert len(rows) == 2 and all("primary: weeknights" in r and ", holidays " in r for r in rows)
    first = DutyPeriod.get(DutyPeriod.day == date(2026, 12, 2))
    (DutyPeriod.update(primary=first.primary_id)
     .where(DutyPeriod.day == date(2026, 12, 10)).execute())
    swapped = cli("rota", "swap", "2026-12-03", "2026-12-10")
    assert swapped.exit_code == 0
    name = first.primary.name
    assert f"warning: {name} is now on back-to-back periods (Wed 02 Dec, Thu 03 Dec)" \
        in swapped.output
    checked = cli("rota", "check", "2026-12")
    assert checked.exit_code == 1 and f"{name} is on back-to-back periods from Wed 02 Dec" \
        in checked.output


@pytest.mark.parametrize("today", [datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc),
                                   datetime(2027, 3, 20, 10, 0, tzinfo=timezone.utc),
                                   datetime(2027, 10, 31, 23, 30, tzinfo=timezone.utc)])
def test_the_demo_rota_passes_its_own_check(cli, db, settings, today):
    """The demo's team and rota, as `dutyline demo` makes them: `rota check` finds nothing
    wrong in any of its months, last month's (where the demo's month of calls begins), this
    month's and next month's (no gap, nobody on two nights running)."""
    from console.demo import demo_data

    first, last = demo_data(settings, today)
    assert (first.month, last.month) == ((today.month - 2) % 12 + 1, today.month % 12 + 1)
    for month in (first, first + timedelta(days=40), last):
        checked = cli("rota", "check", f"{month:%Y-%m}")
        assert checked.exit_code == 0, checked.output
        assert checked.output == f"{month:%Y-%m}: ok\n"
