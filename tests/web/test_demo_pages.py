"""After `dutyline demo --no-serve`, every page a newcomer opens first shows what it is for:
today's service level on Now, calls on Calls, tickets on Tickets, the charts on Reports, from
a month of calls played up to now (none in the future, every reaction time positive); in
Chromium too, under the Content-Security-Policy, the heat map shaded by the stylesheet."""

import re
import threading

import pytest
from click.testing import CliRunner
from selenium.webdriver.common.by import By

from console.demo import demo_database_url, demo_sign_in_link
from console.main import main
from dutyline.db import database
from tests.web.conftest import csrf_of
from tests.web.test_browser import BASE, CSP_WATCH, PORT, browsers, click_and_load  # noqa: F401
from webhooks import create_app
from webhooks.runtime import utc_now


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    patch = pytest.MonkeyPatch()
    patch.chdir(folder)
    for key in ("DATABASE_URL", "TWILIO_AUTH_TOKEN", "PUBLIC_URL", "DUTYLINE_SETTINGS",
                "FALLBACK_NUMBER", "TWILIO_FROM_NUMBER", "HELPDESK_EMAIL"):
        patch.delenv(key, raising=False)
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--database", "demo.db"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # the app as the demo serves it: the real clock, no Twilio token
    app = create_app({"DATABASE_URL": demo_database_url(str(folder / "demo.db")),
                      "PUBLIC_URL": "http://127.0.0.1:5000", "SECRET_KEY": "demo-test"})
    client = app.test_client()
    link = demo_sign_in_link(app).removeprefix("http://127.0.0.1:5000")
    assert client.post(link, data={"csrf_token": csrf_of(client, link)}).status_code == 302
    yield result.output, app, client, folder / "demo.db"
    patch.undo()
    database.close()


def test_the_demo_prints_five_calls_and_a_line_on_the_month(demo):
    output = demo[0]
    assert sum(line.startswith("== ") for line in output.splitlines()) == 5
    month = re.search(r"And a month around them, played the same way but not printed: (\d+) "
                      r"calls since \w{3} \d\d \w{3} \((\d+) out of hours, (\d+) messages left, "
                      r"(\d+) acknowledged by text\)\.", output)
    assert month, output
    calls, out_of_hours, left, acknowledged = map(int, month.groups())
    assert 120 <= calls <= 320 and out_of_hours >= 3 and left >= 2 and acknowledged >= 1
    assert len(output.splitlines()) < 120  # short: the five calls and a few lines
    # one engineer at a time, as a line without a Twilio account hunts: as the title says
    third = output.split("== In hours: ACME Ltd calls;", 1)[1].split("\n== ", 1)[0]
    assert third.count("does not answer") == 2 and "caller connected to" in third
    voicemail = output.split("== In hours: a personal voicemail", 1)[1].split("\n== ", 1)[0]
    assert "personal voicemail picks up" in voicemail and "caller connected to" in voicemail


def test_the_month_is_in_the_past_and_reactions_are_positive(demo):
    from telephony.models import Call
    from voicemail.models import Ticket

    app = demo[1]
    now = utc_now()
    with app.app_context(), database.connection_context():
        latest = Call.select().order_by(Call.started_at.desc()).first().started_at
        earliest = Call.select().order_by(Call.started_at).first().started_at
        acknowledged = list(Ticket.select().where(Ticket.acknowledged_at.is_null(False)))
    assert latest < now and (now - earliest).days >= 28
    assert acknowledged and all(t.acknowledged_at > t.created_at for t in acknowledged)


def test_now_shows_todays_service_level(demo):
    page = demo[2].get("/now").get_data(as_text=True)
    level = re.search(r'id="today-sl">([^<]+)<', page).group(1)
    assert re.fullmatch(r"\d+\.\d %", level), level
    offered = int(re.search(r"<p>(\d+) offered · ", page).group(1))
    assert offered >= 1
    assert "On duty now" in page


def test_calls_lists_the_last_week(demo):
    page = demo[2].get("/calls").get_data(as_text=True)
    assert "No calls match." not in page
    assert len(re.findall(r'href="/calls/\d+"', page)) >= 5


def test_tickets_lists_messages_some_acknowledged(demo):
    page = demo[2].get("/tickets").get_data(as_text=True)
    assert "No tickets." not in page
    assert re.search(r">#10\d\d<", page) and "acknowledged" in page and "new" in page


def test_reports_show_the_charts_with_figures(demo):
    page = demo[2].get("/reports").get_data(as_text=True)
    assert re.fullmatch(r"\d+\.\d%", re.search(r'id="total-sl">([^<]+)<', page).group(1))
    chart = re.search(r'aria-label="Service level per \w+".*?</svg>', page, re.S).group(0)
    assert re.search(r'<rect [^>]*height="(?!0\.0")[\d.]+"', chart)  # a bar with a height
    heat = re.search(r'<svg class="chart heat".*?</svg>', page, re.S).group(0)
    counted = [int(n) for n in re.findall(r'aria-label="\w{3} \d\d:00–\d\d:00: (\d+) calls?"',
                                          heat)]
    assert len(counted) == 7 * 24 and sum(counted) >= 1
    assert "Ben Smith" in page and "Tobi Jones" in page


def test_the_demo_in_a_real_browser(demo, browsers):  # noqa: F811
    from werkzeug.serving import make_server

    app = create_app({"DATABASE_URL": demo_database_url(str(demo[3])), "PUBLIC_URL": BASE,
                      "SECRET_KEY": "demo-browser"})
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        desk = browsers(1280, 900)
        desk.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH})
        desk.get(demo_sign_in_link(app))
        click_and_load(desk, desk.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        for page in ("/now", "/calls", "/tickets", "/reports"):
            desk.get(BASE + page)
            assert desk.execute_script("return window.cspViolations") == [], page
            assert desk.execute_script("return document.documentElement.scrollWidth") <= 1280
            assert desk.find_elements(By.CSS_SELECTOR, "main table tbody tr"), page
        assert desk.find_element(By.ID, "total-sl").text.endswith("%")
        shades = {cell.get_attribute("class"): cell.value_of_css_property("fill")
                  for cell in desk.find_elements(By.CSS_SELECTOR, "svg.heat rect[role=img]")}
        assert shades["h0"] == "rgb(238, 241, 245)" and shades["h5"] == "rgb(11, 74, 140)"
        assert len(shades) >= 3  # quiet hours, busy ones and the busiest
        table = desk.find_element(By.ID, "per-period")
        assert table.value_of_css_property("display") == "table"  # not a grid of cards
    finally:
        server.shutdown()
