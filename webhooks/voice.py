"""The Twilio voice webhooks: thin handlers around telephony and voicemail."""

import logging
from datetime import datetime, timedelta, timezone

from flask import Blueprint, request

from dutyline.phones import is_mobile
from rota.managers import tell_nobody_on_duty
from rota.models import FIRST_TEAM
from telephony import bridging, call_events, calls, hunt, hunt_claims, twiml
from telephony.arrival import load_arrival
from telephony.arrival_save import Retry, save_arrival
from telephony.hunt_claims import Acceptance
from telephony.lines import route_for
from telephony.routing import decide_route
from telephony.steps import Step, shown_caller_id
from voicemail.messages import RECORDED, RECORDING_STATUS, TRANSCRIPTION
from webhooks import messages, queue_voice, twilio_form
from webhooks.callback_tokens import TOKEN_PARAM
from webhooks.callbacks import named_call, named_leg
from webhooks.runtime import call_settings, runtime, use_settings, use_team
from webhooks.signature import twilio_only
from webhooks.voice_answers import answer, fallback_twiml, voice_webhook, xml

bp = Blueprint("voice", __name__, url_prefix="/voice")
log = logging.getLogger(__name__)

ATTEMPTS = 3  # a retried CallSid's second load finds it logged and replays it


def answer_ring(step):
    """The first ring of a hunt: a <Dial>, or with hunt = "overlap" the caller's queue."""
    if queue_voice.overlapping(step):
        return queue_voice.answer_with_queue(step)
    return answer(step)


@bp.post("/incoming")
@twilio_only
@voice_webhook
def incoming():
    arrival = twilio_form.arrival(request.form)
    if arrival is None:  # no call to log or to route: the caller still gets a path
        return fallback_twiml()
    return _arrive(arrival)


@bp.post("/menu")
@twilio_only
@voice_webhook
def menu():
    """The caller's key (or silence) on a line's menu: a team's hunt, or a plain number."""
    rt = runtime()
    arrival = twilio_form.arrival(request.form)
    if arrival is None:
        return fallback_twiml()
    route = route_for(arrival.to_number)
    if route.menu is None:  # the line lost its menu meanwhile: its team, as an arrival
        return _arrive(arrival)
    choice = route.menu.choice(request.form.get("Digits", "").strip())
    if choice.number is not None:
        return xml(twiml.render_forward(choice.number, shown_caller_id(arrival.from_number),
                                        rt.url, rt.settings))
    return _arrive(arrival, choice.team_id, chosen=True, arrived_at=_menu_arrival(rt))


MENU_LONGEST = timedelta(minutes=5)  # a menu's arrival further back is not believed


def _menu_arrival(rt):
    """When the call reached the menu, as its callback URL says (with that URL's token), or
    None: the call is then taken to have arrived now."""
    value = request.args.get("at", "")
    if not (value.isascii() and value.isdigit() and len(value) < 16) \
            or not rt.callback_matches("at", value, request.args.get(TOKEN_PARAM)):
        return None
    arrived = datetime.fromtimestamp(int(value) / 1000, timezone.utc)
    return arrived if timedelta(0) <= rt.clock() - arrived <= MENU_LONGEST else None


def _arrive(arrival, team_id=FIRST_TEAM, chosen=False, arrived_at=None):
    """A call for the team of the line called, else `team_id`: load, decide, save, render.
    A line with a menu answers with it unless the caller has `chosen` already; the call
    arrived at `arrived_at` (its menu), else now."""
    rt = runtime()
    now = rt.clock()
    for _ in range(ATTEMPTS):
        state = load_arrival(arrival, rt.settings, now, rt.fallback_number, team_id)
        if state.menu_line and not chosen:  # the caller chooses first; nothing is logged
            return xml(twiml.render_menu(route_for(arrival.to_number).menu, rt.url,
                                         rt.settings, int(now.timestamp() * 1000)))
        use_settings(state.settings)
        decision = decide_route(state, now)
        step = save_arrival(arrival, state, decision, now, arrived_at=arrived_at)
        if not isinstance(step, Retry):
            break
        # the same CallSid was logged first (Twilio retried): the next load replays it
    else:
        raise RuntimeError("could not log the arriving call")
    if decision.nobody_on_duty:
        _report_nobody_on_duty(rt, now, state.team_id)
    return answer_ring(step)


def _report_nobody_on_duty(rt, now, team_id):
    """The team's rota's fault, told to the team's managers; never the caller's problem."""
    try:
        tell_nobody_on_duty(call_settings(), rt.managers, now, team_id)
    except Exception:  # the caller's path goes on whatever happens to the notice
        log.exception("webhooks.voice.incoming: could not tell the managers")


@bp.post("/emergency")
@twilio_only
@voice_webhook
def emergency():
    rt = runtime()
    call = named_call()
    if call is None or request.form.get("Digits", "") != "1":
        return answer(Step())
    return answer_ring(hunt.pass_gate(call, rt.clock(), rt.fallback_number))


@bp.post("/dial-result")
@twilio_only
@voice_webhook
def dial_result():
    rt = runtime()
    leg = named_leg()
    if leg is None:
        return fallback_twiml()
    now = rt.clock()
    ended = calls.end_dial(leg, request.form.get("DialCallStatus", ""), now,
                           bridged=request.form.get("DialBridged") == "true")
    if ended.leg.accepted_at is not None:  # a caller who hung up before the bridge: abandoned
        bridging.settle(leg.call_id, bridging.dial_bridge(request.form.get("DialBridged"),
                                                          request.form.get("CallStatus")), now)
    if ended.over:
        return answer(Step(hang_up=True))
    return answer(hunt.ring_next(ended.leg.call, ended.leg.step, call_settings(), now))


@bp.post("/whisper")
@twilio_only
@voice_webhook
def whisper():
    rt = runtime()
    leg = named_leg()
    if leg is None:
        return xml(twiml.render_hangup())
    calls.record_pickup(leg, rt.clock())
    return _whisper(leg)


@bp.post("/accept")
@twilio_only
@voice_webhook
def accept():
    rt = runtime()
    leg = named_leg()
    if leg is None:
        return xml(twiml.render_hangup())
    if request.form.get("Digits", "") != "1":
        return _whisper(leg)
    acceptance = hunt_claims.accept(leg, rt.clock())
    if acceptance in (Acceptance.WON, Acceptance.HELD):
        return xml(twiml.render_accepted())  # the caller is bridged to this engineer
    return xml(twiml.render_not_needed(acceptance, call_settings()))


def _whisper(leg):
    rt = runtime()
    return xml(twiml.render_whisper(calls.whisper_label(leg.call), leg.id, rt.url, call_settings()))


@bp.post("/leg-status")
@twilio_only
@voice_webhook
def leg_status():
    rt = runtime()
    leg = named_leg()
    if leg is not None:
        form = request.form
        at = call_events.callback_moment(form.get("Timestamp"), rt.clock())
        if form.get("CallStatus") == "ringing":
            call_events.record_ringing(leg, at)
        dialled = twilio_form.call_sid(form, "ParentCallSid") == leg.call.sid
        calls.update_leg_status(leg, form.get("CallStatus", ""), twilio_form.call_sid(form), at,
                                dialled=dialled)
    return xml(twiml.VoiceResponse())


def _message(kind):
    """The recording callback's message, taken by the database or kept on disk."""
    event = messages.event_of(kind, request.form, runtime().clock())
    return None if event is None else messages.take(event)


@bp.post("/recorded")
@twilio_only
@voice_webhook
def recorded():
    if not request.form.get("RecordingUrl"):
        return xml(twiml.render_hangup())
    taken = _message(RECORDED)
    if taken is None:  # no call named: nothing to keep it under
        return xml(twiml.render_hangup())
    if taken.ticket is None:  # kept on disk: the reference follows by text, to a mobile
        caller = twilio_form.number(request.form, "From")
        return xml(twiml.render_message_kept(is_mobile(caller), call_settings()))
    use_team(taken.ticket.call.team_id)  # the confirmation in the voice of the call's team
    return xml(twiml.render_ticket_confirmation(taken.ticket.number, call_settings()))


@bp.post("/recording-status")
@twilio_only
@voice_webhook
def recording_status():
    form = request.form
    if form.get("RecordingStatus", "completed") == "completed" and form.get("RecordingSid"):
        _message(RECORDING_STATUS)
    return xml(twiml.VoiceResponse())


@bp.post("/transcription")
@twilio_only
@voice_webhook
def transcription():
    if request.form.get("TranscriptionStatus") == "completed":
        _message(TRANSCRIPTION)
    return xml(twiml.VoiceResponse())


@bp.post("/status")
@twilio_only
@voice_webhook
def status():
    rt = runtime()
    form = request.form
    sid = twilio_form.call_sid(form)
    if sid and form.get("CallStatus") in ("completed", "busy", "failed", "no-answer", "canceled"):
        # legs still ringing for a caller who hung up are stopped once this is answered
        ringing = queue_voice.live_legs_of_call(sid)
        calls.finish_call(sid, twilio_form.duration(form, "CallDuration"),
                          call_events.callback_moment(form.get("Timestamp"), rt.clock()))
        return queue_voice.after_response(xml(twiml.VoiceResponse()), stop=ringing)
    return xml(twiml.VoiceResponse())


@bp.post("/fallback-result")
@twilio_only
@voice_webhook
def fallback_result():
    return answer(Step(hang_up=request.form.get("DialCallStatus") == "completed"))


@bp.post("/forward-result")
@twilio_only
@voice_webhook
def forward_result():
    """A menu's plain number has ended: hang up after a conversation, else say so."""
    if request.form.get("DialCallStatus") == "completed":
        return xml(twiml.render_hangup())
    return xml(twiml.render_goodbye(twiml.FORWARD_NOT_ANSWERED, runtime().settings))


@bp.post("/fallback")
@twilio_only
@voice_webhook
def fallback():
    return fallback_twiml()
