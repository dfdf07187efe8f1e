"""engineer.ring_test: the handover's call to prove the duty phone (off where allowed)."""
from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("engineer", "ring_test", BooleanField(default=True)),
    )
