"""Whether an acceptance reached the caller, from the caller's own call, and the status a call
ends with: the table of the decision, its boundaries included."""

import pytest

from telephony.bridging import Bridge, dial_bridge, ends_as, queue_bridge
from telephony.models import CallStatus


@pytest.mark.parametrize("queue_result, bridge", [
    ("bridged", Bridge.BRIDGED),
    ("bridging-in-process", Bridge.BRIDGED),  # a <Dial><Queue> had taken the caller
    ("hangup", Bridge.CALLER_LEFT),  # hung up while still waiting in the queue
    ("leave", Bridge.UNKNOWN),  # sent on by the hunt: says nothing of a bridge
    ("redirected", Bridge.UNKNOWN),
    ("error", Bridge.UNKNOWN),
    ("system-error", Bridge.UNKNOWN),
    ("queue-full", Bridge.UNKNOWN),
    ("", Bridge.UNKNOWN),
    (None, Bridge.UNKNOWN),
    ("Hangup", Bridge.UNKNOWN),  # Twilio's words are lower case: nothing else is believed
])
def test_queue_results(queue_result, bridge):
    assert queue_bridge(queue_result) == bridge


@pytest.mark.parametrize("dial_bridged, caller_status, bridge", [
    ("true", "completed", Bridge.BRIDGED),
    ("true", "in-progress", Bridge.BRIDGED),
    ("false", "completed", Bridge.CALLER_LEFT),  # the caller hung up before the bridge
    ("false", "in-progress", Bridge.UNKNOWN),  # the engineer's side ended: the caller is there
    ("false", None, Bridge.UNKNOWN),
    (None, "completed", Bridge.UNKNOWN),  # no DialBridged: nothing said of a bridge
    ("", "completed", Bridge.UNKNOWN),
])
def test_dial_results(dial_bridged, caller_status, bridge):
    assert dial_bridge(dial_bridged, caller_status) == bridge


@pytest.mark.parametrize("status, bridge, ends", [
    (CallStatus.ANSWERED, Bridge.CALLER_LEFT, CallStatus.MISSED),  # the case of the issue
    (CallStatus.ANSWERED, Bridge.BRIDGED, CallStatus.ANSWERED),
    (CallStatus.ANSWERED, Bridge.UNKNOWN, CallStatus.ANSWERED),  # no evidence: the answer stands
    (CallStatus.RINGING, Bridge.UNKNOWN, CallStatus.MISSED),
    (CallStatus.RINGING, Bridge.CALLER_LEFT, CallStatus.MISSED),
    (CallStatus.RINGING, Bridge.BRIDGED, CallStatus.MISSED),  # never accepted: never answered
    (CallStatus.VOICEMAIL, Bridge.CALLER_LEFT, CallStatus.VOICEMAIL),
    (CallStatus.MISSED, Bridge.BRIDGED, CallStatus.MISSED),
    (CallStatus.BLOCKED, Bridge.UNKNOWN, CallStatus.BLOCKED),
])
def test_how_a_call_ends(status, bridge, ends):
    assert ends_as(status, bridge) == ends
