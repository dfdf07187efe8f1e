"""The Twilio voice webhooks: thin handlers around telephony and voicemail."""

import logging
import re
import time
from functools import wraps

from flask import Blueprint, Response, g, request

from dutyline.db import database
from telephony import calls, twiml
from voicemail import tickets
from webhooks.incidents import DATABASE_FAULTS
from webhooks.runtime import runtime
from webhooks.signature import twilio_only

log = logging.getLogger(__name__)

bp = Blueprint("voice", __name__, url_prefix="/voice")


def xml(response):
    return Response(str(response), mimetype="text/xml")


def whisper_label(call):
    return twiml.caller_label(call.from_number, call.customer.name if call.customer_id else None)


def fallback_twiml():
    rt = runtime()
    return xml(twiml.render_fallback(rt.url, rt.settings, rt.fallback_number))


VERBS = re.compile(r"<(Dial|Record|Gather|Hangup|Say|Number)\b")


def decision_of(response):
    """A short summary of what a TwiML answer does, for the log: e.g. 'Say+Dial+Number'."""
    seen = []
    for verb in VERBS.findall(response.get_data(as_text=True)):
        if verb not in seen:
            seen.append(verb)
    return "+".join(seen) or "empty"


def voice_webhook(view):
    """Signature first; then any failure still answers the caller with fallback TwiML."""

    @twilio_only
    @wraps(view)
    def guarded(*args, **kwargs):
        started = time.perf_counter()
        incidents = runtime().incidents
        try:
            g.opened_database = database.connect(reuse_if_open=True)
            response = view(*args, **kwargs)
            outcome = "ok"
            incidents.succeeded()
        except DATABASE_FAULTS as exc:
            incidents.failed(exc, request.path)
            response, outcome = fallback_twiml(), "fallback"
        except Exception:  # the caller must always get a path, whatever broke
            log.exception("webhooks.voice: failed endpoint=%s call=%s", request.path,
                          request.form.get("CallSid", "-"))
            response, outcome = fallback_twiml(), "fallback"
        log.info("webhooks.voice: endpoint=%s call=%s outcome=%s decision=%s ms=%.1f",
                 request.path, request.form.get("CallSid", "-")[:34], outcome,
                 decision_of(response), (time.perf_counter() - started) * 1000)
        return response

    return guarded


@bp.post("/incoming")
@voice_webhook
def incoming():
    rt = runtime()
    form = request.form
    now = rt.clock()
    call, plan, step = calls.start_call(rt.settings, form.get("CallSid", ""), form.get("From", ""),
                                        form.get("To", ""), now, rt.fallback_number)
    if call.gated and step is None:
        return xml(twiml.render_gate(call.id, rt.url, rt.settings))
    if plan is None:  # a retry of an arrival already answered
        return xml(twiml.render_step(step, rt.url, rt.settings))
    return xml(twiml.render_arrival(plan.greeting, step, rt.url, rt.settings,
                                    plan.fallback_number))


@bp.post("/emergency")
@voice_webhook
def emergency():
    rt = runtime()
    call = calls.get_call(request.args.get("call"))
    if call is None or request.form.get("Digits", "") != "1":
        return xml(twiml.add_voicemail(twiml.VoiceResponse(), rt.url, rt.settings))
    step = calls.pass_gate(call, rt.clock())
    return xml(twiml.render_step(step, rt.url, rt.settings, rt.fallback_number))


@bp.post("/dial-result")
@voice_webhook
def dial_result():
    rt = runtime()
    leg = calls.get_leg(request.args.get("leg"))
    if leg is None:
        return fallback_twiml()
    following = calls.after_dial(leg, request.form.get("DialCallStatus", ""), rt.settings,
                                 rt.clock())
    if following == "done":
        return xml(twiml.render_hangup())
    return xml(twiml.render_step(following, rt.url, rt.settings))


@bp.post("/whisper")
@voice_webhook
def whisper():
    rt = runtime()
    leg = calls.get_leg(request.args.get("leg"))
    if leg is None:
        return xml(twiml.render_hangup())
    calls.record_pickup(leg, rt.clock())
    label = whisper_label(leg.call)
    return xml(twiml.render_whisper(label, leg.id, rt.url, rt.settings))


@bp.post("/accept")
@voice_webhook
def accept():
    rt = runtime()
    leg = calls.get_leg(request.args.get("leg"))
    if leg is None:
        return xml(twiml.render_hangup())
    if request.form.get("Digits", "") == "1":
        calls.record_accept(leg, rt.clock())
        return xml(twiml.render_accepted())
    label = whisper_label(leg.call)
    return xml(twiml.render_whisper(label, leg.id, rt.url, rt.settings))


@bp.post("/leg-status")
@voice_webhook
def leg_status():
    rt = runtime()
    leg = calls.get_leg(request.args.get("leg"))
    if leg is not None:
        calls.update_leg_status(leg, request.form.get("CallStatus", ""),
                                request.form.get("CallSid"), rt.clock())
    return xml(twiml.VoiceResponse())


def record_from_form(call, **fields):
    """Add what a recording callback says to the call's ticket (made on the first one)."""
    rt = runtime()
    form = request.form
    return tickets.record_voicemail(call, rt.clock(), rt.settings, delivery=rt.delivery,
                                    recording_url=form.get("RecordingUrl"), **fields)


@bp.post("/recorded")
@voice_webhook
def recorded():
    form = request.form
    call = tickets.find_call(form.get("CallSid", ""))
    if call is None or not form.get("RecordingUrl"):
        return xml(twiml.render_hangup())
    ticket = record_from_form(call, seconds=form.get("RecordingDuration"))
    return xml(twiml.render_ticket_confirmation(ticket.number, runtime().settings))


@bp.post("/recording-status")
@voice_webhook
def recording_status():
    form = request.form
    call = tickets.find_call(form.get("CallSid", ""))
    if call is not None and form.get("RecordingStatus", "completed") == "completed" \
            and form.get("RecordingSid"):
        record_from_form(call, seconds=form.get("RecordingDuration"),
                         recording_sid=form.get("RecordingSid"))
    return xml(twiml.VoiceResponse())


@bp.post("/transcription")
@voice_webhook
def transcription():
    form = request.form
    call = tickets.find_call(form.get("CallSid", ""))
    if call is not None and form.get("TranscriptionStatus") == "completed":
        record_from_form(call, recording_sid=form.get("RecordingSid"),
                         transcript=form.get("TranscriptionText"))
    return xml(twiml.VoiceResponse())


@bp.post("/status")
@voice_webhook
def status():
    rt = runtime()
    form = request.form
    if form.get("CallStatus") in ("completed", "busy", "failed", "no-answer", "canceled"):
        calls.finish_call(form.get("CallSid", ""), form.get("CallDuration"), rt.clock())
    return xml(twiml.VoiceResponse())


@bp.post("/fallback-result")
@voice_webhook
def fallback_result():
    rt = runtime()
    if request.form.get("DialCallStatus") == "completed":
        return xml(twiml.render_hangup())
    return xml(twiml.add_voicemail(twiml.VoiceResponse(), rt.url, rt.settings))


@bp.post("/fallback")
@voice_webhook
def fallback():
    return fallback_twiml()
