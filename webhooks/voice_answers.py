"""What every voice webhook answers with: TwiML responses, the fallback, one lifecycle.

Shared by the arrival's and dial's webhooks (webhooks.voice) and overlapped hunting's
(webhooks.queue_voice), so both log the same line and fail to the same fallback.
"""

import re

from flask import Response, request

from telephony import call_events, twiml
from webhooks.lifecycle import Lifecycle
from webhooks.runtime import call_settings, runtime


def xml(response):
    return Response(str(response), mimetype="text/xml")


def fallback_twiml():
    rt = runtime()
    return xml(twiml.render_fallback(rt.url, call_settings(), rt.fallback_number))


def hang_up():
    return xml(twiml.render_hangup())


def answer(step):
    """The TwiML of a Step; voicemail and the fallback number are noted for the statistics."""
    rt = runtime()
    call_events.record_destination(request.form.get("CallSid", ""), step, rt.clock())
    return xml(twiml.render(step, rt.url, call_settings()))


VERBS = re.compile(r"<(Dial|Record|Gather|Hangup|Say|Number)\b")


def decision_of(response):
    """A short summary of what a TwiML answer does, for the log: e.g. 'decision=Say+Dial+Number'."""
    seen = []
    for verb in VERBS.findall(response.get_data(as_text=True)):
        if verb not in seen:
            seen.append(verb)
    return "decision=" + ("+".join(seen) or "empty")


# Twilio waits 15 s; the caller should hear something within 5. A database that has not
# finished a webhook's work in this many seconds is cut off, and the caller gets the fallback.
DATABASE_SECONDS = 3.0

# any failure after the signature check still answers the caller with fallback TwiML
voice_webhook = Lifecycle("webhooks.voice",
                          subject=lambda form: f"call={form.get('CallSid', '-')[:34]}",
                          describe=decision_of, on_failure=fallback_twiml,
                          deadline=DATABASE_SECONDS)
