"""customer.reaction_end: what ends a contract's reaction clock, the first call-back that
reached the customer ("call-back", the default and what every contract measured before) or the
ticket's acknowledgement ("acknowledgement")."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("customer", "reaction_end", CharField(default="call-back")),
    )
