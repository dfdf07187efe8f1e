"""Engineers: who they are, their numbers, and whether they take in-hours calls."""

from peewee import IntegrityError, fn

from dutyline.db import database
from dutyline.phones import to_e164
from dutyline.plain_text import plain
from rota.models import FIRST_TEAM, OFFICE, REMOTE, DutyPeriod, Engineer, TeamMember


class RotaError(ValueError):
    """A rota request that cannot be carried out; the message says why."""


class UnknownEngineer(RotaError):
    pass


class DuplicateEngineer(RotaError):
    pass


class NumberTaken(RotaError):
    """A mobile or desk number another engineer already has (a text from it would be theirs)."""


def _check_numbers_free(numbers, engineer_id=None):
    """Refuse numbers an active engineer other than `engineer_id` already has."""
    for number in (n for n in numbers if n):
        query = (Engineer.select()
                 .where(Engineer.active, (Engineer.mobile == number) | (Engineer.desk == number)))
        if engineer_id is not None:
            query = query.where(Engineer.id != engineer_id)
        owner = query.first()
        if owner is not None:
            which = "mobile" if owner.mobile == number else "desk number"
            raise NumberTaken(f"{number} is already {owner.name}'s {which}")


def _check_email(email):
    plain(email, "e-mail address", RotaError)
    if "@" not in email:
        raise RotaError(f"not an e-mail address: {email!r}")


def find_engineer(name):
    """The active engineer with this name (case-insensitive), or UnknownEngineer."""
    engineer = (Engineer
                .select()
                .where(fn.LOWER(Engineer.name) == name.strip().lower(), Engineer.active)
                .first())
    if engineer is None:
        raise UnknownEngineer(f"unknown engineer: {name!r}")
    return engineer


def add_engineer(name, mobile, desk=None, email=None, *, region, now, team_id=FIRST_TEAM):
    """Add an engineer at the end of the rotation, one of the team `team_id`; numbers are
    stored in E.164."""
    name = plain((name or "").strip(), "engineer name", RotaError)
    if not name:
        raise RotaError("an engineer needs a name")
    mobile = to_e164(mobile, region)
    desk = to_e164(desk, region) if desk else None
    if email is not None:
        _check_email(email)
    with database.atomic():
        taken = (Engineer
                 .select()
                 .where(fn.LOWER(Engineer.name) == name.lower())
                 .exists())
        if taken:
            raise DuplicateEngineer(f"an engineer named {name!r} already exists")
        _check_numbers_free((mobile, desk))
        last = Engineer.select(fn.MAX(Engineer.rotation)).scalar() or 0
        try:
            engineer = Engineer.create(name=name, mobile=mobile, desk=desk, email=email,
                                       rotation=last + 1, updated_at=now)
            TeamMember.create(team=team_id, engineer=engineer.id)
            return engineer
        except IntegrityError as exc:
            raise DuplicateEngineer(f"an engineer named {name!r} already exists") from exc


def list_engineers(include_removed=False):
    """Active engineers in rotation order (the removed ones after them, when asked for)."""
    query = Engineer.select().order_by(~Engineer.active, Engineer.rotation, Engineer.id)
    return list(query if include_removed else query.where(Engineer.active))


def remove_engineer(name, *, now):
    """Take an engineer off the line: no longer hunted, rostered, on duty or texted.

    Their calls, tickets and past duty stay as they were. The duty periods that start
    from `now` on lose them, and become the gaps `rota check` reports. Returns the engineer
    and the number of periods that lost them.
    """
    engineer = find_engineer(name)
    with database.atomic():
        _write(engineer, now, active=False, signed_in=False)
        changed = 0
        for role in (DutyPeriod.primary, DutyPeriod.backup):
            changed += (DutyPeriod
                        .update({role: None, DutyPeriod.updated_at: now})
                        .where(role == engineer.id, DutyPeriod.starts_at >= now)
                        .execute())
    return engineer, changed


def coming_duties(engineer, now):
    """How many duty periods from `now` on have the engineer as primary or backup: the gaps
    their removal would leave."""
    return (DutyPeriod
            .select()
            .where((DutyPeriod.primary == engineer.id) | (DutyPeriod.backup == engineer.id),
                   DutyPeriod.starts_at >= now)
            .count())


def update_engineer(name, now, new_name=None, mobile=None, desk=None, email=None, *, region,
                    desk_connects=None):
    """Rename an engineer or change their numbers or e-mail; only the values given change.

    `desk_connects` (True or False): whether the desk phone connects the caller on pick-up,
    with no press-1 whisper. It needs a desk number; removing the desk number turns it off.
    """
    engineer = find_engineer(name)
    changes = {}
    if new_name is not None:
        new_name = plain(new_name.strip(), "engineer name", RotaError)
        if not new_name:
            raise RotaError("an engineer needs a name")
        changes["name"] = new_name
    if mobile is not None:
        changes["mobile"] = to_e164(mobile, region)
    if desk is not None:
        changes["desk"] = to_e164(desk, region) if desk else None
    if email is not None:
        if email:
            _check_email(email)
        changes["email"] = email or None
    desk_after = changes["desk"] if "desk" in changes else engineer.desk
    if desk_connects is not None:
        if desk_connects and not desk_after:
            raise RotaError(f"{engineer.name} has no desk number: set one with --desk first")
        changes["desk_connects"] = bool(desk_connects)
    if not desk_after:
        changes["desk_connects"] = False
    changes = {key: value for key, value in changes.items() if getattr(engineer, key) != value}
    if not changes:
        return engineer
    with database.atomic():
        if "name" in changes:
            taken = (Engineer
                     .select()
                     .where(fn.LOWER(Engineer.name) == changes["name"].lower(),
                            Engineer.id != engineer.id)
                     .exists())
            if taken:
                raise DuplicateEngineer(f"an engineer named {changes['name']!r} already exists")
        _check_numbers_free((changes.get("mobile"), changes.get("desk")), engineer.id)
        try:
            _write(engineer, now, **changes)
        except IntegrityError as exc:
            raise DuplicateEngineer(
                f"an engineer named {changes['name']!r} already exists") from exc
    return engineer


def _write(engineer, now, **changes):
    # every write stamps updated_at: the calendar feeds' change marker reads it
    changes["updated_at"] = now
    Engineer.update(**changes).where(Engineer.id == engineer.id).execute()
    for key, value in changes.items():
        setattr(engineer, key, value)


def set_signed_in(name, signed_in, *, now):
    """Join or leave in-hours hunting."""
    engineer = find_engineer(name)
    _write(engineer, now, signed_in=signed_in)
    return engineer


def set_location(name, location, *, now):
    """Office (ring the desk phone) or remote (ring the mobile)."""
    if location not in (OFFICE, REMOTE):
        raise RotaError(f"location must be {OFFICE} or {REMOTE}, not {location!r}")
    engineer = find_engineer(name)
    _write(engineer, now, location=location)
    return engineer


def engineer_as_dict(engineer):
    return {"name": engineer.name, "mobile": engineer.mobile, "desk": engineer.desk,
            "desk_connects": bool(engineer.desk_connects), "email": engineer.email,
            "rotation": engineer.rotation,
            "signed_in": engineer.signed_in, "location": engineer.location,
            "removed": not engineer.active}
