"""`dutyline simulate-callback` and `dutyline simulate-ring-test`: the outgoing calls played
as the simulator plays a caller's, and played by `dutyline simulate` as steps after its
call. The outbox row is queued as the web, a text or the clock queue it, "sent" by a sender
that plays Twilio's REST API (a CallSid, no call), and the answer, the key press and the
customer's leg are posted to the app signed as Twilio signs them, each answer printed."""

import secrets
import xml.etree.ElementTree as etree  # the standard library: no test extra needed
from urllib.parse import urlsplit

import click
from flask import current_app

from console.app import app_command
from console.scenario import RING_TEST
from outbox.models import VOICE, OutboxMessage
from outbox.queue import claim, deliver_one
from rota import ring_test
from rota.engineers import find_engineer
from telephony.models import Call
from voicemail import callbacks, missed
from voicemail.models import Ticket
from webhooks.callback_voice import answer_url
from webhooks.runtime import runtime


class PlayedCall:
    """Twilio's side of one outbox call: the sender, then the webhooks in turn."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.sid = "CA" + secrets.token_hex(16)

    def send(self, _message):  # the outbox's sender contract: the call's id
        return self.sid

    def post(self, url, **params):
        rt = runtime()
        params = {"CallSid": self.sid, "AccountSid": "ACsimulator", **params}
        if not url.startswith(("http://", "https://")):  # no PUBLIC_URL: the app's own paths
            url = (rt.public_url or "http://localhost").rstrip("/") + url
        parts = urlsplit(url)
        signature = rt.validator.compute_signature(url, params) if rt.validator else ""
        response = self.client.post(parts.path + f"?{parts.query}", data=params,
                                    headers={"X-Twilio-Signature": signature},
                                    base_url=f"{parts.scheme}://{parts.netloc}")
        body = response.get_data()
        response.close()
        document = etree.fromstring(body)
        click.echo(f"  {parts.path}: " + " ".join(
            " ".join(document.itertext()).split()))
        return document


def play(app, message_id, press, customer=None):
    """Deliver the outbox row and play the call: answered, `press` (None: nothing), and for
    a call-back the customer answering or not."""
    played = PlayedCall(app)
    rt = runtime()
    token = "simulator-" + secrets.token_hex(8)
    if not claim(message_id, rt.clock(), token):
        raise click.ClickException("the outbox row was taken by a worker; nothing to play")
    message = OutboxMessage.get_by_id(message_id)
    deliver_one(message, played, rt.clock(), token)
    message = OutboxMessage.get_by_id(message_id)
    click.echo(f"the outbox rings {message.recipient} (REST API played: {played.sid})")
    document = played.post(answer_url(message))
    gather = document.find("Gather")
    if gather is None or press is None:
        return
    document = played.post(gather.get("action"), Digits=press)
    dial = document.find("Dial")
    if dial is None or customer is None:
        return
    click.echo(f"  dialling {dial.findtext('Number')} showing {dial.get('callerId')}")
    answered = customer == "answer"
    played.post(dial.get("action"), DialCallStatus="completed" if answered else "no-answer",
                DialCallDuration="60" if answered else "0")


def _press(value):
    return None if value == "none" else value


@click.command("simulate-callback")
@click.argument("ticket")
@click.option("--engineer", "name", required=True)
@click.option("--press", type=click.Choice(["1", "2", "none"]), default="1", show_default=True)
@click.option("--customer", type=click.Choice(["answer", "no-answer"]), default="answer",
              show_default=True)
@app_command
def simulate_callback(ticket, name, press, customer):
    """Play a call-back: the engineer's phone, their key, the customer's leg."""
    play_callback(_app(), ticket, find_engineer(name), press, customer)


def play_callback(app, ticket, engineer, press="1", customer="answer"):
    """Queue `engineer`'s call-back of ticket `ticket` as the web, a text or the command line
    queue it, then play it: `press` 1, 2 or none, the customer `answer` or `no-answer`."""
    made = callbacks.request_callback(ticket, engineer, runtime().clock())
    play(app, made.message_id, _press(press), customer)
    return made


def _app():
    return current_app._get_current_object()


@click.command("simulate-ring-test")
@click.option("--engineer", "name", help="default: the next handover's engineer")
@click.option("--press", type=click.Choice(["1", "2", "none"]), default="1", show_default=True)
@app_command
def simulate_ring_test(name, press):
    """Play a ring test: the duty phone answered, 1 pressed or not."""
    play_ring_test(_app(), find_engineer(name) if name else None, press)


def play_ring_test(app, engineer=None, press="1"):
    """Queue the ring test of the next handover's duty (rung on `engineer`'s phone, or the
    engineer on duty from it) as `dutyline rota ring-test` does, then play it: `press` 1, 2
    or none."""
    now = runtime().clock()
    duty_from, on_duty = ring_test.next_handover(now)
    engineer = engineer or on_duty
    if engineer is None or duty_from is None:
        raise click.ClickException("nobody is on duty at the next handover: nothing to ring")
    made = ring_test.ring_test_now(engineer, duty_from, now)
    message = OutboxMessage.get(OutboxMessage.dedupe_key == made.key,
                                OutboxMessage.channel == VOICE)
    play(app, message.id, _press(press))
    return made


def play_steps(app, steps, call_sid):
    """`dutyline simulate`'s steps after its call (console.scenario.Step), in turn: a
    call-back of the ticket named, or else of the ticket the call made, and ring tests."""
    for step in steps:
        click.echo(f"step: {step}")
        if step.kind == RING_TEST:
            play_ring_test(app, find_engineer(step.engineer) if step.engineer else None,
                           step.press)
            continue
        ticket = step.ticket or ticket_of_call(call_sid)
        if ticket is None:
            click.echo("  the call made no ticket (an engineer took it): nothing to call back")
            continue
        play_callback(app, ticket, find_engineer(step.engineer), step.press, step.customer)


def ticket_of_call(call_sid):
    """The number of the ticket of the simulated call, or None. A missed call's ticket is
    made as `dutyline clock` makes it, once the call has ended and its grace has passed:
    the simulation's clock moves on to then."""
    call = Call.get_or_none(Call.sid == call_sid)
    if call is None:
        return None
    ticket = Ticket.get_or_none(Ticket.call == call.id)
    clock = runtime().clock
    if ticket is None and call.ended_at is not None and hasattr(clock, "set"):
        clock.set(max(clock(), call.ended_at + missed.ENDED_GRACE))
        missed.queue_missed_calls(runtime().settings, clock())
        ticket = Ticket.get_or_none(Ticket.call == call.id)
    return ticket.number if ticket is not None else None
