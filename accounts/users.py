"""Users of the web interface: add, find, list, remove, passwords."""

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from peewee import IntegrityError, fn

from accounts.models import ENGINEER, MANAGER, ROLES, SignInLink, User, WebSession
from dutyline.db import database
from rota.engineers import find_engineer
from rota.models import Team

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
_dummy = []  # a hash verified when there is no password, so both answers take as long


def _dummy_hash():
    if not _dummy:
        _dummy.append(_hasher.hash("not a password anyone has"))
    return _dummy[0]


class AccountError(ValueError):
    """An account request that cannot be carried out; the message says why."""


def normal_email(email):
    """The address as stored: trimmed and lower-case; AccountError when it is not one."""
    email = (email or "").strip().lower()
    if not EMAIL.fullmatch(email):
        raise AccountError(f"not an e-mail address: {email!r}")
    return email


def add_user(email, role, engineer_name=None, *, now, teams=()):
    """A new user; an engineer user names the engineer they are. `teams` (Team rows) limits
    a manager to those teams' pages; none: every team."""
    email = normal_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be {MANAGER} or {ENGINEER}, not {role!r}")
    engineer = None
    if role == ENGINEER:
        if not engineer_name:
            raise AccountError("an engineer user needs --engineer NAME")
        engineer = find_engineer(engineer_name)
    elif engineer_name:
        engineer = find_engineer(engineer_name)
    with database.atomic():
        if User.select().where(User.email == email).exists():
            raise AccountError(f"a user {email} already exists")
        try:
            return User.create(email=email, role=role, engineer=engineer, created_at=now,
                               teams=",".join(str(team.id) for team in teams) or None)
        except IntegrityError as exc:
            raise AccountError(f"a user {email} already exists") from exc


def find_user(email):
    """The user with this address, or AccountError."""
    user = get_user(email)
    if user is None:
        raise AccountError(f"no user {(email or '').strip().lower()}")
    return user


def get_user(email):
    """The user with this address, or None."""
    email = (email or "").strip().lower()
    return User.select().where(fn.LOWER(User.email) == email).first()


def list_users():
    """Every user, by address."""
    return list(User.select().order_by(User.email))


def remove_user(email):
    """Remove a user; their sessions and links end at once."""
    user = find_user(email)
    with database.atomic():
        WebSession.delete().where(WebSession.user == user.id).execute()
        SignInLink.delete().where(SignInLink.user == user.id).execute()
        User.delete().where(User.id == user.id).execute()
    return user


def set_teams(user, teams):
    """Limit the user to `teams` (Team rows) from now on; none: every team. Returns the user
    as stored."""
    ids = sorted({team.id for team in teams})
    User.update(teams=",".join(str(team) for team in ids) or None).where(
        User.id == user.id).execute()
    return User.get_by_id(user.id)


def team_names(user):
    """The names of the teams the user is limited to, the first team first; None: every team."""
    ids = user.team_ids()
    if ids is None:
        return None
    return [team.name for team in Team.select().where(Team.id.in_(ids)).order_by(Team.id)]


def set_password(user, password):
    """Give the user a password (argon2id); None or "" removes it."""
    if password and len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    user.password_hash = _hasher.hash(password) if password else None
    User.update(password_hash=user.password_hash).where(User.id == user.id).execute()


def check_password(user, password):
    """True when `password` is this user's; takes as long whether or not the user has one."""
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        _hasher.verify(stored or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def user_as_dict(user):
    return {"email": user.email, "role": user.role,
            "engineer": user.engineer.name if user.engineer_id else None,
            "password": user.password_hash is not None, "teams": team_names(user),
            "created_at": user.created_at.isoformat()}
