"""Which leg or call a voice callback is about, believed only when everything agrees.

The leg (or call) named in the URL must come with its token, and the form's CallSid or
ParentCallSid must be that leg's call; else the callback is taken as naming nothing, and
each handler answers as it does for a leg it never saw. The form's other fields are read
by name only: an unknown name changes nothing. A leg or call believed sets the request's
settings to its team's (webhooks.runtime.use_team).
"""

import logging

from flask import request

from dutyline.plain_text import for_log
from telephony import calls
from webhooks.callback_tokens import TOKEN_PARAM
from webhooks.runtime import runtime, use_team
from webhooks.twilio_form import call_sid

log = logging.getLogger(__name__)


def _refused(kind, value, reason):
    log.warning("webhooks.callbacks: refused %s=%s reason=%s path=%s", kind, for_log(value[:20]),
                reason, for_log(request.path))


def _sids_of_form():
    return {sid for sid in (call_sid(request.form), call_sid(request.form, "ParentCallSid"))
            if sid}


def named_leg():
    """The leg this callback's URL names, with its call, or None."""
    value = request.args.get("leg", "")
    leg = calls.get_leg(value)
    if leg is None:
        return None
    if not runtime().callback_matches("leg", leg.id, request.args.get(TOKEN_PARAM)):
        _refused("leg", value, "token")
        return None
    sids = _sids_of_form()
    # a leg made through the REST API (overlapped hunting) is a call of its own: its CallSid
    if leg.call.sid not in sids and not (leg.child_sid and leg.child_sid in sids):
        _refused("leg", value, "another call")
        return None
    use_team(leg.call.team_id)
    return leg


def named_call():
    """The call this callback's URL names (the emergency gate), or None."""
    value = request.args.get("call", "")
    call = calls.get_call(value)
    if call is None:
        return None
    if not runtime().callback_matches("call", call.id, request.args.get(TOKEN_PARAM)):
        _refused("call", value, "token")
        return None
    if call.sid != call_sid(request.form):
        _refused("call", value, "another call")
        return None
    use_team(call.team_id)
    return call
