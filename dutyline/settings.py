"""Team settings from a TOML file, checked once at start.

Every key is described once, in KEYS: its name, the kind of value it takes (the range or the
choices), its default as written in TOML, and one line of help. The Settings class, the
parsing, the error messages and README's settings block (console/reference_docs.py) all
come from there.
"""

import os
import tomllib
from dataclasses import dataclass, field, make_dataclass, replace
from zoneinfo import ZoneInfo

from dutyline.setting_kinds import (WEEKDAYS, Choice, Clock, Contacts, Dates, Flag,
                                    HolidayRegion, PhoneRegion, SettingsError, Share, Text,
                                    Whole, WeeklyHours, Zone)

__all__ = ("KEYS", "KNOWN_KEYS", "WEEKDAYS", "Key", "Settings", "SettingsError",
           "load_settings", "parse_settings", "settings_file")

DEFAULT_FILE = "dutyline.toml"  # read from the working directory when DUTYLINE_SETTINGS is unset


@dataclass(frozen=True)
class Key:
    """One team setting: `default` is written as in TOML (None: left out), `example` is
    what README shows for a key left out by default."""

    name: str
    kind: object  # a dutyline.setting_kinds.Kind
    default: object
    help: str
    example: object = None

    def value(self, raw):
        """The checked value of `raw` (as read from TOML) for Settings."""
        return self.kind.read(raw, self.name)


HUNT_STRATEGIES = ("target", "sequential", "overlap")

KEYS = (
    Key("timezone", Zone(), "Europe/London", "the team's time zone"),
    Key("holidays", HolidayRegion(), "GB-ENG", "whose public holidays close the office; \"\" for "
        "none"),
    Key("closed", Dates(), [], "extra closure days, e.g. [\"2026-12-24\"]"),
    Key("ring_seconds", Whole(5, 120), 15, "how long each engineer rings"),
    Key("hunt_rounds", Whole(1, 5), 1, "passes through the signed-in engineers"),
    Key("max_wait_seconds", Whole(10, 900), 90, "hunting stops once the caller has waited this "
        "long"),
    Key("greeting", Text(may_be_empty=True), "Connecting you to support.", "every word is a "
        "second the caller waits"),
    Key("out_of_hours_greeting", Text(may_be_empty=True),
        "Connecting you to the engineer on duty.", "the greeting out of hours"),
    Key("hunt", Choice(HUNT_STRATEGIES), "target", "as few phones as keep the service level, "
        "one engineer at a time, or overlapped: see Hunt strategies"),
    Key("service_level_target", Share(0.5, 0.999), 0.98, "target: the share of callers to reach "
        "within service_level_seconds"),
    Key("max_phones", Whole(1, 10), 3, "target: never more phones ringing at once"),
    Key("out_of_hours_service_level_seconds", Whole(1, 600), 20, "target out of hours: the "
        "caller is to be reached within this many seconds"),
    Key("overlap_seconds", Whole(1, 120), 6, "overlap: the next engineer rings too after this "
        "long"),
    Key("backup_after_seconds", Whole(0, 120), None, "overlap out of hours: the backup joins the "
        "primary after this long; left out, once the primary gave up", example=10),
    Key("language", Text(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a tag such as en-GB"), "en-GB",
        "the language of what the caller hears"),
    Key("voice", Text(r"[A-Za-z]+(\.[A-Za-z0-9-]+)?", "a Twilio voice such as Polly.Amy"),
        "Polly.Amy", "the voice that speaks it"),
    Key("handover", Clock(), "18:00", "daily duty handover, local time"),
    Key("phone_region", PhoneRegion(), "GB", "how numbers written without +country are read "
        "(GB, not UK)"),
    Key("team_name", Text(), "Support", "the calendar feeds' name (\"Support: duty rota\")"),
    Key("backup", Flag(), False, "rota generate fills a backup for every duty period too"),
    Key("period", Choice(("day", "week")), "day", "length of a duty period"),
    Key("week_start", Choice(WEEKDAYS, by_position=True), "mon", "the weekday weekly periods "
        "and the reports' weeks start on"),
    Key("service_level_seconds", Whole(1, 600), 12, "call statistics: \"answered within\" this "
        "many seconds"),
    Key("short_abandon_seconds", Whole(0, 60), 5, "a caller hanging up unanswered this soon is "
        "not offered"),
    Key("text_commands", Flag(), True, "engineers' texts (ON, OFF, TAKE, ACK) may change things"),
    Key("withheld_callers", Choice(("unknown", "core-hours")), "unknown", "how a withheld "
        "number is taken out of hours: as unknown, straight to duty, or as core-hours, through "
        "the gate"),
    Key("escalate_after_minutes", Whole(0, 240), 15, "out of hours a ticket nobody "
        "acknowledged is called through, a step this often; 0: never"),
    Key("ring_test_minutes", Whole(1, 60), 5, "the handover's ring test: not confirmed in this "
        "long, the backup and the managers are told"),
    Key("ring_test_opt_out", Flag(), False, "engineers may turn the handover's ring test off "
        "for themselves"),
    Key("managers", Contacts(), [], "the numbers and addresses warned of the team's rota gaps "
        "and absences, a call finding nobody on duty, a ring test not confirmed and a ticket "
        "nobody acknowledged after every escalation call (its last step rings the numbers); "
        "[]: MANAGER_NUMBERS and MANAGER_EMAILS"),
    Key("hours", WeeklyHours(), {day: "08:00-18:00" for day in WEEKDAYS[:5]},
        "office hours; a missing day is closed; a day may have several windows, "
        "\"08:00-12:00, 13:00-15:00\""),
)

KEY = {key.name: key for key in KEYS}
KNOWN_KEYS = tuple(KEY)


class _Derived:
    """What Settings work out from their values."""

    def __post_init__(self):
        # the managers' numbers are read in these settings' own phone_region (a team's table
        # may name either), so only once every key is known
        managers = Contacts.in_region(self.managers, self.phone_region, "managers")
        object.__setattr__(self, "managers", managers)

    @property
    def period_days(self):
        """Length of one duty period in local days."""
        return 7 if self.period == "week" else 1

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    def for_team(self, name):
        """The settings of the team called `name`: its table [teams."NAME"] over the
        top-level keys, or the top-level settings alone when it has none."""
        return self.teams.get(name.casefold(), self) if name else self

    def of_team(self, name, first):
        """A team's settings as its feeds, reports and pages show it: for_team(name), and
        the team's own name as `team_name` unless it is the installation's first team
        (`first`), whose name stays the settings' (its feed names unchanged by teams)."""
        settings = self.for_team(name)
        return settings if first or not name else replace(settings, team_name=name)


def _field(key):
    value = None if key.default is None else key.value(key.default)
    if isinstance(value, dict):
        return field(default_factory=lambda: dict(value))
    return field(default=value)


Settings = make_dataclass(
    "Settings", [(key.name, key.kind.python_type | None if key.default is None
                  else key.kind.python_type, _field(key)) for key in KEYS]
    + [("teams", dict, field(default_factory=dict, repr=False, compare=False))],
    bases=(_Derived,), frozen=True)
Settings.__module__ = __name__
Settings.__doc__ = """The team settings, checked (`parse_settings`): every field is a key of
KEYS, with its default. `hours` maps a weekday index (0 = Monday) to its (start, end) local
times, `week_start` is a weekday index, `closed` a frozenset of dates. `teams` maps a team's
name, case folded, to its own Settings (Settings.for_team)."""

TEAMS = "teams"  # the table of the teams' own settings: [teams."Network"]


def parse_settings(data):
    """Build Settings from a mapping as read from TOML; raise SettingsError naming the bad key.

    A table `teams` holds a table for each team that differs: its keys over the top-level
    ones (a team's greeting, hours, hunt, managers); the team is named as in `dutyline team
    add`. A team's own managers' numbers are read in its phone_region, the top-level ones in
    the top-level phone_region."""
    data = dict(data)
    tables = data.pop(TEAMS, {})
    top = _parse(data, "")
    if not isinstance(tables, dict) or any(not isinstance(t, dict) for t in tables.values()):
        raise SettingsError('teams: a table for each team, e.g. [teams."Network"]')
    # numbers are read where they are written: the top-level managers in the top-level
    # phone_region, even for a team with a region of its own
    inherited = {**data, "managers": list(top.managers)} if "managers" in data else data
    teams = {}
    for name, table in tables.items():
        if TEAMS in table:
            raise SettingsError(f"teams.{name}: a team's table cannot hold teams of its own")
        teams[name.casefold()] = _parse({**inherited, **table}, f"teams.{name}.")
    return replace(top, teams=teams)


def _parse(data, where):
    unknown = sorted(name for name in data if name not in KEY)
    if unknown:
        raise SettingsError(f"{where}{unknown[0]}: unknown setting (the settings are "
                            f"{', '.join(KNOWN_KEYS)})")
    try:
        return Settings(**{name: KEY[name].value(raw) for name, raw in data.items()})
    except SettingsError as exc:
        raise SettingsError(f"{where}{exc}") from None


def settings_file(named=None):
    """The settings file to read: the one named (DUTYLINE_SETTINGS), else dutyline.toml in the
    working directory when there is one, else None (the defaults)."""
    if named:
        return named
    return DEFAULT_FILE if os.path.exists(DEFAULT_FILE) else None


def load_settings(path=None):
    """Read and check the TOML settings file; no file gives the defaults."""
    if path is None:
        return parse_settings({})
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    return parse_settings(data)
