"""ticket.priority: A critical, B important, C normal (every existing ticket), D low."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("ticket", "priority", CharField(max_length=1, default="C")),
    )
