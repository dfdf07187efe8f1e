"""The Rota grid is where the rota changes: a picked day fills the assign, swap and override
forms for it; started days are locked; the month's duties per engineer beside the grid; "back
to back" only on the days of the periods concerned, with the engineer's name."""

import re
from datetime import date, datetime, timezone

import pytest

from dutyline.db import database
from rota import periods
from rota.counts import month_counts
from rota.models import DutyPeriod


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ben Smith", "Tobi Jones", "Asha Patel")]


@pytest.fixture
def manager(clock, make_user, browser):
    """Mia, signed in on Mon 7 Dec at 10:00 (the first six days of the month have started)."""
    clock.set(datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc))
    make_user("mia@example.com", "manager")
    return browser().sign_in("mia@example.com")


@pytest.fixture
def december(team, manager):
    assert manager.post("/rota/generate", {"month": "2026-12",
                                           "include_started": "1"}).status_code == 302
    with database.connection_context():
        return {p.day: p for p in DutyPeriod.select()}


def cell(page, day):
    found = re.search(rf'<div class="day([^"]*)"\s+role="cell" data-day="{day}">(.*?)</div>',
                      page, re.S)
    return found.group(1).split(), found.group(2)


def value(page, field_id):
    """The value a field of the page starts with (an input's, or a select's chosen option)."""
    tag = re.search(rf'<(input|select)[^>]*id="{field_id}"[^>]*>', page)
    if tag.group(1) == "input":
        return re.search(r'value="([^"]*)"', tag.group(0)).group(1)
    options = page[tag.end():page.index("</select>", tag.end())]
    chosen = re.search(r'<option value="([^"]*)" selected>', options)
    return chosen.group(1) if chosen else None


def test_every_day_links_to_its_forms_filled_in(december, manager):
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    _, inside = cell(page, "2026-12-10")
    assert 'href="/rota?month=2026-12&amp;day=2026-12-10#change"' in inside
    page = manager.get("/rota?month=2026-12&day=2026-12-10").get_data(as_text=True)
    period = december[date(2026, 12, 10)]
    with database.connection_context():
        primary = period.primary.name
    assert "picked" in cell(page, "2026-12-10")[0]
    assert "Thu 10 Dec 18:00 GMT → Fri 11 Dec 18:00 GMT" in page
    assert (value(page, "f-as-day"), value(page, "f-as-primary")) == ("2026-12-10", primary)
    assert value(page, "f-sw-first") == "2026-12-10" and value(page, "f-sw-second") == ""
    assert (value(page, "f-ov-starts"), value(page, "f-ov-ends")) == (
        "2026-12-10T18:00", "2026-12-11T18:00")
    assert page.count('<details id="') == 5 and page.count(" open>") == 3
    assert page.count('name="picked" value="2026-12-10"') == 3  # assign, swap, override
    # a change made from there comes back to the same day, the grid showing it
    other = next(e for e in ("Ben Smith", "Tobi Jones", "Asha Patel") if e != primary)
    response = manager.post("/rota/assign", {"month": "2026-12", "picked": "2026-12-10",
                                             "day": "2026-12-10", "primary": other},
                            token_from="/rota?month=2026-12")
    assert response.headers["Location"] == "/rota?month=2026-12&day=2026-12-10#change"
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<span class="primary">{other}</span>' in cell(page, "2026-12-10")[1]


def test_started_days_are_locked_and_their_forms_refuse_without_the_box(december, manager):
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    assert "started" in cell(page, "2026-12-06")[0] and "started" not in cell(page, "2026-12-07")[0]
    assert '<span class="tag locked">started</span>' in cell(page, "2026-12-01")[1]
    over = manager.get("/rota?month=2026-12&day=2026-12-05").get_data(as_text=True)
    assert "This duty is over: it is history." in over
    under_way = manager.get("/rota?month=2026-12&day=2026-12-06").get_data(as_text=True)
    assert "This duty is under way" in under_way
    # the override starts from now on (10:00 → 10:05), which needs no box
    assert value(under_way, "f-ov-starts") == "2026-12-07T10:05"
    before = {d: p.primary_id for d, p in december.items()}
    refused = manager.post("/rota/assign", {"month": "2026-12", "picked": "2026-12-05",
                                            "day": "2026-12-05", "primary": "Ben Smith"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert ("the duty period of Sat 05 Dec 2026 has started; assigning it would rewrite who was "
            "on duty. Tick “Include periods that have started” to do it anyway.") in text
    assert "This duty is over" in text  # the picked day stays
    with database.connection_context():
        assert {p.day: p.primary_id for p in DutyPeriod.select()} == before
    assert manager.post("/rota/override", {"month": "2026-12", "engineer": "Ben Smith",
                                           "starts": "2026-12-07T10:05",
                                           "ends": "2026-12-07T18:00"}).status_code == 302
    assert manager.post("/rota/assign", {"month": "2026-12", "day": "2026-12-05",
                                         "primary": "Ben Smith",
                                         "include_started": "1"}).status_code == 302


def test_the_months_duties_per_engineer_beside_the_grid(december, manager, settings):
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    aside = re.search(r'<aside class="counts".*?</aside>', page, re.S).group(0)
    with database.connection_context():
        counts = month_counts(2026, 12, settings)
    assert "<th>Nights</th><th>Weekends</th><th>Holidays</th>" in aside
    for name, person in counts.items():
        row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', aside, re.S).group(1)
        assert re.findall(r"<td>(\d+)", row) == [
            str(person["primary"][kind]) for kind in ("weeknights", "weekends", "holidays")]
    assert sum(int(n) for n in re.findall(r"<td>(\d+)", aside)) == 31


def test_back_to_back_is_shown_on_the_two_days_with_the_name(team, manager, settings):
    with database.connection_context():
        for day, engineer in ((9, team[0]), (10, team[1]), (11, team[1]), (12, team[2])):
            periods.assign_period(date(2026, 12, day), engineer, None, settings, now=
                                  datetime(2026, 11, 1, tzinfo=timezone.utc))
    page = manager.get("/rota?month=2026-12").get_data(as_text=True)
    marked = [day for day in range(1, 32)
              if "back to back" in cell(page, f"2026-12-{day:02d}")[1]]
    assert marked == [10, 11]
    assert "back to back: Tobi Jones" in cell(page, "2026-12-10")[1]


def test_an_engineers_days_link_to_a_swap_request(december, make_user, browser):
    make_user("tobi@example.com", "engineer", "Tobi Jones")
    tobi = browser().sign_in("tobi@example.com")
    page = tobi.get("/rota?month=2026-12").get_data(as_text=True)
    with database.connection_context():
        names = {d: p.primary.name for d, p in december.items()}
    mine = next(d for d in sorted(names) if names[d] == "Tobi Jones" and d.day > 10)
    theirs = next(d for d in sorted(names) if names[d] != "Tobi Jones" and d.day > 10)
    assert f'href="/swaps?give={mine}"' in cell(page, mine.isoformat())[1]
    assert f'href="/swaps?take={theirs}"' in cell(page, theirs.isoformat())[1]
    assert "href" not in cell(page, "2026-12-03")[1]  # started: nothing to ask
    assert 'id="change"' not in page
