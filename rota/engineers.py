"""Engineers: who they are, their numbers, and whether they take in-hours calls."""

from peewee import IntegrityError, fn

from dutyline.db import database
from dutyline.phones import to_e164
from rota.models import OFFICE, REMOTE, Engineer


class RotaError(ValueError):
    """A rota request that cannot be carried out; the message says why."""


class UnknownEngineer(RotaError):
    pass


class DuplicateEngineer(RotaError):
    pass


def find_engineer(name):
    """The active engineer with this name (case-insensitive), or UnknownEngineer."""
    engineer = (Engineer
                .select()
                .where(fn.LOWER(Engineer.name) == name.strip().lower(), Engineer.active)
                .first())
    if engineer is None:
        raise UnknownEngineer(f"unknown engineer: {name!r}")
    return engineer


def add_engineer(name, mobile, desk=None, email=None, region="GB", *, now):
    """Add an engineer at the end of the rotation; numbers are stored in E.164."""
    name = (name or "").strip()
    if not name:
        raise RotaError("an engineer needs a name")
    mobile = to_e164(mobile, region)
    desk = to_e164(desk, region) if desk else None
    if email is not None and "@" not in email:
        raise RotaError(f"not an e-mail address: {email!r}")
    with database.atomic():
        taken = (Engineer
                 .select()
                 .where(fn.LOWER(Engineer.name) == name.lower())
                 .exists())
        if taken:
            raise DuplicateEngineer(f"an engineer named {name!r} already exists")
        last = Engineer.select(fn.MAX(Engineer.rotation)).scalar() or 0
        try:
            return Engineer.create(name=name, mobile=mobile, desk=desk, email=email,
                                   rotation=last + 1, updated_at=now)
        except IntegrityError as exc:
            raise DuplicateEngineer(f"an engineer named {name!r} already exists") from exc


def list_engineers():
    """Active engineers in rotation order."""
    return list(Engineer
                .select()
                .where(Engineer.active)
                .order_by(Engineer.rotation, Engineer.id))


def update_engineer(name, now, new_name=None, mobile=None, desk=None, email=None, region="GB"):
    """Rename an engineer or change their numbers or e-mail; only the values given change."""
    engineer = find_engineer(name)
    changes = {}
    if new_name is not None:
        new_name = new_name.strip()
        if not new_name:
            raise RotaError("an engineer needs a name")
        changes["name"] = new_name
    if mobile is not None:
        changes["mobile"] = to_e164(mobile, region)
    if desk is not None:
        changes["desk"] = to_e164(desk, region) if desk else None
    if email is not None:
        if email and "@" not in email:
            raise RotaError(f"not an e-mail address: {email!r}")
        changes["email"] = email or None
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
            "email": engineer.email, "rotation": engineer.rotation,
            "signed_in": engineer.signed_in, "location": engineer.location}
