"""Every route of the web interface, as anonymous, engineer and manager.

Anonymous: a redirect to the sign-in page (nothing runs). Engineer: read the pages, change
only their own presence, links and acknowledgements; 403 for the rest. Manager: all of it.
"""

from datetime import date, timedelta

import pytest

from accounts.wallboard_links import make_link
from calendars.tokens import issue_token
from customers.blocklist import add_block
from customers.directory import add_customer
from dutyline.db import database
from rota.absences import add_absence
from rota.models import SwapRequest
from rota.overrides import add_override
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT
from voicemail.models import Ticket

OPEN = {"/signin", "/signin/link/<secret>", "/assets/<path:filename>"}

# header: rule -> (GET as engineer, POST as engineer); None where the rule has no such method
ROUTES = {
    "/": (302, None),
    "/now": (200, None),
    "/account": (200, 200),              # their own account: an empty form removes the password
    "/signout": (None, 302),
    "/rota": (200, None),
    "/rota/generate": (None, 403),
    "/rota/assign": (None, 403),
    "/rota/swap": (None, 403),
    "/rota/override": (None, 403),
    "/rota/override/<int:override_id>/remove": (None, 403),
    "/rota/absence": (None, 403),
    "/rota/absence/<int:absence_id>/remove": (None, 403),
    "/engineers": (200, 403),
    "/engineers/<int:engineer_id>": (None, 403),
    "/engineers/<int:engineer_id>/presence": (None, 403),  # another engineer's
    "/engineers/<int:engineer_id>/ring-test": (None, 403),  # another engineer's
    "/engineers/<int:engineer_id>/remove": (403, 403),    # the confirmation, and the change
    "/calls": (200, None),
    "/calls/<int:call_id>": (200, None),
    "/tickets": (200, None),
    "/tickets/<int:number>": (200, None),
    "/tickets/<int:number>/<action>": (None, 403),         # close
    "/callbacks": (200, None),
    "/callbacks/<int:number>/done": (None, 302),            # any engineer, with a reason
    "/callbacks/<int:number>/call": (None, 302),            # rings their own phone
    "/calendars": (200, None),
    "/subscribe/new": (None, 403),                          # a manager link
    "/subscribe/revoke/<prefix>": (None, 403),              # a manager link
    "/customers": (403, 403),
    "/customers/import": (None, 403),
    "/customers/<int:customer_id>/reaction-end": (None, 403),
    "/customers/<int:customer_id>/remove": (403, 403),    # the confirmation, and the change
    "/blocked": (403, 403),
    "/blocked/<int:block_id>/remove": (403, 403),      # the confirmation, and the change
    "/users": (403, 403),
    "/users/<int:user_id>/remove": (None, 403),
    "/audit": (403, None),
    "/reports": (200, None),
    "/reports.csv": (200, None),
    "/rota/pay": (200, None),                               # their own line
    "/rota/pay.csv": (200, None),
    "/wallboard": (403, 403),
    "/wallboard/revoke/<int:link_id>": (None, 403),
    "/now/take": (None, 302),                               # their own duty
    "/now/cover": (None, 302),
    "/swaps": (200, 400),                                   # an empty form asks nothing
    "/swaps/<int:request_id>/<answer>": (None, 403),        # accept what they asked themselves
}


@pytest.fixture
def world(app, ben, make_engineer, make_user):
    tobi = make_engineer("Tobi Jones")
    with database.connection_context():
        call = Call.create(sid="CA" + "1" * 32, from_number="+447700900123",
                           started_at=ADDED_AT, mode="out_of_hours", status="voicemail")
        Leg.create(call=call, step=0, engineer=tobi, number=tobi.mobile, role="primary",
                   started_at=ADDED_AT, ended_at=ADDED_AT + timedelta(seconds=20),
                   outcome="no-answer")
        ticket = Ticket.create(call=call, caller=call.from_number, created_at=ADDED_AT)
        override = add_override("Tobi Jones", ADDED_AT, ADDED_AT + timedelta(hours=2), _settings(),
                                 ADDED_AT)
        absence = add_absence("Tobi Jones", ADDED_AT, ADDED_AT + timedelta(days=1),
                              _settings(), ADDED_AT)
        customer = add_customer("ACME Ltd", ["+442079460000"], region="GB")
        block = add_block("+442079460123", "fax machine", _settings(), "mia@example.com",
                          ADDED_AT)
        manager_token = issue_token(ADDED_AT, label="board")
        board_link, _ = make_link("Office TV", "mia@example.com", ADDED_AT)
        swap = SwapRequest.create(requester=ben, colleague=tobi, give_day=date(2026, 12, 10),
                                  take_day=date(2026, 12, 11), created_at=ADDED_AT,
                                  expires_at=ADDED_AT + timedelta(days=39))
    other = make_user("ola@example.com", "manager")
    return {"engineer_id": tobi.id, "call_id": call.id, "number": ticket.number,
            "action": "close", "override_id": override.id, "absence_id": absence.id,
            "customer_id": customer.id, "block_id": block.id, "user_id": other.id,
            "prefix": manager_token[:8], "request_id": swap.id, "answer": "accept",
            "secret": "x" * 43, "filename": "web.css", "link_id": board_link.id}


def _settings():
    from dutyline.settings import parse_settings

    return parse_settings({})


def _web_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("web.")]


def _path(rule, values):
    path = rule.rule
    for name in rule.arguments:
        converter = "int:" if f"<int:{name}>" in path else ("path:" if f"<path:{name}>" in path
                                                            else "")
        path = path.replace(f"<{converter}{name}>", str(values[name]))
    return path


def test_the_table_names_every_route(app):
    assert {rule.rule for rule in _web_rules(app)} - OPEN == set(ROUTES)


def test_anonymous_requests_are_sent_to_sign_in(app, world):
    client = app.test_client()
    for rule in _web_rules(app):
        if rule.rule in OPEN:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(_path(rule, world), method=method)
            assert response.status_code == 302, (method, rule.rule)
            assert response.headers["Location"].startswith("/signin"), rule.rule


def test_an_engineer_reads_and_is_refused_what_is_not_theirs(app, world, engineer):
    for rule in _web_rules(app):
        if rule.rule in OPEN:
            continue
        get, post = ROUTES[rule.rule]
        path = _path(rule, world)
        if "GET" in rule.methods:
            assert engineer.get(path).status_code == get, rule.rule
        if "POST" in rule.methods and rule.rule != "/signout":
            data = {"kind": "manager"} if rule.rule == "/subscribe/new" else {}
            assert engineer.post(path, data).status_code == post, rule.rule
    with database.connection_context():
        assert Ticket.get().status == "new"


def test_a_manager_opens_every_page(app, world, manager):
    for rule in _web_rules(app):
        if rule.rule in OPEN or "GET" not in rule.methods:
            continue
        response = manager.get(_path(rule, world))
        assert response.status_code in (200, 302), rule.rule
        if response.status_code == 200 and response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            assert "Traceback" not in page


def test_the_open_pages_answer_anyone(app, world):
    client = app.test_client()
    assert client.get("/signin").status_code == 200
    assert client.get(_path(next(r for r in _web_rules(app) if r.rule == "/signin/link/<secret>"),
                            world)).status_code == 410
    assert client.get("/assets/htmx.min.js").status_code == 200
