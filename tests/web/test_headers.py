"""Security headers: a Content-Security-Policy with no inline script or style and no framing,
nosniff, a Referrer-Policy, and pages of the web interface never cached; the pages carry no
inline script, style or event handler for the policy to refuse. Twilio's webhooks and the
feeds keep working and keep their own caching."""

import re

from calendars.tokens import issue_token
from dutyline.db import database
from tests.conftest import ADDED_AT
from tests.web.test_routes import _path, _web_rules, world  # noqa: F401 (a fixture)

INLINE = re.compile(r"""<style|\sstyle\s*=|<script(?![^>]*\ssrc=)|\son[a-z]+\s*=|javascript:""",
                    re.I)


def assert_secure(response):
    policy = dict(part.strip().split(" ", 1) for part in
                  response.headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_page_has_the_headers_no_store_and_no_inline_code(app, world, manager):
    seen = 0
    for rule in _web_rules(app):
        if "GET" not in rule.methods or rule.endpoint == "web.static":
            continue
        response = manager.get(_path(rule, world))
        assert_secure(response)
        assert response.headers["Cache-Control"] == "no-store", rule.rule
        if response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            assert not INLINE.search(page), (rule.rule, INLINE.search(page).group(0))
            seen += 1
    assert seen >= 12
    # the pages that show more after a change: a new user's link, new feed links, a QR code
    for path, form in (("/users", {"email": "new@example.com", "role": "manager"}),
                       ("/subscribe/new", {"kind": "manager", "label": "board"})):
        response = manager.post(path, form)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        page = response.get_data(as_text=True)
        assert "<svg" in page or "/signin/link/" in page
        assert not INLINE.search(page), (path, INLINE.search(page).group(0))


def test_pages_before_signing_in_and_after_signing_out_are_not_cached(app, manager):
    for path in ("/signin", "/now", "/no-such-page"):
        response = app.test_client().get(path)
        assert_secure(response)
    assert app.test_client().get("/signin").headers["Cache-Control"] == "no-store"
    signed_out = manager.post("/signout")
    assert signed_out.headers["Cache-Control"] == "no-store"
    back = manager.get("/now")  # what Back after signing out asks for again
    assert back.status_code == 302 and back.headers["Cache-Control"] == "no-store"


def test_htmx_is_told_to_add_no_inline_style_and_run_no_eval(manager):
    page = manager.get("/now").get_data(as_text=True)
    config = '{"includeIndicatorStyles":false,"allowEval":false}'
    assert f"""<meta name="htmx-config" content='{config}'>""" in page


def test_webhooks_feeds_and_assets_keep_working_and_their_own_caching(app, twilio, clock):
    voice = twilio.post("/voice/incoming", {"CallSid": "CA" + "9" * 32,
                                            "From": "+447700900123", "To": "+442071838750"})
    assert voice.status_code == 200 and voice.mimetype == "text/xml"
    assert "no-store" not in voice.headers.get("Cache-Control", "")
    assert voice.headers["X-Content-Type-Options"] == "nosniff"
    with database.connection_context():
        token = issue_token(ADDED_AT, label="board")
    feed = app.test_client().get(f"/calendars/{token}/rota.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert feed.headers["Cache-Control"] == "private, no-cache, no-transform"
    asset = app.test_client().get("/assets/web.css")
    assert asset.status_code == 200 and asset.mimetype == "text/css"
    assert "no-store" not in asset.headers.get("Cache-Control", "")
    assert asset.headers["X-Content-Type-Options"] == "nosniff"
    assert app.test_client().get("/healthz").headers["X-Frame-Options"] == "DENY"


def test_the_referrer_policy_keeps_the_referer_the_csrf_check_needs_over_https(app, make_user):
    # Flask-WTF refuses an https form without a Referer from the app: "no-referrer" would
    # refuse every form; "same-origin" sends it to the app itself and to nobody else
    make_user("mia@example.com")
    https = "https://support.example.com"
    client = app.test_client()
    page = client.get("/signin", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"email": "mia@example.com", "csrf_token": token}
    assert client.post("/signin", data=form, base_url=https).status_code == 400
    response = client.post("/signin", data=form, base_url=https,
                           headers={"Referer": f"{https}/signin"})
    assert response.status_code == 200
