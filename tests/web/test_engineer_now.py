"""An engineer on a phone: their own duty first on Now (until when, the backup's number, the
next duties), take tonight's duty and cover tonight, ask a colleague to swap and the colleague
accepting on the web; tickets and calls with their own first and the caller's number to dial."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from accounts.models import AuditEntry
from dutyline.db import database
from outbox.models import OutboxMessage
from rota import periods
from rota.models import DutyPeriod, Engineer, SwapRequest
from telephony.models import Call
from voicemail.models import Ticket

NOV_1 = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture
def rota(app, make_engineer, settings):
    """Ben on duty from Mon 30 Nov 18:00 with Tobi as backup; Asha on Tue 1 Dec (tonight),
    Ben again on Thu 3 Dec, Tobi on Fri 4 Dec. The clock says Tue 1 Dec 10:00, in hours."""
    team = {n.split()[0]: make_engineer(n) for n in ("Ben Smith", "Tobi Jones", "Asha Patel")}
    with database.connection_context():
        for day, primary, backup in ((30, "Ben", "Tobi"), (1, "Asha", None), (3, "Ben", None),
                                     (4, "Tobi", None)):
            when = date(2026, 11 if day == 30 else 12, day)
            periods.assign_period(when, team[primary], team[backup] if backup else None,
                                  settings, now=NOV_1)
    return team


@pytest.fixture
def signed_in(rota, make_user, browser):
    def sign_in(name):
        email = f"{name.split()[0].lower()}@example.com"
        make_user(email, "engineer", name)
        return browser().sign_in(email)

    return sign_in


def test_their_own_duty_comes_first(signed_in, rota):
    page = signed_in("Ben Smith").get("/now").get_data(as_text=True)
    assert page.index('id="h-mine"') < page.index('id="h-me"') < page.index('id="h-duty"')
    mine = re.search(r'<section class="card mine".*?</section>', page, re.S).group(0)
    assert "You are on duty" in mine and "until 18:00 today" in mine
    tobi = rota["Tobi"].mobile
    assert f'Backup: <b>Tobi Jones</b> <a class="tel" href="tel:{tobi}">{tobi}</a>' in mine
    assert "<b>on duty</b> Thu 03 Dec 18:00 → Fri 18:00" in mine
    assert "Take tonight&#39;s duty" in mine and "Cover tonight" in mine
    assert 'href="/swaps"' in mine
    # Asha, not on duty now: who is, with the number to ring
    page = signed_in("Asha Patel").get("/now").get_data(as_text=True)
    assert "You are not on duty now" in page
    assert f'On duty now: <b>Ben Smith</b> <a class="tel" href="tel:{rota["Ben"].mobile}">' \
        in page
    assert "<b>on duty</b> Tue 01 Dec 18:00 → Wed 18:00" in page


def test_a_manager_keeps_the_now_page_as_it_was(rota, manager):
    page = manager.get("/now").get_data(as_text=True)
    assert 'id="h-mine"' not in page and 'id="h-duty"' in page
    assert manager.post("/now/take").status_code == 403


def test_take_tonight_and_cover_tonight(signed_in, rota):
    ben = signed_in("Ben Smith")
    response = ben.post("/now/take", token_from="/now")
    assert response.status_code == 302 and response.headers["Location"] == "/now"
    page = ben.get("/now").get_data(as_text=True)
    assert ("You are on duty from 18:00 today until 08:00 tomorrow: the support line forwards "
            "to you; Asha Patel has been told.") in page
    assert "Take tonight&#39;s duty" not in page
    assert "You hold 18:00 Tue GMT → 08:00 Wed GMT" in page
    assert ben.post("/now/cover", {"on": "1"}, token_from="/now").status_code == 302
    page = ben.get("/now").get_data(as_text=True)
    assert "You are cover from 18:00 today until 08:00 tomorrow" in page
    assert "Stop covering" in page
    with database.connection_context():
        assert periods.duty_at(datetime(2026, 12, 1, 21, tzinfo=timezone.utc))[0].name == \
            "Ben Smith"
        assert Engineer.get(Engineer.name == "Ben Smith").cover_until == datetime(
            2026, 12, 2, 8, tzinfo=timezone.utc)
        assert [(e.actor, e.action) for e in AuditEntry.select().where(
            AuditEntry.action != "signed in").order_by(AuditEntry.id)] == [
            ("ben@example.com", "duty taken"), ("ben@example.com", "cover")]
        told = OutboxMessage.get(OutboxMessage.recipient == rota["Asha"].mobile)
        assert told.body.startswith("Ben Smith has taken over your out-of-hours duty")


def test_a_swap_asked_on_the_web_and_accepted_by_the_colleague(signed_in, rota):
    ben, tobi = signed_in("Ben Smith"), signed_in("Tobi Jones")
    form = ben.get("/swaps?give=2026-12-03").get_data(as_text=True)
    assert '<option value="2026-12-03" selected>' in form
    assert "Fri 04 Dec 18:00 GMT · Tobi Jones" in form
    asked = ben.post("/swaps", {"give": "2026-12-03", "take": "2026-12-04"},
                     token_from="/swaps")
    assert asked.status_code == 302
    assert ben.post("/swaps", {"give": "2026-12-03", "take": "2026-12-04"},
                    token_from="/swaps").status_code == 302  # sent twice: asked once
    with database.connection_context():
        assert SwapRequest.select().count() == 1
        text = OutboxMessage.get(OutboxMessage.recipient == rota["Tobi"].mobile)
    assert text.body.startswith("Ben Smith asks you to swap 18:00 Thu 3 Dec (theirs) for "
                                "18:00 Fri 4 Dec (yours): reply YES to accept")
    page = tobi.get("/now").get_data(as_text=True)
    assert "Ben Smith asks you to swap <b>18:00 Thu 3 Dec</b> (theirs)" in page
    request_id = SwapRequest.get().id
    assert ben.post(f"/swaps/{request_id}/accept", token_from="/swaps").status_code == 403
    accepted = tobi.post(f"/swaps/{request_id}/accept", {"back": "/now"}, token_from="/now")
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/now"
    with database.connection_context():
        days = {p.day: p.primary.name for p in DutyPeriod.select()}
        assert (days[date(2026, 12, 3)], days[date(2026, 12, 4)]) == ("Tobi Jones", "Ben Smith")
        assert [(e.actor, e.action) for e in AuditEntry.select().where(
            AuditEntry.action != "signed in").order_by(AuditEntry.id)] == [
            ("ben@example.com", "swap asked"), ("tobi@example.com", "swap accepted")]
    assert "swap accepted: Tobi Jones takes 18:00 Thu 3 Dec from Ben Smith" in tobi.get(
        "/now").get_data(as_text=True)
    again = tobi.post(f"/swaps/{request_id}/accept", token_from="/swaps")
    assert "already done: swap request" in tobi.get(again.headers["Location"]).get_data(
        as_text=True)


def test_tickets_and_calls_put_their_own_first_with_numbers_to_dial(signed_in, rota):
    with database.connection_context():
        for n, engineer in enumerate(("Tobi", "Ben", "Asha")):
            at = NOV_1 + timedelta(hours=n)
            call = Call.create(sid="CA" + f"{n}" * 32, from_number=f"+44770090012{n}",
                               started_at=at, mode="in_hours", status="answered",
                               answered_by=rota[engineer])
            Ticket.create(call=call, caller=call.from_number, created_at=at,
                          engineer=rota[engineer])
        Call.create(sid="CA" + "9" * 32, from_number="anonymous", started_at=NOV_1,
                    mode="in_hours", status="missed")
    ben = signed_in("Ben Smith")
    tickets = ben.get("/tickets").get_data(as_text=True)
    rows = re.findall(r'<tr( class="yours")?><td class="title"><a href="/tickets/(\d+)"', tickets)
    assert rows == [(' class="yours"', "1002"), ("", "1003"), ("", "1001")]
    assert '<a class="tel" href="tel:+447700900121">+447700900121</a>' in tickets
    calls = ben.get("/calls?day=2026-11-01").get_data(as_text=True)
    first = re.search(r'<tr( class="yours")?><td class="title">', calls)
    assert first.group(1) == ' class="yours"'
    assert 'href="tel:+447700900121"' in calls and 'data-label="From">anonymous</td>' in calls
