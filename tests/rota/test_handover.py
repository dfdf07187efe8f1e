"""Handover notices: once each, however often, late or in parallel the clock runs."""

import threading
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from console.main import main
from dutyline.db import database
from outbox.models import OutboxMessage
from rota import handover, periods
from tests.conftest import ADDED_AT, app_info

LONDON = ZoneInfo("Europe/London")
TUESDAY_1800 = datetime(2026, 11, 24, 18, 0, tzinfo=LONDON)


@pytest.fixture
def rota(db, team, settings):
    """Ben from Mon 23 Nov, Tobi from Tue 24 Nov (Asha backup), Asha from Wed 25 Nov, 18:00."""
    periods.assign_period(date(2026, 11, 23), team["Ben"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 11, 24), team["Tobi"], team["Asha"], settings, now=ADDED_AT)
    periods.assign_period(date(2026, 11, 25), team["Asha"], None, settings, now=ADDED_AT)


def utc(local):
    return local.astimezone(timezone.utc)


def run(settings, local):
    added = handover.queue_handover_notices(settings, local.astimezone(timezone.utc))
    return sorted((n.kind, n.to) for n in added)


def queued():
    return sorted((m.dedupe_key.split(":")[0], m.recipient) for m in OutboxMessage.select())


BEN, TOBI, ASHA = "+447911000001", "+447911000002", "+447911000003"
AT_TUESDAY_HANDOVER = [
    ("rota.backup-on", ASHA),  # Asha is Tobi's backup from now
    ("rota.off-duty", BEN),    # Ben hands over
    ("rota.on-duty", TOBI),    # Tobi takes over
    ("rota.reminder", ASHA),   # Asha is on tomorrow
]


# when the clock first runs (local) -> what it queues
@pytest.mark.parametrize("local, expected", [
    (TUESDAY_1800 - timedelta(minutes=1), []),
    (TUESDAY_1800, AT_TUESDAY_HANDOVER),
    (TUESDAY_1800 + timedelta(hours=1), AT_TUESDAY_HANDOVER),          # an hour late
    (TUESDAY_1800 + timedelta(hours=2, minutes=59), AT_TUESDAY_HANDOVER),
    (TUESDAY_1800 + timedelta(hours=3), []),                           # stale: dropped
    (TUESDAY_1800 + timedelta(days=5), []),
])
def test_what_the_first_run_queues(rota, settings, local, expected):
    assert run(settings, local) == [(kind.split(".")[1], to) for kind, to in expected]
    assert queued() == expected


def test_running_twice_queues_each_notice_once(rota, settings):
    assert len(run(settings, TUESDAY_1800)) == 4
    assert run(settings, TUESDAY_1800) == []
    assert queued() == AT_TUESDAY_HANDOVER


def test_a_restart_or_a_late_clock_adds_nothing_twice(rota, settings):
    # Monday's pass reminds Tobi, and Asha that she is his backup
    run(settings, TUESDAY_1800 - timedelta(hours=24))
    run(settings, TUESDAY_1800)
    # the clock restarts and catches up an hour later, then every minute after
    for minutes in (60, 61, 62, 179):
        assert run(settings, TUESDAY_1800 + timedelta(minutes=minutes)) == []
    assert queued() == sorted(AT_TUESDAY_HANDOVER + [("rota.on-duty", BEN),
                                                     ("rota.reminder", TOBI),
                                                     ("rota.backup", ASHA)])


def test_the_backup_is_reminded_the_day_before(rota, settings):
    added = handover.queue_handover_notices(settings, utc(TUESDAY_1800 - timedelta(hours=24)))
    backup = [n for n in added if n.kind == handover.BACKUP]
    assert [(n.to, n.body) for n in backup] == [
        (ASHA, "Reminder: you are the backup from 18:00 Tue 24 Nov to 18:00 Wed 25 Nov; "
               "the support line rings you if Tobi Jones does not answer.")]


def test_the_backup_is_told_at_the_handover(rota, settings):
    added = handover.queue_handover_notices(settings, utc(TUESDAY_1800))
    assert [(n.to, n.body) for n in added if n.kind == handover.BACKUP_ON] == [
        (ASHA, "You are the backup from 18:00 Tue 24 Nov to 18:00 Wed 25 Nov; the support "
               f"line rings you on {ASHA} if Tobi Jones does not answer.")]


def test_two_clocks_at_once_queue_each_notice_once(app, rota, settings):
    start = threading.Barrier(2)
    errors = []

    def clock():
        try:
            with database.connection_context():
                start.wait()
                handover.queue_handover_notices(settings, TUESDAY_1800.astimezone(timezone.utc))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert queued() == AT_TUESDAY_HANDOVER


def test_the_texts_read_in_local_time(rota, settings):
    run(settings, TUESDAY_1800)
    bodies = {m.recipient: m.body for m in OutboxMessage.select()
              if not m.dedupe_key.startswith("rota.backup-on:")}
    assert bodies[TOBI] == ("You are on duty from 18:00 Tue 24 Nov to 18:00 Wed 25 Nov; the "
                            f"support line forwards to you on {TOBI}. Backup: Asha Patel.")
    assert bodies[BEN] == ("Handover done: your duty ended at 18:00 Tue 24 Nov; Tobi Jones is "
                           "on duty until 18:00 Wed 25 Nov.")
    assert bodies[ASHA] == "Reminder: you are on duty from 18:00 Wed 25 Nov to 18:00 Thu 26 Nov."


def test_a_rota_made_late_sends_no_stale_reminder(db, team, settings):
    # the rota was made an hour before the handover: the reminder's time is long past
    periods.assign_period(date(2026, 11, 24), team["Tobi"], None, settings, now=ADDED_AT)
    assert run(settings, TUESDAY_1800 - timedelta(hours=1)) == []
    assert run(settings, TUESDAY_1800 + timedelta(minutes=1)) == [("on-duty", TOBI)]


def test_the_same_engineer_going_on_gets_no_confirmation(db, team, settings):
    periods.assign_period(date(2026, 11, 23), team["Ben"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 11, 24), team["Ben"], None, settings, now=ADDED_AT)
    assert run(settings, TUESDAY_1800) == [("on-duty", BEN)]


def test_the_outgoing_engineer_hears_when_nobody_follows(db, team, settings):
    periods.assign_period(date(2026, 11, 23), team["Ben"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 11, 24), team["Tobi"], None, settings, now=ADDED_AT)
    period = periods.period_at(TUESDAY_1800)
    period.primary = None
    period.save()
    assert run(settings, TUESDAY_1800) == [("off-duty", BEN)]
    assert "nobody is on duty after you" in OutboxMessage.get().body


# The clocks go back at 02:00 BST on Sunday 25 October 2026: that night lasts 25 hours.
def test_across_the_end_of_summer_time(db, team, settings):
    periods.assign_period(date(2026, 10, 23), team["Ben"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 10, 24), team["Tobi"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 10, 25), team["Asha"], None, settings, now=ADDED_AT)
    saturday = datetime(2026, 10, 24, 18, 0, tzinfo=LONDON)
    assert saturday.astimezone(timezone.utc).hour == 17  # BST
    assert run(settings, saturday) == [("off-duty", BEN), ("on-duty", TOBI)]
    assert OutboxMessage.get(OutboxMessage.recipient == TOBI).body.startswith(
        "You are on duty from 18:00 Sat 24 Oct to 18:00 Sun 25 Oct;")
    # Asha's period starts 18:00 GMT on Sunday; 24 hours earlier is 19:00 BST on Saturday
    assert run(settings, saturday + timedelta(minutes=59)) == []
    assert run(settings, saturday + timedelta(hours=1)) == [("reminder", ASHA)]
    assert OutboxMessage.get(OutboxMessage.recipient == ASHA).body == (
        "Reminder: you are on duty from 18:00 Sun 25 Oct to 18:00 Mon 26 Oct.")
    sunday = datetime(2026, 10, 25, 18, 0, tzinfo=LONDON)
    assert utc(sunday) - utc(saturday) == timedelta(hours=25)
    assert run(settings, sunday) == [("off-duty", TOBI), ("on-duty", ASHA)]


# Summer time starts at 01:00 GMT on Sunday 28 March 2027: that night lasts 23 hours.
def test_across_the_start_of_summer_time(db, team, settings):
    periods.assign_period(date(2027, 3, 27), team["Ben"], None, settings, now=ADDED_AT)
    periods.assign_period(date(2027, 3, 28), team["Tobi"], None, settings, now=ADDED_AT)
    saturday = datetime(2027, 3, 27, 18, 0, tzinfo=LONDON)
    sunday = datetime(2027, 3, 28, 18, 0, tzinfo=LONDON)
    assert utc(sunday) - utc(saturday) == timedelta(hours=23)
    assert sunday.astimezone(timezone.utc).hour == 17  # BST again
    assert run(settings, sunday) == [("off-duty", BEN), ("on-duty", TOBI)]
    assert "your duty ended at 18:00 Sun 28 Mar" in OutboxMessage.get(
        OutboxMessage.recipient == BEN).body


def test_cli_clock_once(app, rota, clock):
    clock.set(TUESDAY_1800.astimezone(timezone.utc))
    runner = CliRunner()
    result = runner.invoke(main, ["clock", "--once"], obj=app_info(app))
    assert result.exit_code == 0, result.output
    assert "queued 5 notice(s)" in result.output  # and the ring test's call to Tobi
    result = runner.invoke(main, ["clock", "--once"], obj=app_info(app))
    assert "queued 0 notice(s)" in result.output
    with database.connection_context():
        assert queued() == sorted([*AT_TUESDAY_HANDOVER, ("rota.ring-test", TOBI)])


# instant (UTC) -> how an engineer in that zone reads it
@pytest.mark.parametrize("zone, instant, label", [
    ("Europe/London", datetime(2026, 10, 24, 17, 0, tzinfo=timezone.utc), "18:00 Sat 24 Oct"),
    ("Europe/London", datetime(2026, 10, 25, 18, 0, tzinfo=timezone.utc), "18:00 Sun 25 Oct"),
    ("Europe/London", datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc), "23:30 Thu 31 Dec"),
    ("Europe/Berlin", datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc), "00:30 Fri 1 Jan"),
    ("America/New_York", datetime(2026, 10, 31, 22, 0, tzinfo=timezone.utc), "18:00 Sat 31 Oct"),
    ("America/New_York", datetime(2026, 11, 1, 23, 0, tzinfo=timezone.utc), "18:00 Sun 1 Nov"),
])
def test_local_labels(zone, instant, label):
    assert handover.local_label(instant, ZoneInfo(zone)) == label


@pytest.mark.parametrize("settings_data", [{"timezone": "America/New_York"}])
def test_handover_texts_in_another_zone(db, team, settings, settings_data):
    # US summer time ends on Sunday 1 November 2026: Saturday's night lasts 25 hours
    periods.assign_period(date(2026, 10, 31), team["Ben"], None, settings, now=ADDED_AT)
    saturday = datetime(2026, 10, 31, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    assert run(settings, saturday) == [("on-duty", BEN)]
    assert OutboxMessage.get().body.startswith(
        "You are on duty from 18:00 Sat 31 Oct to 18:00 Sun 1 Nov;")


# the override taken ahead starts | what Ben, on duty before, is told at 18:00
@pytest.mark.parametrize("starts_before, ben_told", [
    (timedelta(0), "Asha Patel is on duty"),  # at the handover: Ben hands over to Asha
    (timedelta(hours=2), None),  # at 16:00: Ben's duty ended then (TAKE told him), not at 18:00
])
def test_a_duty_taken_ahead_is_the_one_told_at_the_handover(rota, settings, starts_before,
                                                             ben_told):
    """Asha takes Tuesday night over ahead (an in-hours TAKE makes such an override): at 18:00
    she is told she is on duty, Tobi, the planned primary, is not."""
    from rota.overrides import add_override

    add_override("Asha Patel", TUESDAY_1800 - starts_before,
                 TUESDAY_1800 + timedelta(hours=14), settings,
                 now=TUESDAY_1800 - timedelta(hours=3))
    added = {(n.kind, n.to): n.body for n in handover.queue_handover_notices(settings,
                                                                             utc(TUESDAY_1800))}
    assert ("on-duty", ASHA) in added and ("on-duty", TOBI) not in added
    if ben_told is None:
        assert ("off-duty", BEN) not in added
    else:
        assert ben_told in added[("off-duty", BEN)]
    assert ("backup-on", TOBI) in added  # the planned primary stays reachable as backup
