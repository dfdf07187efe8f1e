"""The pure event derivation: UIDs, titles, handovers, content hashes."""

from datetime import date, datetime, timedelta, timezone

import pytest

from calendars.events import (Period, Person, event_uid, handover_events, mine_events,
                              rota_events, team_slug)
from dutyline.settings import parse_settings
from rota.periods import period_bounds

SETTINGS = parse_settings({"team_name": "Night Owls & Co"})
BEN = Person(1, "Ben Smith", "+447911123401", "+442079460101")
TOBI = Person(2, "Tobi Jones", "+447911123402")
ASHA = Person(3, "Asha Patel", "+447911123403")


def period(day, primary, backup=None):
    starts_at, ends_at = period_bounds(day, SETTINGS)
    return Period(day=day, starts_at=starts_at, ends_at=ends_at, primary=primary, backup=backup,
                  updated_at=datetime(2026, 11, 1, tzinfo=timezone.utc))


def test_uid_depends_on_period_role_and_team_only():
    day = date(2026, 12, 1)
    with_ben = {e.uid for e in rota_events([period(day, BEN, TOBI)], SETTINGS)}
    with_asha = {e.uid for e in rota_events([period(day, ASHA, BEN)], SETTINGS)}
    assert with_ben == with_asha == {"rota-20261201-primary@night-owls-co.dutyline",
                                     "rota-20261201-backup@night-owls-co.dutyline"}
    assert event_uid("rota", day, "primary", "Other team") != event_uid("rota", day, "primary",
                                                                        "Night Owls & Co")


# team name              slug
SLUGS = [
    ("Support", "support"),
    ("Night Owls & Co", "night-owls-co"),
    ("  ***  ", "team"),
]


@pytest.mark.parametrize("name, slug", SLUGS)
def test_team_slug(name, slug):
    assert team_slug(name) == slug


def test_titles_and_numbers():
    primary, backup = rota_events([period(date(2026, 12, 1), BEN, TOBI)], SETTINGS)
    assert (primary.summary, backup.summary) == ("On duty: Ben Smith", "Backup: Tobi Jones")
    assert "mobile +447911123401, desk +442079460101" in primary.description
    assert "Backup: Tobi Jones, mobile +447911123402" in primary.description


def test_period_without_backup_has_one_event():
    assert [e.summary for e in rota_events([period(date(2026, 12, 1), BEN)], SETTINGS)] == [
        "On duty: Ben Smith"]


def test_mine_keeps_only_the_engineers_roles():
    periods = [period(date(2026, 12, 1), BEN, TOBI), period(date(2026, 12, 2), TOBI, ASHA),
               period(date(2026, 12, 3), ASHA, BEN)]
    assert [e.uid.split("@")[0] for e in mine_events(periods, BEN.id, SETTINGS)] == [
        "mine-20261201-primary", "mine-20261203-backup"]


# primaries of three consecutive nights   expected handover titles
HANDOVERS = [
    ((BEN, TOBI, ASHA), ["nobody → Ben Smith", "Ben Smith → Tobi Jones", "Tobi Jones → Asha Patel"]),
    ((BEN, BEN, TOBI), ["nobody → Ben Smith", "Ben Smith → Tobi Jones"]),
    ((BEN, None, TOBI), ["nobody → Ben Smith", "Ben Smith → nobody", "nobody → Tobi Jones"]),
]


@pytest.mark.parametrize("primaries, titles", HANDOVERS)
def test_handovers(primaries, titles):
    first = date(2026, 12, 1)
    periods = [period(first + timedelta(days=n), person) for n, person in enumerate(primaries)]
    found = handover_events(periods, SETTINGS)
    assert [e.summary.removeprefix("Handover: ") for e in found] == titles
    assert all(e.ends_at - e.starts_at == timedelta(minutes=15) for e in found)


def test_handover_after_a_gap_has_nobody_outgoing():
    periods = [period(date(2026, 12, 1), BEN), period(date(2026, 12, 3), TOBI)]
    assert [e.summary for e in handover_events(periods, SETTINGS)] == [
        "Handover: nobody → Ben Smith", "Handover: nobody → Tobi Jones"]


def test_content_hash_follows_what_subscribers_see():
    day = date(2026, 12, 1)
    base = rota_events([period(day, BEN, TOBI)], SETTINGS)[0]
    same = rota_events([period(day, BEN, TOBI)], SETTINGS)[0]
    other_backup = rota_events([period(day, BEN, ASHA)], SETTINGS)[0]
    assert base.content_hash() == same.content_hash()
    assert base.content_hash() != other_backup.content_hash()
