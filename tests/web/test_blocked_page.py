"""The Blocked numbers page: managers block a number with a reason and an optional last day,
and remove one after a confirmation step; every change audited; the same checks and
messages as `dutyline block`; a blocked call is no missed call on the Calls page."""

import re
from datetime import timedelta
from html import unescape

import pytest

from accounts.models import AuditEntry
from customers.models import BlockedNumber
from dutyline.db import database
from telephony.models import Call
from tests.conftest import ADDED_AT

NUISANCE = "+447400999888"


def blocks():
    with database.connection_context():
        return [(b.number, b.reason, b.created_by, b.ends_at and b.ends_at.isoformat())
                for b in BlockedNumber.select().order_by(BlockedNumber.number)]


def audited():
    with database.connection_context():
        return [(e.actor, e.action, e.detail) for e in AuditEntry.select()
                .where(AuditEntry.action.contains("block")).order_by(AuditEntry.id)]


def test_a_manager_blocks_a_number_and_the_navigation_leads_there(manager):
    page = manager.get("/now").get_data(as_text=True)
    assert 'href="/blocked"' in page
    added = manager.post("/blocked", {"number": "07400 999888", "reason": "fax machine",
                                      "until": "2026-12-24"}, token_from="/blocked")
    assert added.status_code == 302 and added.headers["Location"] == "/blocked"
    listing = unescape(manager.get("/blocked").get_data(as_text=True))
    assert f"blocked {NUISANCE} until 2026-12-24: fax machine" in listing  # the notice
    assert ('<td data-label="Reason">fax machine</td><td data-label="Blocked by">'
            'mia@example.com</td>') in listing
    assert blocks() == [(NUISANCE, "fax machine", "mia@example.com",
                         "2026-12-25T00:00:00+00:00")]
    assert audited() == [("mia@example.com", "number blocked",
                          f"{NUISANCE} until 2026-12-24: fax machine")]


def test_the_engineers_navigation_has_no_block_list(engineer):
    assert 'href="/blocked"' not in engineer.get("/now").get_data(as_text=True)
    assert engineer.get("/blocked").status_code == 403


@pytest.mark.parametrize("form, message", [
    ({"number": "anonymous", "reason": "prank"},
     "a withheld number cannot be blocked ('anonymous')"),
    ({"number": "not a number", "reason": "prank"}, "not a phone number: 'not a number'"),
    ({"number": NUISANCE, "reason": ""}, "a block needs a reason"),
    ({"number": NUISANCE, "reason": "fax\u202emachine"},
     "block reason 'fax\\u202emachine' holds a control character (U+202E"),
    ({"number": NUISANCE, "reason": "prank", "until": "24/12/2026"},
     "until: not a date (YYYY-MM-DD): '24/12/2026'"),
    ({"number": NUISANCE, "reason": "prank", "until": "2026-11-30"},
     "a block until 2026-11-30 would be over already (today is 2026-12-01)"),
])
def test_a_refused_block_says_why_keeps_what_was_typed_and_changes_nothing(manager, form,
                                                                           message):
    response = manager.post("/blocked", form, token_from="/blocked")
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert message in page
    assert f'value="{form["number"]}"' in page
    assert blocks() == [] and audited() == []


def test_removing_a_block_asks_first(manager):
    manager.post("/blocked", {"number": NUISANCE, "reason": "robocaller"}, token_from="/blocked")
    with database.connection_context():
        block_id = BlockedNumber.get().id
    path = f"/blocked/{block_id}/remove"
    asked = manager.get(path).get_data(as_text=True)
    assert f"Remove {NUISANCE} from the block list?" in asked
    assert 'name="confirm" value="yes"' in asked
    # a form without the confirmation (a bare POST) only asks again
    unconfirmed = manager.post(path, {}, token_from="/blocked")
    assert unconfirmed.status_code == 200
    assert "from the block list?" in unconfirmed.get_data(as_text=True)
    assert len(blocks()) == 1
    removed = manager.post(path, {"confirm": "yes"}, token_from=path)
    assert removed.status_code == 302 and blocks() == []
    assert audited()[-1] == ("mia@example.com", "number unblocked",
                             f"{NUISANCE} until removed: robocaller")
    assert manager.get(path).status_code == 404  # gone
    assert manager.get("/blocked/99999999999/remove").status_code == 404


def test_a_blocked_call_is_not_a_missed_call_and_the_reports_count_it(manager):
    with database.connection_context():
        Call.create(sid="CA" + "b" * 32, from_number=NUISANCE, started_at=ADDED_AT,
                    mode="in_hours", status="blocked",
                    ended_at=ADDED_AT + timedelta(seconds=4))
    assert NUISANCE in manager.get("/calls?day=2026-11-01").get_data(as_text=True)
    assert NUISANCE not in manager.get("/calls?missed=1&day=2026-11-01").get_data(as_text=True)
    page = manager.get("/reports?from=2026-11-01&to=2026-11-01").get_data(as_text=True)
    assert "blocked: 1 (blocked numbers, not offered)" in page
    # per day: offered, answered, within, SL, ASA, abandoned, voicemail, blocked
    cells = re.sub(r' (?:class|data-label)="[^"]*"', "", page)  # the cards' labels aside
    assert ("<tr><td>Sun 01 Nov 2026</td><td>0</td><td>0</td><td>0</td><td>-</td><td>-</td>"
            "<td>0</td><td>0</td><td>1</td></tr>") in cells
