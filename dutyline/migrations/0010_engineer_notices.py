"""engineer.weekly_notice (the weekly duty list, opt-out) and engineer.cover_until
(out-of-hours cover)."""
from peewee import BooleanField, DateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("engineer", "weekly_notice", BooleanField(default=True)),
        migrator.add_column("engineer", "cover_until", DateTimeField(null=True)),
    )
