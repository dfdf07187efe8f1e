"""Which team a ticket is of: its call's. A call logged before there were teams has none and
is the first team's, as the upgrade made everything there was."""

from rota.models import FIRST_TEAM
from telephony.models import Call
from voicemail.models import Ticket


def of_team(team_id):
    """The condition on Ticket that keeps the tickets of the team `team_id`."""
    calls = Call.team == team_id
    if team_id == FIRST_TEAM:
        calls = calls | Call.team.is_null()
    return Ticket.call.in_(Call.select(Call.id).where(calls))


def ticket_team(ticket):
    """The id of the team a ticket is of."""
    team = Call.select(Call.team).where(Call.id == ticket.call_id).scalar()
    return team or FIRST_TEAM
