"""wallboard_link: read-only links to the wallboard, stored hashed, revocable."""
from peewee import AutoField, CharField, DateTimeField, Model


class WallboardLink(Model):
    id = AutoField()
    prefix = CharField(index=True)
    token_hash = CharField(unique=True)
    label = CharField()
    created_at = DateTimeField()
    created_by = CharField()
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "wallboard_link"
        legacy_table_names = False


def up(migrator, db):
    db.bind([WallboardLink])
    db.create_tables([WallboardLink])
