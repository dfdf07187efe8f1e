"""Swap requests: an engineer asks a colleague to swap days; the colleague accepts (the swap is
made through rota.swaps, the requester told) or declines; a request lapses when either duty
starts, and one the rota moved under is void."""

from datetime import date, datetime, timedelta, timezone

import pytest

from outbox.models import OutboxMessage
from rota import periods, swap_requests
from rota.engineers import RotaError
from rota.models import DutyPeriod, SwapRequest
from rota.seen import AlreadyDone
from rota.started import StartedPeriod

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
TUESDAY, THURSDAY = date(2026, 12, 8), date(2026, 12, 10)
ASKED = ("Ben Smith asks you to swap 18:00 Tue 8 Dec (theirs) for 18:00 Thu 10 Dec (yours): "
         "reply YES to accept, or answer on the web.")


@pytest.fixture
def team(make_engineer, db, settings):
    ben, tobi, asha = (make_engineer(n) for n in ("Ben Smith", "Tobi Jones", "Asha Patel"))
    periods.assign_period(TUESDAY, ben, asha, settings, now=NOW - timedelta(days=20))
    periods.assign_period(THURSDAY, tobi, None, settings, now=NOW - timedelta(days=20))
    return ben, tobi, asha


def texts():
    return [(m.recipient, m.body) for m in OutboxMessage.select().order_by(OutboxMessage.id)]


def held():
    return {p.day: (p.primary.name, p.backup.name if p.backup else None)
            for p in DutyPeriod.select()}


def test_asking_texts_the_colleague_once(team, settings):
    ben, tobi, _ = team
    made = swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW)
    assert (made.requester_id, made.colleague_id, made.status) == (ben.id, tobi.id, "pending")
    assert made.expires_at == datetime(2026, 12, 8, 18, 0, tzinfo=timezone.utc)
    assert texts() == [(tobi.mobile, ASKED)]
    with pytest.raises(AlreadyDone, match="you asked Tobi Jones already"):
        swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW + timedelta(seconds=1))
    assert SwapRequest.select().count() == 1 and len(texts()) == 1
    assert [r.id for r in swap_requests.waiting_for(tobi, NOW)] == [made.id]
    assert [r.id for r in swap_requests.asked_by(ben, NOW)] == [made.id]


@pytest.mark.parametrize("settings_data", [{"text_commands": False}])
def test_with_text_commands_off_the_colleague_answers_on_the_web(settings_data, team, settings):
    swap_requests.ask_swap(team[0], TUESDAY, THURSDAY, settings, NOW)
    assert texts() == [(team[1].mobile, ASKED.replace("reply YES to accept, or answer on the "
                                                      "web", "answer on the web"))]


@pytest.mark.parametrize("who, give, take, now, error, message", [
    ("Tobi", TUESDAY, THURSDAY, NOW, RotaError, "you are not on duty from 18:00 Tue 8 Dec"),
    ("Ben", TUESDAY, TUESDAY, NOW, RotaError, "are the same duty period"),
    ("Ben", TUESDAY, date(2026, 12, 9), NOW, RotaError, "no duty period on Wed 09 Dec"),
    ("Ben", TUESDAY, THURSDAY, datetime(2026, 12, 8, 18, 0, tzinfo=timezone.utc),
     StartedPeriod, "18:00 Tue 8 Dec has started"),
])
def test_a_request_that_cannot_be_is_refused_and_texts_nobody(team, settings, who, give, take,
                                                              now, error, message):
    engineer = {"Ben": team[0], "Tobi": team[1]}[who]
    with pytest.raises(error, match=message):
        swap_requests.ask_swap(engineer, give, take, settings, now)
    assert SwapRequest.select().count() == 0 and texts() == []


def test_accepting_swaps_the_days_and_tells_the_requester(team, settings):
    ben, tobi, asha = team
    made = swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW)
    later = NOW + timedelta(hours=2)
    swap_requests.accept(made.id, tobi, settings, later)
    # whole periods change places, the backup with its period (and told, as by any swap)
    assert held() == {TUESDAY: ("Tobi Jones", None), THURSDAY: ("Ben Smith", "Asha Patel")}
    stored = SwapRequest.get_by_id(made.id)
    assert (stored.status, stored.answered_at) == ("accepted", later)
    sent = texts()[1:]
    assert (ben.mobile, "Tobi Jones accepted your swap: you are on duty from 18:00 Thu 10 Dec "
                        "instead of 18:00 Tue 8 Dec.") in sent
    assert [to for to, _ in sent] == [asha.mobile, ben.mobile]  # the two speak in their words
    assert sent[0][1].startswith("Rota change: ")
    with pytest.raises(AlreadyDone):
        swap_requests.accept(made.id, tobi, settings, later)
    assert swap_requests.waiting_for(tobi, later) == []


def test_only_the_colleague_accepts_and_only_while_it_is_open(team, settings):
    ben, tobi, asha = team
    made = swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW)
    before = held()
    for engineer in (ben, asha):
        with pytest.raises(RotaError, match="is not to you"):
            swap_requests.accept(made.id, engineer, settings, NOW)
    started = datetime(2026, 12, 8, 18, 0, tzinfo=timezone.utc)
    with pytest.raises(StartedPeriod, match="has expired"):
        swap_requests.accept(made.id, tobi, settings, started)
    assert swap_requests.waiting_for(tobi, started) == []
    assert held() == before and SwapRequest.get_by_id(made.id).status == "pending"


def test_a_request_the_rota_moved_under_is_void(team, settings):
    ben, tobi, asha = team
    made = swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW)
    periods.assign_period(THURSDAY, asha, None, settings, now=NOW)  # a manager's change
    before = held()
    with pytest.raises(RotaError, match="the rota has changed since the swap was asked for"):
        swap_requests.accept(made.id, tobi, settings, NOW)
    assert held() == before and SwapRequest.get_by_id(made.id).status == "void"


def test_declined_or_withdrawn_nothing_changes(team, settings):
    ben, tobi, _ = team
    before = held()
    first = swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW)
    swap_requests.decline(first.id, tobi, settings, NOW)
    assert texts()[-1] == (ben.mobile, "Tobi Jones declined your swap of 18:00 Tue 8 Dec for "
                                       "18:00 Thu 10 Dec; the rota stays as it was.")
    second = swap_requests.ask_swap(ben, TUESDAY, THURSDAY, settings, NOW)
    with pytest.raises(RotaError, match="is not from you"):
        swap_requests.withdraw(second.id, tobi, NOW)
    swap_requests.withdraw(second.id, ben, NOW)
    assert [r.status for r in SwapRequest.select().order_by(SwapRequest.id)] == [
        "declined", "withdrawn"]
    assert held() == before
    with pytest.raises(RotaError, match="was withdrawn"):
        swap_requests.accept(second.id, tobi, settings, NOW)
