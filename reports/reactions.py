"""Reaction time, measured: from a ticket's call's arrival to the first call-back that
reached the customer, against the contract's reaction time (the ticket's deadline, counted
in business hours for an in-hours contract, round the clock for a 24x7 one).

A ticket reacted to after its deadline, or not yet reacted to past it, broke the contract.
One row a customer (no contract on file: one row for those), with the tickets that broke it
listed.
"""

from dataclasses import dataclass, field
from statistics import median

from peewee import JOIN

from customers.models import Customer
from voicemail.callbacks import first_reached
from voicemail.models import Ticket


@dataclass
class CustomerReactions:
    customer: str | None
    contract_minutes: int | None
    tickets: int = 0
    reached: int = 0
    within: int = 0
    minutes: list = field(default_factory=list)  # elapsed, arrival to reaching the customer
    broken: list = field(default_factory=list)  # (ticket number, arrival, deadline, reached)

    def as_dict(self):
        return {"customer": self.customer, "contract_minutes": self.contract_minutes,
                "tickets": self.tickets, "reached": self.reached, "within": self.within,
                "median_minutes": round(median(self.minutes), 1) if self.minutes else None,
                "broken": [{"ticket": number, "arrived": arrived.isoformat(),
                            "deadline": deadline.isoformat() if deadline else None,
                            "reached": reached.isoformat() if reached else None}
                           for number, arrived, deadline, reached in self.broken]}


def reactions(start, end, now):
    """The CustomerReactions of the tickets whose call arrived in [start, end), by name."""
    rows = {}
    tickets = (Ticket.select(Ticket, Customer)
               .join(Customer, JOIN.LEFT_OUTER, on=(Ticket.customer == Customer.id))
               .where(Ticket.created_at >= start, Ticket.created_at < end)
               .order_by(Ticket.created_at, Ticket.id))
    for ticket in tickets:
        customer = ticket.customer if ticket.customer_id else None
        key = customer.id if customer else None
        row = rows.setdefault(key, CustomerReactions(
            customer.name if customer else None,
            customer.reaction_minutes if customer else None))
        row.tickets += 1
        reached = first_reached(ticket)
        if reached is not None:
            row.reached += 1
            row.minutes.append((reached - ticket.created_at).total_seconds() / 60)
        late = ticket.deadline is not None and (
            (reached is not None and reached > ticket.deadline)
            or (reached is None and now > ticket.deadline))
        if late:
            row.broken.append((ticket.number, ticket.created_at, ticket.deadline, reached))
        elif reached is not None:
            row.within += 1
    return sorted(rows.values(), key=lambda r: (r.customer is None, r.customer or ""))
