"""Voicemail tickets made in a span, counted in the database: reaction time (made to first
acknowledgement) and whether the contract's deadline was met."""

from peewee import JOIN, SQL, Case, fn

from reports.measures import TicketTally
from reports.sql import instant, local_day, local_hour, seconds_between
from telephony.models import Call
from voicemail.models import Ticket


def _sum(condition):
    return fn.SUM(Case(None, [(condition, SQL("1"))], SQL("0")))


def _key(group, offsets):
    if group == "day":
        return local_day(Ticket.created_at, offsets)
    if group == "hour":
        return local_hour(Ticket.created_at, offsets)
    if group == "customer":
        return Ticket.customer
    if group == "engineer":
        return Ticket.acknowledged_by
    return SQL("0")


def ticket_tallies(span, group):
    """{group key: TicketTally} for the tickets made in the span."""
    acked = Ticket.acknowledged_at.is_null(False)
    has_deadline = Ticket.deadline.is_null(False)
    met = acked & has_deadline & (Ticket.acknowledged_at <= Ticket.deadline)
    late = has_deadline & ((acked & (Ticket.acknowledged_at > Ticket.deadline))
                           | (~acked & (Ticket.deadline < instant(span.as_of))))
    query = (Ticket
             .select(_key(group, span.offsets()),
                     fn.COUNT(SQL("*")),
                     _sum(acked),
                     fn.SUM(seconds_between(Ticket.acknowledged_at, Ticket.created_at)),
                     _sum(met),
                     _sum(late),
                     _sum(has_deadline))
             .where(Ticket.created_at >= span.start, Ticket.created_at < span.end)
             .group_by(SQL("1")))
    if span.mode:
        query = (query
                 .join(Call, JOIN.INNER, on=(Ticket.call == Call.id))
                 .where(Call.mode == span.mode))
    tallies = {}
    for key, count, acknowledged, reaction, met_count, late_count, judged in query.tuples():
        tallies[key] = TicketTally(tickets=count, acknowledged=acknowledged or 0,
                                   reaction_total=float(reaction or 0),
                                   met_deadline=met_count or 0, past_deadline=late_count or 0,
                                   with_deadline=judged or 0)
    return tallies
