"""The dutyline command: a Flask command group with every command added here, explicitly.

Each command module defines its click group or commands and imports nothing from the
others; this module is the only place that puts them together.
"""

import sys

import click
from flask.cli import FlaskGroup

from console import (absence_commands, block_commands, calendar_commands, call_commands,
                     customer_commands, db_commands, engineer_commands, ops_commands,
                     report_commands, rota_commands, sim_commands, ticket_commands,
                     user_commands)
from console import callback_commands, pay_commands, ring_test_commands, wallboard_commands
from console import outgoing_simulator, team_commands
from console.app import make_app

COMMANDS = (
    db_commands.db,
    team_commands.team_group,
    team_commands.line_group,
    engineer_commands.engineer,
    rota_commands.rota,
    absence_commands.absence,
    customer_commands.customer_group,
    block_commands.block_group,
    call_commands.calls_group,
    report_commands.report_group,
    ticket_commands.tickets_group,
    ops_commands.outbox_group,
    ops_commands.clock,
    calendar_commands.calendars,
    user_commands.user,
    wallboard_commands.wallboard_group,
    sim_commands.simulate,
    sim_commands.demo,
    sim_commands.serve,
)


class DutylineGroup(FlaskGroup):
    """Every command is dutyline's own: listing them (`--help`) never makes the app, whose
    database check would fail before `db init` and print a traceback after the help."""

    def list_commands(self, ctx):
        return click.Group.list_commands(self, ctx)


def build_cli():
    """The `dutyline` group: Flask's CLI machinery with dutyline's app factory."""
    group = DutylineGroup(name="dutyline", create_app=make_app, add_default_commands=False,
                       add_version_option=False,
                       help="dutyline: the support line's router, rota and tickets.")
    # --env-file stays; --app and --debug would only replace or bend dutyline's own app
    group.params = [param for param in group.params if param.name not in ("app", "debug")]
    for command in COMMANDS:
        group.add_command(command)
    rota_commands.rota.add_command(pay_commands.rota_pay)
    rota_commands.rota.add_command(ring_test_commands.rota_ring_test)
    engineer_commands.engineer.add_command(ring_test_commands.engineer_ring_test)
    group.add_command(outgoing_simulator.simulate_callback)
    group.add_command(outgoing_simulator.simulate_ring_test)
    call_commands.calls_group.add_command(callback_commands.calls_missed)
    call_commands.calls_group.add_command(callback_commands.calls_done)
    call_commands.calls_group.add_command(callback_commands.calls_back)
    report_commands.report_group.add_command(callback_commands.report_reactions)

    @group.result_callback()
    def _done(*_args, **_kwargs):
        sys.stdout.flush()

    return group


main = build_cli()
