"""Outbox threads: an e-mail follow-up names the message it follows."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("outbox_message", "thread_key", CharField(null=True)))
