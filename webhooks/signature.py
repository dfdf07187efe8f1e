"""Every Twilio endpoint checks X-Twilio-Signature with the SDK's validator."""

import logging
import threading
from functools import wraps
from urllib.parse import urlsplit

from flask import Response, current_app, request
from twilio.request_validator import get_signature_algorithm

from dutyline.plain_text import for_log
from webhooks.runtime import runtime

log = logging.getLogger(__name__)

_FIRST_REFUSAL = threading.Lock()


def signed_by_twilio(req):
    """True when the request carries a valid signature for the URL Twilio used."""
    rt = runtime()
    signature = req.headers.get("X-Twilio-Signature", "")
    if rt.validator is None or not signature:
        return False
    algorithm = get_signature_algorithm(req.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    return rt.validator.validate(rt.url_twilio_used(req), req.form, signature, algorithm)


def _without_query(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def explain_first_refusal(req):
    """Log once per app, at its first refused request, the URL it checked and the one asked.

    A PUBLIC_URL whose scheme or host differs from what Twilio calls refuses every webhook;
    this line is how an operator sees it. The signature and the query are never logged.
    """
    with _FIRST_REFUSAL:
        if current_app.extensions.get("dutyline.refusal_explained"):
            return
        current_app.extensions["dutyline.refusal_explained"] = True
    rt = runtime()
    expected, asked = rt.url_twilio_used(req), req.url
    hint = ""
    signature = req.headers.get("X-Twilio-Signature", "")
    if rt.validator is None:
        hint = " TWILIO_AUTH_TOKEN is not set"
    elif signature and expected != asked and rt.validator.validate(asked, req.form, signature):
        hint = " the signature is good for the URL asked: PUBLIC_URL does not match it"
    log.warning("webhooks.signature: first refused request expected_url=%s asked_url=%s%s",
                for_log(_without_query(expected)), for_log(_without_query(asked)), hint)


def twilio_only(view):
    """Refuse (403, nothing done) any request that Twilio did not sign."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not signed_by_twilio(request):
            log.warning("webhooks.signature: refused path=%s", for_log(request.path))
            explain_first_refusal(request)
            return Response("forbidden: invalid Twilio signature\n", status=403,
                            mimetype="text/plain")
        return view(*args, **kwargs)

    return checked
