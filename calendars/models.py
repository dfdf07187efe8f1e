"""Tables of the calendar feeds: feed tokens, published event states, feed markers."""

from peewee import AutoField, CharField, DateField, ForeignKeyField, IntegerField, TextField

from dutyline.db import BaseModel, UTCDateTimeField
from rota.models import Engineer, Team

ENGINEER = "engineer"
MANAGER = "manager"


class FeedToken(BaseModel):
    """A secret feed token, stored as its SHA-256; the plain prefix only names it."""

    id = AutoField()
    prefix = CharField(index=True)
    token_hash = CharField(unique=True)
    kind = CharField()  # engineer | manager
    engineer = ForeignKeyField(Engineer, null=True, backref="feed_tokens")
    label = CharField()
    created_at = UTCDateTimeField()
    revoked_at = UTCDateTimeField(null=True)
    # the team whose feeds the token reads; None: the first team (every token made before
    # teams, so its URLs keep reading what they read)
    team = ForeignKeyField(Team, null=True, backref="feed_tokens", index=False)


class PublishedEvent(BaseModel):
    """What a feed last published for one UID: its content, hash, sequence and change times."""

    id = AutoField()
    scope = CharField()  # rota | handovers | mine:<engineer id>, then @<team id> but the first
    uid = CharField()
    day = DateField(index=True)  # local start date of the duty period
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()
    summary = CharField()
    description = TextField()
    content_hash = CharField()
    sequence = IntegerField(default=0)
    modified_at = UTCDateTimeField()
    cancelled_at = UTCDateTimeField(null=True)
    ics = TextField()  # the rendered VEVENT, so an unchanged event is not rendered again

    class Meta:
        indexes = ((("scope", "uid"), True),)


class PublishedFeed(BaseModel):
    """The rota marker a feed was last published for, and that publication's Last-Modified."""

    id = AutoField()
    scope = CharField(unique=True)
    marker = CharField()
    last_modified = UTCDateTimeField()
