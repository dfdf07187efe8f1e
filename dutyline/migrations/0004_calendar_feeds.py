"""Calendar feeds: feed tokens, published events and feed markers."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the keys below need it
    class Meta:
        table_name = "engineer"


class FeedToken(Base):
    prefix = CharField(index=True)
    token_hash = CharField(unique=True)
    kind = CharField()
    engineer = ForeignKeyField(Engineer, null=True)
    label = CharField()
    created_at = DateTimeField()
    revoked_at = DateTimeField(null=True)


class PublishedEvent(Base):
    scope = CharField()
    uid = CharField()
    day = DateField(index=True)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    summary = CharField()
    description = TextField()
    content_hash = CharField()
    sequence = IntegerField(default=0)
    modified_at = DateTimeField()
    cancelled_at = DateTimeField(null=True)
    ics = TextField()

    class Meta:
        indexes = ((("scope", "uid"), True),)


class PublishedFeed(Base):
    scope = CharField(unique=True)
    marker = CharField()
    last_modified = DateTimeField()


def up(migrator, db):
    db.bind([Engineer, FeedToken, PublishedEvent, PublishedFeed])
    db.create_tables([FeedToken, PublishedEvent, PublishedFeed])
