"""Tables of the accounts: users, their sign-in links and sessions, attempts, the audit log,
the wallboard's read-only links."""

from peewee import AutoField, CharField, ForeignKeyField, TextField

from dutyline.db import BaseModel, UTCDateTimeField
from rota.models import Engineer, Team

MANAGER = "manager"
ENGINEER = "engineer"
ROLES = (MANAGER, ENGINEER)


class User(BaseModel):
    """Someone who signs in to the web interface; an engineer user is tied to an engineer."""

    id = AutoField()
    email = CharField(unique=True)  # stored lower-case
    role = CharField()  # manager | engineer
    engineer = ForeignKeyField(Engineer, null=True, backref="users")
    password_hash = TextField(null=True)  # argon2id; None: sign-in by e-mailed link only
    created_at = UTCDateTimeField()
    # the teams a manager may see, as comma-separated ids; None: every team
    teams = TextField(null=True)

    def team_ids(self):
        """The ids of the teams this user is limited to, or None for every team."""
        if not self.teams:
            return None
        return [int(part) for part in self.teams.split(",") if part.strip().isdigit()]

    class Meta:
        table_name = "web_user"  # "user" is a reserved word in PostgreSQL


class SignInLink(BaseModel):
    """A one-time sign-in link: the secret is stored hashed, it works once and not for long."""

    id = AutoField()
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, backref="links", on_delete="CASCADE")
    created_at = UTCDateTimeField()
    expires_at = UTCDateTimeField()
    used_at = UTCDateTimeField(null=True)


class WebSession(BaseModel):
    """A signed-in browser; the cookie holds the secret, the table its hash."""

    id = AutoField()
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    created_at = UTCDateTimeField()
    last_seen_at = UTCDateTimeField()


class SignInAttempt(BaseModel):
    """One attempt to sign in, counted per address and client and per client for the limits
    (accounts/throttle.py); an attempt is stored under each key it counts for."""

    id = AutoField()
    key = CharField()  # "password:<address> <client IP>" or "client:<client IP>"
    at = UTCDateTimeField()

    class Meta:
        indexes = ((("key", "at"), False),)


class AuditEntry(BaseModel):
    """Who changed what, when."""

    id = AutoField()
    at = UTCDateTimeField(index=True)
    actor = CharField()  # a user's e-mail, "cli:<OS user>" or "text:<engineer name>"
    action = CharField()
    detail = TextField(default="")


class WallboardLink(BaseModel):
    """A read-only link to the wallboard, for a screen that signs in to nothing: the secret is
    stored as its SHA-256 and the plain prefix only names it; once revoked it shows nothing."""

    id = AutoField()
    prefix = CharField(index=True)
    token_hash = CharField(unique=True)
    label = CharField()  # where the screen is, e.g. "Office TV"
    created_at = UTCDateTimeField()
    created_by = CharField()  # the audit log's actor
    revoked_at = UTCDateTimeField(null=True)
    # the team whose figures it shows; None: the first team's (every call with one team)
    team = ForeignKeyField(Team, null=True, backref="wallboard_links", index=False)
