"""ring_test.team_id and swap_request.team_id: a ring test is of a team's handover, a swap
request of two days of a team's rota. Those made before are the first team's."""
from peewee import AutoField, ForeignKeyField, Model


class Team(Model):  # the existing table, as far as the keys below need it
    id = AutoField()

    class Meta:
        table_name = "team"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("ring_test", "team_id",
                            ForeignKeyField(Team, field=Team.id, default=1, index=False)),
        migrator.add_column("swap_request", "team_id",
                            ForeignKeyField(Team, field=Team.id, default=1, index=False)),
    )
