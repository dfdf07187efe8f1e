"""Lines: the Twilio numbers the service answers, each for a team or with a short choice.

A line belongs to a team, or offers the caller one choice first: one sentence, up to four
keys, each leading to a team or to a plain number, and the key taken after a few seconds
of silence. A call to a number with no line goes to the first team (rota.models.FIRST_TEAM),
as every call did before there were lines: a single-team installation needs none.
"""

import json
import re
from dataclasses import dataclass

from peewee import JOIN

from dutyline.phones import to_e164
from rota.models import FIRST_TEAM, Team
from telephony.models import Line

MAX_KEYS = 4
KEYS = "0123456789"
MENU_WAIT_SECONDS = (2, 10)  # the silence before the default key, fewest and most
MAX_SENTENCE = 160  # characters: about ten seconds of speech


class LineError(ValueError):
    """A line or menu that cannot be kept; the message says why, in one line."""


@dataclass(frozen=True)
class Choice:
    """Where a key leads: a team (its id and name) or a plain number."""

    team_id: int | None = None
    team_name: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class Menu:
    sentence: str
    keys: dict  # key -> Choice
    default: str
    wait_seconds: int

    def choice(self, digits):
        """Where the caller's key leads: the default for silence or a key not offered."""
        return self.keys.get(digits or "", self.keys[self.default])

    def as_json(self):
        return json.dumps({"sentence": self.sentence, "default": self.default,
                           "wait": self.wait_seconds,
                           "keys": {k: ({"team": c.team_id} if c.team_id is not None
                                        else {"number": c.number})
                                    for k, c in sorted(self.keys.items())}})


@dataclass(frozen=True)
class LineRoute:
    """What a call to a number reaches: its line (None: a number with no line), and its
    team, or its menu."""

    line_id: int | None
    team_id: int | None
    team_name: str | None
    menu: Menu | None = None


def route_for(number):
    """The route of a call to `number` (E.164 as Twilio posts it)."""
    row = (Line.select(Line.id, Line.team, Line.menu, Team.name.alias("team_name"))
           .join(Team, JOIN.LEFT_OUTER).where(Line.number == number).dicts().first())
    if row is None:
        return LineRoute(None, FIRST_TEAM, _first_team_name())
    if row["menu"]:
        return LineRoute(row["id"], None, None, _read_menu(row["menu"]))
    return LineRoute(row["id"], row["team"], row["team_name"])


def _first_team_name():
    team = Team.get_or_none(Team.id == FIRST_TEAM)
    return team.name if team is not None else None


def _read_menu(text):
    data = json.loads(text)
    names = {t.id: t.name for t in Team.select()}
    keys = {key: Choice(team_id=c["team"], team_name=names.get(c["team"]))
            if "team" in c else Choice(number=c["number"]) for key, c in data["keys"].items()}
    return Menu(data["sentence"], keys, data["default"], data["wait"])


def parse_menu(sentence, keys, default, wait_seconds, region, teams):
    """A Menu from what a manager typed: `keys` maps a key to a team's name or a number,
    `teams` a team's name (case folded) to its id. LineError names what is wrong."""
    sentence = " ".join((sentence or "").split())
    if not sentence:
        raise LineError("the menu needs its sentence, e.g. \"For support press 2, for "
                        "accounts press 1.\"")
    if len(sentence) > MAX_SENTENCE or len(re.findall(r"[.!?](\s|$)", sentence)) > 1:
        raise LineError(f"the menu is one sentence of at most {MAX_SENTENCE} characters")
    if not 1 <= len(keys) <= MAX_KEYS:
        raise LineError(f"a menu offers one to {MAX_KEYS} keys, not {len(keys)}")
    choices = {}
    for key, where in keys.items():
        if len(key) != 1 or key not in KEYS:
            raise LineError(f"{key!r}: a menu key is one digit, 0 to 9")
        if where.casefold() in teams:
            choices[key] = Choice(team_id=teams[where.casefold()], team_name=where)
            continue
        try:
            choices[key] = Choice(number=to_e164(where, region))
        except ValueError:
            raise LineError(f"key {key}: {where!r} is neither a team nor a phone number") from None
    if default not in choices:
        raise LineError(f"the default key {default!r} is not one of the keys "
                        f"{', '.join(sorted(choices))}")
    low, high = MENU_WAIT_SECONDS
    if not low <= wait_seconds <= high:
        raise LineError(f"the menu waits {low} to {high} seconds before the default key")
    return Menu(sentence, choices, default, wait_seconds)


def add_line(number, region, now, team=None, menu=None):
    """A new line: NUMBER answered for `team` (a rota Team) or with `menu` (a Menu)."""
    if (team is None) == (menu is None):
        raise LineError("a line belongs to a team or has a menu: one of the two")
    try:
        e164 = to_e164(number, region)
    except ValueError as exc:
        raise LineError(str(exc)) from None
    if Line.select().where(Line.number == e164).exists():
        raise LineError(f"{e164} is a line already: remove it first to change it")
    return Line.create(number=e164, team=team.id if team is not None else None,
                       menu=menu.as_json() if menu is not None else None, created_at=now)


def list_lines():
    """Every line, as (number, where it leads) in words."""
    rows = []
    for line in Line.select(Line, Team).join(Team, JOIN.LEFT_OUTER).order_by(Line.number):
        if line.menu:
            menu = _read_menu(line.menu)
            leads = "; ".join(f"{key}: {c.team_name or c.number}"
                              for key, c in sorted(menu.keys.items()))
            rows.append((line.number, f'menu "{menu.sentence}" ({leads}; silence: '
                                      f'{menu.default} after {menu.wait_seconds} s)'))
        else:
            rows.append((line.number, f"team {line.team.name}"))
    return rows


def remove_line(number, region):
    """Stop treating NUMBER as a line: its calls go to the first team again."""
    try:
        e164 = to_e164(number, region)
    except ValueError as exc:
        raise LineError(str(exc)) from None
    if not Line.delete().where(Line.number == e164).execute():
        raise LineError(f"{e164} is not a line")
    return e164
