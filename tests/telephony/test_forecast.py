"""The service level the engineers signed in are forecast to give, under each hunt: when
each phone would start, and the chance somebody accepts within the window."""

from types import SimpleNamespace

import pytest

from telephony.answering import Answering
from telephony.forecast import Forecast, forecast_share, start_times, timing_of

OFFICE = Answering(chance=0.85, low=2.0, high=8.0, person=1.0)  # 85% in 2-8 s
FAST = Answering(chance=1.0, low=2.0, high=4.0, person=1.0)
NEVER = Answering(chance=0.0, low=2.0, high=8.0, person=0.0)  # a phone nobody answers
TWO_SECONDS = Answering(chance=1.0, low=2.0, high=2.0, person=1.0)  # always at 2 s sharp


def settings(**changes):
    values = {"hunt": "target", "service_level_seconds": 12, "service_level_target": 0.98,
              "max_phones": 3, "overlap_seconds": 6, "ring_seconds": 15}
    return SimpleNamespace(**{**values, **changes})


@pytest.mark.parametrize("answerings, changes, starts", [
    ([], {}, []),
    ([OFFICE], {}, [0.0]),
    # the target hunt's own rule: two at once, the third when the two fall short
    ([OFFICE] * 3, {}, [0.0, 0.0, 4.6]),
    ([OFFICE] * 3, {"max_phones": 1}, [0.0]),
    ([OFFICE] * 3, {"max_phones": 2}, [0.0, 0.0]),
    # a fast engineer alone keeps 98% until 6 s: the next waits till then
    ([FAST, FAST], {}, [0.0, 6.0]),
    # within 6 s one fast phone falls far short: both at once
    ([FAST, FAST], {"service_level_seconds": 6}, [0.0, 0.0]),
    # the overlapped hunt: one every overlap_seconds, within the window only
    ([OFFICE] * 4, {"hunt": "overlap", "overlap_seconds": 4}, [0, 4, 8]),
    ([OFFICE] * 4, {"hunt": "overlap", "overlap_seconds": 6}, [0, 6]),
    ([OFFICE] * 4, {"hunt": "overlap", "overlap_seconds": 12}, [0]),  # 12 s: past it
    # one at a time: the next only once the last has rung out
    ([OFFICE] * 3, {"hunt": "sequential", "ring_seconds": 5}, [0.0, 7.05]),
    ([OFFICE] * 3, {"hunt": "sequential", "ring_seconds": 15}, [0.0]),
])
def test_start_times(answerings, changes, starts):
    chosen = settings(**changes)
    assert start_times(answerings, chosen, timing_of(chosen.hunt)) == pytest.approx(starts)


@pytest.mark.parametrize("answerings, changes, share", [
    ([], {}, None),  # nobody signed in
    ([OFFICE], {}, 0.85),  # picked up by 8 s of ringing: in time whenever it comes
    ([OFFICE] * 2, {}, 1 - 0.15 ** 2),  # two at once
    ([OFFICE] * 3, {}, 0.983078125),
    ([OFFICE] * 3, {"max_phones": 1}, 0.85),
    # 2.05 s to ring, 2 s to the pick-up, 1.6 s to the key: 5.65 s
    ([TWO_SECONDS], {"service_level_seconds": 6}, 1.0),
    ([TWO_SECONDS], {"service_level_seconds": 5}, 0.0),
    # the spoken whisper: 2.5 s from the pick-up, so 85% in 2-8 s is late for 12 s now and then
    ([OFFICE], {"hunt": "sequential"}, 0.85 * 5.45 / 6),
    ([OFFICE] * 2, {"hunt": "overlap", "overlap_seconds": 2},
     1 - (1 - 0.85 * 5.45 / 6) * (1 - 0.85 * 3.45 / 6)),
    # round robin: each call starts at the next engineer; one at a time, a call that starts
    # with the phone nobody answers is lost, one that starts with the fast one is not
    ([FAST, NEVER], {"hunt": "sequential"}, 0.5),
    ([NEVER, NEVER], {}, 0.0),
])
def test_forecast_share(answerings, changes, share):
    result = forecast_share(answerings, settings(**changes))
    assert result == (None if share is None else pytest.approx(share))


@pytest.mark.parametrize("forecast, words", [
    (Forecast(0.97849, 4, 12), "Forecast: 97.8% within 12 s with the 4 engineers signed in"),
    (Forecast(1.0, 1, 20), "Forecast: 100.0% within 20 s with the 1 engineer signed in"),
    (Forecast(None, 0, 12), "Forecast: nobody is signed in, so no call is accepted within 12 s"),
])
def test_forecast_words(forecast, words):
    assert forecast.words() == words


def test_a_team_s_forecast_counts_its_own_engineers_only(app, db, make_engineer, settings):
    from datetime import datetime, timezone

    from rota.models import FIRST_TEAM
    from rota.teams import add_team, join_team
    from telephony.forecast import presence_forecast

    now = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    make_engineer("Ann Lee"), make_engineer("Ben Ode")
    network = add_team("Network", now)
    join_team(network, make_engineer("Cara Nye"))  # in the first team too, as every new one
    solo = add_team("Solo", now)
    assert presence_forecast(settings, now, FIRST_TEAM).engineers == 3
    assert presence_forecast(settings, now, network.id).engineers == 1
    assert presence_forecast(settings, now, solo.id).engineers == 0
