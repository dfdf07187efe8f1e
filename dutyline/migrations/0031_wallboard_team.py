"""wallboard_link.team_id: the team whose figures a wallboard link shows (null: the first
team's where there are several, and every call where there is one, so every link made before
keeps showing what it showed)."""
from peewee import AutoField, ForeignKeyField, Model


class Team(Model):  # the existing table, as far as the key below needs it
    id = AutoField()

    class Meta:
        table_name = "team"


def up(migrator, db):
    Team.bind(db)
    migrator.migrate(
        migrator.add_column("wallboard_link", "team_id",
                            ForeignKeyField(Team, field=Team.id, null=True, index=False)),
    )
