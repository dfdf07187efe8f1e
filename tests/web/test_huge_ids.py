"""A number in an address past what a table's key holds names nothing: 404, or a page that
leaves nothing out, never a fault (SQLite cannot even bind one past 2**63 - 1)."""

import pytest

from accounts.models import AuditEntry
from dutyline.db import database
from dutyline.ids import MAX_ID
from tests.web.test_ticket_priority import make_ticket

HUGE = "99999999999999999999"  # past 2**64


@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1), str(MAX_ID)])
@pytest.mark.parametrize("method, path", [
    # header: method, address with {n} for the number
    ("get", "/tickets/{n}"),
    ("post", "/tickets/{n}/ack"),
    ("post", "/tickets/{n}/close"),
    ("get", "/calls/{n}"),
    ("post", "/engineers/{n}"),
    ("post", "/engineers/{n}/remove"),
    ("post", "/engineers/{n}/presence"),
    ("post", "/customers/{n}/remove"),
    ("post", "/users/{n}/remove"),
])
def test_an_id_past_the_keys_is_not_found(manager, method, path, number):
    make_ticket()
    response = getattr(manager, method)(path.format(n=number), token_from="/tickets") \
        if method == "post" else manager.get(path.format(n=number))
    if path.startswith("/tickets/{n}/") and int(number) <= MAX_ID:
        # a number a ticket could have: the list says there is none
        assert response.status_code == 302
        page = manager.get(response.headers["Location"]).get_data(as_text=True)
        assert f"no ticket #{number}" in page
    else:
        assert response.status_code == 404, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("path", ["/rota/override/{n}/remove", "/rota/absence/{n}/remove"])
def test_a_rota_change_naming_an_id_past_the_keys_finds_nothing(manager, path):
    assert manager.post(path.format(n=HUGE), {"month": "2026-12"}).status_code == 404
    refused = manager.post(path.format(n=MAX_ID), {"month": "2026-12"})
    assert refused.status_code == 400 and f"with id {MAX_ID}" in refused.get_data(as_text=True)


@pytest.mark.parametrize("query", [f"?before={HUGE}", "?before=²", f"?before={MAX_ID + 1001}"])
def test_tickets_before_a_number_past_the_keys_are_all_the_tickets(manager, query):
    ticket = make_ticket()
    response = manager.get("/tickets" + query)
    assert response.status_code == 200
    assert f"#{ticket.number}" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [f"?engineer={HUGE}", f"?customer={HUGE}",
                                   f"?engineer=-{HUGE}"])
def test_calls_filtered_by_an_id_past_the_keys_are_none(manager, query):
    response = manager.get("/calls" + query)
    assert response.status_code == 200


def test_the_audit_log_before_a_number_past_the_keys_is_all_of_it(manager):
    with database.connection_context():
        AuditEntry.create(actor="mia@example.com", action="test", detail="kept",
                          at=manager.clock())
    response = manager.get(f"/audit?before={HUGE}")
    assert response.status_code == 200 and "kept" in response.get_data(as_text=True)
