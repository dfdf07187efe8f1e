"""Everyone told: the weekly duty list, texts about changed duties, managers warned of gaps
and absences ahead; each exactly once however often, and from however many clocks."""

import threading
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.db import database
from rota import absences, overrides, periods, swaps, weekly
from rota.generate import generate_month
from rota.managers import Managers, queue_manager_warnings
from rota.models import DutyPeriod
from outbox.models import OutboxMessage

LONDON = ZoneInfo("Europe/London")
BEN, TOBI, ASHA = "+447911000001", "+447911000002", "+447911000003"
BOSS = Managers(numbers=("+447911000901",), emails=("boss@example.com",))


def local(*args):
    return datetime(*args, tzinfo=LONDON)


def utc(moment):
    return moment.astimezone(timezone.utc)


def rows(prefix):
    return sorted((m.recipient, m.body.strip()) for m in OutboxMessage.select()
                  if m.dedupe_key.startswith(prefix))


@pytest.fixture
def week(db, team, settings):
    """Tue 24 Nov to Thu 26 Nov: Tobi (Asha backup), Asha, Ben; made before `now`."""
    made = utc(local(2026, 11, 1, 9))
    periods.assign_period(date(2026, 11, 24), team["Tobi"], team["Asha"], settings, now=made)
    periods.assign_period(date(2026, 11, 25), team["Asha"], None, settings, now=made)
    periods.assign_period(date(2026, 11, 26), team["Ben"], None, settings, now=made)


# the weekly list: (local instant of the clock's pass, due week or None)
@pytest.mark.parametrize("moment, due", [
    (local(2026, 11, 23, 17, 59), None),                 # Monday before its handover: last
    (local(2026, 11, 23, 18, 0), local(2026, 11, 23, 18)),  # week's is long past
    (local(2026, 11, 24, 5, 59), local(2026, 11, 23, 18)),
    (local(2026, 11, 24, 6, 0), None),                   # 12 h late: stale
    (local(2026, 10, 26, 18, 0), local(2026, 10, 26, 18)),  # the Monday after the clocks went back
    (local(2027, 3, 29, 18, 0), local(2027, 3, 29, 18)),    # the Monday after they went forward
    (local(2026, 11, 30, 18, 0), local(2026, 11, 30, 18)),  # a week spanning the month end
])
def test_when_the_weekly_list_is_due(week, settings, moment, due):
    added = weekly.queue_weekly_notices(settings, utc(moment))
    if due is None:
        assert added == []
        return
    assert len(added) == 3
    keys = {m.dedupe_key.rsplit(":", 1)[0] for m in OutboxMessage.select()
            if m.dedupe_key.startswith("rota.weekly:")}
    assert keys == {f"rota.weekly:{utc(due):%Y-%m-%dT%H:%M:%SZ}"}


def test_the_weekly_list_names_each_engineers_duties(week, team, settings):
    weekly.queue_weekly_notices(settings, utc(local(2026, 11, 23, 18, 30)))
    assert dict(rows("rota.weekly:")) == {
        TOBI: "Your duties from 18:00 Mon 23 Nov: on duty 18:00 Tue 24 Nov to 18:00 Wed 25 Nov.",
        ASHA: "Your duties from 18:00 Mon 23 Nov: backup 18:00 Tue 24 Nov to 18:00 Wed 25 Nov; "
              "on duty 18:00 Wed 25 Nov to 18:00 Thu 26 Nov.",
        BEN: "Your duties from 18:00 Mon 23 Nov: on duty 18:00 Thu 26 Nov to 18:00 Fri 27 Nov.",
    }


def test_the_weekly_list_goes_by_mail_when_there_is_an_address_and_not_when_opted_out(
        week, team, settings, make_engineer):
    make_engineer("Chris Wong", email="chris@example.com")
    assert weekly.set_weekly_notice(team["Ben"], False, utc(local(2026, 11, 20)))
    weekly.queue_weekly_notices(settings, utc(local(2026, 11, 23, 18)))
    sent = {m.recipient: m for m in OutboxMessage.select()}
    assert BEN not in sent
    mail = sent["chris@example.com"]
    assert mail.channel == "email" and mail.subject == "Your duties for the next four weeks"
    assert "no duties in the next four weeks." in mail.body


def test_the_weekly_list_is_queued_once_by_two_clocks_and_a_restart(week, settings):
    start = threading.Barrier(2)
    errors = []
    moment = utc(local(2026, 11, 23, 18))

    def clock():
        try:
            with database.connection_context():
                start.wait()
                weekly.queue_weekly_notices(settings, moment)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    for minutes in (1, 60, 600):  # the restarted clock catching up
        assert weekly.queue_weekly_notices(settings, moment + timedelta(minutes=minutes)) == []
    assert len(rows("rota.weekly:")) == 3


# changed duties
NOW = utc(local(2026, 11, 20, 9))


def test_a_swap_tells_both_engineers_once(week, settings):
    swaps.swap_periods(date(2026, 11, 25), date(2026, 11, 26), settings, NOW)
    assert rows("rota.change:") == [
        (BEN, "Rota change: now on duty 18:00 Wed 25 Nov to 18:00 Thu 26 Nov; no longer on "
              "duty 18:00 Thu 26 Nov to 18:00 Fri 27 Nov."),
        (ASHA, "Rota change: no longer on duty 18:00 Wed 25 Nov to 18:00 Thu 26 Nov; now on "
               "duty 18:00 Thu 26 Nov to 18:00 Fri 27 Nov."),
    ]


def test_an_override_tells_who_covers_and_who_is_covered_and_its_removal_too(week, settings):
    made = overrides.add_override("Ben Smith", local(2026, 11, 24, 21), local(2026, 11, 25, 2),
                                  settings, NOW)
    assert rows("rota.change:") == [
        (BEN, "Rota change: now covering 21:00 Tue 24 Nov to 02:00 Wed 25 Nov."),
        (TOBI, "Rota change: no longer on duty 21:00 Tue 24 Nov to 02:00 Wed 25 Nov."),
    ]
    overrides.remove_override(made.id, settings, NOW + timedelta(minutes=5))
    assert len(rows("rota.change:")) == 4
    assert (TOBI, "Rota change: now on duty 21:00 Tue 24 Nov to 02:00 Wed 25 Nov.") in rows(
        "rota.change:")


def test_a_past_duty_or_an_unchanged_one_tells_nobody(week, team, settings):
    later = utc(local(2026, 11, 25, 19))  # Tuesday's period is over, Wednesday's under way
    swaps.swap_periods(date(2026, 11, 24), date(2026, 11, 25), settings, later,
                       include_started=True)
    assert [to for to, _ in rows("rota.change:")] == [TOBI, ASHA]  # Wednesday's, not Tuesday's
    OutboxMessage.delete().execute()
    periods.assign_period(date(2026, 11, 26), team["Ben"], None, settings, now=NOW)
    assert rows("rota.change:") == []


def test_a_regeneration_tells_only_those_whose_duty_moved(team, db, settings, make_engineer):
    make_engineer("Chris Wong")
    generate_month(2026, 12, settings, NOW)
    assert rows("rota.change:") == []  # a first generation: the weekly list tells them
    period = DutyPeriod.get(DutyPeriod.day == date(2026, 12, 9))
    away = period.primary
    absences.add_absence(away.name, date(2026, 12, 9), date(2026, 12, 9), settings, NOW)
    generate_month(2026, 12, settings, NOW + timedelta(minutes=1))
    told = rows("rota.change:")
    taker = DutyPeriod.get(DutyPeriod.day == date(2026, 12, 9)).primary
    assert [to for to, _ in told] == sorted([away.mobile, taker.mobile])
    assert (away.mobile, "Rota change: no longer on duty 18:00 Wed 9 Dec to 18:00 Thu 10 Dec.") \
        in told
    generate_month(2026, 12, settings, NOW + timedelta(minutes=2))
    assert rows("rota.change:") == told


# managers: (what the rota holds, the clock's instant, what the managers hear)
def test_managers_are_warned_once_per_gap_as_the_clock_runs(week, team, settings):
    # nothing from Fri 27 Nov 18:00: a gap every night and weekend ahead
    start = utc(local(2026, 11, 24, 12))
    for hour in range(0, 120, 2):  # through the first gap too: it keeps its start
        queue_manager_warnings(settings, BOSS, start + timedelta(hours=hour))
    texts = rows("rota.warn-gap:")
    gaps = sorted({body for _, body in texts})
    assert ("Rota: nobody on duty out of hours from Fri 27 Nov 2026 18:00 to Mon 30 Nov "
            "2026 08:00 (62 h).") in gaps
    # each gap once to each manager: by text and by mail
    assert len(texts) == 2 * len(gaps)
    first = sorted(m.created_at for m in OutboxMessage.select()
                   if m.dedupe_key.startswith("rota.warn-gap:") and "Fri 27 Nov" in m.body)
    assert first == [start, start]  # the first gap was told on the first pass


def test_managers_hear_of_an_absent_engineer_on_duty(week, team, settings):
    absences.add_absence("Asha Patel", date(2026, 11, 25), date(2026, 11, 25), settings, NOW)
    queue_manager_warnings(settings, BOSS, NOW)
    queue_manager_warnings(settings, BOSS, NOW + timedelta(hours=1))
    absent = rows("rota.warn-absent:")
    assert sorted({body for _, body in absent}) == [
        "Rota: Asha Patel is backup from Tue 24 Nov 2026 18:00 to Wed 25 Nov 2026 18:00 but "
        "absent then.",
        "Rota: Asha Patel is primary from Wed 25 Nov 2026 18:00 to Thu 26 Nov 2026 18:00 but "
        "absent then."]
    assert len(absent) == 4


def test_no_managers_no_warnings(week, settings):
    assert queue_manager_warnings(settings, Managers(), NOW) == []
    assert OutboxMessage.select().count() == 0
