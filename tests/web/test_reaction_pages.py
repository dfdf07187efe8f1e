"""Reaction time on the web: what ends a contract's reaction set on the Customers page, and
the Reports page's reaction per customer against the contract, the tickets that broke it
linked to their pages."""

import re

import pytest

from customers.directory import add_customer
from customers.models import Customer
from dutyline.db import database
from tests.reports.test_reactions import FRIDAY_5PM, MONDAY_9AM, make_ticket


def ends():
    with database.connection_context():
        return {c.name: c.reaction_end for c in Customer.select()}


def test_a_manager_adds_a_contract_ending_at_the_acknowledgement_and_changes_it(manager):
    page = manager.get("/customers").get_data(as_text=True)
    assert ">the acknowledgement<" in page
    assert manager.post("/customers", {"name": "ACME Ltd", "numbers": "020 7946 0000",
                                       "hours": "core", "reaction": "4h",
                                       "reaction_end": "acknowledgement"}).status_code == 302
    assert manager.post("/customers", {"name": "Globex", "numbers": "020 7946 0001",
                                       "hours": "core", "reaction": "4h"}).status_code == 302
    assert ends() == {"ACME Ltd": "acknowledgement", "Globex": "call-back"}
    with database.connection_context():
        acme = Customer.get(Customer.name == "ACME Ltd").id
    sent = {"reaction_end": "call-back"}
    changed = manager.post(f"/customers/{acme}/reaction-end", sent)
    assert changed.status_code == 302
    assert "ACME Ltd: reaction ends at the call-back" in manager.get(
        "/customers").get_data(as_text=True)
    again = manager.post(f"/customers/{acme}/reaction-end", sent)  # the form sent twice
    assert again.status_code == 302
    assert "already done: ACME Ltd&#39;s reaction ends at the call-back" in manager.get(
        "/customers").get_data(as_text=True)
    assert ends() == {"ACME Ltd": "call-back", "Globex": "call-back"}


@pytest.mark.parametrize("end", ["", "whenever", "Call-back; DROP"])
def test_a_bad_reaction_end_is_refused_and_changes_nothing(manager, end):
    refused = manager.post("/customers", {"name": "ACME Ltd", "numbers": "020 7946 0000",
                                          "hours": "core", "reaction": "4h",
                                          "reaction_end": end})
    assert refused.status_code == 400
    assert "reaction end must be call-back or acknowledgement" in refused.get_data(as_text=True)
    assert ends() == {}
    with database.connection_context():
        acme = add_customer("ACME Ltd", ["020 7946 0000"], region="GB")
    changed = manager.post(f"/customers/{acme.id}/reaction-end", {"reaction_end": end})
    assert changed.status_code == 400
    assert "reaction end must be" in changed.get_data(as_text=True)
    assert ends() == {"ACME Ltd": "call-back"}


def test_only_a_manager_changes_a_contract(engineer):
    with database.connection_context():
        acme = add_customer("ACME Ltd", ["020 7946 0000"], region="GB")
    assert engineer.post(f"/customers/{acme.id}/reaction-end",
                         {"reaction_end": "acknowledgement"}).status_code == 403
    assert ends() == {"ACME Ltd": "call-back"}


def test_the_reports_page_shows_reaction_against_each_contract(manager, settings,
                                                               make_engineer):
    ben = make_engineer("Ben Smith")
    with database.connection_context():
        acme = add_customer("ACME Ltd", ["020 7946 0500"], "core", "4h", region="GB")
        globex = add_customer("Globex", ["0161 496 0000"], "24x7", "4h", region="GB")
        make_ticket(settings, ben, acme, FRIDAY_5PM, reached=MONDAY_9AM)
        late = make_ticket(settings, ben, globex, FRIDAY_5PM, reached=MONDAY_9AM)
        never = make_ticket(settings, ben, acme, FRIDAY_5PM)  # the clock: Tuesday 10:00
    page = manager.get("/reports?from=2026-11-23&to=2026-12-01").get_data(as_text=True)
    table = page[page.index('id="reactions"'):]
    table = table[:table.index("</table>")]
    rows = {re.search(r'class="title">([^<]+)<', row).group(1): row
            for row in table.split("<tr>")[2:]}
    assert "240 business minutes (in hours)" in rows["ACME Ltd"]
    assert "120 business minutes" in rows["ACME Ltd"]  # Friday's last hour, Monday's first
    assert f'<a href="/tickets/{never}"' in rows["ACME Ltd"]
    assert "not yet reacted to: 780 business minutes so far" in rows["ACME Ltd"]
    assert "240 minutes (24x7)" in rows["Globex"] and "3840 minutes" in rows["Globex"]
    assert "business" not in rows["Globex"]
    assert f'<a href="/tickets/{late}"' in rows["Globex"]
    assert manager.get(f"/tickets/{late}").status_code == 200
