"""The kinds of value a team setting takes: how each is read from TOML, its one-line error
messages (naming the key), and the words that say what it accepts (README, errors alike)."""

import re
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from dutyline.holidays import UnknownRegion, check_region
from dutyline.phones import InvalidNumber, to_e164
from dutyline.plain_text import first_unprintable

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SettingsError(ValueError):
    """A settings value that cannot be used; the message names the key."""


def alternatives(words):
    """'"a" or "b"', or 'one of "a", "b", "c"'."""
    quoted = [f'"{word}"' for word in words]
    if len(quoted) == 2:
        return " or ".join(quoted)
    return f"one of {', '.join(quoted)}"


class Kind:
    """A kind of value: `accepts` says what it takes (in errors), `summary` the range or the
    choices (in README, when the help does not say them), `read(raw, key)` checks and
    converts."""

    python_type = object
    accepts = ""
    summary = None

    def refuse(self, raw, key):
        return SettingsError(f"{key}: expected {self.accepts}, got {raw!r}")


class Whole(Kind):
    python_type = int

    def __init__(self, low, high):
        self.low, self.high = low, high
        self.accepts = self.summary = f"{low} to {high}"

    def read(self, raw, key):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise SettingsError(f"{key}: expected a whole number, got {raw!r}")
        if not self.low <= raw <= self.high:
            raise SettingsError(f"{key}: must be between {self.low} and {self.high}, got {raw}")
        return raw


class Share(Kind):
    """A share between `low` and `high`, written as a decimal (0.98)."""

    python_type = float

    def __init__(self, low, high):
        self.low, self.high = low, high
        self.accepts = self.summary = f"{low} to {high}"

    def read(self, raw, key):
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise SettingsError(f"{key}: expected a share such as 0.98, got {raw!r}")
        if not self.low <= raw <= self.high:
            raise SettingsError(f"{key}: must be between {self.low} and {self.high}, got {raw}")
        return float(raw)


class Flag(Kind):
    python_type = bool
    accepts = "true or false"

    def read(self, raw, key):
        if not isinstance(raw, bool):
            raise self.refuse(raw, key)
        return raw


class Choice(Kind):
    """One of some words; `by_position`: any case, read as the word's position (weekdays)."""

    python_type = str

    def __init__(self, words, by_position=False):
        self.words, self.by_position = tuple(words), by_position
        self.accepts = self.summary = alternatives(self.words)
        if by_position:
            self.python_type = int

    def read(self, raw, key):
        word = raw.strip().lower() if self.by_position and isinstance(raw, str) else raw
        if not isinstance(word, str) or word not in self.words:
            raise self.refuse(raw, key)
        return self.words.index(word) if self.by_position else word


class Text(Kind):
    """Text, trimmed: non-empty unless `may_be_empty`, and matching `pattern` when given
    (`such_as` then says what it takes)."""

    python_type = str

    def __init__(self, pattern=None, such_as=None, may_be_empty=False):
        self.pattern, self.may_be_empty = pattern, may_be_empty
        self.accepts = such_as or ('text ("" for none)' if may_be_empty else "non-empty text")
        self.summary = '"" for none' if may_be_empty else None

    def read(self, raw, key):
        if not isinstance(raw, str) or not (raw.strip() or self.may_be_empty):
            raise self.refuse(raw, key)
        text = raw.strip()
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise self.refuse(text, key)
        return text


class Zone(Kind):
    python_type = str
    accepts = "a time zone such as Europe/London"

    def read(self, raw, key):
        if not isinstance(raw, str):
            raise self.refuse(raw, key)
        try:
            ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"{key}: unknown time zone {raw!r}") from exc
        return raw


class HolidayRegion(Kind):
    python_type = str
    accepts = 'a country[-subdivision] of the holidays package such as "GB-ENG", or ""'

    def read(self, raw, key):
        if not isinstance(raw, str):
            raise self.refuse(raw, key)
        try:
            check_region(raw)
        except UnknownRegion as exc:
            raise SettingsError(f"{key}: {exc}") from exc
        return raw


class PhoneRegion(Kind):
    """A region phonenumbers knows (GB, IE, DE, ...): "UK" would make every local number fail."""

    python_type = str
    accepts = "a two-letter code such as GB, IE or DE"

    def read(self, raw, key):
        if not isinstance(raw, str) or not raw.strip():
            raise self.refuse(raw, key)
        region = raw.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            hint = " (the United Kingdom is GB)" if region == "UK" else ""
            raise SettingsError(f"{key}: unknown region {region!r}{hint}; expected "
                                f"{self.accepts}")
        return region


class Contacts(Kind):
    """A list of phone numbers and e-mail addresses, such as a team's managers: an entry
    holding "@" is an address, any other a number. `read` checks the list and the addresses;
    the numbers are read by `in_region`, once the settings' phone_region is known."""

    python_type = tuple
    accepts = 'a list of phone numbers and e-mail addresses such as ["+447911123499", ' \
              '"mia@example.com"]'
    ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

    def read(self, raw, key):
        if not isinstance(raw, list):
            raise self.refuse(raw, key)
        entries = []
        for item in raw:
            text = item.strip() if isinstance(item, str) else None
            if not text or first_unprintable(text):
                raise SettingsError(f"{key}: not a phone number or e-mail address: {item!r}")
            if "@" in text and not self.ADDRESS.fullmatch(text):
                raise SettingsError(f"{key}: not an e-mail address: {text!r}")
            entries.append(text)
        return tuple(entries)

    @staticmethod
    def in_region(entries, region, key):
        """`entries` with every number in E.164, read as in `region` (the phone_region of
        the same settings), each entry once; SettingsError naming a number that is not
        one."""
        read = []
        for entry in entries:
            try:
                read.append(entry if "@" in entry else to_e164(entry, region))
            except InvalidNumber as exc:
                raise SettingsError(f"{key}: {exc}") from exc
        return tuple(dict.fromkeys(read))


def read_clock(text, key):
    """'HH:MM' as a time; '24:00' (the end of a day) as None."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(text).strip())
    if not match:
        raise SettingsError(f"{key}: expected HH:MM, got {text!r}")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24 and minute == 0:
        return None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise SettingsError(f"{key}: not a time of day: {text!r}")
    return time(hour, minute)


class Clock(Kind):
    python_type = time
    accepts = "a time of day, HH:MM"

    def read(self, raw, key):
        clock = read_clock(raw, key)
        if clock is None:
            raise SettingsError(f"{key}: use 00:00 rather than 24:00")
        return clock


class Dates(Kind):
    python_type = frozenset
    accepts = 'a list of dates such as ["2026-12-24"]'

    def read(self, raw, key):
        if not isinstance(raw, list):
            raise self.refuse(raw, key)
        days = set()
        for item in raw:
            try:
                days.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
            except ValueError as exc:
                raise SettingsError(f"{key}: not a date: {item!r}") from exc
        return frozenset(days)


def read_windows(text, key):
    """'08:00-12:00, 13:00-17:30' -> ((08:00, 12:00), (13:00, 17:30)); '24:00' ends a day."""
    windows = []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if "-" not in part:
            raise SettingsError(f"{key}: expected HH:MM-HH:MM, got {part!r}")
        start_text, end_text = part.split("-", 1)
        start, end = read_clock(start_text, key), read_clock(end_text, key)
        if start is None:
            raise SettingsError(f"{key}: a window cannot start at 24:00")
        if end is not None and end <= start:
            raise SettingsError(f"{key}: window {part!r} ends before it starts")
        windows.append((start, end or time.max))
    return tuple(windows)


class WeeklyHours(Kind):
    """A table of weekdays, each 'HH:MM-HH:MM[, ...]': weekday index (0 = Monday) -> windows."""

    python_type = dict
    accepts = f"a table of weekdays ({', '.join(WEEKDAYS)})"

    def read(self, raw, key):
        if not isinstance(raw, dict):
            raise self.refuse(raw, key)
        hours = {}
        for day, text in raw.items():
            if day not in WEEKDAYS:
                raise SettingsError(f"{key}.{day}: not a weekday (use {', '.join(WEEKDAYS)})")
            hours[WEEKDAYS.index(day)] = read_windows(text, f"{key}.{day}")
        return hours
