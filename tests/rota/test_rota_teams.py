"""The rota per team: Support (London, daily periods from 18:00) and Network (New York,
weekly periods from Monday 13:00, which is 18:00 in London in December, with backups).
Each team's rota is planned from its own engineers with its own settings, checked, swapped,
taken and handed over on its own; a single team reads and keys everything as before."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from outbox.models import OutboxMessage
from rota import (check, generate, handover, managers, overrides, periods, ring_test, seen,
                  swaps, take, weekly, who)
from rota.engineers import RotaError
from rota.models import FIRST_TEAM, DutyPeriod, Override, RingTest, Team
from rota.teams import add_team, join_team, leave_team
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY_1800_LONDON = datetime(2026, 12, 7, 18, 0, tzinfo=LONDON)  # both teams hand over
MANAGERS = managers.Managers(numbers=("+447700900001",))


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York", "handover": "13:00",
                                  "period": "week", "backup": True, "holidays": "",
                                  "voice": "Polly.Joanna"}}}


@pytest.fixture
def two(db, make_engineer, settings):
    """Support: Ann and Ben. Network: Cara, Dev, Eve and Ben (Ben is in both)."""
    ann, ben = make_engineer("Ann Lee"), make_engineer("Ben Ode")
    network = add_team("Network", ADDED_AT)
    support = Team.get_by_id(FIRST_TEAM)
    others = [make_engineer(name) for name in ("Cara Nye", "Dev Rao", "Eve Sol")]
    for engineer in others:
        join_team(network, engineer)
        leave_team(support, engineer)
    join_team(network, ben)
    return SimpleNamespace(support=support, network=network, ann=ann, ben=ben,
                           cara=others[0], dev=others[1], eve=others[2],
                           net=settings.for_team("Network"))


def rows(team):
    return [(p.day, p.starts_at, p.primary_id, p.backup_id)
            for p in DutyPeriod.select().where(DutyPeriod.team == team).order_by(DutyPeriod.day)]


def test_each_team_is_planned_from_its_own_engineers_with_its_own_settings(two, settings):
    generate.generate_month(2026, 12, settings, ADDED_AT)
    support_before = rows(FIRST_TEAM)
    result = generate.generate_month(2026, 12, two.net, ADDED_AT, team=two.network.id)
    assert rows(FIRST_TEAM) == support_before  # Network's generation left Support's alone
    assert len(support_before) == 31
    assert {p for _, _, p, _ in support_before} == {two.ann.id, two.ben.id}
    network = rows(two.network.id)
    assert (result.periods, result.empty) == (4, 0)
    assert [day for day, *_ in network] == [date(2026, 12, d) for d in (7, 14, 21, 28)]
    assert all(start.astimezone(NEW_YORK).hour == 13 for _, start, _, _ in network)
    members = {two.cara.id, two.dev.id, two.eve.id, two.ben.id}
    assert all(p in members and b in members and p != b for _, _, p, b in network)


def test_who_check_and_swap_act_on_one_team(two, settings):
    at = datetime(2026, 12, 8, 21, 0, tzinfo=LONDON)
    periods.assign_period(date(2026, 12, 8), two.ann, None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 9), two.ben, None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), two.cara, two.dev, two.net, now=ADDED_AT,
                          team=two.network.id)
    assert who.duty_at_instant(at, settings).current.primary.name == "Ann Lee"
    assert who.duty_at_instant(at, two.net, two.network.id).current.primary.name == "Cara Nye"
    # Network has one week of December: gaps in the rest; Support's check of it is its own
    gaps = [p for p in check.check_month(2026, 12, two.net, two.network.id)
            if p.kind == check.GAP]
    assert gaps and all(p.starts_at >= datetime(2026, 12, 14, 13, 0, tzinfo=NEW_YORK)
                        or p.ends_at <= datetime(2026, 12, 7, 13, 0, tzinfo=NEW_YORK)
                        for p in gaps)
    swaps.swap_periods(date(2026, 12, 8), date(2026, 12, 9), settings, ADDED_AT)
    assert periods.duty_at(at)[0].name == "Ben Ode"
    assert periods.duty_at(at, two.network.id)[0].name == "Cara Nye"
    before = rows(two.network.id)
    with pytest.raises(RotaError, match="no duty period on Mon 14 Dec 2026"):
        swaps.swap_periods(date(2026, 12, 7), date(2026, 12, 14), two.net, ADDED_AT,
                           team=two.network.id)
    assert rows(two.network.id) == before


def test_take_takes_the_duty_of_the_team_asked_for(two, settings):
    in_network_hours = datetime(2026, 12, 8, 21, 0, tzinfo=LONDON)  # 16:00 in New York
    assert take.take_span(in_network_hours, two.net)[2] is True  # the coming stretch
    assert take.take_span(in_network_hours, settings)[2] is False  # now, in London
    at = datetime(2026, 12, 8, 23, 30, tzinfo=LONDON)  # out of both teams' hours
    periods.assign_period(date(2026, 12, 8), two.ann, None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), two.cara, two.dev, two.net, now=ADDED_AT,
                          team=two.network.id)
    taken = take.take_duty(two.ben, at, two.net, two.network.id)
    assert taken.previous.name == "Cara Nye"
    assert periods.duty_at(at, two.network.id)[0].name == "Ben Ode"
    assert periods.duty_at(at)[0].name == "Ann Lee"  # Support's duty is untouched
    assert Override.get().team_id == two.network.id


def test_both_teams_handing_over_at_the_same_instant_are_each_told(two, settings):
    periods.assign_period(date(2026, 12, 7), two.ann, None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), two.cara, two.dev, two.net, now=ADDED_AT,
                          team=two.network.id)
    now = MONDAY_1800_LONDON + timedelta(minutes=1)
    told = handover.queue_handover_notices(settings, now)
    told += handover.queue_handover_notices(two.net, now, two.network.id)
    bodies = {m.recipient: m.body for m in OutboxMessage.select()}
    assert bodies[two.ann.mobile].startswith("You are on duty from 18:00 Mon 7 Dec")
    assert bodies[two.cara.mobile].startswith("You are on duty from 13:00 Mon 7 Dec")
    assert bodies[two.dev.mobile].startswith("You are the backup from 13:00 Mon 7 Dec")
    assert len(told) == 3
    again = (handover.queue_handover_notices(settings, now)
             + handover.queue_handover_notices(two.net, now, two.network.id))
    assert again == []  # each once, however often the clock runs


def test_a_ring_test_call_speaks_in_its_team_s_zone_and_voice(two, settings, clock, twilio,
                                                             callback_url):
    from outbox.models import VOICE

    periods.assign_period(date(2026, 12, 7), two.cara, two.dev, two.net, now=ADDED_AT,
                          team=two.network.id)
    clock.set(MONDAY_1800_LONDON + timedelta(minutes=1))
    ring_test.queue_ring_tests(clock.now, two.network.id)
    call = OutboxMessage.get(OutboxMessage.channel == VOICE)
    prompt = twilio.post(callback_url("ring_test", esc=call.id), {"CallSid": "CA" + "5" * 32})
    text = prompt.get_data(as_text=True)
    # 13:00 in New York is 18:00 in London: the engineer hears their own team's time
    assert "You are on duty from 13:00 today" in text and 'voice="Polly.Joanna"' in text


def test_each_team_rings_its_own_incoming_duty_engineer(two, settings):
    periods.assign_period(date(2026, 12, 7), two.ann, None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), two.cara, two.dev, two.net, now=ADDED_AT,
                          team=two.network.id)
    now = MONDAY_1800_LONDON + timedelta(minutes=1)
    assert [t.engineer.name for t in ring_test.queue_ring_tests(now)] == ["Ann Lee"]
    made = ring_test.queue_ring_tests(now, two.network.id)
    assert [(t.engineer.name, t.team_id) for t in made] == [("Cara Nye", two.network.id)]
    later = now + timedelta(minutes=10)
    assert ring_test.queue_unconfirmed_warnings(two.net, MANAGERS, later, two.network.id)
    dev_told = OutboxMessage.select().where(OutboxMessage.recipient == two.dev.mobile)
    assert [m.body[:40] for m in dev_told] == ["Ring test: Cara Nye did not confirm the "]
    assert RingTest.get(RingTest.team == FIRST_TEAM).warned_at is None  # Support's: its own pass
    assert ring_test.unconfirmed_duty(later, two.network.id).engineer_id == two.cara.id
    assert ring_test.unconfirmed_duty(later) is None


def test_weekly_lists_and_managers_warnings_name_the_team(two, settings):
    periods.assign_period(date(2026, 12, 8), two.ben, None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 7), two.ben, two.dev, two.net, now=ADDED_AT,
                          team=two.network.id)
    now = MONDAY_1800_LONDON + timedelta(minutes=1)
    weekly.queue_weekly_notices(settings, now)
    weekly.queue_weekly_notices(two.net, now, two.network.id)
    to_ben = sorted(m.body for m in OutboxMessage.select()
                    .where(OutboxMessage.recipient == two.ben.mobile))
    assert to_ben == ["Your Network duties from 13:00 Mon 7 Dec: on duty 13:00 Mon 7 Dec to "
                      "13:00 Mon 14 Dec.",
                      "Your Support duties from 18:00 Mon 7 Dec: on duty 18:00 Tue 8 Dec to "
                      "18:00 Wed 9 Dec."]
    told = managers.queue_manager_warnings(two.net, MANAGERS, now, two.network.id)
    assert told and all(p.starts_at >= datetime(2026, 12, 14, 13, 0, tzinfo=NEW_YORK)
                        for p in told)
    texts = [m.body for m in OutboxMessage.select()
             .where(OutboxMessage.recipient == MANAGERS.numbers[0])]
    assert texts and all(t.startswith("Rota (Network): nobody on duty") for t in texts)


# the dedupe keys: the first team's as they always were, another team's of its own
@pytest.mark.parametrize("team, suffix", [(FIRST_TEAM, ""), (2, ":team-2"), (17, ":team-17")])
def test_dedupe_keys_of_the_first_team_are_unchanged(team, suffix):
    at = datetime(2026, 12, 7, 18, 0, tzinfo=timezone.utc)
    notice = handover.Notice(handover.ON_DUTY, at, 5, "+447911000001", "", team)
    assert notice.key == "rota.on-duty:2026-12-07T18:00:00Z" + suffix
    reminder = handover.Notice(handover.REMINDER, at, 5, "+447911000001", "", team)
    assert reminder.key == "rota.reminder:2026-12-07T18:00:00Z:5" + suffix
    assert ring_test.handover_key(at, team) == \
        "rota.ring-test:2026-12-07T18:00:00.000000Z" + suffix
    gap = check.Problem(check.GAP, at, at + timedelta(hours=1))
    assert managers.problem_key(gap, team) == "rota.warn-gap:2026-12-07T18:00:00Z" + suffix
    assert weekly.weekly_key(at, SimpleNamespace(id=5), team) == \
        "rota.weekly:2026-12-07T18:00:00Z:5" + suffix


def test_what_a_teams_rota_page_saw_is_not_moved_by_another_teams_override(two, settings):
    """The rota page's forms carry what the team's month looked like: an override made in
    Support since leaves Network's as it was."""
    shown = {team: seen.snapshot(2026, 12, team) for team in (FIRST_TEAM, two.network.id)}
    overrides.add_override("Ann Lee", datetime(2026, 12, 10, 20, tzinfo=LONDON),
                           datetime(2026, 12, 10, 22, tzinfo=LONDON), settings, ADDED_AT)
    assert seen.snapshot(2026, 12, two.network.id) == shown[two.network.id]
    assert seen.snapshot(2026, 12, FIRST_TEAM) != shown[FIRST_TEAM]
