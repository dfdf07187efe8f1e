"""The Rota page: the grid, and changes through the same functions (and messages) as the CLI."""

import re
from datetime import date

import pytest

from dutyline.db import database
from rota.models import Absence, DutyPeriod, Override
from rota.swaps import period_on


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ben Smith", "Tobi Jones", "Asha Patel")]


def grid_primary(page, day):
    cell = re.search(rf'data-day="{day}">(.*?)</div>', page, re.S).group(1)
    return re.search(r'class="primary[^"]*">([^<]*)<', cell).group(1)


def primaries():
    with database.connection_context():
        return {p.day: p.primary_id for p in DutyPeriod.select()}


def test_manager_generates_swaps_and_sees_the_grid_change(team, manager):
    response = manager.post("/rota/generate", {"month": "2026-12"})
    assert response.status_code == 302
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "generated 2026-12" in page and "31 periods" in page
    first, second = grid_primary(page, "2026-12-02"), grid_primary(page, "2026-12-03")
    assert first != second and first in {"Ben Smith", "Tobi Jones", "Asha Patel"}
    assert manager.post("/rota/swap", {"month": "2026-12", "first": "2026-12-02",
                                       "second": "2026-12-03"}).status_code == 302
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    assert (grid_primary(page, "2026-12-02"), grid_primary(page, "2026-12-03")) == (second, first)
    assert "swapped: 2026-12-02 and 2026-12-03" in page


@pytest.mark.parametrize("path, data, message", [
    # header: action, form, the CLI's own message shown on the page
    ("/rota/swap", {"first": "2026-12-02", "second": "2 Dec"}, "not a date (YYYY-MM-DD): &#39;2 Dec&#39;"),
    ("/rota/swap", {"first": "2026-12-02", "second": "2026-12-02"}, "are the same duty period"),
    ("/rota/assign", {"day": "2026-12-05", "primary": "Ben Smith", "backup": "Ben Smith"},
     "the backup must be someone other than the primary"),
    ("/rota/assign", {"day": "2026-12-05", "primary": "Nobody"}, "unknown engineer: &#39;Nobody&#39;"),
    ("/rota/override", {"engineer": "Tobi Jones", "starts": "2026-12-05T21:00",
                        "ends": "2026-12-05T20:00"}, "before it starts"),
    ("/rota/absence", {"engineer": "Tobi Jones", "starts": "2026-12-09", "ends": "2026-12-07",
                       "reason": "leave"}, "before it starts"),
    ("/rota/generate", {"month": "2026-13"}, "not a month (YYYY-MM)"),
])
def test_a_refused_change_says_why_keeps_what_was_typed_and_changes_nothing(
        team, manager, path, data, message):
    manager.post("/rota/generate", {"month": "2026-12"})
    before = primaries()
    response = manager.post(path, {"month": "2026-12", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    typed = [value for key, value in data.items() if key not in ("month",) and "-" in value]
    for value in typed:
        if path != "/rota/generate":
            assert f'value="{value}"' in page
    assert primaries() == before
    with database.connection_context():
        assert Override.select().count() == 0 and Absence.select().count() == 0


def test_overrides_and_absences_show_on_the_grid_and_can_be_removed(team, manager, settings):
    manager.post("/rota/generate", {"month": "2026-12"})
    assert manager.post("/rota/override", {"month": "2026-12", "engineer": "Tobi Jones",
                                           "starts": "2026-12-05T21:00",
                                           "ends": "2026-12-06T02:00"}).status_code == 302
    assert manager.post("/rota/absence", {"month": "2026-12", "engineer": "Asha Patel",
                                          "starts": "2026-12-14", "ends": "2026-12-15",
                                          "reason": "leave"}).status_code == 302
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    cell = re.search(r'data-day="2026-12-05">(.*?)</div>', page, re.S).group(1)
    assert "Tobi Jones 21:00–02:00" in cell
    cell = re.search(r'data-day="2026-12-14">(.*?)</div>', page, re.S).group(1)
    assert "Asha Patel away" in cell
    with database.connection_context():
        override, absence = Override.get(), Absence.get()
    assert manager.post(f"/rota/override/{override.id}/remove",
                        {"month": "2026-12"}).status_code == 302
    assert manager.post(f"/rota/absence/{absence.id}/remove",
                        {"month": "2026-12"}).status_code == 302
    with database.connection_context():
        assert Override.select().count() == 0 and Absence.select().count() == 0
    assert manager.post(f"/rota/absence/{absence.id}/remove",
                        {"month": "2026-12"}).status_code == 400


def test_gaps_holidays_and_the_zone_are_marked(team, manager):
    manager.post("/rota/assign", {"month": "2026-12", "day": "2026-12-24", "primary": "Ben Smith"})
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    assert "times in Europe/London" in page
    christmas = re.search(r'<div class="day([^"]*)"\s+role="cell" data-day="2026-12-25"', page)
    assert "holiday" in christmas.group(1) and "gap" in christmas.group(1)
    eve = re.search(r'<div class="day([^"]*)"\s+role="cell" data-day="2026-12-24"', page)
    assert "holiday" not in eve.group(1)
    assert "nobody on duty out of hours" in page


def test_an_engineer_reads_the_rota_but_cannot_change_it(team, manager, make_user, browser):
    manager.post("/rota/generate", {"month": "2026-12"})
    make_user("tobi@example.com", "engineer", "Tobi Jones")
    tobi = browser().sign_in("tobi@example.com")
    page = tobi.get("/rota?month=2026-12").get_data(as_text=True)
    assert "Swap two days" not in page and 'data-day="2026-12-02"' in page
    before = primaries()
    for path, data in [("/rota/generate", {"month": "2026-12", "replace": "1"}),
                       ("/rota/swap", {"first": "2026-12-02", "second": "2026-12-03"}),
                       ("/rota/assign", {"day": "2026-12-02", "primary": "Tobi Jones"}),
                       ("/rota/override", {"engineer": "Tobi Jones", "starts": "2026-12-05T21:00",
                                           "ends": "2026-12-06T02:00"}),
                       ("/rota/absence", {"engineer": "Tobi Jones", "starts": "2026-12-14",
                                          "ends": "2026-12-15"})]:
        response = tobi.post(path, data)
        assert response.status_code == 403, path
        assert "<h1>Not allowed</h1>" in response.get_data(as_text=True)
    assert primaries() == before
    with database.connection_context():
        assert period_on(date(2026, 12, 2), _settings()).primary_id == before[date(2026, 12, 2)]


def _settings():
    from dutyline.settings import parse_settings

    return parse_settings({})


def test_a_swap_without_its_csrf_token_is_refused_and_changes_nothing(team, manager):
    manager.post("/rota/generate", {"month": "2026-12"})
    before = primaries()
    response = manager.client.post("/rota/swap", data={"first": "2026-12-02",
                                                       "second": "2026-12-03"})
    assert response.status_code == 400
    assert primaries() == before


def test_on_7_december_the_past_stays_unless_the_box_is_ticked_and_that_is_audited(
        team, make_user, browser, clock):
    from datetime import datetime, timezone

    from accounts.models import AuditEntry

    clock.set(datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc))
    make_user("mia@example.com", "manager")
    manager = browser().sign_in("mia@example.com")
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    assert page.count('name="include_started"') == 4  # generate, assign, swap, override
    response = manager.post("/rota/generate", {"month": "2026-12"})
    assert "6 that had started left as they were" in manager.get(
        response.headers["Location"]).get_data(as_text=True)
    assert min(primaries()) == date(2026, 12, 7)
    response = manager.post("/rota/generate", {"month": "2026-12", "include_started": "1"})
    assert response.status_code == 302 and min(primaries()) == date(2026, 12, 1)
    before = primaries()
    refused = manager.post("/rota/swap", {"month": "2026-12", "first": "2026-12-06",
                                          "second": "2026-12-10"})
    assert refused.status_code == 400 and primaries() == before
    assert ("the duty period of Sun 06 Dec 2026 has started; a swap would rewrite who was on "
            "duty. Tick “Include periods that have started” to do it anyway."
            ) in refused.get_data(as_text=True)
    assert manager.post("/rota/swap", {"month": "2026-12", "first": "2026-12-06",
                                       "second": "2026-12-10",
                                       "include_started": "1"}).status_code == 302
    assert primaries()[date(2026, 12, 6)] == before[date(2026, 12, 10)]
    with database.connection_context():
        assert [(e.action, e.detail.endswith("; periods that had started included"))
                for e in AuditEntry.select().where(AuditEntry.action != "signed in")
                .order_by(AuditEntry.id)] == [
            ("generated 2026-12", False), ("generated 2026-12", True), ("swapped", True)]
