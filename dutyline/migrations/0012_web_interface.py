"""The web interface: users and their roles, one-time sign-in links, sessions, sign-in
attempts (for the rate limit) and the audit log."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the keys below need it
    id = IntegerField(primary_key=True)


class User(Base):
    email = CharField(unique=True)
    role = CharField()
    engineer = ForeignKeyField(Engineer, null=True)
    password_hash = TextField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = "web_user"


class SignInLink(Base):
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, on_delete="CASCADE")
    created_at = DateTimeField()
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


class WebSession(Base):
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, on_delete="CASCADE")
    created_at = DateTimeField()
    last_seen_at = DateTimeField()


class SignInAttempt(Base):
    key = CharField()
    at = DateTimeField()

    class Meta:
        indexes = ((("key", "at"), False),)


class AuditEntry(Base):
    at = DateTimeField(index=True)
    actor = CharField()
    action = CharField()
    detail = TextField(default="")


def up(migrator, db):
    db.bind([Engineer, User, SignInLink, WebSession, SignInAttempt, AuditEntry])
    db.create_tables([User, SignInLink, WebSession, SignInAttempt, AuditEntry])
