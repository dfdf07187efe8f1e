"""Each team's feeds and managers: feed_token.team_id, the team a feed token reads (null:
the first team, so every existing link keeps reading what it read), and web_user.teams,
the teams a manager may see (comma-separated ids; null: every team)."""
from peewee import AutoField, CharField, ForeignKeyField, Model, TextField


class Team(Model):  # the existing table, as far as the key below needs it
    id = AutoField()
    name = CharField(unique=True)

    class Meta:
        table_name = "team"


def up(migrator, db):
    Team.bind(db)
    migrator.migrate(
        migrator.add_column("feed_token", "team_id",
                            ForeignKeyField(Team, field=Team.id, null=True, index=False)),
        migrator.add_column("web_user", "teams", TextField(null=True)),
    )
