"""Reaction time against the contracts: business minutes for an in-hours contract, every
minute for a 24x7 one, to the call-back that reached the customer or to the ticket's
acknowledgement where the contract says so."""

import json
from datetime import datetime, timedelta, timezone
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from console.main import main
from customers.directory import add_customer
from reports.reactions import reactions
from telephony.models import Call, CallStatus
from tests.conftest import app_info
from voicemail.models import CallBack, Ticket
from voicemail.tickets import reaction_deadline

LONDON = ZoneInfo("Europe/London")
FRIDAY_5PM = datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)  # an hour before the weekend
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)  # an hour after it
REPORTED = datetime(2026, 12, 1, 12, 0, tzinfo=LONDON)
WEEK = (datetime(2026, 11, 23, tzinfo=LONDON), datetime(2026, 12, 7, tzinfo=LONDON))
_sids = count(1)


def make_ticket(settings, engineer, customer, arrived, reached=None, acknowledged=None):
    """A missed call's ticket, its deadline made as the line makes it, a call-back by
    `engineer` that reached the caller at `reached`, an acknowledgement at `acknowledged`;
    the ticket's number."""
    arrived = arrived.astimezone(timezone.utc)
    call = Call.create(sid=f"CA{next(_sids):032d}", from_number="+447700900123",
                       started_at=arrived, mode="in_hours", customer=customer,
                       status=CallStatus.MISSED, ended_at=arrived + timedelta(seconds=30))
    made = Ticket.create(call=call, caller=call.from_number, customer=customer,
                         created_at=arrived, kind="missed",
                         deadline=reaction_deadline(settings, customer, arrived),
                         acknowledged_at=acknowledged,
                         status="acknowledged" if acknowledged else "new")
    if reached is not None:
        CallBack.create(ticket=made, engineer=engineer, requested_at=arrived,
                        ended_at=reached + timedelta(seconds=60), answered=True, seconds=60)
    return made.number


@pytest.fixture
def ticket(settings, make_engineer):
    """ticket(customer, arrived, reached=None, acknowledged=None), as make_ticket."""
    ben = make_engineer("Ben Smith")
    return lambda *args, **kwargs: make_ticket(settings, ben, *args, **kwargs)


@pytest.fixture
def contracts(db):
    return {"in hours": add_customer("ACME Ltd", ["020 7946 0500"], "core", "4h",
                                     region="GB"),
            "24x7": add_customer("Globex", ["0161 496 0000"], "24x7", "4h", region="GB"),
            "acknowledged": add_customer("Initech", ["0113 496 0000"], "core", "1h",
                                         region="GB", reaction_end="acknowledgement")}


def by_name(settings):
    return {row.customer: row for row in reactions(settings, *WEEK, REPORTED)}


def test_an_in_hours_contract_counts_business_minutes_a_24x7_one_every_minute(
        settings, contracts, ticket):
    ticket(contracts["in hours"], FRIDAY_5PM, reached=MONDAY_9AM)
    late = ticket(contracts["24x7"], FRIDAY_5PM, reached=MONDAY_9AM)
    rows = by_name(settings)
    acme, globex = rows["ACME Ltd"], rows["Globex"]
    # an hour on Friday and one on Monday: within the four hours of the contract
    assert (acme.unit, acme.median_minutes, acme.within, acme.broken) == (
        "business minutes", 120, 1, [])
    # the weekend counts round the clock: 64 hours, far past the four
    assert (globex.unit, globex.median_minutes, globex.within) == ("minutes", 64 * 60, 0)
    assert [(b.ticket, b.taken) for b in globex.broken] == [(late, 64 * 60)]


def test_the_acknowledgement_ends_the_clock_where_the_contract_says_so(
        settings, contracts, ticket):
    # called back within ten minutes, but acknowledged only on Monday 09:30
    number = ticket(contracts["acknowledged"], FRIDAY_5PM,
                    reached=FRIDAY_5PM + timedelta(minutes=10),
                    acknowledged=MONDAY_9AM + timedelta(minutes=30))
    ticket(contracts["in hours"], FRIDAY_5PM, reached=FRIDAY_5PM + timedelta(minutes=10),
           acknowledged=MONDAY_9AM + timedelta(minutes=30))
    rows = by_name(settings)
    initech, acme = rows["Initech"], rows["ACME Ltd"]
    assert (initech.reaction_end, initech.median_minutes, initech.within) == (
        "acknowledgement", 150, 0)
    [broken] = initech.broken
    assert (broken.ticket, broken.reacted) == (
        number, (MONDAY_9AM + timedelta(minutes=30)).astimezone(timezone.utc))
    # the same ticket under a call-back contract: ten minutes, in time
    assert (acme.reaction_end, acme.median_minutes, acme.within, acme.broken) == (
        "call-back", 10, 1, [])


def test_a_ticket_nobody_reacted_to_breaks_the_contract_once_its_deadline_passed(
        settings, contracts, ticket):
    number = ticket(contracts["in hours"], FRIDAY_5PM)
    [row] = reactions(settings, *WEEK, MONDAY_9AM)  # two business hours: not yet late
    assert (row.reached, row.within, row.broken) == (0, 0, [])
    [row] = reactions(settings, *WEEK, REPORTED)
    [broken] = row.broken
    # Friday's hour, Monday's ten, Tuesday's four: 15 business hours and counting
    assert (broken.ticket, broken.reacted, broken.taken) == (number, None, 15 * 60)
    assert row.median_minutes is None


def test_the_command_says_which_minutes_it_counts(app, settings, contracts, ticket):
    ticket(contracts["in hours"], FRIDAY_5PM, reached=MONDAY_9AM)
    late = ticket(contracts["24x7"], FRIDAY_5PM, reached=MONDAY_9AM)
    ticket(contracts["acknowledged"], FRIDAY_5PM, acknowledged=MONDAY_9AM)

    def run(*args):
        result = CliRunner().invoke(main, ["report", "reactions", "--from", "2026-11-23",
                                           "--to", "2026-12-06", *args], obj=app_info(app),
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    lines = {line.split()[0]: line for line in run().splitlines()[2:]}
    assert "240 business minutes" in lines["ACME"] and "120 business minutes" in lines["ACME"]
    assert "240 minutes" in lines["Globex"] and f"#{late}" in lines["Globex"]
    assert "business" not in lines["Globex"]
    assert "acknowledgement" in lines["Initech"] and "120 business minutes" in lines["Initech"]
    rows = {row["customer"]: row for row in json.loads(run("--json"))}
    assert (rows["Globex"]["unit"], rows["Globex"]["broken"][0]["minutes"]) == (
        "minutes", 3840)
    assert (rows["Initech"]["reaction_end"], rows["Initech"]["unit"]) == (
        "acknowledgement", "business minutes")
