"""engineer.updated_at, so calendar feeds see renames and new numbers."""
from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("engineer", "updated_at", DateTimeField(null=True)))
