"""Voicemail tickets made in a span, counted in the database: reaction time (made to first
acknowledgement) and whether the contract's deadline was met."""

from peewee import JOIN, SQL, Case, fn

from reports.call_figures import key_columns, team_condition
from reports.measures import TicketTally
from reports.sql import instant, local_day, local_hour, milliseconds_between
from telephony.models import Call
from voicemail.models import Ticket


def _sum(condition):
    return fn.SUM(Case(None, [(condition, SQL("1"))], SQL("0")))


def ticket_key(group, offsets):
    if group == "day":
        return local_day(Ticket.created_at, offsets)
    if group == "hour":
        return local_hour(Ticket.created_at, offsets)
    if group == "customer":
        return Ticket.customer
    if group == "engineer":
        return Ticket.acknowledged_by
    return SQL("0")


def ticket_tallies(span, group, by_mode=False):
    """{group key: TicketTally} for the tickets made in the span; a tuple of groups and
    `by_mode` (the call's mode first) make the key a tuple, as in call_tallies."""
    acked = Ticket.acknowledged_at.is_null(False)
    has_deadline = Ticket.deadline.is_null(False)
    met = acked & has_deadline & (Ticket.acknowledged_at <= Ticket.deadline)
    late = has_deadline & ((acked & (Ticket.acknowledged_at > Ticket.deadline))
                           | (~acked & (Ticket.deadline < instant(span.as_of))))
    keys = key_columns(group, by_mode, lambda name: ticket_key(name, span.offsets()), Call.mode)
    query = (Ticket
             .select(*keys,
                     fn.COUNT(SQL("*")),
                     _sum(acked),
                     fn.SUM(milliseconds_between(Ticket.acknowledged_at, Ticket.created_at)),
                     _sum(met),
                     _sum(late),
                     _sum(has_deadline))
             .where(Ticket.created_at >= span.start, Ticket.created_at < span.end)
             .group_by(*[SQL(str(n)) for n in range(1, len(keys) + 1)]))
    if span.mode or by_mode or span.team is not None:
        query = query.join(Call, JOIN.INNER, on=(Ticket.call == Call.id))
    if span.mode:
        query = query.where(Call.mode == span.mode)
    if span.team is not None:
        query = query.where(team_condition(span.team))
    tallies = {}
    width = len(keys)
    for values in query.tuples():
        count, acknowledged, reaction, met_count, late_count, judged = values[width:]
        tallies[values[0] if width == 1 else values[:width]] = TicketTally(
            tickets=count, acknowledged=acknowledged or 0, reaction_ms=int(reaction or 0),
            met_deadline=met_count or 0, past_deadline=late_count or 0,
            with_deadline=judged or 0)
    return tallies


def open_deadlines(span, group, by_mode=False):
    """[(key, deadline)] of the span's tickets not acknowledged yet that have a deadline:
    whether each counts as late depends on when the report is made."""
    keys = key_columns(group, by_mode, lambda name: ticket_key(name, span.offsets()), Call.mode)
    query = (Ticket
             .select(*keys, Ticket.deadline)
             .join(Call, JOIN.INNER, on=(Ticket.call == Call.id))
             .where(Ticket.created_at >= span.start, Ticket.created_at < span.end,
                    Ticket.acknowledged_at.is_null(), Ticket.deadline.is_null(False)))
    if span.mode:
        query = query.where(Call.mode == span.mode)
    if span.team is not None:
        query = query.where(team_condition(span.team))
    width = len(keys)
    field = Ticket.deadline
    return [(values[0] if width == 1 else values[:width], field.python_value(values[width]))
            for values in query.tuples()]
