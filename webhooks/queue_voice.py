"""Overlapped hunting's webhooks: the caller's queue ticks, the REST legs' whisper and accept.

    arrival (webhooks.voice)  [greeting] <Enqueue waitUrl=queue-wait>; first leg started
                              through the REST API once the answer is on its way
    POST /voice/queue-wait    a tick: ringback, maybe the next leg; <Leave> when hunting ends
    POST /voice/queue-result  the caller left the queue: voicemail, or one engineer at a time
                              with <Dial> when the REST API failed
    POST /voice/leg-whisper   an engineer picked up a REST leg: press 1 to accept
    POST /voice/leg-accept    the first press of 1 joins the caller; a later one hears
                              "another engineer has taken this call"; other legs are stopped
    POST /voice/join-result   the accepted engineer's leg after the join
"""

import logging
from datetime import timedelta

from flask import Blueprint, Response, current_app, request

from dutyline.db import database
from telephony import bridging, calls, hunt, hunt_claims, queue_hunt, queue_twiml, twiml
from telephony.hunt_claims import Acceptance
from telephony.models import Call, CallStatus, Leg, LegOutcome
from telephony.steps import Step
from telephony.target_tick import first_look_seconds
from webhooks.callbacks import named_call, named_leg
from webhooks.runtime import call_settings, runtime
from webhooks.signature import twilio_only
from webhooks.voice_answers import answer as _answer
from webhooks.voice_answers import hang_up as _hang_up
from webhooks.voice_answers import voice_webhook
from webhooks.voice_answers import xml as _xml

log = logging.getLogger(__name__)

bp = Blueprint("queue_voice", __name__, url_prefix="/voice")


# While the REST API is failing, calls hunt with <Dial> at once rather than each finding out
# again (a REST timeout is seconds of a caller's wait); one call tries it again after this.
REST_RETRY = timedelta(seconds=30)


def overlapping(step):
    """True when this Step's ring should start an overlapped hunt rather than a <Dial>."""
    rt = runtime()
    if call_settings().hunt not in ("overlap", "target") or rt.dialer is None or step.ring is None \
            or step.gate_call_id is not None:
        return False
    return not (rt.incidents_rest is not None
                and rt.incidents_rest.failing_since(rt.clock(), REST_RETRY))


def answer_with_queue(step):
    """The caller's answer for the first ring of an overlapped hunt; the leg starts after it."""
    rt = runtime()
    call_id = Leg.select(Leg.call).where(Leg.id == step.ring.leg_id).scalar()
    settings = call_settings()
    response = _xml(queue_twiml.render_enqueue(step.greeting, call_id, rt.url, settings))
    more = ()
    if settings.hunt == "target":  # the phones the plan wants from the first moment
        call = Call.get_by_id(call_id)
        queue_hunt.explain_first(call, hunt.targets_of(call), settings)
        more, _ = queue_hunt.further_starts(call, hunt.targets_of(call), settings, rt.clock(),
                                            soon=first_look_seconds(step.greeting))
    return after_response(response, start=step.ring.leg_id, more=more)


def after_response(response, start=None, stop=(), more=()):
    """Start or stop REST legs once the answer has been sent: the caller never waits on them.
    `more`: further legs to start after `start` (the target hunt's phones at one moment)."""
    if start is None and not stop:
        return response
    app = current_app._get_current_object()
    settings = call_settings()  # the call's team's: run() has an app context of its own

    def run():
        with app.app_context():
            rt = runtime()
            with database.connection_context():
                if stop:
                    queue_hunt.stop_legs(rt.dialer, stop)
                for leg_id in ((start, *more) if start is not None else ()):
                    error = queue_hunt.start_leg(leg_id, rt.dialer, rt.url, settings,
                                                 rt.clock())
                    if error is None:
                        rt.incidents_rest.succeeded()
                    else:  # logged once per incident, however many calls it costs
                        rt.incidents_rest.failed(error, "dialer", at=rt.clock())
                        break

    response.call_on_close(run)
    return response


def live_legs_of_call(call_sid):
    """REST legs still up for the call with this CallSid (none for <Dial> hunting)."""
    call_id = Call.select(Call.id).where(Call.sid == call_sid).scalar()
    return queue_hunt.live_sids(call_id) if call_id is not None else ()


def _call_of(form_sid):
    call = named_call()  # its token, and the form's CallSid its own: else nothing is done
    return call if call is not None and call.sid == form_sid else None


def _leg_of(form_sid):
    leg = named_leg()
    if leg is None or not leg.child_sid or leg.child_sid != form_sid:
        return None  # only a leg made through the REST API, asking about itself
    return leg


@bp.post("/queue-wait")
@twilio_only
@voice_webhook
def queue_wait():
    rt = runtime()
    call = _call_of(request.form.get("CallSid", ""))
    if call is None:
        return _xml(queue_twiml.render_wait(rt.url, leave=True))
    outcome = queue_hunt.tick(call, call_settings(), rt.clock())
    waited = request.form.get("QueueTime", "0")
    response = _xml(queue_twiml.render_wait(rt.url, leave=outcome.leave,
                                            waited=int(waited) if waited.isascii()
                                            and waited.isdigit() else 0,
                                            wait_for=outcome.wait_for))
    return after_response(response, start=outcome.leg_id, stop=outcome.stop, more=outcome.more)


@bp.post("/queue-result")
@twilio_only
@voice_webhook
def queue_result():
    rt = runtime()
    call = _call_of(request.form.get("CallSid", ""))
    if call is None:
        return _hang_up()
    result = request.form.get("QueueResult")
    now = rt.clock()
    if result in LEFT_THE_LINE:  # the caller hung up while engineers' phones rang
        closed = hunt_claims.close_live_legs(call, now, LegOutcome.CALLER_HUNG_UP)
        # an engineer who pressed 1 a moment ago never reached them: an abandoned call
        bridging.settle(call.id, bridging.queue_bridge(result), now)
        return after_response(_hang_up(), stop=closed)
    if result in QUEUE_FAULTS:  # the caller is still there: a message rather than nothing
        stop = hunt_claims.close_live_legs(call, now, LegOutcome.WITHDRAWN)
        if call.answered_at is None:
            calls.mark_voicemail(call)
            return after_response(_answer(Step()), stop=stop)
        return after_response(_hang_up(), stop=stop)
    if result != "leave":  # bridged (the conversation is over), redirected
        return _hang_up()
    if call.answered_at is not None:  # an engineer has the caller: back to the queue to meet
        return _xml(queue_twiml.render_enqueue(None, call.id, rt.url, call_settings()))
    ring = queue_hunt.resume_one_at_a_time(call, now)
    if ring is not None:  # the REST API let us down: one engineer at a time
        return _answer(Step(ring=ring))
    calls.mark_voicemail(call)
    return _answer(Step())


@bp.post("/leg-whisper")
@twilio_only
@voice_webhook
def leg_whisper():
    rt = runtime()
    leg = _leg_of(request.form.get("CallSid", ""))
    if leg is None:
        return _hang_up()
    calls.record_pickup(leg, rt.clock())
    call = leg.call
    if call.status != CallStatus.RINGING or call.ended_at is not None \
            or leg.ended_at is not None:  # the caller is no longer to be taken
        if leg.accepted_at is not None:  # by this leg's engineer: the pick-up came again
            return _join(leg)
        return _not_needed(hunt_claims.not_needed(leg))
    if hunt.connects_on_pickup(leg):  # a desk phone with no whisper: the pick-up accepts
        return _accept(leg)
    return _whisper(leg)


@bp.post("/leg-accept")
@twilio_only
@voice_webhook
def leg_accept():
    leg = _leg_of(request.form.get("CallSid", ""))
    if leg is None:
        return _hang_up()
    if request.form.get("Digits", "") != "1":
        return _whisper(leg)
    return _accept(leg)


LEFT_THE_LINE = bridging.LEFT_QUEUE_RESULTS
QUEUE_FAULTS = ("error", "system-error", "queue-full")


def _whisper(leg):
    rt = runtime()
    return _xml(twiml.render_whisper(calls.whisper_label(leg.call), leg.id, rt.url,
                                     call_settings(), accept="leg_accept",
                                     short=call_settings().hunt == "target"))


def _accept(leg):
    """The first acceptance of the call joins the caller, and the other phones stop; this
    leg's own, again, joins again; any other hears why not."""
    acceptance = hunt_claims.accept(leg, runtime().clock())
    if acceptance == Acceptance.WON:
        return after_response(_join(leg), stop=queue_hunt.live_sids(leg.call_id, leg.id))
    if acceptance == Acceptance.HELD:
        return _join(leg)
    return _not_needed(acceptance)


def _join(leg):
    return _xml(queue_twiml.render_join(leg.call_id, leg.id, runtime().url))


def _not_needed(acceptance):
    return _xml(twiml.render_not_needed(acceptance, call_settings()))


@bp.post("/join-result")
@twilio_only
@voice_webhook
def join_result():
    rt = runtime()
    if request.form.get("DialCallStatus") in ("completed", "answered"):
        return _hang_up()
    leg = _leg_of(request.form.get("CallSid", ""))
    gone = hunt_claims.join_failed(leg, rt.clock()) if leg is not None else True
    if gone:
        return _not_needed(Acceptance.CALLER_GONE)
    log.warning("webhooks.queue_voice: join failed, hunting on call=%s", leg.call_id)
    return _xml(twiml.render_goodbye(queue_twiml.NOT_JOINED, call_settings()))


@bp.get("/ringback.wav")
def ringback():
    """The tone a waiting caller hears (no signature: Twilio fetches media plainly)."""
    sound = TONE if request.args.get("tone") == "whisper" else RINGBACK
    return Response(sound, mimetype="audio/wav",
                    headers={"Cache-Control": "public, max-age=86400"})


RINGBACK = queue_twiml.ringback_wav()
TONE = queue_twiml.tone_wav()
