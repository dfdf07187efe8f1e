"""Voicemail tickets: one per call, whichever callback arrives first."""

from peewee import IntegrityError

from dutyline.db import database
from telephony.calls import mark_voicemail
from telephony.models import Call
from voicemail.models import Ticket


def _duration(value):
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def record_voicemail(call, now, recording_url=None, seconds=None, recording_sid=None):
    """The ticket for the call's voicemail, created once and completed by later callbacks."""
    ticket = Ticket.get_or_none(Ticket.call == call)
    if ticket is None:
        try:
            with database.atomic():
                ticket = Ticket.create(call=call, caller=call.from_number,
                                       engineer=call.duty_engineer_id, created_at=now)
        except IntegrityError:
            ticket = Ticket.get(Ticket.call == call)
    changes = {}
    if recording_url and not ticket.recording_url:
        changes["recording_url"] = recording_url
    seconds = _duration(seconds)
    if seconds is not None and ticket.recording_seconds is None:
        changes["recording_seconds"] = seconds
    if recording_sid and not ticket.recording_sid:
        changes["recording_sid"] = recording_sid
    if changes:
        Ticket.update(**changes).where(Ticket.id == ticket.id).execute()
        for key, value in changes.items():
            setattr(ticket, key, value)
    mark_voicemail(call)
    return ticket


def find_call(sid):
    return Call.get_or_none(Call.sid == sid)


def list_tickets(limit=100):
    """The most recent tickets, newest first."""
    return list(Ticket
                .select()
                .order_by(Ticket.id.desc())
                .limit(limit))


def ticket_as_dict(ticket):
    return {"number": ticket.number, "caller": ticket.caller, "status": ticket.status,
            "recording_url": ticket.recording_url, "recording_seconds": ticket.recording_seconds,
            "recording_sid": ticket.recording_sid,
            "engineer": ticket.engineer.name if ticket.engineer_id else None,
            "created_at": ticket.created_at.isoformat()}
