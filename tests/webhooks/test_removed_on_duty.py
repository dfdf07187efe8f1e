"""An engineer removed during their own duty period is on duty no more, for the call as for
the rota: out of hours they are not rung, whoever else there is is, and the managers hear
that nobody is on duty when nobody is."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from outbox.models import OutboxMessage
from rota import engineers, periods
from rota.cover import set_cover
from telephony.models import Call, Leg
from telephony.routing import CLOSED_GREETING

LONDON = ZoneInfo("Europe/London")
MADE = datetime(2026, 11, 1, 9, 0, tzinfo=LONDON)
REMOVED = datetime(2026, 12, 1, 20, 0, tzinfo=LONDON)  # inside Tobi's period (18:00 to 18:00)
CALL = datetime(2026, 12, 1, 23, 0, tzinfo=LONDON)
MANAGER = "+447911000901"
FALLBACK = "+442079460999"
GAP = ("Rota: nobody on duty out of hours from Tue 01 Dec 2026 18:00 to Wed 02 Dec 2026 "
       "08:00 (14 h).")
DUTY_GREETING = "Connecting you to the engineer on duty."


def manager_texts():
    return [m.body for m in OutboxMessage.select() if m.recipient == MANAGER]


# header: (Asha as backup?, Ben as cover?, FALLBACK_NUMBER) ->
#         legs rung (name, role), number dialled plainly, greeting, managers told
@pytest.mark.parametrize("backup, cover, app_config, rung, dialled, greeting, told", [
    (True, False, {"FALLBACK_NUMBER": None, "MANAGER_NUMBERS": MANAGER},
     [("Asha Patel", "backup")], None, DUTY_GREETING, []),
    (False, True, {"FALLBACK_NUMBER": None, "MANAGER_NUMBERS": MANAGER},
     [("Ben Smith", "cover")], None, CLOSED_GREETING, [GAP]),
    (False, False, {"FALLBACK_NUMBER": FALLBACK, "MANAGER_NUMBERS": MANAGER},
     [], FALLBACK, CLOSED_GREETING, [GAP]),
    (False, False, {"FALLBACK_NUMBER": None, "MANAGER_NUMBERS": MANAGER},
     [], None, CLOSED_GREETING, [GAP]),  # voicemail
], ids=["backup", "cover", "fallback", "voicemail"])
def test_a_primary_removed_during_their_period_is_not_rung(simulate, make_engineer, db,
                                                           settings, backup, cover,
                                                           app_config, rung, dialled,
                                                           greeting, told):
    tobi = make_engineer("Tobi Jones", signed_in=False)
    asha = make_engineer("Asha Patel", signed_in=False)
    ben = make_engineer("Ben Smith", signed_in=False)
    periods.assign_period(date(2026, 12, 1), tobi, asha if backup else None, settings,
                          now=MADE)
    if cover:
        set_cover(ben, True, settings, REMOVED)
    engineers.remove_engineer("Tobi Jones", now=REMOVED)

    assert periods.duty_at(CALL) == (None, asha if backup else None)  # the rota's answer
    outcome = simulate(Scenario(at=CALL, others="ignore", caller_action="hangup"))
    call = Call.get(Call.sid == outcome.call_sid)
    assert [(leg.engineer.name, leg.role) for leg in call.legs.order_by(Leg.step)] == rung
    first = outcome.responses[0][2]
    assert greeting in first
    assert (f">{dialled}</Number>" in first) if dialled else "<Number>" not in first
    assert manager_texts() == told
