"""Reaction time, measured: from a ticket's call's arrival to what ends the contract's
reaction clock (the customer's `reaction_end`): the first call-back that reached the
customer, or the ticket's acknowledgement where the contract says so. It is held against the
contract's reaction time, the ticket's deadline.

An in-hours contract counts business minutes (the team's open hours, closed days left out:
hours.business_time), both the time taken and the deadline; a 24x7 contract counts every
minute. A caller with no contract on file is held to the default in-hours contract, as the
ticket's deadline was made.

A ticket reacted to after its deadline, or not yet reacted to past it, broke the contract.
One row a customer (no contract on file: one row for those), with the tickets that broke it
listed.
"""

from dataclasses import dataclass, field
from statistics import median

from peewee import JOIN

from customers.models import ALL_HOURS, CORE, ENDS_AT_ACKNOWLEDGEMENT, ENDS_AT_CALLBACK, Customer
from hours.business_time import business_minutes_between
from reports.call_figures import team_condition
from telephony.models import Call
from voicemail.callbacks import first_reached
from voicemail.models import Ticket

BUSINESS_MINUTES = "business minutes"  # an in-hours contract's unit
MINUTES = "minutes"  # a 24x7 contract's unit


@dataclass
class Broken:
    """A ticket that broke its contract's reaction time."""

    ticket: int  # the ticket's number
    arrived: object  # aware instants
    deadline: object
    reacted: object  # None: not yet reacted to
    taken: float  # minutes in the row's unit, arrival to reaction (or to `now`, not yet)


@dataclass
class CustomerReactions:
    customer: str | None
    contract_minutes: int | None
    hours: str = CORE  # the contract's hours: CORE (in hours) or ALL_HOURS
    reaction_end: str = ENDS_AT_CALLBACK  # what ends the clock
    tickets: int = 0
    reached: int = 0  # reacted to: reached by a call-back, or acknowledged
    within: int = 0
    minutes: list = field(default_factory=list)  # taken, in `unit`, of the tickets reacted to
    broken: list = field(default_factory=list)  # Broken, the first first

    @property
    def unit(self):
        """How the row counts: "business minutes" in hours, "minutes" round the clock."""
        return MINUTES if self.hours == ALL_HOURS else BUSINESS_MINUTES

    @property
    def median_minutes(self):
        return round(median(self.minutes), 1) if self.minutes else None

    def as_dict(self):
        def stamp(value):
            return value.isoformat() if value else None

        return {"customer": self.customer, "contract_minutes": self.contract_minutes,
                "hours": self.hours, "reaction_end": self.reaction_end, "unit": self.unit,
                "tickets": self.tickets, "reached": self.reached, "within": self.within,
                "median_minutes": self.median_minutes,
                "broken": [{"ticket": b.ticket, "arrived": stamp(b.arrived),
                            "deadline": stamp(b.deadline), "reacted": stamp(b.reacted),
                            "minutes": round(b.taken, 1)} for b in self.broken]}


def reacted_at(ticket, reaction_end):
    """When the ticket was reacted to, by the contract's end, or None."""
    if reaction_end == ENDS_AT_ACKNOWLEDGEMENT:
        return ticket.acknowledged_at
    return first_reached(ticket)


def minutes_taken(settings, row, start, end):
    """Minutes from `start` to `end` in the row's unit."""
    if row.unit == MINUTES:
        return max((end - start).total_seconds() / 60, 0.0)
    return business_minutes_between(settings, start, end)


def reactions(settings, start, end, now, team=None):
    """The CustomerReactions of the tickets whose call arrived in [start, end), by name;
    `team` (an id) keeps the tickets of that team's calls only."""
    rows = {}
    tickets = (Ticket.select(Ticket, Customer)
               .join(Customer, JOIN.LEFT_OUTER, on=(Ticket.customer == Customer.id))
               .where(Ticket.created_at >= start, Ticket.created_at < end)
               .order_by(Ticket.created_at, Ticket.id))
    if team is not None:
        tickets = (tickets.switch(Ticket).join(Call, on=(Ticket.call == Call.id))
                   .where(team_condition(team)))
    for ticket in tickets:
        customer = ticket.customer if ticket.customer_id else None
        key = customer.id if customer else None
        row = rows.get(key)
        if row is None:
            row = rows[key] = (CustomerReactions(None, None) if customer is None else
                               CustomerReactions(customer.name, customer.reaction_minutes,
                                                 customer.hours, customer.reaction_end))
        row.tickets += 1
        reacted = reacted_at(ticket, row.reaction_end)
        if reacted is not None:
            row.reached += 1
            row.minutes.append(minutes_taken(settings, row, ticket.created_at, reacted))
        late = ticket.deadline is not None and (
            (reacted is not None and reacted > ticket.deadline)
            or (reacted is None and now > ticket.deadline))
        if late:
            row.broken.append(Broken(ticket.number, ticket.created_at, ticket.deadline, reacted,
                                     minutes_taken(settings, row, ticket.created_at,
                                                   reacted or now)))
        elif reacted is not None:
            row.within += 1
    return sorted(rows.values(), key=lambda r: (r.customer is None, r.customer or ""))
