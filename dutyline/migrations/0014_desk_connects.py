"""engineer.desk_connects: the desk phone connects the caller on pick-up, with no press-1
whisper (off by default)."""
from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("engineer", "desk_connects", BooleanField(default=False)),
    )
