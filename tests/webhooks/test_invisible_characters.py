"""Invisible format characters (direction overrides, zero-width spaces, the BOM) never stay in
a phone number: the engineer's text and the ticket show the number as it is dialled."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from customers.directory import add_customer
from dutyline.phones import is_withheld, to_e164
from outbox import queue
from outbox.models import SMS
from outbox.senders import RecordingSender
from rota import periods
from telephony.models import Call
from tests.conftest import ADDED_AT
from voicemail.models import Ticket

NIGHT = datetime(2026, 12, 2, 3, 0, tzinfo=ZoneInfo("Europe/London"))
BEN = "+447911000001"
CALLER = "+447700900123"


@pytest.mark.parametrize("text", [
    "\u202e+447911123401\u202c",          # right-to-left override ... pop
    "\u2066+44 7911 123401\u2069",        # left-to-right isolate ... pop
    "+4479\u200b1112\u200d3401",          # zero-width space and joiner
    "\ufeff07911 123401",                 # a byte order mark before a national number
    "\u200e07911\u00ad123401",            # left-to-right mark, soft hyphen
])
def test_a_number_loses_its_format_characters_before_it_is_read(text):
    assert to_e164(text, "GB") == "+447911123401"


def test_a_withheld_caller_with_format_characters_is_still_withheld():
    assert is_withheld("\u202eanonymous\u202c") and is_withheld("\u200b")


@pytest.fixture
def ben_on_duty(db, make_engineer, settings):
    ben = make_engineer("Ben Smith", mobile=BEN)
    periods.assign_period(date(2026, 12, 1), ben, None, settings, now=ADDED_AT)
    return ben


@pytest.mark.parametrize("caller", ["\u202e+447700900123\u202c", "\ufeff+447700\u200b900123"])
def test_a_caller_id_with_format_characters_reaches_text_and_ticket_plain(simulate, ben_on_duty,
                                                                         caller):
    outcome = simulate(Scenario(at=NIGHT, caller=caller, others="ignore"))
    assert outcome.ticket_number is not None
    ticket = Ticket.get()
    assert (ticket.caller, Call.get().from_number) == (CALLER, CALLER)
    texts = RecordingSender()
    queue.deliver_due({SMS: texts}, ticket.created_at + timedelta(minutes=2))
    to_ben = [body for to, body in texts.texts() if to == BEN]
    assert to_ben == [f"Voicemail ticket #{outcome.ticket_number} from {CALLER}. Call back: "
                      f"{CALLER}. Reply ACK {outcome.ticket_number} to acknowledge."]


def test_a_customer_calling_with_format_characters_is_recognised(simulate, ben_on_duty):
    add_customer("ACME Ltd", ["+447911123501"], "24x7", "1h", region="GB")
    simulate(Scenario(at=NIGHT, caller="\u202e+447911123501\u202c", others="ignore"))
    assert Call.get().customer.name == "ACME Ltd"
