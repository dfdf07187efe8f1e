"""A team, a night ticket, the clock's tick and the worker's Twilio calls, for the escalation
tests (the REST API mocked with `responses`, the app's endpoints signed as Twilio signs)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import responses
from click.testing import CliRunner

from console.main import main
from console.scenario import Scenario
from customers.directory import add_customer
from dutyline.db import database
from outbox import queue
from outbox.models import SMS, VOICE, OutboxMessage
from outbox.voice import TwilioVoiceCall
from rota import periods
from tests.conftest import ADDED_AT, app_info
from voicemail.models import Ticket
from webhooks.runtime import runtime

ACCOUNT = "AC" + "0" * 32
SUPPORT = "+442079460000"
BEN, TOBI = "+447911000001", "+447911000002"
MANAGERS = ("+447911000101", "+447911000102")
ACME = "+447911123501"
CALLS_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
CONFIG = {"MANAGER_NUMBERS": ",".join(MANAGERS),
          "SECRET_KEY": "test-secret-key"}


def make_team(make_engineer, settings, day):
    """Ben on duty for the period starting on `day`, Tobi his backup; ACME a customer."""
    ben = make_engineer("Ben Smith", mobile=BEN)
    tobi = make_engineer("Tobi Jones", mobile=TOBI)
    with database.connection_context():
        periods.assign_period(day, ben, tobi, settings, now=ADDED_AT)
        add_customer("ACME Ltd", [ACME], "24x7", "1h", region="GB")
    return ben, tobi


def leave_ticket(simulate, at):
    """A voicemail from ACME nobody answered; the ticket and when it was made."""
    outcome = simulate(Scenario(at=at, caller=ACME, others="ignore"))
    with database.connection_context():
        ticket = Ticket.get_by_id(outcome.ticket_number - 1000)
    return ticket.number, ticket.created_at


def tick(app, clock, at, times=1):
    """`dutyline clock --once` at `at` (as often as asked: two clocks, or a restart)."""
    clock.set(at)
    for _ in range(times):
        result = CliRunner().invoke(main, ["clock", "--once"], obj=app_info(app),
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output


def voice_rows():
    """Every escalation call queued: (recipient, step key tail, status, queued at)."""
    with database.connection_context():
        return [(m.recipient, m.dedupe_key.split(":escalate:")[1], m.status, m.created_at)
                for m in (OutboxMessage
                          .select()
                          .where(OutboxMessage.channel == VOICE)
                          .order_by(OutboxMessage.id))]


def manager_texts():
    with database.connection_context():
        return [(m.recipient, m.body) for m in (OutboxMessage
                                                 .select()
                                                 .where(OutboxMessage.channel == SMS,
                                                        OutboxMessage.dedupe_key.contains(
                                                            ":escalate:ended"))
                                                 .order_by(OutboxMessage.id))]


def voice_sender(app):
    with app.app_context():
        rt = runtime()
        return TwilioVoiceCall(
            ACCOUNT, "test-auth-token-0123456789abcdef", SUPPORT,
            lambda message: rt.url("escalation", esc=message.id),
            status_url=lambda message: rt.url("escalation_status", esc=message.id))


def created(sid):
    return {"sid": sid, "status": "queued", "to": BEN, "from": SUPPORT}


def deliver(app, at, api, sids):
    """One pass of the outbox worker with the voice channel, Twilio answering with `sids`."""
    for sid in sids:
        api.add(responses.POST, CALLS_URL, json=created(sid), status=201)
    with database.connection_context():
        return queue.deliver_due({VOICE: voice_sender(app)}, at)


def posted_calls(api):
    """What the worker asked Twilio for: (To, the answer URL's path and query)."""
    found = []
    for call in api.calls:
        form = parse_qs(call.request.body)
        url = urlsplit(form["Url"][0])
        found.append((form["To"][0], url.path, parse_qs(url.query)))
    return found


def answer_url_of(api, index=0):
    form = parse_qs(api.calls[index].request.body)
    return form["Url"][0]


def minutes(n):
    return timedelta(minutes=n)
