"""Team settings from a TOML file, checked once at start."""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from dutyline.holidays import UnknownRegion, check_region

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_HOURS = {day: "08:00-18:00" for day in WEEKDAYS[:5]}


KNOWN_KEYS = ("timezone", "holidays", "closed", "ring_seconds", "hunt_rounds", "max_wait_seconds",
              "greeting", "out_of_hours_greeting", "language", "voice", "handover",
              "phone_region", "team_name", "backup", "period", "week_start", "hours",
              "service_level_seconds", "short_abandon_seconds", "hunt", "overlap_seconds",
              "backup_after_seconds", "text_commands", "withheld_callers",
              "escalate_after_minutes")


class SettingsError(ValueError):
    """A settings value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Settings:
    timezone: str = "Europe/London"
    holidays: str = "GB-ENG"
    # weekday index (0 = Monday) -> tuple of (start, end) local times
    hours: dict = field(default_factory=dict)
    closed: frozenset = frozenset()
    ring_seconds: int = 15
    hunt_rounds: int = 1
    max_wait_seconds: int = 90
    # short: every second of speech is a second the caller waits (about 1.5 s at Polly's pace)
    greeting: str = "Connecting you to support."
    out_of_hours_greeting: str = "Connecting you to the engineer on duty."
    language: str = "en-GB"
    voice: str = "Polly.Amy"
    handover: time = time(18, 0)
    phone_region: str = "GB"
    team_name: str = "Support"
    backup: bool = False  # generation fills a backup for every duty period too
    period: str = "day"  # length of a duty period: "day" or "week"
    week_start: int = 0  # weekday index (0 = Monday) weekly periods start on
    service_level_seconds: int = 12  # the call statistics' "answered within" threshold
    short_abandon_seconds: int = 5  # a caller hanging up this soon is not an offered call
    hunt: str = "sequential"  # "sequential": one engineer at a time; "overlap": see overlap_seconds
    overlap_seconds: int = 6  # overlap: the next engineer rings too after this long
    backup_after_seconds: int | None = None  # overlap out of hours; None: primary, then backup
    text_commands: bool = True  # engineers' texts (ON, OFF, TAKE, ACK) may change things
    # out of hours, a caller who withholds the number is taken as an "unknown" caller
    # (straight to the duty engineer) or as "core-hours" (press 1 for an emergency)
    withheld_callers: str = "unknown"
    # out of hours, a voicemail ticket nobody acknowledged is called through after this long
    # (duty engineer, backup, managers, this long apart); 0: never
    escalate_after_minutes: int = 15

    @property
    def period_days(self):
        """Length of one duty period in local days."""
        return 7 if self.period == "week" else 1

    @property
    def tz(self):
        return ZoneInfo(self.timezone)


def _parse_clock(text, key):
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(text).strip())
    if not match:
        raise SettingsError(f"{key}: expected HH:MM, got {text!r}")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24 and minute == 0:
        return None  # end of day
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise SettingsError(f"{key}: not a time of day: {text!r}")
    return time(hour, minute)


def _parse_windows(text, key):
    """'08:00-12:00, 13:00-17:30' -> ((08:00, 12:00), (13:00, 17:30)); '24:00' ends a day."""
    windows = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if "-" not in part:
            raise SettingsError(f"{key}: expected HH:MM-HH:MM, got {part!r}")
        start_text, end_text = part.split("-", 1)
        start = _parse_clock(start_text, key)
        end = _parse_clock(end_text, key)
        if start is None:
            raise SettingsError(f"{key}: a window cannot start at 24:00")
        if end is not None and end <= start:
            raise SettingsError(f"{key}: window {part!r} ends before it starts")
        windows.append((start, end or time.max))
    return tuple(windows)


def _int(raw, key, low, high):
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise SettingsError(f"{key}: expected a whole number, got {raw!r}")
    if not low <= raw <= high:
        raise SettingsError(f"{key}: must be between {low} and {high}, got {raw}")
    return raw


def _text(raw, key):
    if not isinstance(raw, str) or not raw.strip():
        raise SettingsError(f"{key}: expected non-empty text")
    return raw.strip()


def parse_settings(data):
    """Build Settings from a mapping as read from TOML; raise SettingsError naming the bad key."""
    data = dict(data)
    values = {}
    if "timezone" in data:
        name = data.pop("timezone")
        try:
            ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"timezone: unknown time zone {name!r}") from exc
        values["timezone"] = str(name)
    if "holidays" in data:
        region = data.pop("holidays")
        if not isinstance(region, str):
            raise SettingsError("holidays: expected text such as \"GB-ENG\" or \"\"")
        try:
            check_region(region)
        except UnknownRegion as exc:
            raise SettingsError(f"holidays: {exc}") from exc
        values["holidays"] = region
    hours_raw = data.pop("hours", DEFAULT_HOURS)
    if not isinstance(hours_raw, dict):
        raise SettingsError("hours: expected a table of weekdays")
    hours = {}
    for day, text in hours_raw.items():
        if day not in WEEKDAYS:
            raise SettingsError(f"hours.{day}: not a weekday (use {', '.join(WEEKDAYS)})")
        hours[WEEKDAYS.index(day)] = _parse_windows(text, f"hours.{day}")
    values["hours"] = hours
    if "closed" in data:
        raw = data.pop("closed")
        if not isinstance(raw, list):
            raise SettingsError("closed: expected a list of dates")
        days = set()
        for item in raw:
            try:
                days.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
            except ValueError as exc:
                raise SettingsError(f"closed: not a date: {item!r}") from exc
        values["closed"] = frozenset(days)
    if "ring_seconds" in data:
        values["ring_seconds"] = _int(data.pop("ring_seconds"), "ring_seconds", 5, 120)
    if "hunt_rounds" in data:
        values["hunt_rounds"] = _int(data.pop("hunt_rounds"), "hunt_rounds", 1, 5)
    if "max_wait_seconds" in data:
        values["max_wait_seconds"] = _int(data.pop("max_wait_seconds"), "max_wait_seconds", 10, 900)
    for key in ("greeting", "out_of_hours_greeting"):
        if key in data:  # may be empty: no greeting at all
            raw = data.pop(key)
            if not isinstance(raw, str):
                raise SettingsError(f"{key}: expected text (\"\" for none)")
            values[key] = raw.strip()
    if "team_name" in data:
        values["team_name"] = _text(data.pop("team_name"), "team_name")
    if "language" in data:
        language = _text(data.pop("language"), "language")
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
            raise SettingsError(f"language: expected a tag such as en-GB, got {language!r}")
        values["language"] = language
    if "voice" in data:
        voice = _text(data.pop("voice"), "voice")
        if not re.fullmatch(r"[A-Za-z]+(\.[A-Za-z0-9-]+)?", voice):
            raise SettingsError(f"voice: expected a Twilio voice such as Polly.Amy, got {voice!r}")
        values["voice"] = voice
    if "handover" in data:
        handover = _parse_clock(data.pop("handover"), "handover")
        if handover is None:
            raise SettingsError("handover: use 00:00 rather than 24:00")
        values["handover"] = handover
    if "phone_region" in data:
        values["phone_region"] = _phone_region(data.pop("phone_region"))
    for key, high in (("service_level_seconds", 600), ("short_abandon_seconds", 60)):
        if key in data:
            values[key] = _int(data.pop(key), key, 0 if key == "short_abandon_seconds" else 1,
                               high)
    values.update(_parse_rota_keys(data))
    values.update(_parse_hunt_keys(data))
    values.update(_parse_line_keys(data))
    if data:
        raise SettingsError(f"{sorted(data)[0]}: unknown setting (the settings are "
                            f"{', '.join(KNOWN_KEYS)})")
    return Settings(**values)


def _phone_region(raw):
    """A region phonenumbers knows (GB, IE, DE, ...): "UK" would make every local number fail."""
    region = _text(raw, "phone_region").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        hint = " (the United Kingdom is GB)" if region == "UK" else ""
        raise SettingsError(f"phone_region: unknown region {region!r}{hint}; expected a "
                            "two-letter code such as GB, IE or DE")
    return region


def _parse_rota_keys(data):
    """The rota keys (backup, period, week_start), popped from `data`."""
    values = {}
    if "backup" in data:
        raw = data.pop("backup")
        if not isinstance(raw, bool):
            raise SettingsError(f"backup: expected true or false, got {raw!r}")
        values["backup"] = raw
    if "period" in data:
        raw = data.pop("period")
        if raw not in ("day", "week"):
            raise SettingsError(f"period: expected \"day\" or \"week\", got {raw!r}")
        values["period"] = raw
    if "week_start" in data:
        raw = data.pop("week_start")
        if not isinstance(raw, str) or raw.strip().lower() not in WEEKDAYS:
            raise SettingsError(f"week_start: expected one of {', '.join(WEEKDAYS)}, got {raw!r}")
        values["week_start"] = WEEKDAYS.index(raw.strip().lower())
    return values


HUNT_STRATEGIES = ("sequential", "overlap")


def _parse_hunt_keys(data):
    """The hunt strategy keys (hunt, overlap_seconds, backup_after_seconds), popped from `data`."""
    values = {}
    if "hunt" in data:
        raw = data.pop("hunt")
        if raw not in HUNT_STRATEGIES:
            raise SettingsError(f"hunt: expected \"sequential\" or \"overlap\", got {raw!r}")
        values["hunt"] = raw
    if "overlap_seconds" in data:
        values["overlap_seconds"] = _int(data.pop("overlap_seconds"), "overlap_seconds", 1, 120)
    if "backup_after_seconds" in data:
        values["backup_after_seconds"] = _int(data.pop("backup_after_seconds"),
                                              "backup_after_seconds", 0, 120)
    return values


def _parse_line_keys(data):
    """The keys of what the support line accepts (text_commands, withheld_callers), popped
    from `data`."""
    values = {}
    if "text_commands" in data:
        raw = data.pop("text_commands")
        if not isinstance(raw, bool):
            raise SettingsError(f"text_commands: expected true or false, got {raw!r}")
        values["text_commands"] = raw
    if "withheld_callers" in data:
        raw = data.pop("withheld_callers")
        if raw not in ("unknown", "core-hours"):
            raise SettingsError(f"withheld_callers: expected \"unknown\" or \"core-hours\", "
                                f"got {raw!r}")
        values["withheld_callers"] = raw
    if "escalate_after_minutes" in data:
        values["escalate_after_minutes"] = _int(data.pop("escalate_after_minutes"),
                                                "escalate_after_minutes", 0, 240)
    return values


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
