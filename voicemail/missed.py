"""Missed calls: every call that reached nobody becomes a ticket, due a call-back.

A call reached nobody when no engineer accepted it and it was not blocked: it went to
voicemail, to the fallback number, or the caller hung up while it rang. A short abandon
(hung up within `short_abandon_seconds`, as the reports count it) is left out. A call
that left a message has its voicemail ticket already; the others get a ticket of the
kind "missed", made by the clock once the call has ended (and a little later for a call
sent to voicemail, whose recording may still come), delivered like a voicemail ticket.

Each call is judged and its ticket made with its team's settings (its short abandon, its
hours and zone for the reaction deadline, its texts); a call logged before there were teams
is the first team's.

The call-back list is the tickets whose call-back is still due: until an engineer's
call-back reaches the caller, or an engineer marks it done with the reason.
"""

from datetime import timedelta

from peewee import JOIN

from customers.models import Customer
from dutyline.db import database
from dutyline.phones import is_withheld
from rota.models import FIRST_TEAM
from rota.teams import settings_of
from voicemail.ticket_teams import of_team
from telephony.models import Call, CallStatus
from voicemail.models import MISSED_KIND, Ticket
from voicemail import notify
from voicemail.notify import Delivery
from voicemail.tickets import TicketError, get_ticket, reaction_deadline

ENDED_GRACE = timedelta(minutes=2)  # a recording's callbacks come within this of the end
LOOKBACK = timedelta(days=2)  # calls older than this when first seen are left alone
REASON_LENGTH = 500


def _is_miss(call, settings):
    if call.answered_at is not None or call.status in (CallStatus.ANSWERED,
                                                        CallStatus.BLOCKED):
        return False
    if call.voicemail_at is not None or call.fallback_at is not None \
            or call.status == CallStatus.VOICEMAIL:
        return True
    held = (call.ended_at - call.started_at).total_seconds()
    return held > settings.short_abandon_seconds


def team_settings(settings, call):
    """The settings of the call's team, from the top-level `settings`."""
    return settings_of(settings, call.team_id or FIRST_TEAM)


def missed_without_ticket(settings, now):
    """The ended calls of the last LOOKBACK that reached nobody and have no ticket, each
    judged by its team's short abandon (`settings` are the top-level ones)."""
    calls = (Call
             .select(Call)
             .join(Ticket, JOIN.LEFT_OUTER, on=(Ticket.call == Call.id))
             .where(Ticket.id.is_null(), Call.answered_at.is_null(),
                    Call.ended_at.is_null(False), Call.ended_at <= now - ENDED_GRACE,
                    Call.started_at >= now - LOOKBACK)
             .order_by(Call.started_at, Call.id))
    teams = {}  # team id -> its settings, read once a pass
    for call in calls:
        if call.team_id not in teams:
            teams[call.team_id] = team_settings(settings, call)
    return [call for call in calls if _is_miss(call, teams[call.team_id])]


def record_missed(call, settings, now, delivery=None):
    """The missed-call ticket of one call, made once however often the clock passes;
    True when this pass made it. Its notices are queued in the same transaction. `settings`
    are the top-level ones: the ticket is made with its call's team's."""
    delivery = delivery or Delivery()
    settings = team_settings(settings, call)
    customer = Customer.get_or_none(Customer.id == call.customer_id) \
        if call.customer_id else None
    with database.atomic():
        if Ticket.select().where(Ticket.call == call.id).exists():
            return False
        query = (Ticket
                 .insert(call=call.id, caller=call.from_number, customer=customer,
                         engineer=call.duty_engineer_id, created_at=call.started_at,
                         deadline=reaction_deadline(settings, customer, call.started_at),
                         kind=MISSED_KIND)
                 .on_conflict(action="NOTHING", conflict_target=[Ticket.call]))
        if database.execute(query).rowcount != 1:
            return False
        ticket = Ticket.get(Ticket.call == call.id)
        notify.queue_ticket_created(ticket, call, delivery, settings, now)
    return True


def queue_missed_calls(settings, now, delivery=None):
    """The clock's pass: a ticket for each missed call that has none; their number."""
    return sum(record_missed(call, settings, now, delivery)
               for call in missed_without_ticket(settings, now))


def callbacks_due(limit=500, team=None):
    """The tickets whose call-back is due, the oldest call first; of the team whose id is
    `team`, when given."""
    query = (Ticket
             .select(Ticket, Customer)
             .join(Customer, JOIN.LEFT_OUTER, on=(Ticket.customer == Customer.id))
             .where(Ticket.callback_done_at.is_null())
             .order_by(Ticket.created_at, Ticket.id)
             .limit(limit))
    if team is not None:
        query = query.where(of_team(team))
    return list(query)


def can_call_back(ticket):
    """False for a withheld number: nobody can call it back."""
    return not is_withheld(ticket.caller)


def mark_done(number, reason, now, engineer=None):
    """An engineer marks a ticket's call-back done, saying why; once only."""
    ticket = get_ticket(number)
    reason = " ".join(str(reason or "").split())[:REASON_LENGTH]
    if not reason:
        raise TicketError("say why the call-back is done")
    if ticket.callback_done_at is not None:
        raise TicketError(f"ticket #{ticket.number}: the call-back is already done")
    (Ticket.update(callback_done_at=now, callback_reason=reason,
                   callback_done_by=engineer.id if engineer else None)
     .where(Ticket.id == ticket.id, Ticket.callback_done_at.is_null()).execute())
    return Ticket.get_by_id(ticket.id)
