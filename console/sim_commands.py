"""`dutyline simulate`, `serve` and `demo`: trying the line without a phone, and serving it."""

import click
from flask import current_app

from console.app import app_command, app_factory, app_options, loaded_app, service
from console.caller_clock import parse_answer
from console.scenario import ENGINEER_ACTIONS, Scenario, parse_step
from console.serving import port_is_free, serve_app
from console.timeparse import parse_instant
from dutyline.phones import to_e164
from rota import engineers as engineer_service
from webhooks.runtime import runtime

DEFAULT_CALLER = "+447400123456"


def parse_answers(answers):
    """NAME=ACTION pairs, each NAME an engineer; a bad pair is a one-line error."""
    wanted = {}
    for item in answers:
        name, _, action = item.rpartition("=")
        try:
            answer = parse_answer(action) if name else None
        except ValueError:
            answer = None
        if answer is None:
            raise click.ClickException(f"expected NAME=ACTION with ACTION one of "
                                       f"{', '.join(ENGINEER_ACTIONS)}, optionally @SECONDS "
                                       f"of ringing before the pick-up: {item!r}")
        engineer_service.find_engineer(name)
        wanted[name] = answer
    return wanted


def parse_steps(texts):
    """The steps after the call, each checked (its engineer too) before anything is played."""
    steps = []
    for text in texts:
        try:
            step = parse_step(text)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        if step.engineer:
            engineer_service.find_engineer(step.engineer)
        steps.append(step)
    return steps


@click.command()
@click.option("--at", "at_text", help="when the call or text arrives (ISO-8601, local); "
                                      "now when left out")
@click.option("--from", "caller", help=f"the caller's number (a call: {DEFAULT_CALLER} when "
                                       "left out), or the engineer's mobile (a text)")
@click.option("--to", "called", metavar="NUMBER",
              help="the number called, a line (dutyline line list): its team, or its menu "
                   "answered with --press; the first team's when left out")
@click.option("--text", help='an engineer\'s text to the support number, e.g. "WHO"')
@click.option("--answer", "answers", multiple=True, metavar="NAME=ACTION",
              help="what an engineer does: accept, ignore, voicemail or busy, optionally after "
                   "SECONDS of ringing, e.g. 'Ann Archer=accept@3s' (repeatable)")
@click.option("--others", type=click.Choice(ENGINEER_ACTIONS),
              default="ignore", show_default=True, help="what the engineers not named do")
@click.option("--caller-action", type=click.Choice(["message", "hangup"]), default="message",
              show_default=True, help="what the caller does at the voicemail tone")
@click.option("--press", "caller_presses", help="the key the caller presses when asked (e.g. 1)")
@click.option("--then", "step_texts", multiple=True, metavar="STEP",
              help="played after the call, in turn (repeatable): 'call-back NAME "
                   "[press=1|2|none] [customer=answer|no-answer] [ticket=NUMBER]' calls back "
                   "the call's ticket (or the one named); 'ring-test [NAME] [press=1|2|none]' "
                   "rings the next handover's duty phone")
@app_options(simulation=True)
@app_command
def simulate(at_text, caller, called, text, answers, others, caller_action, caller_presses,
             step_texts):
    """Play a call (or an engineer's text) through the app as Twilio would, printing every step,
    then any call-backs and ring tests asked for with --then.

    It runs in-process against the configured database, on a clock of its own, and needs no
    Twilio account.
    """
    from console.outgoing_simulator import play_steps
    from console.simulator import Simulator
    from console.text_simulator import simulate_text

    app = current_app._get_current_object()
    settings = runtime().settings
    at = parse_instant(at_text, settings.tz) if at_text else runtime().clock()
    if text is not None:
        if not caller:
            raise click.ClickException("--text needs --from, the engineer's mobile")
        if step_texts:
            raise click.ClickException("--then plays after a call, not after a text")
        if called:
            raise click.ClickException("--to is the number a call is made to, not a text")
        simulate_text(app, to_e164(caller, settings.phone_region), text, at, echo=click.echo)
        return
    scenario = Scenario(at=at, caller=to_e164(caller or DEFAULT_CALLER, settings.phone_region),
                        answers=parse_answers(answers), others=others,
                        caller_action=caller_action, caller_presses=caller_presses,
                        steps=parse_steps(step_texts),
                        **({"to": to_e164(called, settings.phone_region)} if called else {}))
    outcome = Simulator(app, echo=click.echo).run(scenario)
    play_steps(app, scenario.steps, outcome.call_sid)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@service(serves_webhooks=True)
def serve(host, port):
    """Run the web app with a development server (use gunicorn from the Procfile in production)."""
    serve_app(loaded_app(), host, port)


@click.command()
@click.option("--database", "db_path", default="dutyline-demo.db", show_default=True,
              help="SQLite file made afresh for the demo")
@click.option("--serve/--no-serve", "serve_after", default=True, show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(db_path, serve_after, port):
    """A demo team and rota, a few simulated calls printed, then the server."""
    from console.demo import command_path, demo_database_url, demo_sign_in_link, run_demo

    if serve_after and not port_is_free("127.0.0.1", port):  # before anything is played
        raise click.ClickException(f"port {port} is taken (another demo or server?): stop it, "
                                   f"or choose another with --port")
    run_demo(db_path, port, echo=click.echo)
    if serve_after:
        url, public = demo_database_url(db_path), f"http://127.0.0.1:{port}"
        app = app_factory("INFO", serves_webhooks=True, DATABASE_URL=url, PUBLIC_URL=public)
        click.echo(f"\nServing the demo on {public}/ (Ctrl-C stops it).")
        click.echo(f"Web interface: sign in as the demo manager with {demo_sign_in_link(app)}\n"
                   f"(works once, for 15 minutes; another: DATABASE_URL={url} "
                   f"PUBLIC_URL={public} {command_path()} user link manager@example.com)")
        serve_app(app, "127.0.0.1", port)
