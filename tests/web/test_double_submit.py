"""A form sent twice does what it said once: the rota's forms carry what the page showed, and
a second identical submit (a double click, 30 ms apart or at the same moment) finds it done."""

import re
import threading

import pytest

from accounts.models import AuditEntry
from dutyline.db import database
from outbox.models import OutboxMessage
from rota.models import DutyPeriod, Override

SEEN = re.compile(r'name="seen" value="([^"]+)"')


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ben Smith", "Tobi Jones", "Asha Patel")]


@pytest.fixture
def december(team, manager):
    assert manager.post("/rota/generate", {"month": "2026-12"}).status_code == 302


def form(browser, **fields):
    """The values a browser sends: what was typed, the month, and what the page showed."""
    page = browser.get("/rota?month=2026-12").get_data(as_text=True)
    return {"month": "2026-12", "seen": SEEN.search(page).group(1), **fields}


def primaries():
    with database.connection_context():
        return {p.day.day: p.primary_id for p in DutyPeriod.select()}


def changes():
    """(rota change texts queued, audit entries of rota changes)."""
    with database.connection_context():
        return (OutboxMessage.select().where(
                    OutboxMessage.dedupe_key.startswith("rota.change:")).count(),
                [e.action for e in AuditEntry.select().where(AuditEntry.action != "signed in",
                                                             ~AuditEntry.action.startswith(
                                                                 "generated"))])


def test_a_swap_sent_twice_swaps_once(december, manager):
    before = primaries()
    sent = form(manager, first="2026-12-02", second="2026-12-03")
    assert manager.post("/rota/swap", sent).status_code == 302
    texts = changes()[0]
    assert texts == 2  # the two engineers whose duty moved
    again = manager.post("/rota/swap", sent)
    assert again.status_code == 302
    page = manager.get(again.headers["Location"]).get_data(as_text=True)
    assert ("already done: the periods of Wed 02 Dec and Thu 03 Dec were swapped already"
            in page)
    after = primaries()
    assert (after[2], after[3]) == (before[3], before[2])
    assert changes() == (texts, ["swapped"])


def test_two_swaps_sent_at_the_same_moment_swap_once(december, manager, browser):
    before = primaries()
    other = browser().sign_in("mia@example.com")  # the same manager, a second connection
    sent = form(manager, first="2026-12-02", second="2026-12-03")
    start = threading.Barrier(2)
    statuses = []

    def post(who):
        token = who.post  # a CSRF token is read first, outside the race
        data = dict(sent, csrf_token=re.search(r'name="csrf_token" value="([^"]+)"',
                                               who.get("/account").get_data(as_text=True))
                    .group(1))
        start.wait()
        statuses.append(token("/rota/swap", data).status_code)

    threads = [threading.Thread(target=post, args=(who,)) for who in (manager, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    after = primaries()
    assert (after[2], after[3]) == (before[3], before[2])
    assert changes() == (2, ["swapped"])


def test_an_assignment_sent_twice_is_made_once(december, manager):
    sent = form(manager, day="2026-12-05", primary="Asha Patel", backup="")
    if primaries()[5] == 3:  # Asha has the day already: assign someone else
        sent["primary"] = "Ben Smith"
    assert manager.post("/rota/assign", sent).status_code == 302
    again = manager.post("/rota/assign", sent)
    page = manager.get(again.headers["Location"]).get_data(as_text=True)
    assert f"already done: {sent['primary']} is already on duty on Sat 05 Dec 2026" in page
    assert changes()[1] == ["assigned"]


def test_an_override_sent_twice_is_added_once(december, manager):
    sent = form(manager, engineer="Tobi Jones", starts="2026-12-05T21:00",
                ends="2026-12-06T02:00")
    assert manager.post("/rota/override", sent).status_code == 302
    texts = changes()[0]
    again = manager.post("/rota/override", sent)
    page = manager.get(again.headers["Location"]).get_data(as_text=True)
    assert "already done: Tobi Jones was put on duty over that span already" in page
    with database.connection_context():
        assert Override.select().count() == 1
    assert changes() == (texts, ["override added"])
    # the same span asked for again from a page shown since is a new override
    assert manager.post("/rota/override", form(manager, engineer="Tobi Jones",
                                               starts="2026-12-05T21:00",
                                               ends="2026-12-06T02:00")).status_code == 302
    with database.connection_context():
        assert Override.select().count() == 2


def test_a_form_from_before_another_change_changes_nothing(december, manager):
    stale = form(manager, first="2026-12-02", second="2026-12-03")
    shown = primaries()
    other = next(day for day in range(10, 20) if shown[day] not in (shown[2], shown[3]))
    assert manager.post("/rota/swap", form(manager, first="2026-12-02",
                                           second=f"2026-12-{other}")).status_code == 302
    before = primaries()
    refused = manager.post("/rota/swap", stale)
    assert refused.status_code == 400
    assert "the rota has changed since the page was shown" in refused.get_data(as_text=True)
    assert primaries() == before and changes()[1] == ["swapped"]


def test_buttons_show_that_they_are_working(manager):
    page = manager.get("/rota").get_data(as_text=True)
    assert '<script src="/assets/forms.js" defer></script>' in page
    script = manager.get("/assets/forms.js").get_data(as_text=True)
    assert "button.disabled = true" in script and 'setAttribute("aria-busy", "true")' in script
    assert " onclick=" not in page and " onsubmit=" not in page
