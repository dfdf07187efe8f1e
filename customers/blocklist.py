"""The block list: nuisance callers' numbers (a robocaller, a fax machine, a prank) that the
line answers with one short sentence and hangs up on, ringing nobody
(telephony.routing.Blocked); their calls are counted apart in the reports.

A block has a reason and may end: given a local date of the team's zone, it lasts until the
end of that day. Numbers are read as typed numbers are (dutyline.phones) and kept in E.164.
A withheld number ("anonymous", an empty From, their keypad spellings) is never blocked, so
a caller who withholds the number is never refused by accident; what cannot be read as a
number cannot be blocked either.
"""

from datetime import timedelta

from peewee import IntegrityError

from customers.models import BlockedNumber
from dutyline.db import database
from dutyline.ids import as_id
from dutyline.localtime import local_midnight
from dutyline.phones import InvalidNumber, is_withheld, to_e164
from dutyline.plain_text import plain

MAX_REASON = 200  # characters: a reason is a short note, shown on one line


class BlockError(ValueError):
    """A block list request that cannot be carried out; the message says why."""


def number_of(text, region):
    """The E.164 number `text` names; BlockError for a withheld or unreadable one."""
    raw = (text or "").strip()
    if is_withheld(raw):
        raise BlockError(f"a withheld number cannot be blocked ({raw!r}): callers who "
                         "withhold their number are never refused")
    try:
        number = to_e164(raw, region)
    except InvalidNumber as exc:
        raise BlockError(str(exc)) from None
    if is_withheld(number):  # a keypad spelling of "anonymous" that reads as a number
        raise BlockError(f"a withheld number cannot be blocked ({raw!r}): callers who "
                         "withhold their number are never refused")
    return number


def ends_at_of(day, tz):
    """The instant a block "until `day`" ends: the end of that local day in `tz`."""
    return local_midnight(day + timedelta(days=1), tz)


def until_of(ends_at, tz):
    """The local date a block's end closes (None for a block without an end)."""
    if ends_at is None:
        return None
    return ends_at.astimezone(tz).date() - timedelta(days=1)


def in_force(block, now):
    """True while the block refuses calls: it has no end, or its end is still to come."""
    return block.ends_at is None or now < block.ends_at


def _reason(text):
    reason = plain((text or "").strip(), "block reason", BlockError)
    if not reason:
        raise BlockError("a block needs a reason: say why the number is refused")
    if len(reason) > MAX_REASON:
        raise BlockError(f"the block reason is {len(reason)} characters long; at most "
                         f"{MAX_REASON}")
    return reason


def add_block(number, reason, settings, actor, now, until=None):
    """Block a number (in the settings' phone_region) until the end of the local date
    `until`, or until removed; `actor` is who asked. Returns the BlockedNumber.

    A number blocked already is refused; one whose block has ended is blocked afresh.
    """
    number = number_of(number, settings.phone_region)
    reason = _reason(reason)
    ends_at = None
    if until is not None:
        today = now.astimezone(settings.tz).date()
        if until < today:
            raise BlockError(f"a block until {until.isoformat()} would be over already "
                             f"(today is {today.isoformat()})")
        ends_at = ends_at_of(until, settings.tz)
    try:
        with database.atomic():
            found = BlockedNumber.get_or_none(BlockedNumber.number == number)
            if found is not None and in_force(found, now):
                raise BlockError(f"{number} is blocked already ({found.reason}); remove it "
                                 "first to change the block")
            if found is not None:  # an ended block: the new one takes its place
                found.delete_instance()
            return BlockedNumber.create(number=number, reason=reason, created_at=now,
                                        created_by=actor, ends_at=ends_at)
    except IntegrityError:  # blocked by someone else a moment ago
        raise BlockError(f"{number} is blocked already") from None


def remove_block(number, region):
    """Take a number off the block list; returns the BlockedNumber removed."""
    try:
        number = to_e164((number or "").strip(), region)
    except InvalidNumber as exc:
        raise BlockError(str(exc)) from None
    found = BlockedNumber.get_or_none(BlockedNumber.number == number)
    if found is None:
        raise BlockError(f"{number} is not on the block list")
    found.delete_instance()
    return found


def find_block(block_id):
    """The block with this id (as the web page names it), or None."""
    key = as_id(block_id)  # past the keys' range: names no block
    return BlockedNumber.get_or_none(BlockedNumber.id == key) if key else None


def list_blocks():
    """Every block, ended ones too, by number."""
    return list(BlockedNumber.select().order_by(BlockedNumber.number))


def describe(block, tz):
    """One line for the audit log and the messages: "+44… until 2026-12-24: reason"."""
    until = until_of(block.ends_at, tz)
    return (f"{block.number} until {until.isoformat() if until else 'removed'}: "
            f"{block.reason}")


def block_as_dict(block, tz, now):
    until = until_of(block.ends_at, tz)
    return {"id": block.id, "number": block.number, "reason": block.reason,
            "until": until.isoformat() if until else None,
            "ends_at": block.ends_at.isoformat() if block.ends_at else None,
            "in_force": in_force(block, now),
            "created_at": block.created_at.isoformat(), "created_by": block.created_by}
