"""After signing in (`next`) and after a presence change (`back`) the redirect goes only to
a page of this app, read as a browser reads the URL: never to another site."""

import pytest

from accounts.users import find_user, set_password
from dutyline.db import database
from tests.web.conftest import csrf_of

PASSWORD = "correct horse battery"


@pytest.mark.parametrize("target, location", [
    ("/now", "/now"),
    ("/", "/"),
    ("/calls?day=2026-12-01&missed=1", "/calls?day=2026-12-01&missed=1"),
    ("/rota?month=2026-12", "/rota?month=2026-12"),
    ("/calls/12", "/calls/12"),
    ("", "/now"),
    ("//evil.example/", "/now"),
    ("/\t/evil.example/", "/now"),     # a browser drops the tab: //evil.example/
    ("/\n/evil.example/", "/now"),
    ("/\r/evil.example/", "/now"),
    ("\t//evil.example/", "/now"),
    (" //evil.example/", "/now"),      # leading spaces and controls are trimmed
    ("\x00//evil.example/", "/now"),
    ("\x1f/\x0b/evil.example/", "/now"),
    ("/\\evil.example/", "/now"),      # a backslash is a slash
    ("\\\\evil.example/", "/now"),
    ("/\\\t\\evil.example/", "/now"),
    ("https://evil.example/", "/now"),
    ("https:/evil.example/", "/now"),
    ("javascript:alert(1)", "/now"),
    ("/%2F/evil.example/", "/now"),    # a path, but no page of the app
    ("/now/../..//evil.example", "/now"),
    ("/now\t", "/now"),                # normalised, still the Now page
    ("/n\tow", "/now"),
    ("/now x", "/now"),
    ("/now\u3000", "/now"),
    ("/calendars/abc/rota.ics", "/now"),  # a feed, not a page
    ("/voice/incoming", "/now"),
    ("/signout", "/now"),
    ("/assets/web.css", "/now"),
    ("/no-such-page", "/now"),
    ("/now#fragment", "/now"),
])
def test_next_after_a_password_sign_in_is_a_page_of_the_app(app, make_user, target, location):
    make_user("mia@example.com")
    with database.connection_context():
        set_password(find_user("mia@example.com"), PASSWORD)
    client = app.test_client()
    response = client.post("/signin", data={"email": "mia@example.com", "password": PASSWORD,
                                            "next": target, "csrf_token": csrf_of(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == location


@pytest.mark.parametrize("back, location", [
    ("/now", "/now"),
    ("/\t/evil.example/", "/engineers"),
    ("/\\evil.example", "/engineers"),
    ("//evil.example", "/engineers"),
])
def test_back_after_a_presence_change_is_a_page_of_the_app(engineer, ben, back, location):
    response = engineer.post(f"/engineers/{ben.id}/presence", {"signed_in": "1", "back": back})
    assert response.status_code == 302
    assert response.headers["Location"] == location
