"""Rota changes: overrides, absences, and duty_period.updated_at."""
from peewee import DateTimeField, ForeignKeyField, Model, TextField


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the keys below need it
    class Meta:
        table_name = "engineer"


class Override(Base):
    engineer = ForeignKeyField(Engineer)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    created_at = DateTimeField()


class Absence(Base):
    engineer = ForeignKeyField(Engineer)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    reason = TextField(default="")
    source = TextField(default="")
    created_at = DateTimeField()


def up(migrator, db):
    db.bind([Engineer, Override, Absence])
    db.create_tables([Override, Absence])
    migrator.migrate(migrator.add_column("duty_period", "updated_at", DateTimeField(null=True)))
