"""The Tickets page shows each ticket's priority and sets it with a CSRF-protected form."""

from datetime import timedelta

from accounts.models import AuditEntry
from dutyline.db import database
from telephony.models import Call
from tests.conftest import ADDED_AT
from voicemail.models import Ticket


def make_ticket():
    with database.connection_context():
        call = Call.create(sid="CA" + "e" * 32, from_number="+447700900123", started_at=ADDED_AT,
                           mode="out_of_hours", status="voicemail")
        return Ticket.create(call=call, caller=call.from_number, created_at=ADDED_AT,
                             deadline=ADDED_AT + timedelta(hours=4))


def priority_of(ticket):
    with database.connection_context():
        return Ticket.get_by_id(ticket.id).priority


def test_an_engineer_sets_a_priority_on_the_tickets_page(engineer):
    ticket = make_ticket()
    page = engineer.get("/tickets").get_data(as_text=True)
    assert "<th>Priority</th>" in page and "C normal</span>" in page
    assert f'aria-label="Priority of #{ticket.number}"' in page
    answer = engineer.post(f"/tickets/{ticket.number}/priority", {"priority": "A"},
                           token_from="/tickets", follow_redirects=True)
    assert "#1001 priority A critical" in answer.get_data(as_text=True)
    assert priority_of(ticket) == "A"
    assert "A critical" in engineer.get(f"/tickets/{ticket.number}").get_data(as_text=True)
    with database.connection_context():
        entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
        assert (entry.actor, entry.action, entry.detail) == (
            "ben@example.com", "ticket priority", "#1001 C -> A")


def test_a_bad_priority_or_a_missing_token_changes_nothing(engineer):
    ticket = make_ticket()
    answer = engineer.post(f"/tickets/{ticket.number}/priority", {"priority": "E"},
                           token_from="/tickets", follow_redirects=True)
    assert "priority must be one of A (critical)" in answer.get_data(as_text=True)
    assert engineer.client.post(f"/tickets/{ticket.number}/priority",
                                data={"priority": "A"}).status_code == 400
    assert engineer.post("/tickets/4711/priority", {"priority": "A"}, token_from="/tickets",
                         follow_redirects=True).status_code == 200
    assert priority_of(ticket) == "C"


def test_the_call_back_list_shows_due_calls_and_marks_one_done_with_a_reason(engineer):
    ticket = make_ticket()
    page = engineer.get("/callbacks").get_data(as_text=True)
    assert f"#{ticket.number}" in page and "+447700900123" in page
    assert "Call-backs due" in engineer.get("/tickets").get_data(as_text=True)
    refused = engineer.post(f"/callbacks/{ticket.number}/done", {"reason": " "},
                            token_from="/callbacks", follow_redirects=True)
    assert "say why the call-back is done" in refused.get_data(as_text=True)
    answer = engineer.post(f"/callbacks/{ticket.number}/done", {"reason": "rang back"},
                           token_from="/callbacks", follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "#1001 call-back done" in text and "No call-backs due." in text
    with database.connection_context():
        assert Ticket.get_by_id(ticket.id).callback_reason == "rang back"


def test_call_back_on_the_ticket_rings_the_engineers_own_phone_and_is_logged(engineer, ben):
    from outbox.models import OutboxMessage
    from voicemail.models import CallBack

    ticket = make_ticket()
    page = engineer.get(f"/tickets/{ticket.number}").get_data(as_text=True)
    assert f'aria-label="Call back #{ticket.number} through the support number"' in page
    answer = engineer.post(f"/callbacks/{ticket.number}/call", {"back": f"/tickets/{ticket.number}"},
                           token_from=f"/tickets/{ticket.number}", follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "your phone rings now" in text and "ringing the engineer" in text
    call_page = engineer.get(f"/calls/{ticket.call_id}").get_data(as_text=True)
    assert "call-back due" in call_page and "by Ben Smith: ringing the engineer" in call_page
    with database.connection_context():
        row = CallBack.get()
        message = OutboxMessage.get_by_id(row.message_id)
        assert (row.engineer_id, message.channel, message.recipient) == (ben.id, "voice",
                                                                         ben.mobile)
