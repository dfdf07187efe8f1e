"""Customers and contracts; the call's customer and gate; the ticket's transcript, deadline,
acknowledgement and closing."""
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model,
                    TextField)


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the keys below need it
    class Meta:
        table_name = "engineer"


class Customer(Base):
    name = CharField(unique=True)
    hours = CharField(default="core")
    reaction_minutes = IntegerField(default=240)


class CustomerNumber(Base):
    customer = ForeignKeyField(Customer, on_delete="CASCADE")
    number = CharField(unique=True)


def up(migrator, db):
    db.bind([Engineer, Customer, CustomerNumber])
    db.create_tables([Customer, CustomerNumber])
    migrator.migrate(
        migrator.add_column("call", "customer_id",
                            ForeignKeyField(Customer, field=Customer.id, null=True)),
        migrator.add_column("call", "gated", BooleanField(default=False)),
        migrator.add_column("ticket", "customer_id",
                            ForeignKeyField(Customer, field=Customer.id, null=True)),
        migrator.add_column("ticket", "transcript", TextField(null=True)),
        migrator.add_column("ticket", "deadline", DateTimeField(null=True)),
        migrator.add_column("ticket", "acknowledged_at", DateTimeField(null=True)),
        migrator.add_column("ticket", "acknowledged_by_id",
                            ForeignKeyField(Engineer, field=Engineer.id, null=True)),
        migrator.add_column("ticket", "closed_at", DateTimeField(null=True)),
    )
    # recording links outgrew 255 characters (PostgreSQL enforces the length)
    migrator.migrate(migrator.alter_column_type("ticket", "recording_url", TextField(null=True)))
