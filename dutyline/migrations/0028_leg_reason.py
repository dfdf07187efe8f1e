"""leg.reason: why the target hunt started a leg when it did, in words (null for the others)."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("leg", "reason", TextField(null=True)),
    )
