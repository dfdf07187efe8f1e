"""`dutyline rota ring-test`: call the incoming duty engineer's phone now (rota.ring_test)."""

import click

from console.app import app_command, audited
from console.team_choice import team_and_settings, team_choice
from rota import ring_test
from rota.engineers import find_engineer
from rota.labels import local_label
from webhooks.runtime import runtime


@click.command("ring-test")
@click.option("--engineer", "name", help="ring this engineer (default: the next handover's)")
@team_choice("the team whose next handover it is (default: the first team)")
@app_command
def rota_ring_test(name, team_name):
    """Call the duty phone of the next handover now: "Press 1 to confirm". Unconfirmed, the
    backup and the managers are told by the clock."""
    team, settings = team_and_settings(team_name)
    now = runtime().clock()
    duty_from, engineer = ring_test.next_handover(now, team.id)
    if name:
        engineer = find_engineer(name)
    if engineer is None or duty_from is None:
        raise click.ClickException("nobody is on duty at the next handover: nothing to ring")
    made = ring_test.ring_test_now(engineer, duty_from, now, team.id)
    if made is None:
        raise click.ClickException("a ring test was queued this very moment already")
    click.echo(f"ringing {engineer.name} now about the duty from "
               f"{local_label(duty_from, settings.tz)}")


@click.command("ring-test")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]))
@app_command
def engineer_ring_test(name, state):
    """Whether NAME's phone is rung at their handovers (off only where ring_test_opt_out)."""
    rt = runtime()
    person = find_engineer(name)
    try:
        ring_test.set_ring_test(person, state == "on", rt.settings, rt.clock())
    except ring_test.RingTestRefused as exc:
        raise click.ClickException(str(exc)) from exc
    audited("ring test", f"{person.name}: {state}")
    click.echo(f"{person.name}: ring test {state}")
