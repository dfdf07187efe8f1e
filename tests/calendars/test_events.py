"""The pure event derivation: UIDs, titles, handovers, content hashes."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendars.events import (OverrideSpan, Period, Person, cover_uid, covers_in_force,
                              event_uid, handover_events, mine_events, rota_events, team_slug)
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


def at(day, hour, minute=0):
    """An instant given in London wall-clock time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SETTINGS.tz).astimezone(timezone.utc)


def override(person, start, end, made_hour):
    return OverrideSpan(person, start, end, datetime(2026, 11, 20, made_hour, tzinfo=timezone.utc))


# overrides, in the order made                          parts in force: (who, start, end, part)
COVERS = [
    # one override: all of it
    ([(TOBI, at(4, 21), at(5, 2))],                      [(TOBI, at(4, 21), at(5, 2), 1)]),
    # a later one in the middle cuts the first in two
    ([(TOBI, at(4, 21), at(5, 2)), (ASHA, at(4, 23), at(5, 0))],
     [(TOBI, at(4, 21), at(4, 23), 1), (ASHA, at(4, 23), at(5, 0), 1),
      (TOBI, at(5, 0), at(5, 2), 2)]),
    # a later one over the same span leaves nothing of the first
    ([(TOBI, at(4, 21), at(5, 2)), (ASHA, at(4, 21), at(5, 2))],
     [(ASHA, at(4, 21), at(5, 2), 1)]),
    # an earlier one does not cut a later one
    ([(ASHA, at(4, 23), at(5, 0)), (TOBI, at(4, 21), at(5, 2))],
     [(TOBI, at(4, 21), at(5, 2), 1)]),
    # a reversed override covers nothing
    ([(TOBI, at(5, 2), at(4, 21))],                      []),
]


@pytest.mark.parametrize("made, expected", COVERS)
def test_covers_in_force(made, expected):
    spans = [override(person, start, end, n) for n, (person, start, end) in enumerate(made)]
    found = covers_in_force(spans)
    assert [(c.made.person, c.starts_at, c.ends_at, c.part) for c in found] == expected


def test_cover_events_in_rota_and_mine():
    periods = [period(date(2026, 12, 4), BEN, ASHA)]
    covers = covers_in_force([override(TOBI, at(4, 21), at(5, 2), 9)])
    rota = {e.uid: e for e in rota_events(periods, SETTINGS, covers)}
    cover = rota["rota-20261204T210000Z-20261205T020000Z-cover@night-owls-co.dutyline"]
    assert cover.summary == "On duty (cover): Tobi Jones"
    assert cover.description.splitlines() == [
        "On duty (cover): Tobi Jones, mobile +447911123402",
        "Instead of: Ben Smith",
        "Cover: 21:00 Fri 04 Dec 2026 to 02:00 Sat 05 Dec 2026 (Europe/London)"]
    assert cover.day == date(2026, 12, 4)
    assert cover.changed_at == datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    primary = rota["rota-20261204-primary@night-owls-co.dutyline"]
    assert primary.description.splitlines()[-1] == (
        "Covered by Tobi Jones from 21:00 Fri 04 Dec 2026 to 02:00 Sat 05 Dec 2026")
    assert [e.summary for e in mine_events(periods, TOBI.id, SETTINGS, covers)] == [
        "On duty (cover): Tobi Jones"]
    assert [e.summary for e in mine_events(periods, BEN.id, SETTINGS, covers)] == [
        "On duty: Ben Smith"]


def test_cover_uid_follows_the_span_not_the_person():
    asha = covers_in_force([override(ASHA, at(4, 21), at(5, 2), 9)])[0]
    tobi = covers_in_force([override(TOBI, at(4, 21), at(5, 2), 10)])[0]
    later = covers_in_force([override(TOBI, at(4, 22), at(5, 2), 10)])[0]
    assert cover_uid("mine", asha, "Support") == cover_uid("mine", tobi, "Support")
    assert cover_uid("mine", later, "Support") != cover_uid("mine", tobi, "Support")


def test_a_cut_override_says_so_and_its_second_part_has_its_own_uid():
    covers = covers_in_force([override(TOBI, at(4, 21), at(5, 2), 9),
                              override(ASHA, at(4, 23), at(5, 0), 10)])
    tobi = [e for e in rota_events([], SETTINGS, covers) if "Tobi" in e.summary]
    assert [e.uid.split("@")[0] for e in tobi] == [
        "rota-20261204T210000Z-20261205T020000Z-cover",
        "rota-20261204T210000Z-20261205T020000Z-cover-2"]
    assert tobi[0].description.splitlines()[-1] == (
        "The override runs from 21:00 Fri 04 Dec 2026 to 02:00 Sat 05 Dec 2026; "
        "later overrides take the rest")
    assert all(e.changed_at == datetime(2026, 11, 20, 10, tzinfo=timezone.utc) for e in tobi)


def test_covers_made_within_one_second_have_distinct_uids():
    # two TAKE texts in the same second: the first covers only the fraction before the second
    first = override(TOBI, at(4, 21).replace(microsecond=200_000), at(5, 2), 9)
    second = override(ASHA, at(4, 21).replace(microsecond=700_000), at(5, 2), 9)
    uids = [e.uid for e in rota_events([], SETTINGS, covers_in_force([first, second]))]
    assert len(uids) == 2 and len(set(uids)) == 2
    # whole seconds keep the documented form
    whole = covers_in_force([override(TOBI, at(4, 21), at(5, 2), 9)])[0]
    assert cover_uid("rota", whole, "Support") == (
        "rota-20261204T210000Z-20261205T020000Z-cover@support.dutyline")


instants = st.integers(min_value=0, max_value=8).map(
    lambda n: at(4, 21) + timedelta(milliseconds=250 * n))


@given(st.lists(st.tuples(st.sampled_from([BEN, TOBI, ASHA]), instants, instants), max_size=8))
def test_cover_uids_are_unique_whatever_overrides_were_made(made):
    spans = [override(person, start, end, 9) for person, start, end in made]
    covers = covers_in_force(spans)
    for feed_events in (rota_events([], SETTINGS, covers),
                        mine_events([], TOBI.id, SETTINGS, covers)):
        uids = [e.uid for e in feed_events]
        assert len(uids) == len(set(uids))
