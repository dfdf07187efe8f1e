"""Every Twilio endpoint checks X-Twilio-Signature with the SDK's validator."""

import logging
from functools import wraps

from flask import Response, request
from twilio.request_validator import get_signature_algorithm

from webhooks.runtime import runtime

log = logging.getLogger(__name__)


def signed_by_twilio(req):
    """True when the request carries a valid signature for the URL Twilio used."""
    rt = runtime()
    signature = req.headers.get("X-Twilio-Signature", "")
    if rt.validator is None or not signature:
        return False
    algorithm = get_signature_algorithm(req.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    return rt.validator.validate(rt.url_twilio_used(req), req.form, signature, algorithm)


def twilio_only(view):
    """Refuse (403, nothing done) any request that Twilio did not sign."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not signed_by_twilio(request):
            log.warning("webhooks.signature: refused path=%s", request.path)
            return Response("forbidden: invalid Twilio signature\n", status=403,
                            mimetype="text/plain")
        return view(*args, **kwargs)

    return checked
