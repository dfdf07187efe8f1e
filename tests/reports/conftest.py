"""A call log written directly: log_call(...) with the moments given as seconds after arrival."""

from datetime import timedelta
from itertools import count

import pytest

from telephony.models import Call, Leg

_sids = count(1)


@pytest.fixture
def log_call(db):
    """log_call(at, ended=30, answered=None, ringing=None, voicemail=None, fallback=None,
    legs=[(engineer, outcome, ringing, picked_up, accepted, ended)], mode="in_hours")."""

    def moment(at, seconds):
        return None if seconds is None else at + timedelta(seconds=seconds)

    def log(at, ended=30, answered=None, ringing=None, voicemail=None, fallback=None, legs=(),
            mode="in_hours", customer=None, status=None, answered_by=None):
        if status is None:
            status = "answered" if answered is not None else "missed"
        if answered is not None and answered_by is None:
            answered_by = next((leg[0] for leg in legs if leg[1] == "accepted"), None)
        call = Call.create(sid=f"CA{next(_sids):032d}", from_number="+447400123456",
                           started_at=at, mode=mode, customer=customer, status=status,
                           answered_at=moment(at, answered), connected_at=moment(at, answered),
                           answered_by=answered_by, ended_at=moment(at, ended),
                           ringing_at=moment(at, ringing), voicemail_at=moment(at, voicemail),
                           fallback_at=moment(at, fallback))
        for step, (engineer, outcome, rang, picked, accepted, leg_end) in enumerate(legs):
            Leg.create(call=call, step=step, engineer=engineer, number="+447911123401",
                       role="hunt", started_at=at, ringing_at=moment(at, rang),
                       picked_up_at=moment(at, picked), accepted_at=moment(at, accepted),
                       ended_at=moment(at, leg_end), outcome=outcome)
        return call

    return log
