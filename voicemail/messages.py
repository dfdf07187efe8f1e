"""A caller's message, whatever the call log knows of the call.

Twilio's recording callbacks (the recording itself, its status, its transcription) name the
call by its CallSid. A call the database never logged (its arrival got the fallback answer
while the database was away, or Twilio's own fallback URL answered) is made here from the
signed form, so its message still becomes a ticket, delivered like any other. The same
function takes a callback live and replays one kept on disk (voicemail.spool), and is
idempotent per call: one ticket, one set of notices, however often it runs.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from peewee import IntegrityError

from customers.directory import customer_for_number
from hours.business_hours import OUT_OF_HOURS, mode_at
from rota.models import FIRST_TEAM
from rota.periods import duty_at
from rota.teams import settings_of
from telephony.lines import route_for
from telephony.models import Call, CallStatus
from voicemail import tickets

log = logging.getLogger(__name__)

RECORDED = "recorded"  # the <Record> action: the caller is still on the line
RECORDING_STATUS = "recording_status"
TRANSCRIPTION = "transcription"
KINDS = (RECORDED, RECORDING_STATUS, TRANSCRIPTION)


@dataclass(frozen=True)
class MessageEvent:
    """What one recording callback said, its fields checked (webhooks.twilio_form) and the
    moment it arrived; plain data, so that it can wait on disk."""

    kind: str
    call_sid: str
    from_number: str
    to_number: str
    received_at: datetime  # aware
    recording_url: str | None = None
    seconds: str | None = None
    recording_sid: str | None = None
    transcript: str | None = None

    def as_dict(self):
        data = asdict(self)
        data["received_at"] = self.received_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data):
        fields = {key: data.get(key) for key in cls.__dataclass_fields__}
        if fields["kind"] not in KINDS or not fields["call_sid"]:
            raise ValueError(f"not a message event: kind={fields['kind']!r}")
        fields["received_at"] = datetime.fromisoformat(fields["received_at"])
        if fields["received_at"].tzinfo is None:
            raise ValueError("a message event's moment has no zone")
        return cls(**fields)


def call_for_message(event, settings):
    """The call the event names: the logged one, or one made now from what Twilio signed.

    A made call is of the team the number called reaches (the first team for a number with
    no line, or one with a menu: the caller's choice is not known), dated when the message
    arrived, in the team's mode of that moment, with its duty engineer of that moment out of
    hours, so the ticket reaches whom it would have.
    """
    call = tickets.find_call(event.call_sid)
    if call is not None:
        return call
    at = event.received_at
    route = route_for(event.to_number)
    team = route.team_id or FIRST_TEAM
    mode = mode_at(settings.for_team(route.team_name), at)
    duty = duty_at(at, team)[0] if mode == OUT_OF_HOURS else None
    try:
        with tickets.write_transaction():  # the write lock first, as a ticket takes it
            call = Call.create(sid=event.call_sid, team=team, line=route.line_id,
                               from_number=event.from_number,
                               to_number=event.to_number, started_at=at, mode=mode,
                               customer=customer_for_number(event.from_number),
                               duty_engineer=duty, status=CallStatus.VOICEMAIL, voicemail_at=at)
    except IntegrityError:
        return tickets.find_call(event.call_sid)
    log.warning("voicemail.messages.call_for_message: a message for a call never logged, "
                "call made kind=%s call=%s", event.kind, event.call_sid)
    return call


def record_message(event, settings, delivery):
    """The ticket for the event's message (made on the first callback, completed by later
    ones), its notices queued in the same transaction; None when there is nothing to keep.
    `settings` are the top-level ones: the ticket is made with its call's team's."""
    if event.kind == RECORDED and not event.recording_url:
        return None
    # the call first, in a transaction of its own: a failure after it leaves a logged call,
    # which the callback's retry or the replay finds
    call = call_for_message(event, settings)
    settings = settings_of(settings, call.team_id)  # the call's team's: its hours, its zone
    fields = {"recording_url": event.recording_url}
    if event.kind in (RECORDED, RECORDING_STATUS):
        fields["seconds"] = event.seconds
    if event.kind in (RECORDING_STATUS, TRANSCRIPTION):
        fields["recording_sid"] = event.recording_sid
    if event.kind == TRANSCRIPTION:
        fields["transcript"] = event.transcript
    return tickets.record_voicemail(call, event.received_at, settings, delivery=delivery,
                                    **fields)
