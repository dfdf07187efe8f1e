"""Calls, tickets, calendars, customers, users and the audit log as their users see them."""

import io
import re
from datetime import timedelta

from accounts.models import AuditEntry, User
from calendars.models import FeedToken
from customers.models import Customer
from dutyline.db import database
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT
from tests.web.conftest import csrf_of
from voicemail.models import Ticket


def _call(sid, status, engineer=None, minutes=0, customer=None):
    call = Call.create(sid=sid, from_number="+447700900123", started_at=ADDED_AT + timedelta(
        minutes=minutes), mode="in_hours", status=status, customer=customer,
        answered_by=engineer if status == "answered" else None,
        answered_at=ADDED_AT + timedelta(minutes=minutes, seconds=8) if status == "answered"
        else None)
    if engineer is not None:
        Leg.create(call=call, step=0, engineer=engineer, number=engineer.mobile, role="hunt",
                   started_at=call.started_at, picked_up_at=call.started_at + timedelta(seconds=6),
                   accepted_at=call.started_at + timedelta(seconds=8),
                   ended_at=call.started_at + timedelta(seconds=90), outcome="accepted")
    return call


def test_calls_filter_by_missed_day_and_engineer_and_show_legs(manager, ben, make_engineer):
    tobi = make_engineer("Tobi Jones")
    with database.connection_context():
        answered = _call("CA" + "a" * 32, "answered", ben)
        _call("CA" + "b" * 32, "missed", minutes=5)
        _call("CA" + "c" * 32, "answered", tobi, minutes=24 * 60)
    page = manager.get("/calls?missed=1").get_data(as_text=True)
    assert page.count("badge bad") == 1 and "answered</span>" not in page
    day = manager.get("/calls?day=2026-11-02").get_data(as_text=True)
    assert "Mon 02 Nov 09:00:00 GMT" in day and "Sun 01 Nov" not in day
    by_ben = manager.get(f"/calls?engineer={ben.id}&day=2026-11-01").get_data(as_text=True)
    answered_by = 'data-label="Answered by">{}</td>'.format
    assert answered_by("Ben Smith") in by_ben and answered_by("Tobi Jones") not in by_ben
    by_tobi = manager.get(f"/calls?engineer={tobi.id}&day=2026-11-01").get_data(as_text=True)
    assert answered_by("Ben Smith") not in by_tobi and "No calls match" in by_tobi
    # without a day the engineer filter looks back a week from now (1 Dec): none of these
    recent = manager.get(f"/calls?engineer={ben.id}").get_data(as_text=True)
    assert "No calls match" in recent and "in the last 7 days" in recent
    detail = manager.get(f"/calls/{answered.id}").get_data(as_text=True)
    stages = re.findall(r'<rect class="(ringing|whisper|connected)" x=', detail)
    assert stages == ["ringing", "whisper", "connected"] and "Ben Smith" in detail
    assert manager.get("/calls/999999").status_code == 404


def test_missed_calls_are_every_call_nobody_accepted_as_on_the_command_line(manager, ben):
    with database.connection_context():
        _call("CA" + "e" * 32, "answered", ben)
        _call("CA" + "f" * 32, "missed", minutes=5)  # abandoned
        _call("CA" + "0" * 32, "voicemail", minutes=10)  # rang everyone, then a message
    page = manager.get("/calls?missed=1").get_data(as_text=True)
    assert (page.count("badge bad"), page.count("badge warn")) == (1, 1)
    assert "answered</span>" not in page


def test_tickets_are_acknowledged_by_engineers_and_closed_by_managers(manager, engineer, ben):
    with database.connection_context():
        call = _call("CA" + "d" * 32, "voicemail")
        ticket = Ticket.create(call=call, caller=call.from_number, created_at=ADDED_AT,
                               deadline=ADDED_AT + timedelta(hours=4), transcript="Printer on fire",
                               recording_url="https://api.twilio.com/rec/RE1", recording_seconds=42)
    page = engineer.get(f"/tickets/{ticket.number}").get_data(as_text=True)
    assert "Printer on fire" in page and "https://api.twilio.com/rec/RE1" in page
    assert "Mon 02 Nov 2026 13:00 GMT" not in page and "Sun 01 Nov 2026 13:00 GMT" in page
    assert engineer.post(f"/tickets/{ticket.number}/close").status_code == 403
    assert engineer.post(f"/tickets/{ticket.number}/ack").status_code == 302
    with database.connection_context():
        stored = Ticket.get_by_id(ticket.id)
        assert stored.status == "acknowledged" and stored.acknowledged_by_id == ben.id
    assert manager.post(f"/tickets/{ticket.number}/close").status_code == 302
    with database.connection_context():
        assert Ticket.get_by_id(ticket.id).status == "closed"
    assert "closed" in manager.get("/tickets?status=closed").get_data(as_text=True)


def test_the_ticket_list_shows_50_at_a_time_newest_first(manager):
    with database.connection_context():
        made = [Ticket.create(call=_call(f"CA{n:032d}", "voicemail", minutes=n),
                              caller="+447700900123", created_at=ADDED_AT)
                for n in range(53)]

    def numbers(page):
        return [int(n) for n in re.findall(r'aria-label="Set the priority of #(\d+)"', page)]

    first = manager.get("/tickets").get_data(as_text=True)
    assert numbers(first) == [t.number for t in reversed(made[3:])]
    assert "Newest tickets" not in first
    older = re.search(r'href="(/tickets\?before=\d+)">Older tickets', first).group(1)
    second = manager.get(older).get_data(as_text=True)
    assert numbers(second) == [made[2].number, made[1].number, made[0].number]
    assert "Older tickets" not in second and "Newest tickets" in second


def test_an_engineer_makes_a_calendar_link_that_serves_their_feed_and_a_new_one_revokes_it(
        app, engineer):
    made = engineer.post("/subscribe/new", {"kind": "engineer"}, token_from="/calendars")
    page = made.get_data(as_text=True)
    links = re.findall(r'value="(https://support\.example\.com/calendars/[^"]+)"', page)
    assert len(links) == 3 and "webcal://support.example.com/calendars/" in page
    assert "<svg" in page and "Copy link" in page
    mine = next(link for link in links if link.endswith("/mine.ics"))
    feed = app.test_client().get(mine.removeprefix("https://support.example.com"))
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    engineer.post("/subscribe/new", {"kind": "engineer"})
    again = app.test_client().get(mine.removeprefix("https://support.example.com"))
    assert again.status_code == 404
    with database.connection_context():
        assert FeedToken.select().where(FeedToken.revoked_at.is_null()).count() == 1


def test_managers_make_and_revoke_manager_links(manager):
    page = manager.post("/subscribe/new", {"kind": "manager", "label": "board"}).get_data(
        as_text=True)
    assert page.count('class="feed-link"') == 2
    with database.connection_context():
        token = FeedToken.get()
    assert token.label == "board"
    assert manager.post(f"/subscribe/revoke/{token.prefix}").status_code == 302
    with database.connection_context():
        assert FeedToken.get().revoked_at is not None


def test_customers_are_added_imported_and_removed(manager):
    refused = manager.post("/customers", {"name": "ACME Ltd", "numbers": "not a number",
                                          "hours": "core", "reaction": "4h"})
    assert refused.status_code == 400 and 'value="ACME Ltd"' in refused.get_data(as_text=True)
    assert manager.post("/customers", {"name": "ACME Ltd", "numbers": "020 7946 0000",
                                       "hours": "24x7", "reaction": "2h"}).status_code == 302
    bad = io.BytesIO(b"name,numbers,hours,reaction\nGlobex,020 7946 0001,core,4h\nInitech,x,core,4h\n")
    response = manager.post("/customers/import", {"file": (bad, "customers.csv")},
                            content_type="multipart/form-data")
    assert response.status_code == 400 and "nothing imported" in response.get_data(as_text=True)
    good = io.BytesIO(b"Globex,020 7946 0001,core,4h\n")
    assert manager.post("/customers/import", {"file": (good, "customers.csv")},
                        content_type="multipart/form-data").status_code == 302
    with database.connection_context():
        assert sorted(c.name for c in Customer.select()) == ["ACME Ltd", "Globex"]
        acme = Customer.get(Customer.name == "ACME Ltd")
        _call("CA" + "e" * 32, "answered", customer=acme)
    asked = manager.get(f"/customers/{acme.id}/remove")  # the list's Remove… asks first
    assert f'href="/customers/{acme.id}/remove"' in manager.get("/customers").get_data(
        as_text=True)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Remove ACME Ltd?</h1>" in page
    assert "Its numbers (+442079460000) will no longer match callers" in page
    assert manager.post(f"/customers/{acme.id}/remove").status_code == 200  # no answer yet
    assert "ACME Ltd" in manager.get("/customers").get_data(as_text=True).split("<h2>")[0]
    assert manager.post(f"/customers/{acme.id}/remove", {"confirm": "yes"}).status_code == 302
    assert "customer removed: ACME Ltd" in manager.get("/customers").get_data(as_text=True)
    again = manager.post(f"/customers/{acme.id}/remove", {"confirm": "yes"})  # sent twice
    assert "already done: ACME Ltd was removed" in manager.get(
        again.headers["Location"]).get_data(as_text=True)
    page = manager.get("/customers").get_data(as_text=True)
    assert "Globex" in page and "ACME Ltd" not in page
    with database.connection_context():  # the call on record still names the customer
        assert Call.get().customer.name == "ACME Ltd"


def test_managers_add_and_remove_users_and_see_the_audit_log(app, manager, ben):
    refused = manager.post("/users", {"email": "ben@", "role": "engineer", "engineer": ""})
    assert refused.status_code == 400 and "not an e-mail address" in refused.get_data(as_text=True)
    added = manager.post("/users", {"email": "ben@example.com", "role": "engineer",
                                    "engineer": "Ben Smith"}).get_data(as_text=True)
    link = re.search(r'value="https://support\.example\.com(/signin/link/[^"]+)"', added).group(1)
    ben_browser = app.test_client()
    assert ben_browser.post(link, data={"csrf_token": csrf_of(ben_browser, link)}).status_code == 302
    assert ben_browser.get("/now").status_code == 200
    with database.connection_context():
        ben_user = User.get(User.email == "ben@example.com")
    assert manager.post(f"/users/{ben_user.id}/remove").status_code == 302
    assert ben_browser.get("/now").status_code == 302
    log = manager.get("/audit").get_data(as_text=True)
    assert "user added" in log and "user removed" in log and "mia@example.com" in log
    with database.connection_context():
        assert AuditEntry.select().where(AuditEntry.action == "user removed").count() == 1
