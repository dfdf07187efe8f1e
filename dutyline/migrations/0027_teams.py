"""Teams and lines: several teams on one installation, each Twilio number a line.

An existing installation becomes one team, "Support", with id 1 (so its hunt position, the
row with id 1, stays its own), every engineer in it, every duty period, override and call
its own. No line is made: a call to a number with no line goes to the first team, so the
existing number keeps working with no change to the settings file, and the feed URLs stay
as they were.
"""
from peewee import (AutoField, CharField, CompositeKey, DateTimeField, ForeignKeyField, Model,
                    TextField)


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the keys below need it
    class Meta:
        table_name = "engineer"


class Team(Base):
    id = AutoField()
    name = CharField(unique=True)
    created_at = DateTimeField(null=True)  # None for the first team, made by this step


class TeamMember(Base):
    team = ForeignKeyField(Team, on_delete="CASCADE")
    engineer = ForeignKeyField(Engineer, on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("team", "engineer")


class Line(Base):
    id = AutoField()
    number = CharField(unique=True)
    team = ForeignKeyField(Team, null=True)
    menu = TextField(null=True)
    created_at = DateTimeField()


def up(migrator, db):
    db.bind([Engineer, Team, TeamMember, Line])
    db.create_tables([Team, TeamMember, Line])
    Team.insert(id=1, name="Support").execute()
    if db.sequences:  # PostgreSQL: the next team made by hand is 2
        db.execute_sql("SELECT setval(pg_get_serial_sequence('team', 'id'), 1)")
    db.execute_sql('INSERT INTO "team_member" ("team_id", "engineer_id") '
                   'SELECT 1, "id" FROM "engineer"')
    migrator.migrate(
        migrator.add_column("duty_period", "team_id",
                            ForeignKeyField(Team, field=Team.id, default=1, index=False)),
        migrator.drop_index("duty_period", "duty_period_day"),
        migrator.add_index("duty_period", ("team_id", "day"), True),
        migrator.add_column("override", "team_id",
                            ForeignKeyField(Team, field=Team.id, default=1, index=False)),
        migrator.add_column("call", "team_id",
                            ForeignKeyField(Team, field=Team.id, null=True, index=False)),
        migrator.add_column("call", "line_id",
                            ForeignKeyField(Line, field=Line.id, null=True, index=False)),
    )
    db.execute_sql('UPDATE "call" SET "team_id" = 1')
